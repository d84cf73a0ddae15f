// Symmetric reduction of a training step: which ranks are simulated and which they stand for,
// when a system is not symmetric enough, and that the reduced run gives the full run's step
// time and per-rank breakdown.
import { describe, expect, test } from 'vitest';
import { parseTopology } from '../../../src/io/topology-file.js';
import { runScenario } from '../../../src/scenario/run-scenario.js';
import { buildTopology } from '../../../src/topology/build.js';
import { asymmetry, blockSpread, reductionFactor, representativeOf, symmetricBlock, symmetryIn } from '../../../src/workload/generators/symmetry.js';
import { DEFAULT_PLAN, trainingWorkload } from '../../../src/workload/generators/transformer.js';
import { MODELS } from '../../../src/workload/generators/models.js';
import { ACCELERATOR_SPECS } from '../../../src/hardware/index.js';

const plan = (p: Partial<typeof DEFAULT_PLAN>) => ({ ...DEFAULT_PLAN, ...p });
const topo = (doc: Record<string, unknown>) => buildTopology(parseTopology(doc));

describe('which ranks stand for which', () => {
  test('tp 8, dp 4, pp 2: a stage is 32 ranks, its first 8 (one replica) are simulated', () => {
    const p = plan({ tp: 8, dp: 4, pp: 2 });
    expect([symmetricBlock(p), reductionFactor(p)]).toEqual([8, 4]);
    // rank 13 = tp rank 5 of replica 1, stage 0 → rank 5; rank 45 = the same in stage 1 → 32 + 5
    expect([representativeOf(p, 5), representativeOf(p, 13), representativeOf(p, 45)]).toEqual([5, 5, 37]);
  });

  test('tp 2, ep 4, dp 8: an expert-parallel group spans 4 replicas, so blocks are tp·ep = 8 ranks, 2 of them', () => {
    const p = plan({ tp: 2, ep: 4, dp: 8 });
    expect([symmetricBlock(p), reductionFactor(p), representativeOf(p, 11)]).toEqual([8, 2, 3]);
  });
});

describe("'auto' (the default)", () => {
  test('on from 4,096 ranks with two replica blocks or more; true and false as given', () => {
    expect(symmetryIn(plan({ tp: 8, pp: 8, dp: 63 }))).toBe(false); // 4,032 ranks
    expect(symmetryIn(plan({ tp: 8, pp: 8, dp: 64 }))).toBe(true); // 4,096
    expect(symmetryIn(plan({ tp: 8, pp: 8, dp: 64, ep: 64 }))).toBe(false); // one replica block
    expect(symmetryIn(plan({ tp: 8, dp: 2, symmetric: true }))).toBe(true);
    expect(symmetryIn(plan({ tp: 8, pp: 8, dp: 64, symmetric: false }))).toBe(false);
  });
});

describe('asymmetry', () => {
  const rail = { type: 'rail-optimized', radix: 16 };
  test('alike DGX H100 on a non-blocking rail fabric are symmetric', () => {
    expect(asymmetry(topo({ servers: [{ template: 'dgx-h100', count: 4 }], fabric: rail }))).toBeNull();
  });
  test('mixed accelerators, mixed NICs and an oversubscribed fabric are not, with the reason', () => {
    expect(asymmetry(topo({ servers: [{ template: 'dgx-h100', name: 'a', count: 2 }, { template: 'hgx-h200', name: 'b', count: 2 }], fabric: rail }))).toMatch(/^the accelerators differ \(h100-sxm, h200\)/);
    expect(asymmetry(topo({ servers: [{ template: 'dgx-h100', name: 'a', count: 2 }, { template: 'dgx-h100', name: 'b', count: 2, nic: 'connectx-6' }], fabric: rail }))).toMatch(/links of tier .* differ in bandwidth or latency/);
    // 4 servers on radix-8 rail leaves asked 3:1: each leaf has 4 links down, 2 up (2:1)
    expect(asymmetry(topo({ servers: [{ template: 'dgx-h100', count: 4 }], fabric: { type: 'rail-optimized', radix: 8, oversubscription: 3 } }))).toMatch(/^the fabric is oversubscribed at leaf0 \(2\.00:1 down to up\)/);
  });
});

describe('blockSpread', () => {
  test('a block inside one NVLink domain can stand for the others; one over two cannot, with the reason', () => {
    // 8 GPUs a domain: tp 2 · ep 4 = 8 ranks stay in domain 0; tp 2 · ep 8 = 16 ranks span 2
    const domain = (r: number) => Math.floor(r / 8);
    expect(blockSpread(plan({ tp: 2, ep: 4, dp: 8 }), domain)).toBeNull();
    expect(blockSpread(plan({ tp: 2, ep: 8, dp: 16 }), domain)).toMatch(/^a replica block \(ranks 0-15, its TP, CP and EP groups\) spans 2 NVLink domains/);
  });
});

describe('a reduced run against the full one', () => {
  const run = async (parallel: string, system: string) => {
    const notes: string[] = [];
    const r = await runScenario({ topology: { ref: system }, workload: { source: { model: 'llama3.2-1b', parallel }, monitor: false } }, { onNotes: (n) => notes.push(...n) });
    if (r.kind !== 'workload') throw new Error('not a workload');
    return { run: r.run, notes };
  };
  const P = 'tp=2,pp=2,dp=4,zero=1,seq=2048,globalBatch=32,microBatch=1';

  test('tp 2, pp 2, dp 4 on 2 DGX H100: the same step time and breakdown of every rank, from fewer operations', async () => {
    const full = await run(P, 'rail-optimized:template=dgx-h100,count=2,radix=16');
    const sym = await run(`${P},symmetric`, 'rail-optimized:template=dgx-h100,count=2,radix=16');
    expect(sym.notes[0]).toMatch(/^symmetric: 2 ranks of each stage simulated, standing for 4 alike replica blocks/);
    // within 0.5% (the replicas' pipeline sends are not on the fabric, so the FP32 gradient
    // reduce-scatters that share their links run unimpeded: 0.23% here)
    expect(Math.abs(sym.run.summary.stepSec / full.run.summary.stepSec - 1)).toBeLessThan(5e-3);
    full.run.perRank.forEach((b, r) => {
      const s = sym.run.perRank[r];
      for (const k of ['computeSec', 'exposedCommSec', 'idleSec'] as const) expect(Math.abs(s[k] - b[k]) / full.run.summary.stepSec).toBeLessThan(0.01);
    });
    expect(sym.run.summary.operations).toBeLessThan(full.run.summary.operations / 2);
  });

  test('a block over two DGX (tp 4 · cp 4 = 16 ranks): the full run happens, and the note says why', async () => {
    const sym = await run('tp=4,cp=4,dp=2,zero=1,seq=2048,globalBatch=8,microBatch=1,symmetric', 'rail-optimized:template=dgx-h100,count=4,radix=16');
    expect(sym.notes[0]).toMatch(/^symmetric: off, every rank simulated: a replica block \(ranks 0-15, its TP, CP and EP groups\) spans 2 NVLink domains/);
  });

  test('on an oversubscribed fabric the full run happens, and the note says why', async () => {
    const sym = await run(`${P},symmetric`, 'rail-optimized:template=dgx-h100,count=4,radix=8,oversubscription=3');
    const full = await run(P, 'rail-optimized:template=dgx-h100,count=4,radix=8,oversubscription=3');
    expect(sym.notes[0]).toMatch(/^symmetric: off, every rank simulated: the fabric is oversubscribed/);
    expect(sym.run.summary.operations).toBe(full.run.summary.operations);
  });

  test('fewer than two replica blocks is an input error naming training.symmetric', () => {
    const mixtral = MODELS.get('mixtral-8x7b')!;
    expect(() => trainingWorkload(mixtral, plan({ dp: 8, ep: 8, globalBatch: 8, symmetric: true }), ACCELERATOR_SPECS.get('h100-sxm')!, false)).toThrow(/^training\.symmetric: symmetric reduction needs at least two alike replica blocks: the stage's 8 ranks over the 8 of a block/);
  });
});
