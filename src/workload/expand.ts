// Expands a workload for every rank and iteration into one operation DAG, and a timeline of
// what each rank does, in workload terms, for reports and traces:
//   - streams: an operation waits for the previous one on its stream (across iterations);
//   - kernels (compute, memcpy, send/recv and each rank's collective kernel) are launched in
//     program order by the rank's host thread (a CPU task of `launch` seconds on its socket);
//     in graph mode one launch per iteration covers all of them; `cpu` work runs on that thread;
//   - a collective runs per group of ranks; it starts when every member has reached it and the
//     members continue when all of its transfers are done, as NCCL's collectives synchronise;
//   - a send and its matching recv (k-th send from a to b ↔ k-th recv at b from a, per
//     iteration) are one transfer that starts when both sides are ready;
//   - an input operation loads batch i once the consumers of batch i−prefetch−1 are done; the
//     rank waits for it (input stall) from when the consumers of batch i−1 are done.
// An operation skipped on a rank (`ranks:`, a group of one, a peer past the group's end) passes
// its dependencies on.
import { defaultCommunicator } from '../collective/communicator.js';
import { TransferDag } from '../graph/index.js';
import { ALGORITHMS, buildCollective, DEFAULT_COLLECTIVE_OPTIONS, type Algorithm, type CollectiveOp } from '../collective/index.js';
import { FairwayError } from '../core/errors.js';
import { KERNEL_EFFICIENCY } from '../hardware/kernel-efficiency.js';
import { ACCELERATOR_SPECS } from '../hardware/index.js';
import { addInputPipeline } from '../host/input-pipeline.js';
import type { Topology } from '../topology/graph.js';
import type { Router } from '../topology/routing/router.js';
import { checkRanks, groupsOf } from './groups.js';
import { rankHosts } from './placement.js';
import type { RankOverride, WorkloadOp, WorkloadSpec } from './spec.js';
import { CAT_COMM, CAT_COMPUTE, CAT_HOST, CAT_HOST_WAIT, CAT_INPUT, CAT_TRACE, Timeline } from './timeline.js';

export interface ExpandedWorkload {
  readonly dag: TransferDag;
  /** Accelerator node of each rank. */
  readonly accelerators: Int32Array;
  readonly timeline: Timeline;
  /** Each collective instance (one per group and iteration): its start gate and its end, the op it came from and its algorithm. */
  readonly collectives: { ready: number; done: number; firstOp: number; lastOp: number; op: number; algorithm: Algorithm }[];
}

/**
 * Picks an algorithm for `op` of `bytes` over the accelerators `nodes`, pipelined in `slices`
 * (`algo: auto`); `fresh`: for exactly this group, when the choice made for a group of the same
 * shape does not apply to it.
 */
export type AlgorithmChoice = (op: CollectiveOp, bytes: number, nodes: Int32Array, slices: number, fresh?: boolean) => Algorithm;

/** Without a tuner, `auto` is the operation's first algorithm. */
const FIRST_ALGORITHM: AlgorithmChoice = (op) => ALGORITHMS[op][0];

/**
 * Program order: the list order, except that an operation comes after the operations it waits
 * for (the file reader has ruled out cycles). Launches and streams follow this order.
 */
function order(spec: WorkloadSpec): number[] {
  const index = new Map(spec.ops.map((o, i) => [o.id, i]));
  const placed = new Uint8Array(spec.ops.length);
  const out: number[] = [];
  for (let root = 0; root < spec.ops.length; root++) {
    // iterative post-order over the dependencies not placed yet
    const stack: [op: number, next: number][] = [[root, 0]];
    while (stack.length) {
      const top = stack[stack.length - 1];
      const [i, k] = top;
      if (placed[i]) {
        stack.pop();
        continue;
      }
      if (k < spec.ops[i].after.length) {
        top[1]++;
        const d = index.get(spec.ops[i].after[k])!;
        if (!placed[d]) stack.push([d, 0]);
      } else {
        placed[i] = 1;
        out.push(i);
        stack.pop();
      }
    }
  }
  return out;
}

const isP2p = (op: WorkloadOp) => op.type === 'send' || op.type === 'recv' || (op.type === 'memcpy' && op.direction === 'peer');

/** Per rank: the override that applies (the last one listing the rank), if any. */
function overridesByRank(op: WorkloadOp): Map<number, RankOverride> {
  const m = new Map<number, RankOverride>();
  for (const o of op.overrides) for (const r of o.ranks) m.set(r, { ...m.get(r), ...Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) } as RankOverride);
  return m;
}

/** Per op and rank: index of the rank's group and its position in it (−1: not a member). */
function memberships(groups: number[][], n: number): { groupOf: Int32Array; position: Int32Array } {
  const groupOf = new Int32Array(n).fill(-1);
  const position = new Int32Array(n).fill(-1);
  groups.forEach((g, gi) => g.forEach((r, p) => ((groupOf[r] = gi), (position[r] = p))));
  return { groupOf, position };
}

export function expandWorkload(spec: WorkloadSpec, topo: Topology, router: Router, choose: AlgorithmChoice = FIRST_ALGORITHM): ExpandedWorkload {
  const accs = defaultCommunicator(topo, spec.ranks, 1).nodes;
  const n = accs.length;
  const hosts = rankHosts(topo, router, accs);
  const paths = spec.ops.map((o) => `ops.${o.id}`);
  spec.ops.forEach((op, i) => checkRanks(op, n, paths[i]));
  const groups = spec.ops.map((op, i) => (op.type === 'collective' || isP2p(op) ? groupsOf(op, n, paths[i], op.type === 'collective') : []));
  const member = groups.map((g) => memberships(g, n));
  const runsOn = spec.ops.map((op) => (op.ranks ? new Set(op.ranks) : undefined));
  const overrides = spec.ops.map(overridesByRank);
  const efficiency = spec.ops.map((op) => op.efficiency ?? KERNEL_EFFICIENCY.get(op.kernelClass)!.efficiency);
  const index = new Map(spec.ops.map((o, i) => [o.id, i]));
  const consumers: number[][] = spec.ops.map(() => []);
  spec.ops.forEach((o, i) => o.after.forEach((a) => consumers[index.get(a)!].push(i)));
  const maxPrefetch = Math.max(0, ...spec.ops.filter((o) => o.type === 'input').map((o) => o.prefetch));

  const peakOf = (acc: number) => {
    const a = ACCELERATOR_SPECS.get(topo.nodes[acc].spec);
    if (!a) throw new FairwayError('E_INPUT', `${topo.nodes[acc].id} is not a catalogued accelerator: a compute operation with a duration needs its peak`, [{ path: topo.nodes[acc].id, message: 'unknown accelerator' }]);
    return a.flopsPerSec;
  };
  const dag = new TransferDag();
  const timeline = new Timeline();
  const collectives: ExpandedWorkload['collectives'] = [];
  const seq = order(spec);
  const lastOnStream = new Map<string, Int32Array>();
  const hostThread = new Int32Array(n).fill(-1);
  const history: Int32Array[][] = [];
  /** A launch (op −1) or host work on rank r's host thread, after the thread's previous task. */
  const hostOp = (r: number, sec: number, deps: number[], op: number, it: number) => {
    const id = dag.cpu(r, hosts[r].cpu, sec, [...deps, hostThread[r]]);
    timeline.add(r, 'host thread', CAT_HOST, op, it, id, false, id);
    return (hostThread[r] = id);
  };

  for (let it = 0; it < spec.iterations; it++) {
    const opOf = spec.ops.map(() => new Int32Array(n).fill(-1));
    history.push(opOf);
    if (history.length > maxPrefetch + 2) history.shift();
    if (spec.graph && spec.launchSec > 0) for (let r = 0; r < n; r++) hostOp(r, spec.launchSec, [], -1, it);
    // key `src>dst#tag` → FIFO of {the op waiting for its match, the spec op, src, dst}
    const awaitingRecv = new Map<string, { t: number; op: number; src: number; dst: number; bytes: number }[]>();
    const awaitingSend = new Map<string, { t: number; op: number; src: number; dst: number; bytes: number }[]>();

    for (const i of seq) {
      const op = spec.ops[i];
      const stream = lastOnStream.get(op.stream) ?? new Int32Array(n).fill(-1);
      lastOnStream.set(op.stream, stream);
      const afterOf = (r: number) => op.after.map((a) => opOf[index.get(a)!][r]).filter((d) => d >= 0);
      const depsOf = (r: number) => [stream[r], ...afterOf(r)];
      // no launch op at all when launches cost nothing (e.g. traces that record their CPU side)
      const launch = (r: number) => (spec.launchSec === 0 ? -1 : spec.graph ? hostThread[r] : hostOp(r, spec.launchSec * op.kernels, [], -1, it));
      const skip = (r: number) => {
        const a = afterOf(r);
        opOf[i][r] = a.length === 0 ? -1 : a.length === 1 ? a[0] : dag.delay(r, 0, a);
      };
      const done = (r: number, id: number) => {
        opOf[i][r] = stream[r] = id;
        if (op.type !== 'cpu' && op.type !== 'input') timeline.add(r, 'host thread', CAT_HOST_WAIT, i, it, id, false, id);
      };

      if (op.type === 'collective') {
        const inGroup = new Uint8Array(n);
        groups[i].forEach((members) => {
          if (members.length < 2) return;
          for (const r of members) inGroup[r] = 1;
          const ready = dag.delay(-1, 0, members.flatMap((r) => [...depsOf(r), launch(r)]));
          const kind = op.collective as CollectiveOp;
          const nodes = Int32Array.from(members, (r) => accs[r]);
          const maxSlices = op.slices ?? DEFAULT_COLLECTIVE_OPTIONS.maxSlices;
          const build = (algorithm: Algorithm) => buildCollective(topo, kind, op.bytes, { nodes }, { ...DEFAULT_COLLECTIVE_OPTIONS, algorithm, maxSlices });
          let algorithm = op.algorithm === 'auto' ? choose(kind, op.bytes, nodes, maxSlices) : (op.algorithm as Algorithm);
          let sub: TransferDag;
          try {
            sub = build(algorithm);
          } catch (e) {
            if (!(e instanceof FairwayError) || e.code !== 'E_INPUT') throw e;
            if (op.algorithm !== 'auto') throw new FairwayError('E_INPUT', `${paths[i]}: ${e.message}`, [{ path: `${paths[i]}.algo`, message: e.message }]);
            sub = build((algorithm = choose(kind, op.bytes, nodes, maxSlices, true)));
          }
          for (let k = 0; k < sub.size; k++) if (sub.rank[k] >= 0) sub.rank[k] = members[sub.rank[k]];
          const firstOp = dag.size;
          const end = dag.append(sub, ready);
          collectives.push({ ready, done: end, firstOp, lastOp: end, op: i, algorithm });
          // the collective's kernels occupy a share of every member's math units while it runs
          if (op.sm) for (const r of members) dag.hold(r, accs[r], op.sm, [ready], end);
          for (const r of members) {
            done(r, end);
            timeline.add(r, op.stream, CAT_COMM, i, it, ready, true, end);
          }
        });
        for (let r = 0; r < n; r++) if (!inGroup[r]) skip(r);
        continue;
      }

      for (let r = 0; r < n; r++) {
        if (runsOn[i] && !runsOn[i]!.has(r)) {
          skip(r);
          continue;
        }
        const o = overrides[i].get(r);
        const bytes = o?.bytes ?? op.bytes;
        if (op.type === 'cpu') {
          done(r, hostOp(r, o?.coreSeconds ?? op.coreSeconds, depsOf(r), i, it));
        } else if (op.type === 'compute') {
          const e = efficiency[i];
          // a measured duration (no FLOPs or bytes given) holds the math units that long
          const seconds = o?.coreSeconds ?? op.coreSeconds;
          const flops = (o?.flops ?? op.flops) || (bytes === 0 ? seconds * peakOf(accs[r]) : 0);
          const id = dag.compute(r, accs[r], flops / e, bytes / e, [...depsOf(r), launch(r)]);
          timeline.add(r, op.stream, CAT_COMPUTE, i, it, id, false, id);
          done(r, id);
        } else if (op.type === 'input') {
          if (hosts[r].storage < 0)
            throw new FairwayError('E_INPUT', `${paths[i]}: the input pipeline needs a storage drive in ${topo.nodes[accs[r]].id}'s server`, [{ path: paths[i], message: 'add storage: N to the server group of the topology' }]);
          const freed = it - op.prefetch - 1;
          const slots = freed >= 0 ? consumers[i].map((c) => history[history.length - 1 - (it - freed)][c][r]) : [];
          const start = dag.delay(r, 0, [...depsOf(r), ...slots]);
          const sub = new TransferDag();
          const workerOf: number[] = [];
          addInputPipeline(sub, { rank: r, workers: op.workers, samples: o?.samples ?? op.samples, sampleBytes: bytes, decodeCoreSec: o?.coreSeconds ?? op.coreSeconds, storage: hosts[r].storage, cpu: hosts[r].cpu, dram: hosts[r].dram, accelerator: accs[r] }, workerOf);
          const base = dag.size;
          const end = dag.append(sub, start);
          for (let k = 0; k < sub.size; k++) timeline.add(r, `loader ${workerOf[k]}`, CAT_TRACE, i, it, base + k, false, base + k);
          timeline.add(r, op.stream, CAT_TRACE, i, it, start, true, end);
          // the step waits for this batch from when the rank is done with the previous one
          const previous = it > 0 ? consumers[i].map((c) => history[history.length - 2][c][r]) : [];
          const awaited = previous.some((x) => x >= 0) ? dag.delay(r, 0, [start, ...previous]) : start;
          timeline.add(r, op.stream, CAT_INPUT, i, it, awaited, true, end);
          done(r, end);
        } else if (op.type === 'memcpy' && op.direction !== 'peer') {
          const deps = [...depsOf(r), launch(r)];
          const host = hosts[r].dram;
          // a copy within HBM reads and writes every byte: HBM traffic only
          const id =
            op.direction === 'd2d'
              ? dag.compute(r, accs[r], 0, 2 * bytes, deps)
              : op.direction === 'h2d'
                ? dag.transfer(r, host, accs[r], bytes, 0, 0, deps)
                : dag.transfer(r, accs[r], host, bytes, 0, 0, deps);
          timeline.add(r, op.stream, CAT_COMM, i, it, id, false, id);
          done(r, id);
        } else {
          // send, recv, or a peer copy: a transfer between this rank and its partner in the group
          const members = member[i].groupOf[r] >= 0 ? groups[i][member[i].groupOf[r]] : [];
          let p = member[i].position[r] + op.peer;
          if (op.wrap && members.length > 0) p = ((p % members.length) + members.length) % members.length;
          if (p < 0 || p >= members.length || members[p] === r) {
            skip(r);
            continue;
          }
          const partner = members[p];
          const deps = [...depsOf(r), launch(r)];
          let id: number;
          let begin = -1;
          if (op.type === 'memcpy') id = dag.transfer(r, accs[r], accs[partner], bytes, 0, 0, deps);
          else {
            const [src, dst] = op.type === 'send' ? [r, partner] : [partner, r];
            const key = `${src}>${dst}#${op.tag}`;
            const mine = op.type === 'send' ? awaitingRecv : awaitingSend;
            const theirs = op.type === 'send' ? awaitingSend : awaitingRecv;
            const match = theirs.get(key)?.shift();
            const checkBytes = () => {
              if (match!.bytes !== bytes)
                throw new FairwayError('E_INPUT', `${paths[i]}: rank ${r} ${op.type}s ${bytes} bytes but the matching ${op.type === 'send' ? 'recv' : 'send'} (${paths[match!.op]}) of rank ${partner} expects ${match!.bytes}`, [
                  { path: `${paths[i]}.bytes`, message: 'a send and its recv must move the same bytes' },
                ]);
            };
            if (!spec.eager) {
              // rendezvous: one transfer, once both sides are ready
              if (match) {
                id = match.t;
                checkBytes();
                for (const d of deps) dag.depend(d, id);
              } else id = dag.transfer(src, accs[src], accs[dst], bytes, 0, 0, deps);
            } else if (op.type === 'send') {
              // eager: the data leaves when the sender is ready; the recv completes once it has arrived
              id = dag.transfer(src, accs[src], accs[dst], bytes, 0, 0, deps);
              if (match) checkBytes(), dag.depend(id, match.t);
            } else {
              begin = dag.delay(r, 0, deps);
              id = dag.delay(r, 0, [begin, ...(match ? [match.t] : [])]);
              if (match) checkBytes();
            }
            if (!match) {
              const list = mine.get(key) ?? [];
              list.push({ t: id, op: i, src, dst, bytes });
              mine.set(key, list);
            }
          }
          if (begin >= 0) timeline.add(r, op.stream, CAT_COMM, i, it, begin, true, id);
          else timeline.add(r, op.stream, CAT_COMM, i, it, id, false, id);
          done(r, id);
        }
      }
    }
    for (const [waiting, side] of [[awaitingRecv, 'recv'], [awaitingSend, 'send']] as const)
      for (const list of waiting.values())
        if (list.length > 0) {
          const { src, dst } = list[0];
          const path = paths[list[0].op];
          const what = side === 'recv' ? `rank ${src} sends to rank ${dst} in iteration ${it} but rank ${dst} posts no matching recv` : `rank ${dst} receives from rank ${src} in iteration ${it} but rank ${src} posts no matching send`;
          throw new FairwayError('E_INPUT', `${path}: ${what}`, [
            { path, message: `add a ${side} with the opposite peer offset, on the same ranks and group` },
          ]);
        }
  }
  return { dag, accelerators: accs, timeline, collectives };
}
