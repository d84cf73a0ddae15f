// A collective operation: one instance per group of ranks (restricted to the ranks it runs on;
// a group of one does nothing and passes its dependencies on). It starts when every member has
// reached it and launched its kernel, runs as the algorithm's operation graph (collective/),
// optionally holding a share of every member's math units (NCCL's SMs) meanwhile, and the
// members continue when all of its transfers are done, as NCCL's collectives synchronise.
import { buildCollective, DEFAULT_COLLECTIVE_OPTIONS, type Algorithm, type CollectiveOp } from '../../collective/index.js';
import { ncclWorkloadPlan } from '../../collective/nccl-plan.js';
import { FairwayError } from '../../core/errors.js';
import type { TransferDag } from '../../graph/index.js';
import type { Expansion } from '../expansion.js';
import { groupsOf } from '../groups.js';
import { CAT_COMM } from '../timeline.js';
import type { OpExpander } from './op-expander.js';

/**
 * The current op's graph over the accelerators of `members`, with its algorithm and base
 * latency: on NVIDIA GPUs, as NCCL would run it (its tuner's algorithm and protocol for `auto`,
 * the protocol's latencies and wire efficiency; collective/nccl-plan.ts); otherwise the one
 * asked for, or for `auto` the chooser's, asked again for exactly this group if that fails.
 */
function buildFor(x: Expansion, members: number[]): { sub: TransferDag; algorithm: Algorithm; baseSec: number } {
  const op = x.op;
  const kind = op.collective as CollectiveOp;
  const nodes = Int32Array.from(members, (r) => x.accs[r]);
  const maxSlices = op.slices ?? DEFAULT_COLLECTIVE_OPTIONS.maxSlices;
  const planned = ncclWorkloadPlan(x.topo, { nodes }, kind, op.bytes, { ...DEFAULT_COLLECTIVE_OPTIONS, maxSlices }, op.algorithm as Algorithm | 'auto');
  const options = planned?.options ?? { ...DEFAULT_COLLECTIVE_OPTIONS, maxSlices };
  const build = (algorithm: Algorithm) => buildCollective(x.topo, kind, op.bytes, { nodes }, { ...options, algorithm, baseLatencySec: 0 });
  let algorithm = planned ? options.algorithm : op.algorithm === 'auto' ? x.choose(kind, op.bytes, nodes, maxSlices) : (op.algorithm as Algorithm);
  try {
    return { sub: build(algorithm), algorithm, baseSec: options.baseLatencySec };
  } catch (e) {
    if (!(e instanceof FairwayError) || e.code !== 'E_INPUT') throw e;
    if (op.algorithm !== 'auto') throw new FairwayError('E_INPUT', `${x.path}: ${e.message}`, [{ path: `${x.path}.algo`, message: e.message }]);
    algorithm = x.choose(kind, op.bytes, nodes, maxSlices, true);
    return { sub: buildCollective(x.topo, kind, op.bytes, { nodes }, { ...DEFAULT_COLLECTIVE_OPTIONS, algorithm, maxSlices }), algorithm, baseSec: 0 };
  }
}

/** One instance over `members` (ranks, two or more). */
function expandGroup(x: Expansion, members: number[]): void {
  const ready = x.dag.delay(-1, 0, members.flatMap((r) => x.kernelDeps(r)));
  const { sub, algorithm, baseSec } = buildFor(x, members);
  for (let k = 0; k < sub.size; k++) if (sub.rank[k] >= 0) sub.rank[k] = members[sub.rank[k]];
  // the collective kernel's own start-up before its first send (NCCL's base latency)
  const start = baseSec > 0 ? x.dag.delay(-1, baseSec, [ready]) : ready;
  const firstOp = x.dag.size;
  const end = x.dag.append(sub, start);
  x.collectives.push({ ready, done: end, firstOp, lastOp: end, op: x.i, algorithm });
  // the collective's kernels occupy a share of every member's math units while it runs
  if (x.op.sm) for (const r of members) x.dag.hold(r, x.accs[r], x.op.sm, [ready], end);
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
