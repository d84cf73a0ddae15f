// A serving deployment as a sweep point: the scenario document's `serve:` runs through
// runScenario and comes back as one row of metrics, the same figures `fairway serve` reports for
// the same deployment; null overrides turn the disaggregated example into the colocated one.
import { describe, expect, test } from 'vitest';
import { readServeFile } from '../../src/io/serve-file.js';
import { parseSweepText } from '../../src/io/sweep-file.js';
import { readFileSync } from 'node:fs';
import { runPoint } from '../../src/parallel/sweep-worker.js';
import { runServeDocument, runServeScenario } from '../../src/scenario/serve-scenario.js';
import { sweepPoints } from '../../src/sweep/spec.js';

const FILE = 'sweeps/serve-split.yaml';

describe('serve sweep points', () => {
  const spec = parseSweepText(readFileSync(FILE, 'utf8'), FILE);
  // a shorter load than the shipped 2,000 requests keeps the test quick; every point the same
  const short = { ...spec, base: { ...spec.base, serve: { ...(spec.base.serve as object), load: { kind: 'poisson', rate: 8, requests: 200, input: 3000, output: 300, seed: 1 } } } };

  test('the colocated point (disaggregated removed, 2 × TP8) gives what the colocated example file gives at the same load', async () => {
    const point = sweepPoints(short)[0];
    expect(point.overrides).toEqual([['serve.disaggregated', null], ['serve.instances', 2], ['serve.tp', 8]]);
    const r = await runPoint(short.base, point.overrides);
    expect(r.ok).toBe(true);
    const file = readServeFile('serving/llama3-70b-2x-dgx-h100-colocated.yaml');
    const load = { kind: 'poisson' as const, rate: 8, requests: 200, input: { fixed: 3000 }, output: { fixed: 300 }, seed: 1 };
    const direct = await runServeScenario({ ...file.spec, load }, { ref: file.topology! });
    const s = direct.summary;
    expect(r.metrics).toMatchObject({ gpus: 16, completed: 200, goodputPerSec: s.goodputPerSec, requestsPerSec: s.requestsPerSec, ttftP99Ms: s.ttftSec.p99 * 1e3, tpotP50Ms: s.tpotSec.p50 * 1e3, steps: s.steps, overloaded: s.overloaded ? 'yes' : 'no' });
    // goodput is the completed requests within both objectives per second of the run
    expect(s.goodputPerSec).toBeCloseTo(s.requestsPerSec * s.sloAttainment, 9);
  }, 30_000);

  test('a disaggregated split uses its pools: 4 × TP2 prefill and 1 × TP8 decode on the 16 GPUs', async () => {
    const point = sweepPoints(short)[10];
    const r = await runPoint(short.base, point.overrides);
    expect(r.ok).toBe(true);
    expect(r.metrics).toMatchObject({ gpus: 16, completed: 200 });
  }, 30_000);

  test('a split that needs more GPUs than the topology has fails as a point, naming the pools', async () => {
    const r = await runPoint(short.base, [['serve.disaggregated.decode.instances', 4]]);
    expect(r).toMatchObject({ ok: false });
    expect(r.error).toMatch(/needs 40 GPUs, but the topology has 16/);
  }, 30_000);

  test('expert parallelism needs an MoE model whose experts the tp divides', async () => {
    const base = { serve: { topology: 'dgx-h100', model: 'llama3-8b', tp: 2, expertParallel: true, load: { kind: 'poisson', rate: 1, requests: 2, input: 8, output: 2 } } };
    expect((await runPoint(base, [])).error).toMatch(/expertParallel: llama3-8b is a dense model/);
    // Mixtral's 8 experts over 3 ranks… tp 3 does not divide its 32 heads first; 16 ranks do divide the heads but not 8 experts
    const topo = 'rail-optimized:template=dgx-h100,count=2,radix=64';
    expect((await runPoint({ serve: { ...base.serve, topology: topo, model: 'mixtral-8x7b', tp: 16 } }, [])).error).toMatch(/expertParallel: tp 16 does not divide the model's 8 experts/);
  }, 30_000);

  test("swap preemption on a DGX H100 copies over the GPU's PCIe Gen5 x16 path to its socket's DRAM: 53.56 GB/s, the catalogue's 63.0 GB/s line rate at its efficiency", async () => {
    const doc = { topology: 'dgx-h100', model: 'llama3-8b', scheduler: { memoryUtilization: 0.25, preemption: 'swap' }, load: { kind: 'poisson', rate: 40, requests: 300, input: 2000, output: 600, seed: 1 } };
    const r = await runServeDocument(doc, '<inline>');
    const s = r.summary;
    expect(s.swapOuts).toBeGreaterThan(0);
    // a block: 16 tokens × 128 KiB (Llama 3 8B in BF16: 2 · 32 layers · 8 heads · 128 · 2 B); its copy at 53.56 GB/s
    const perBlock = (16 * 131_072) / 53.56307692307693e9;
    const blocks = r.run.instances[0].swapBlocks;
    expect(blocks % 2).toBe(0);
    expect(s.swapSec).toBeCloseTo(blocks * perBlock, 12);
  }, 60_000);

  test('pipeline stages: Llama 3 70B as TP8 × PP2 on two DGX H100 holds 40 layers a GPU (KV 2 · 40 · 1 · 128 · 2 B a token) and hands hidden states to the second server over its rail', async () => {
    const doc = { topology: 'rail-optimized:template=dgx-h100,count=2,radix=64', model: 'llama3-70b', tp: 8, pp: 2, load: { kind: 'poisson', rate: 1, requests: 4, input: 500, output: 4 } };
    const r = await runServeDocument(doc, '<inline>');
    expect(r.shape.pp).toBe(2);
    expect(r.shape.model.layers).toBe(40);
    expect(r.kvBytesPerToken).toBe(2 * 40 * 1 * 128 * 2);
    // GPU 0 → GPU 8 (dgx1/acc0) crosses the rail: its NIC's 400 Gb/s at the catalogue's efficiency is the bottleneck
    const { topo, router } = r.system;
    const accs = topo.nodesOfKind('accelerator');
    const route = router.route(accs[0].index, accs[8].index, 0);
    const slowest = Math.min(...Array.from(route.links, (d) => topo.links[d >> 1].bytesPerSec));
    expect(r.shape.stageSendSec!(8e6)).toBeCloseTo(8e6 / slowest + route.latencySec, 15);
    expect(Array.from(route.links, (d) => topo.links[d >> 1].type)).toContain('infiniband');
    expect(r.summary.completed).toBe(4);
    // TP4 × PP4: stages on GPUs 0–3, 4–7 (server 0), 8–11, 12–15 (server 1): boundary 0 stays on NVLink, boundary 1 crosses the rail
    const four = await runServeDocument({ ...doc, tp: 4, pp: 4 }, '<inline>');
    const [nvlink, rail] = [four.shape.stageSendSec!(8e6, 0), four.shape.stageSendSec!(8e6, 1)];
    const railRoute = router.route(accs[4].index, accs[8].index, 0);
    expect(rail).toBeCloseTo(8e6 / Math.min(...Array.from(railRoute.links, (d) => topo.links[d >> 1].bytesPerSec)) + railRoute.latencySec, 15);
    expect(nvlink).toBeLessThan(rail);
    // two TP2 × PP3 instances on three servers: instance 0 on dgx0's GPUs 0–5 stays on NVLink, instance 1's
    // first boundary (dgx0/acc6 → dgx1/acc0) crosses the rail: the same prompt takes longer there
    const split = await runServeDocument({ topology: 'rail-optimized:template=dgx-h100,count=3,radix=64', model: 'llama3-70b', instances: 2, tp: 2, pp: 3, precision: { weights: 'fp8' }, router: 'round-robin', load: { kind: 'poisson', rate: 0.01, requests: 2, input: 4000, output: 2 } }, '<inline>');
    const [a, b] = split.run.requests;
    expect(Array.from(split.run.instanceOf)).toEqual([0, 1]);
    expect(b.firstTokenSec - b.arrivalSec).toBeGreaterThan(a.firstTokenSec - a.arrivalSec);
  }, 30_000);

  test("data-parallel attention: the instance's all-to-alls are NCCL's alltoall simulated on its GPUs, as `fairway collective alltoall` gives them", async () => {
    const doc = { topology: 'dgx-h100', model: 'qwen3-30b-a3b', tp: 8, expertParallel: true, dataParallelAttention: true, precision: { weights: 'fp8', kvCache: 'fp8' }, load: { kind: 'poisson', rate: 5, requests: 20, input: 512, output: 16 } };
    const r = await runServeDocument(doc, '<inline>');
    const { readCollectiveScenario } = await import('../../src/scenario/collective-scenario.js');
    const { collectiveRows } = await import('../../src/scenario/collective-sizes.js');
    const ids = r.system.topo.nodesOfKind('accelerator').map((n) => n.id).join(',');
    const { rows } = await collectiveRows(r.system, readCollectiveScenario({ op: 'alltoall', minBytes: 1 << 20, maxBytes: 1 << 20, rankList: ids }));
    expect(r.shape.allToAllSec!(1 << 20)).toBeCloseTo(rows[0].timeUs * 1e-6, 12);
    expect(r.summary.completed).toBe(20);
  }, 60_000);
});

