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

describe('hooks: what a long run tells as it goes', () => {
  it('the stage of each size, then its operations finished so far, ending at all of them (the count a refusal would give)', async () => {
    const stages: string[] = [];
    const last = new Map<number, [number, number]>();
    const { stats } = await collectiveRows(system, readCollectiveScenario({ op: 'all_reduce', minBytes: '1M', maxBytes: '2M' }), 'wasm', {
      onStage: (text) => stages.push(text),
      onProgress: (i, sizes, finished, operations) => last.set(i, [finished, operations]),
    });
    expect(stages).toEqual(['size 1 of 2: 1048576 B on 8 ranks', 'size 2 of 2: 2097152 B on 8 ranks']);
    expect([...last.values()]).toEqual(stats.map((s) => [s.operations, s.operations]));
  });

  it('a size whose graph would not fit is refused before it is built, with its operations counted', async () => {
    const big = buildSystem({ ref: 'fat-tree:k=16' });
    const c = readCollectiveScenario({ op: 'all_reduce', bytes: '1M' });
    await expect(collectiveRows(big, c, 'wasm', { memory: { maxBytes: 1e9, usedBytes: () => 1e9 } })).rejects.toThrow(/^collective\.ranks: 1048576 B on 1,024 ranks is a graph of [\d,]+ operations: about [\d.]+ GB of memory with the topology, more than the 1\.0 GB allowed/);
    // room for it: it runs
    const { rows } = await collectiveRows(big, c, 'wasm', { memory: { maxBytes: 64e9, usedBytes: () => 1e9 } });
    expect(rows).toHaveLength(1);
  });

  it('auto outside NCCL (576 MI300X): algorithms that do not apply to the ranks are left out of the count, as the run skips them', async () => {
    // 72 servers: hier-hd and hd need a power of two, nvls a reducing switch; counting them threw before
    const mi300x = buildSystem({ ref: 'rail-optimized:template=mi300x,count=72,radix=64' });
    const { rows } = await collectiveRows(mi300x, readCollectiveScenario({ op: 'all_reduce', bytes: '1M' }), 'wasm', { memory: { maxBytes: 64e9, usedBytes: () => 0 } });
    expect(rows.map((r) => r.algo)).toEqual(['hier']);
  });
});
