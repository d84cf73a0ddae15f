// Sweep files: base documents read from files (a workload bringing its own topology), shipped
// names and builder specs; every problem listed with its path.
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { parseSweep, parseSweepText } from '../../src/io/sweep-file.js';
import { readInputText } from '../../src/io/read-text.js';
import { runPoint } from '../../src/parallel/sweep-worker.js';
import { sweepPoints } from '../../src/sweep/spec.js';
import { problems as thrown } from '../helpers/problems.js';

const file = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));

describe('sweep files', () => {
  test('a workload base brings its topology; grid points override fields of both', async () => {
    const f = file('sweeps/loader-workers.yaml');
    const spec = parseSweepText(readInputText(f, 'sweep'), f);
    expect(spec.base.topology).toMatchObject({ name: 'dgx-h100-1node-nvme', servers: [{ template: 'dgx-h100', storage: 2 }] });
    expect(sweepPoints(spec)).toHaveLength(12);
    // 1 iteration, 16 workers per GPU on the 96-core EPYC: 8 × 16 = 128 decode threads share 192 cores
    const point = sweepPoints(spec)[9];
    expect(point.overrides).toEqual([['topology.servers[0].cpu', 'epyc-9654'], ['workload.ops[0].workers', 16]]);
    const r = await runPoint(spec.base, [...point.overrides, ['workload.iterations', 1]]);
    expect(r.ok).toBe(true);
    // each worker loads 256 / 16 = 16 images: 20 ms decode (cores are not short: 64 threads per
    // 96-core socket) + a 150 KB read from the socket's drive shared by 64 readers
    // (64 × 150 KB / 6.3 GB/s = 1.52 ms) + 80 µs latency ≈ 21.6 ms each, ≈ 346 ms before the step can start.
    expect(Number(r.metrics!.inputStallMs)).toBeGreaterThan(340);
    expect(Number(r.metrics!.inputStallMs)).toBeLessThan(350);
  });

  test('grid and listed points over an inline topology and a training plan (the NIC × fabric × TP example)', async () => {
    const f = file('sweeps/train-nic-fabric.yaml');
    const spec = parseSweepText(readInputText(f, 'sweep'), f);
    const points = sweepPoints(spec);
    expect(points).toHaveLength(12);
    expect(points[7].overrides).toEqual([['topology.servers[0].nic', 'connectx-6'], ['topology.fabric.oversubscription', 3], ['workload.training.tp', 8], ['workload.training.dp', 16]]);
    // ConnectX-6 at 1:1 and at 3:1 (a radix-16 leaf: 8 down and 8 up, or 12 down and 4 up): the
    // same kernels, but each server-facing link of a leaf has a third of an up-link behind it (4 up
    // for 12 down, against 8 for 8), so more of the data-parallel gradient traffic is exposed and
    // the step is longer
    const [full, thin] = await Promise.all([0, 1].map((i) => runPoint(spec.base, points[i].overrides)));
    expect([full.ok, thin.ok]).toEqual([true, true]);
    expect(Number(thin.metrics!.computeMs) / Number(full.metrics!.computeMs)).toBeCloseTo(1, 3);
    expect(Number(thin.metrics!.exposedCommMs)).toBeGreaterThan(1.2 * Number(full.metrics!.exposedCommMs));
    expect(Number(thin.metrics!.stepMs)).toBeGreaterThan(Number(full.metrics!.stepMs));
  }, 30_000);

  test('base.fidelity: flow or analytical beside a workload, refused with a collective or another value', () => {
    const workload = file('workloads/dp-step-overlap.yaml');
    const grid = { 'workload.iterations': [1, 2] };
    expect(parseSweep({ base: { workload, fidelity: 'analytical' }, grid }, 'sweep.yaml').base.fidelity).toBe('analytical');
    expect(thrown(() => parseSweep({ base: { workload, fidelity: 'fast' }, grid }, 'sweep.yaml'))).toEqual(['base.fidelity: must be flow or analytical, got "fast"']);
    expect(thrown(() => parseSweep({ base: { topology: 'dgx-h100', collective: { op: 'all_reduce', bytes: '1M' }, fidelity: 'flow' }, grid: { 'collective.bytes': ['1M'] } }, 'sweep.yaml'))).toEqual(['base.fidelity: a collective takes its fidelity in base.collective.fidelity']);
  });

  test('a serve base: a file whose relative request trace becomes absolute and whose topology becomes base.topology; inline in the shipped split sweep; no fidelity', () => {
    const fromFile = parseSweep({ base: { serve: file('serving/llama3-70b-h100-azure-conv.yaml') }, grid: { 'serve.tp': [4, 8] } }, file('sweeps/x.yaml'));
    expect((fromFile.base.serve as { load: { trace: string } }).load.trace).toBe(file('serving/traces/azure-llm-conv-2023.csv'));
    expect(fromFile.base.topology).toMatchObject({ servers: [{ template: 'dgx-h100' }] });
    const split = parseSweepText(readInputText(file('sweeps/serve-split.yaml'), 'sweep'), file('sweeps/serve-split.yaml'));
    expect(split.listed).toHaveLength(11);
    expect(split.base.topology).toMatchObject({ fabric: { type: 'rail-optimized' } });
    expect(split.base.serve).toMatchObject({ model: 'llama3-70b', disaggregated: { prefill: { instances: 1, tp: 8 }, decode: { instances: 1, tp: 8 } } });
    // without a topology anywhere a serve base is still whole: each point gets enough DGX H100s
    expect(parseSweep({ base: { serve: { model: 'llama3-8b', load: { kind: 'poisson', rate: 1, requests: 2, input: 8, output: 2 } } }, grid: { 'serve.tp': [1, 2] } }, 'sweep.yaml').base.topology).toBeUndefined();
    expect(thrown(() => parseSweep({ base: { serve: { model: 'llama3-8b' }, fidelity: 'flow' }, grid: { 'serve.tp': [1] } }, 'sweep.yaml'))).toEqual(['base.fidelity: a serve deployment has no fidelity (its steps are costed, its KV transfers simulated)']);
    expect(thrown(() => parseSweep({ base: { serve: { model: 'llama3-8b' } }, grid: { 'serve.topology': ['dgx-h100'] } }, 'sweep.yaml'))).toEqual(["grid.serve.topology: a serve deployment's topology is the sweep's: vary topology.* (or give base.topology)"]);
  });

  test('a training section as the base: points override the plan (the TP-overlap example)', async () => {
    const f = file('sweeps/tp-overlap.yaml');
    const spec = parseSweepText(readInputText(f, 'sweep'), f);
    const points = sweepPoints(spec);
    expect(points).toHaveLength(6);
    // tp 8 × dp 16 with and without overlap: the same kernels, a little slower overlapped (the TP
    // collectives' NCCL channels hold SMs and their traffic shares HBM while the GEMMs run);
    // overlapping hides TP traffic, so the step is shorter
    const [plain, over] = await Promise.all([4, 5].map((i) => runPoint(spec.base, points[i].overrides)));
    expect([plain.ok, over.ok]).toEqual([true, true]);
    const slower = Number(over.metrics!.computeMs) / Number(plain.metrics!.computeMs);
    expect(slower).toBeGreaterThan(1);
    expect(slower).toBeLessThan(1.15);
    expect(Number(over.metrics!.stepMs)).toBeLessThan(Number(plain.metrics!.stepMs));
    expect(Number(over.metrics!.exposedCommMs)).toBeLessThan(Number(plain.metrics!.exposedCommMs));
  }, 60_000);

  test('shipped names and builder specs become documents', () => {
    expect(parseSweep({ base: { topology: 'dgx-h100-1node', collective: { op: 'all_reduce', bytes: 8 } }, points: [{ 'collective.bytes': 16 }] }, 'x.yaml').base.topology).toMatchObject({ name: 'dgx-h100-1node' });
    expect(parseSweep({ base: { topology: 'fat-tree:k=4', collective: { op: 'all_reduce', bytes: 8 } }, points: [{ 'collective.bytes': 16 }] }, 'x.yaml').base.topology).toMatchObject({ fabric: { type: 'fat-tree', k: 4 } });
  });

  test('every problem is listed with its path', () => {
    const found = thrown(() => parseSweep({ base: { topology: 'nowhere-9', collective: { op: 'all_reduce' }, workload: { ops: [] }, extra: 1 }, grid: { 'collective.algo': [], 'fabric.k': [4] }, colour: 'red' }, 'x.yaml'));
    expect(found).toEqual(
      expect.arrayContaining([
        'colour: unknown field; expected one of: name, base, grid, points',
        'base.extra: unknown field; expected one of: topology, collective, workload, serve, fidelity',
        expect.stringMatching(/^base\.topology: "nowhere-9" is not a file/),
        'base: give exactly one of collective, workload and serve',
        'grid.collective.algo: must be a non-empty list of values',
        'grid.fabric.k: paths start with topology, collective, workload, serve, fidelity',
      ]),
    );
  });
});
