// Workloads end to end on a DGX H100: launch-bound kernels, CUDA graphs, and a collective that
// synchronises the ranks (both engines).
import { p2pNetworkOptions } from '../../src/collective/nccl-p2p.js';
import { describe, expect, test } from 'vitest';
import { defaultCommunicator } from '../../src/collective/communicator.js';
import { ncclWorkloadPlan } from '../../src/collective/nccl-plan.js';
import { DEFAULT_COLLECTIVE_OPTIONS } from '../../src/collective/index.js';
import { parseWorkload } from '../../src/io/workload-file.js';
import { runCollective } from '../../src/sim/collective-run.js';
import { runWorkload } from '../../src/sim/workload-run.js';
import { Router } from '../../src/topology/routing/router.js';
import { topologyOf } from '../helpers/topologies.js';

const PEAK = 989.4e12;

describe.each(['wasm', 'ts'] as const)('%s engine', (engine) => {
  const topo = topologyOf({ servers: [{ template: 'dgx-h100' }] });
  const router = new Router(topo);

  test('2,000 kernels of 2 µs, 5 µs launches: 10.002 ms; as a CUDA graph per iteration: 4.005 ms', () => {
    // 200 iterations × 10 kernels. Eager: launches in program order bound the step:
    // 2000 × 5 µs + the last kernel. Graph: iteration i's single launch (5 µs) is done long
    // before iteration i−1's 10 kernels (20 µs) end, so only the first launch shows: 5 µs + 4 ms.
    const ops = Array.from({ length: 10 }, (_, i) => ({ id: `k${i}`, type: 'compute', flops: 2e-6 * PEAK }));
    const eager = parseWorkload({ ranks: 1, iterations: 200, ops });
    expect(runWorkload(eager, topo, router, { engine }).summary.makespanSec).toBeCloseTo(2000 * 5e-6 + 2e-6, 9);
    expect(runWorkload({ ...eager, graph: true }, topo, router, { engine }).summary.makespanSec).toBeCloseTo(5e-6 + 2000 * 2e-6, 9);
  });

  test('every collective type runs inside a workload with its own default algorithm', () => {
    // 1 MB alltoall (direct) then a 1 MB broadcast (chain) over 8 ranks; HBM is far from binding,
    // so each takes what it takes alone. The all-to-all starts after its launch (5 µs) and takes
    // its time alone (NCCL's parts at half a CTA's rate: about 7 µs); the broadcast starts when
    // both it and its own launch (done at 10 µs) are done, and ends its time alone later.
    const w = parseWorkload({ ops: [{ id: 'x', type: 'collective', op: 'alltoall', bytes: '1MB' }, { id: 'b', type: 'collective', op: 'broadcast', bytes: '1MB', after: ['x'] }] });
    const r = runWorkload(w, topo, router, { engine }).summary;
    const comm = defaultCommunicator(topo);
    // the all-to-all runs as NCCL's grouped sends with its point-to-point plan (nccl-p2p.ts)
    const alone = (op: 'alltoall', algorithm: 'direct') => runCollective(topo, router, comm, op, 1e6, p2pNetworkOptions(topo, comm, op, 1e6, { ...DEFAULT_COLLECTIVE_OPTIONS, algorithm }), engine).makespanSec;
    // the broadcast is NCCL's (a chain with ring/Simple's or LL's latencies and its base latency)
    const plan = ncclWorkloadPlan(topo, comm, 'broadcast', 1e6, DEFAULT_COLLECTIVE_OPTIONS, 'auto')!;
    expect(plan.options.algorithm).toBe('chain');
    const broadcast = runCollective(topo, router, comm, 'broadcast', 1e6, plan.options, engine).makespanSec;
    expect(r.commSec).toBeCloseTo(alone('alltoall', 'direct') + broadcast, 12);
    expect(r.makespanSec).toBeCloseTo(Math.max(10e-6, 5e-6 + alone('alltoall', 'direct')) + broadcast, 12);
  });

  test('a kernel, then an all-reduce on every rank: the collective starts when all ranks are ready', () => {
    // Each of the 8 ranks: launch (5 µs) → 1 ms kernel; the collective's launch is done long
    // before, so the all-reduce starts at 5 µs + 1 ms on every rank and the step ends when it does.
    const w = parseWorkload({
      ops: [
        { id: 'k', type: 'compute', flops: 1e-3 * PEAK },
        { id: 'ar', type: 'collective', op: 'all_reduce', bytes: '256MiB', algo: 'ring', after: ['k'] },
      ],
    });
    const r = runWorkload(w, topo, router, { engine }).summary;
    expect(r.ranks).toBe(8);
    expect(r.computeSec).toBeCloseTo(1e-3, 12);
    // a ring all-reduce of 256 MiB on NVSwitch: at least 14 steps of 32 MiB at 360 GB/s.
    expect(r.commSec).toBeGreaterThan((14 * 2 ** 25) / 360e9);
    expect(r.makespanSec).toBeCloseTo(5e-6 + 1e-3 + r.commSec, 9);
  });
});
