// A collective scenario's sizes at the analytical fidelity: NCCL's closed form for its tuner's
// pick (latency + size / bandwidth), no graph; the host's launch floor under it; and a clear
// error where NCCL does not run the collective.
import { describe, expect, it } from 'vitest';
import { ncclSystem } from '../../src/collective/nccl-topology.js';
import { estimate } from '../../src/collective/nccl-tuner.js';
import { collectiveRows } from '../../src/scenario/collective-sizes.js';
import { readCollectiveScenario } from '../../src/scenario/collective-scenario.js';
import { buildSystem } from '../../src/scenario/system-source.js';

const system = buildSystem({ ref: 'dgx-h100' });
const rows = async (doc: Record<string, unknown>) => (await collectiveRows(system, readCollectiveScenario({ fidelity: 'analytical', ...doc }))).rows;

describe('analytical fidelity', () => {
  it('8 B all-reduce on one DGX H100: ring/LL, base 6.6 µs + 2·7 NVLink hops of 0.6 µs = 15.0 µs', async () => {
    const [r] = await rows({ op: 'all_reduce', bytes: 8 });
    expect([r.algo, r.proto]).toEqual(['ring', 'LL']);
    expect(r.timeUs).toBeCloseTo(15.0, 2);
  });

  it("8 MiB: the time is the tuner's estimate of its pick, and busbw is algbw × 2(n − 1)/n", async () => {
    const { stats, rows: [r] } = await collectiveRows(system, readCollectiveScenario({ op: 'all_reduce', bytes: '8M', fidelity: 'analytical' }));
    const sys = ncclSystem(system.topo, { nodes: Int32Array.from(system.topo.nodesOfKind('accelerator'), (n) => n.index) });
    expect(r.timeUs).toBe(estimate(sys, 'all_reduce', r.algo as 'nvls', r.proto as 'Simple', 8 * 2 ** 20).timeUs);
    expect(r.busbwGBps).toBeCloseTo((r.algbwGBps * 14) / 8, 9);
    expect(stats[0]).toEqual({ operations: 0, events: 0, solves: 0 });
  });

  it("-g 8: operations repeat no faster than 8 launches of 3.95 µs (31.6 µs) above the kernel's 15.0", async () => {
    const [r] = await rows({ op: 'all_reduce', bytes: 8, gpusPerThread: 8 });
    expect(r.timeUs).toBeCloseTo(31.6, 9);
  });

  it('an all-to-all (NCCL runs it point to point) is refused, naming the field', async () => {
    await expect(rows({ op: 'alltoall', bytes: '1M' })).rejects.toThrow(/^collective\.fidelity: analytical needs a collective NCCL runs/);
    expect(() => readCollectiveScenario({ op: 'all_reduce', bytes: 8, fidelity: 'exact' })).toThrow('collective.fidelity: must be flow or analytical, got "exact"');
  });
});
