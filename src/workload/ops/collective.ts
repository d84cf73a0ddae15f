// A collective operation: one instance per group of ranks (restricted to the ranks it runs on;
// a group of one does nothing and passes its dependencies on). It starts when every member has
// reached it and launched its kernel, runs as the algorithm's operation graph (collective/),
// holding a share of every member's math units meanwhile (`sm`, or on NVIDIA GPUs the SMs of
// the channels NCCL launches, one CTA each: compute that overlaps it runs on the rest), and the
// members continue when all of its transfers are done, as NCCL's collectives synchronise.
import { buildCollective, DEFAULT_COLLECTIVE_OPTIONS, type Algorithm, type CollectiveOp, type CollectiveOptions } from '../../collective/index.js';
import { p2pNetworkOptions } from '../../collective/nccl-p2p.js';
import { ncclWorkloadPlan, type NcclPlan } from '../../collective/nccl-plan.js';
import { FairwayError } from '../../core/errors.js';
import { ACCELERATOR_SPECS } from '../../hardware/index.js';
import { OperationGraph, type TransferDag } from '../../graph/index.js';
import type { Topology } from '../../topology/graph.js';
import type { Expansion } from '../expansion.js';
import { groupsOf } from '../groups.js';
import { CAT_COMM } from '../timeline.js';
import type { OpExpander } from './op-expander.js';

/** NCCL's plans per topology, by operation, size, algorithm, slices and group: a training step repeats the same collective on the same group many times. */
const PLANS = new WeakMap<Topology, Map<string, NcclPlan | null>>();

/** NCCL's plan for the current op over `nodes` (null where NCCL does not run it), computed once per distinct instance. */
function plannedFor(x: Expansion, nodes: Int32Array, kind: CollectiveOp, maxSlices: number): NcclPlan | null {
  let plans = PLANS.get(x.topo);
  if (!plans) PLANS.set(x.topo, (plans = new Map()));
  const key = `${kind}|${x.op.bytes}|${x.op.algorithm}|${maxSlices}|${nodes.join(',')}`;
  let plan = plans.get(key);
  if (plan === undefined) plans.set(key, (plan = ncclWorkloadPlan(x.topo, { nodes }, kind, x.op.bytes, { ...DEFAULT_COLLECTIVE_OPTIONS, maxSlices }, x.op.algorithm as Algorithm | 'auto')));
  return plan;
}

/**
 * The current op's graph over the accelerators of `members`, with its algorithm and base
 * latency: on NVIDIA GPUs, as NCCL would run it (its tuner's algorithm and protocol for `auto`,
 * the protocol's latencies and wire efficiency; collective/nccl-plan.ts); otherwise the one
 * asked for, or for `auto` the chooser's, asked again for exactly this group if that fails.
 */
/** NCCL's point-to-point parts of a peer as one transfer (nccl-p2p.ts, mergeParts): a step's all-to-alls stay one send a peer. */
function mergedParts(o: CollectiveOptions): CollectiveOptions {
  return o.p2p ? { ...o, p2p: { ...o.p2p, mergeParts: true } } : o;
}

/** One group's collective is built here, copied into the step's graph (expandGroup) and forgotten: one graph reused keeps its storage instead of regrowing for every group. */
const SCRATCH = new OperationGraph();

function buildFor(x: Expansion, members: number[]): { sub: TransferDag; algorithm: Algorithm; baseSec: number; channels: number } {
  const op = x.op;
  const kind = op.collective as CollectiveOp;
  const nodes = Int32Array.from(members, (r) => x.accs[r]);
  const maxSlices = op.slices ?? DEFAULT_COLLECTIVE_OPTIONS.maxSlices;
  const planned = plannedFor(x, nodes, kind, maxSlices);
  if (x.spec.fidelity === 'analytical' && planned?.choice) return closedForm(planned);
  const options = planned?.options ?? mergedParts(p2pNetworkOptions(x.topo, { nodes }, kind, op.bytes, { ...DEFAULT_COLLECTIVE_OPTIONS, maxSlices }));
  const build = (algorithm: Algorithm) => buildCollective(x.topo, kind, op.bytes, { nodes }, { ...options, algorithm, baseLatencySec: 0 }, SCRATCH.clear());
  // NCCL runs sendrecv and alltoall as grouped sends (direct) with its point-to-point plan (options.p2p)
  let algorithm = planned ? options.algorithm : op.algorithm === 'auto' ? (options.p2p ? 'direct' : x.choose(kind, op.bytes, nodes, maxSlices)) : (op.algorithm as Algorithm);
  try {
    return { sub: build(algorithm), algorithm, baseSec: options.baseLatencySec, channels: planned?.choice?.channels ?? 0 };
  } catch (e) {
    if (!(e instanceof FairwayError) || e.code !== 'E_INPUT') throw e;
    if (op.algorithm !== 'auto') throw new FairwayError('E_INPUT', `${x.path}: ${e.message}`, [{ path: `${x.path}.algo`, message: e.message }]);
    algorithm = x.choose(kind, op.bytes, nodes, maxSlices, true);
    return { sub: buildCollective(x.topo, kind, op.bytes, { nodes }, { ...DEFAULT_COLLECTIVE_OPTIONS, algorithm, maxSlices }, SCRATCH.clear()), algorithm, baseSec: 0, channels: 0 };
  }
}

/** The analytical fidelity: the collective as one delay of NCCL's closed-form time for its plan (latency included, with the GPUs' own NVLink hops: deviceHopUs), no transfers. */
function closedForm(planned: NcclPlan): { sub: TransferDag; algorithm: Algorithm; baseSec: number; channels: number } {
  const sub = new OperationGraph();
  sub.delay(-1, (planned.choice!.timeUs + (planned.choice!.deviceHopUs ?? 0)) * 1e-6);
  return { sub, algorithm: planned.options.algorithm, baseSec: 0, channels: planned.choice!.channels };
}

/** The share of rank r's SMs that `channels` NCCL channels (one CTA, so one SM, each) occupy; 0 for an uncatalogued accelerator. */
function smShare(x: Expansion, r: number, channels: number): number {
  const sms = ACCELERATOR_SPECS.get(x.topo.nodes[x.accs[r]].spec)?.sms ?? 0;
  return channels > 0 && sms > 0 ? Math.min(1, channels / sms) : 0;
}

/** One instance over `members` (ranks, two or more). */
function expandGroup(x: Expansion, members: number[]): void {
  const ready = x.dag.delay(-1, 0, members.flatMap((r) => x.kernelDeps(r)));
  const { sub, algorithm, baseSec, channels } = buildFor(x, members);
  const rank = sub.columns.rank;
  for (let k = 0; k < rank.length; k++) if (rank[k] >= 0) rank[k] = members[rank[k]];
  // the collective kernel's own start-up before its first send (NCCL's base latency)
  const start = baseSec > 0 ? x.dag.delay(-1, baseSec, [ready]) : ready;
  const firstOp = x.dag.size;
  const end = x.dag.append(sub, start);
  x.collectives.push({ ready, done: end, firstOp, lastOp: end, op: x.i, algorithm });
  // the collective's kernels occupy a share of every member's math units while it runs: `sm`,
  // or as NCCL launches it, one CTA per channel, each holding one SM
  const sm = x.op.sm ?? smShare(x, members[0], channels);
  if (sm > 0) for (const r of members) x.dag.hold(r, x.accs[r], sm, [ready], end);
  for (const r of members) {
    x.kernelDone(r, end);
    x.span(r, CAT_COMM, ready, end);
  }
}

export const collectiveExpander: OpExpander = {
  groups: (op, n, path) => groupsOf(op, n, path, true),
  expand(x: Expansion): void {
    const inGroup = new Uint8Array(x.n);
    for (const members of x.plan.groups[x.i]) {
      if (members.length < 2) continue;
      for (const r of members) inGroup[r] = 1;
      expandGroup(x, members);
    }
    for (let r = 0; r < x.n; r++) if (!inGroup[r]) x.skip(r);
  },
};
