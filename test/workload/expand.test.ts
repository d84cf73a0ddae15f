// Workload expansion end to end on a DGX H100 (one node, NVMe drives): send/recv pairing and
// pipelines, rank groups, per-rank subsets and overrides, kernel efficiency classes and the
// input prefetch depth, each against a derived time.
import { describe, expect, test } from 'vitest';
import { defaultCommunicator } from '../../src/collective/communicator.js';
import { DEFAULT_COLLECTIVE_OPTIONS } from '../../src/collective/index.js';
import { ncclWorkloadPlan } from '../../src/collective/nccl-plan.js';
import { parseWorkload } from '../../src/io/workload-file.js';
import { runWorkload } from '../../src/sim/workload-run.js';
import { Router } from '../../src/topology/routing/router.js';
import { topologyOf } from '../helpers/topologies.js';

const PEAK = 989.4e12;
const LAUNCH = 5e-6;
// GPU ↔ GPU over NVSwitch: two NVLink4 hops of 450 GB/s × 0.8 = 360 GB/s (HBM is 3.35 TB/s).
const NVLINK = 360e9;

const topo = topologyOf({ servers: [{ template: 'dgx-h100', storage: 2 }] });
const router = new Router(topo);
const run = (doc: Record<string, unknown>) => runWorkload(parseWorkload(doc), topo, router);
const latency = (a: string, b: string) => router.route(topo.node(a).index, topo.node(b).index).latencySec;

describe('send and recv', () => {
  test('a send to the next rank and its recv are one transfer: launch + L + S/B', () => {
    // rank 0 sends (rank 1 has no next rank in a group of 2 and skips), rank 1 receives from rank
    // 0; both launch their only kernel at 5 µs.
    const S = 2 ** 30;
    const w = run({ ranks: 2, ops: [{ id: 's', type: 'send', peer: 1, bytes: S }, { id: 'r', type: 'recv', peer: -1, bytes: S }] });
    expect(w.summary.makespanSec).toBeCloseTo(LAUNCH + latency('dgx0/acc0', 'dgx0/acc1') + S / NVLINK, 12);
    expect(w.expanded.dag.kind.filter((k) => k === 0)).toHaveLength(1);
  });

  test('a 4-stage pipeline: recv → 1 ms compute → send; the bubble shows as idle time', () => {
    // Stage r computes once stage r−1's activations arrived: makespan = 5 µs (rank 0's launch)
    // + 4 × 1 ms + 3 × (L + S/B). Rank 0: host-bound 5 µs, compute 1 ms, its send exposed, then idle.
    const S = 2 ** 20;
    const w = run({
      ranks: 4,
      ops: [
        { id: 'recv', type: 'recv', peer: -1, bytes: S },
        { id: 'fwd', type: 'compute', flops: 1e-3 * PEAK, after: ['recv'] },
        { id: 'send', type: 'send', peer: 1, bytes: S, after: ['fwd'] },
      ],
    });
    const hop = latency('dgx0/acc0', 'dgx0/acc1') + S / NVLINK;
    const T = LAUNCH + 4e-3 + 3 * hop;
    expect(w.summary.makespanSec).toBeCloseTo(T, 12);
    const r0 = w.perRank[0];
    expect(r0.hostBoundSec).toBeCloseTo(LAUNCH, 12);
    expect(r0.computeSec).toBeCloseTo(1e-3, 12);
    expect(r0.exposedCommSec).toBeCloseTo(hop, 12);
    expect(r0.idleSec).toBeCloseTo(T - LAUNCH - 1e-3 - hop, 12);
    // the parts add up to the step on every rank
    for (const b of w.perRank) expect(b.computeSec + b.exposedCommSec + b.hostBoundSec + b.inputStallSec + b.idleSec).toBeCloseTo(T, 12);
  });

  test('a ring shift with sends and recvs on separate streams runs; on one stream it deadlocks and says so', () => {
    const S = 2 ** 28;
    const ops = (stream?: string) => [
      { id: 's', type: 'send', peer: 1, wrap: true, bytes: S, ...(stream ? { stream } : {}) },
      { id: 'r', type: 'recv', peer: -1, wrap: true, bytes: S, ...(stream ? { stream } : {}) },
    ];
    // every GPU sends one flow out and takes one in over its own NVLinks: all at B at once;
    // each rank's recv launch (its second) is the last thing the transfers wait for.
    const w = run({ ops: ops() });
    expect(w.summary.makespanSec).toBeCloseTo(2 * LAUNCH + latency('dgx0/acc0', 'dgx0/acc1') + S / NVLINK, 12);
    expect(() => run({ ops: ops('p2p') })).toThrow(/cycle: 8 operations can never start: s on rank 0, s on rank 1, s on rank 2, s on rank 3, s on rank 4, s on rank 5, … \(in a workload: sends and receives/); // names what is stuck (issue 19, item 20)
  });

  test('pairs follow the list order (a dependency does not reorder sends), and ranks: keeps partners in the whole group', () => {
    // s1 waits for a kernel, s2 does not: still s1 ↔ r1 and s2 ↔ r2 by list order
    const w = run({
      ranks: 2,
      ops: [
        { id: 'k', type: 'compute', flops: 1e-3 * PEAK },
        { id: 's1', type: 'send', peer: 1, bytes: 1e6, after: ['k'] },
        { id: 's2', type: 'send', peer: 1, bytes: 2e6 },
        { id: 'r1', type: 'recv', peer: -1, bytes: 1e6 },
        { id: 'r2', type: 'recv', peer: -1, bytes: 2e6 },
      ],
    });
    expect(Array.from(w.expanded.dag.work.filter((_, i) => w.expanded.dag.kind[i] === 0))).toEqual([1e6, 2e6]);
    // a send on rank 0 only, to its next rank in the whole group (rank 1), received there
    const sub = run({ ops: [{ id: 's', type: 'send', peer: 1, bytes: 1e6, ranks: [0] }, { id: 'r', type: 'recv', peer: -1, bytes: 1e6, ranks: [1] }] });
    expect(sub.expanded.dag.kind.filter((k) => k === 0)).toHaveLength(1);
    expect(sub.summary.makespanSec).toBeGreaterThan(1e6 / NVLINK);
  });

  test('a send without its recv, or with other bytes, is an input error naming the operation', () => {
    expect(() => run({ ranks: 2, ops: [{ id: 's', type: 'send', peer: 1, bytes: 100 }] })).toThrow(/ops\.s: rank 0 sends to rank 1 .* no matching recv/);
    expect(() => run({ ranks: 2, ops: [{ id: 'r', type: 'recv', peer: -1, bytes: 100 }] })).toThrow(/ops\.r: rank 1 receives from rank 0 in iteration 0 but rank 0 posts no matching send/);
    expect(() => run({ ranks: 2, ops: [{ id: 's', type: 'send', peer: 1, bytes: 100 }, { id: 'r', type: 'recv', peer: -1, bytes: 200 }] })).toThrow(/ops\.r: rank 1 recvs 200 bytes/);
  });
});

describe('groups, rank subsets and overrides', () => {
  test('two 4-rank all-reduces side by side take as long as one alone (NVSwitch is non-blocking)', () => {
    const ar = { id: 'ar', type: 'collective', op: 'all_reduce', bytes: '256MiB', algo: 'ring' };
    const alone = run({ ranks: 4, ops: [ar] }).summary.commSec;
    const grouped = run({ ops: [{ ...ar, group: { size: 4 } }] });
    expect(grouped.summary.commSec).toBeCloseTo(alone, 12);
    expect(grouped.expanded.collectives).toHaveLength(2);
    // stride 2: groups {0,2,4,6} and {1,3,5,7}, the same time again
    expect(run({ ops: [{ ...ar, group: { size: 4, stride: 2 } }] }).summary.commSec).toBeCloseTo(alone, 12);
    expect(() => run({ ops: [{ ...ar, group: { size: 3 } }] })).toThrow(/ops\.ar\.group: 8 ranks do not split into groups of 3/);
  });

  test('a slow rank (override: twice the FLOPs) makes the others wait at the all-reduce', () => {
    // ranks 1–7 finish their 1 ms kernel 1 ms before rank 0 and idle until it reaches the collective.
    const w = run({
      ops: [
        { id: 'k', type: 'compute', flops: 1e-3 * PEAK, overrides: [{ ranks: '0', flops: 2e-3 * PEAK }] },
        { id: 'ar', type: 'collective', op: 'all_reduce', bytes: '64MiB', after: ['k'] },
      ],
    });
    expect(w.perRank[0].computeSec).toBeCloseTo(2e-3, 12);
    expect(w.perRank[0].idleSec).toBeCloseTo(0, 12);
    expect(w.perRank[5].idleSec).toBeCloseTo(1e-3, 12);
  });

  test('ranks: an operation on a subset; the others skip it and pass its dependencies on', () => {
    const w = run({ ops: [{ id: 'k', type: 'compute', flops: 1e-3 * PEAK, ranks: '0-3' }, { id: 'k2', type: 'compute', flops: 1e-3 * PEAK, after: ['k'] }] });
    expect(w.perRank.map((b) => +(b.computeSec * 1e3).toFixed(9))).toEqual([2, 2, 2, 2, 1, 1, 1, 1]);
    expect(() => run({ ranks: 4, ops: [{ id: 'k', type: 'compute', flops: 1, ranks: [5] }] })).toThrow(/ops\.k\.ranks: rank 5 does not exist; this run has ranks 0 to 3/);
  });
});

describe('kernel efficiency and input prefetch', () => {
  test('a GEMM-class kernel takes roofline / 0.7; an explicit efficiency overrides it', () => {
    const F = 1e-3 * PEAK;
    expect(run({ ranks: 1, ops: [{ id: 'g', type: 'compute', flops: F, class: 'gemm' }] }).summary.computeSec).toBeCloseTo(1e-3 / 0.7, 12);
    expect(run({ ranks: 1, ops: [{ id: 'g', type: 'compute', flops: F, class: 'gemm', efficiency: 0.5 }] }).summary.computeSec).toBeCloseTo(2e-3, 12);
  });

  test('prefetch 0 serialises loading and compute; prefetch 1 overlaps them', () => {
    // One worker loads a 1-byte sample: nvme → dram read (80 µs + 90 ns latency), 1 ms decode,
    // dram → acc0 copy (390 ns): ℓ ≈ 1.08 ms; the step's kernel takes 3 ms. Over 4 iterations:
    // prefetch 0 → 4(ℓ + 3 ms); prefetch 1 → ℓ + 4 × 3 ms (each load hides under a kernel).
    const load = 80e-6 + 90e-9 + 1e-3 + 90e-9 + 300e-9;
    const doc = (prefetch: number) => ({
      ranks: 1,
      iterations: 4,
      ops: [
        { id: 'in', type: 'input', workers: 1, samples: 1, bytes: 1, decode: '1ms', prefetch },
        { id: 'k', type: 'compute', flops: 3e-3 * PEAK, after: ['in'] },
      ],
    });
    const serial = run(doc(0));
    expect(serial.summary.makespanSec).toBeCloseTo(4 * (load + 3e-3), 8);
    expect(serial.summary.inputStallSec).toBeCloseTo(load, 8);
    expect(serial.summary.hostBoundSec).toBeCloseTo(0, 12);
    const overlapped = run(doc(1));
    expect(overlapped.summary.makespanSec).toBeCloseTo(load + 12e-3, 8);
    expect(overlapped.summary.inputStallSec).toBeCloseTo(load / 4, 8);
  });
});

describe('collectives taking SMs', () => {
  test('a compute-bound kernel overlapping a collective with sm: 0.2 gets 80% of the math units', () => {
    // a 1 ms GEMM (compute-bound: FLOPs only) on its own stream next to a 1 GiB ring all-reduce
    // (several ms): while both run the collective holds 0.2 of the peak, so the GEMM takes 1.25 ms
    const gemm = { id: 'gemm', type: 'compute', flops: 1e-3 * PEAK };
    const doc = (sm?: number | null) => ({
      ops: sm === null ? [gemm] : [{ id: 'ar', type: 'collective', op: 'all_reduce', bytes: '1GiB', algo: 'ring', ...(sm !== undefined ? { sm } : {}) }, gemm],
    });
    const kernel = (w: ReturnType<typeof run>) => {
      const t = w.expanded.timeline;
      for (let k = 0; k < t.size; k++) if (t.category[k] === 0 && t.rank[k] === 0) return w.run.finishSec[t.end[k]] - w.run.startSec[t.begin[k]];
      return NaN;
    };
    const free = run(doc(null));
    const shared = run(doc(0.2));
    expect(kernel(free)).toBeCloseTo(1e-3, 12);
    expect(kernel(shared)).toBeCloseTo(1e-3 / 0.8, 12);
    // without sm, NCCL's channels hold one SM each: the GEMM runs on the other 132 − channels
    const channels = ncclWorkloadPlan(topo, defaultCommunicator(topo), 'all_reduce', 2 ** 30, DEFAULT_COLLECTIVE_OPTIONS, 'ring')!.choice!.channels;
    expect(channels).toBeGreaterThan(0);
    expect(kernel(run(doc()))).toBeCloseTo(1e-3 / (1 - channels / 132), 12);
    expect(shared.summary.commSec).toBeGreaterThan(1.25e-3);
    // and the hold ends with the collective: the step is no longer than the collective plus launches
    expect(shared.summary.makespanSec).toBeCloseTo(run(doc()).summary.makespanSec, 9);
  });
});
