// The simulate report's views of a run: kernels on the roofline (src/report/kernel-roofline.ts,
// roofline-chart.ts), a rank's timeline (rank-timeline.ts) and link utilization per fabric tier
// (tier-utilization.ts), on small workloads whose numbers follow by hand.
import { describe, expect, test } from 'vitest';
import { parseWorkload } from '../../src/io/workload-file.js';
import { kernelRoofline } from '../../src/report/kernel-roofline.js';
import { rankTracks, timelineChart } from '../../src/report/rank-timeline.js';
import { rooflineChart } from '../../src/report/roofline-chart.js';
import { tierUtilization } from '../../src/report/tier-utilization.js';
import { runWorkload } from '../../src/sim/workload-run.js';
import { Router } from '../../src/topology/routing/router.js';
import { renderChart } from '../../src/report/chart-render.js';
import { axisLabels, itemsOf, layerOf, rowsOf, tooltipsOf } from '../helpers/charts.js';
import { topologyOf } from '../helpers/topologies.js';

// H100 SXM: 989.4 TFLOP/s BF16, 1,978.9 FP8, 3.35 TB/s HBM (hardware/devices.ts)
const PEAK = 989.4e12, HBM = 3.35e12;
const topo = topologyOf({ servers: [{ template: 'dgx-h100' }] });
const router = new Router(topo);

describe('kernels on the roofline', () => {
  // one rank, no launch cost: two kernels of 1 TFLOP and 1 GB one after the other (each alone:
  // max(1e12 / PEAK, 1e9 / HBM) = 1.0107 ms, math-bound), then a copy-like kernel of 3.35 GB and
  // no FLOPs (1 ms at HBM's rate)
  const spec = parseWorkload({
    ranks: 1,
    launch: 0,
    ops: [
      { id: 'gemm1', type: 'compute', flops: 1e12, bytes: 1e9, efficiency: 1 },
      { id: 'gemm2', type: 'compute', flops: 1e12, bytes: 1e9, efficiency: 1, after: ['gemm1'] },
      { id: 'copy', type: 'compute', bytes: 3.35e9, efficiency: 1, after: ['gemm2'] },
    ],
  });
  const w = runWorkload(spec, topo, router);
  const r = kernelRoofline(spec, w, topo, 0)!;

  test('kernels of one kind are one point: 2 × 1 TFLOP at intensity 1,000 reached the BF16 peak; the FLOP-less one is counted apart', () => {
    expect(r.accelerator).toBe('h100-sxm');
    expect(r.peaks).toEqual([{ dtype: 'bf16', flopsPerSec: PEAK }, { dtype: 'fp8', flopsPerSec: 1978.9e12 }]);
    expect(r.kernels).toHaveLength(1);
    const k = r.kernels[0];
    expect(k).toMatchObject({ name: 'gemm#', dtype: 'bf16', flops: 1e12, bytes: 1e9, count: 2 });
    expect(k.seconds).toBeCloseTo((2 * 1e12) / PEAK, 12);
    expect((k.flops * k.count) / k.seconds).toBeCloseTo(PEAK, 0);
    expect(r.memoryOnly.count).toBe(1);
    expect(r.memoryOnly.seconds).toBeCloseTo(3.35e9 / HBM, 12);
  });

  test('the chart draws a roof per data type and a dot per kind, with its numbers in the tooltip', async () => {
    const spec = rooflineChart(r);
    // the ridges: 989.4 / 3.35 = 295 and 1978.9 / 3.35 = 591 FLOPs per byte; x over whole decades 10 … 10,000
    // (a decade either side of the farther ridge); y from 10^12 (3 decades under the fp8 peak) to 10^16
    const roofs = rowsOf(spec, 'roofs');
    expect(roofs.filter((p) => p.dtype === 'bf16').map((p) => [p.ai, p.flops])).toEqual([[10, 10 * HBM], [PEAK / HBM, PEAK], [10_000, PEAK]]);
    expect((spec as { encoding: { x: { scale: { domain: number[] } }; y: { scale: { domain: number[] } } } }).encoding.x.scale.domain).toEqual([10, 10_000]);
    expect((spec as { encoding: { y: { scale: { domain: number[] } } } }).encoding.y.scale.domain).toEqual([1e12, 1e16]);
    // the one kind: at intensity 1e12 / 1e9 = 1000, reaching the BF16 peak, all the kernel time: radius 3 + 14 = 17 px (a symbol of size (2 × 17)²)
    const [k] = rowsOf(spec, 'kernels');
    expect(k.ai).toBe(1000);
    expect(k.flops).toBeCloseTo(PEAK, 0);
    expect(k.size).toBe(34 * 34);
    const svg = await renderChart(spec);
    expect(itemsOf(svg, 'roofs')).toHaveLength(2);
    expect(itemsOf(svg, 'kernels')[0]).toContain('d="M17,0A17,17,0,1,1,-17,0');
    expect(tooltipsOf(svg, 'kernels')).toEqual(['gemm# (bf16) ×2: 1TFLOP and 954MiB each, intensity 1000, 989TFLOP/s, 100.0% of kernel time']);
    expect(itemsOf(svg, 'peak_labels').map((e) => />([^<]*)<\/text>/.exec(e)![1])).toEqual(['bf16 peak 989TFLOP/s', 'fp8 peak 1.98PFLOP/s']);
    expect(await renderChart(rooflineChart(r))).toBe(svg);
  });

  test('a rank with no kernel of FLOPs has no roofline', () => {
    const copies = parseWorkload({ ranks: 1, ops: [{ id: 'c', type: 'compute', bytes: 1e9 }] });
    expect(kernelRoofline(copies, runWorkload(copies, topo, router), topo, 0)).toBeNull();
  });
});

describe('a rank timeline', () => {
  // launches of 5 µs on the host thread, then two 1 ms kernels on the compute stream
  const spec = parseWorkload({ ranks: 1, launch: '5us', ops: [{ id: 'k1', type: 'compute', flops: 1e-3 * PEAK }, { id: 'k2', type: 'compute', flops: 1e-3 * PEAK, after: ['k1'] }] });
  const w = runWorkload(spec, topo, router);
  const tracks = rankTracks(spec, w, 0);

  test('each track holds its operations from start to finish', () => {
    const compute = tracks.find((t) => t.spans.some((s) => s.label === 'k1'))!;
    expect(compute.spans.map((s) => s.label)).toEqual(['k1', 'k2']);
    // k1 starts after its launch (5 µs), k2 right after k1 (its launch was done at 10 µs)
    expect(compute.spans[0].start).toBeCloseTo(5e-6, 12);
    expect(compute.spans[1].end).toBeCloseTo(5e-6 + 2e-3, 12);
    const host = tracks.find((t) => t.spans.every((s) => s.label === 'launch'))!;
    expect(host.spans).toHaveLength(2);
  });

  test('adjacent bars of one kind closer than half a pixel merge, and say how many they hold', async () => {
    const svg = await renderChart(timelineChart(tracks, w.run.makespanSec));
    // k1 and k2 touch: one bar on the compute row; the two launches (5 µs each, 0.005 of the run) touch too: one bar
    expect(tooltipsOf(svg, 'spans')).toEqual(['2 host thread operations, launch … launch, 10us in all from 0', '2 kernel operations, k1 … k2, 2ms in all from 5us']);
    // 1 s apart over a 3 s run: two bars, each a third of the 740 px plot
    const apart = timelineChart([{ name: 's', spans: [{ start: 0, end: 1, category: 0, label: 'a' }, { start: 2, end: 3, category: 0, label: 'b' }] }], 3);
    expect(rowsOf(apart, 'spans').map((s) => [s.start, s.end])).toEqual([[0, 1], [2, 3]]);
    const drawn = await renderChart(apart);
    expect(itemsOf(drawn, 'spans').map((e) => +Number(/d="M[^h]*h([^v]*)v/.exec(e)![1]).toFixed(3))).toEqual([246.667, 246.667]);
    expect(axisLabels(drawn)[0]).toEqual(['0', '500ms', '1s', '1.5s', '2s', '2.5s', '3s']);
  });
});

describe('link utilization per fabric tier', () => {
  test('1 GB sends from each GPU of one DGX H100 to its peer in another: 8 rails, each GB on one NIC → leaf and one leaf → NIC direction', () => {
    const two = topologyOf({ servers: [{ template: 'dgx-h100', count: 2 }], fabric: { type: 'rail-optimized', radix: 64 } });
    // groups of 2 ranks 8 apart (acc i of each server): rank i sends 1 GB to rank i + 8, over rail i
    const spec = parseWorkload({ ops: [{ id: 's', type: 'send', bytes: 1e9, peer: 1, group: { size: 2, stride: 8 } }, { id: 'r', type: 'recv', bytes: 1e9, peer: -1, group: { size: 2, stride: 8 } }] });
    const w = runWorkload(spec, two, new Router(two));
    const tiers = tierUtilization(w.expanded.dag, w.run, two, new Router(two));
    const byTier = Object.fromEntries(tiers.map((t) => [t.tier, t]));
    // the send crosses the sender's PCIe (GPU → switch → NIC) and the receiver's, and the rail leaf: 1 GB on each link direction it uses
    expect(Object.keys(byTier)).toContain('scale-up');
    const net = tiers.filter((t) => t.bytes > 0 && t.tier !== 'host');
    expect(net.length).toBeGreaterThan(0);
    for (const t of tiers) {
      expect(t.directions % 2).toBe(0);
      expect(t.maxUtilization).toBeGreaterThanOrEqual(t.meanUtilization);
      if (t.bytes > 0) expect(t.bytes % 1e9).toBe(0);
    }
    const fabric = tiers.find((t) => t.tier !== 'host' && t.tier !== 'scale-up' && t.bytes > 0)!;
    // each rail's NIC → leaf and leaf → NIC directions carry its GB: 16 directions, 16 GB
    expect(fabric.bytes).toBe(16e9);
    expect(fabric.used).toBe(16);
    expect(fabric.maxUtilization).toBeCloseTo(1e9 / (two.links.find((l) => l.tier === fabric.tier)!.bytesPerSec * w.run.makespanSec), 9);
  });
});
