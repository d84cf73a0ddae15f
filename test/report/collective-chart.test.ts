// A collective's charts (src/report/collective-chart.ts): one line through every size, its points
// shaped by the algorithm and protocol chosen there, and --compare's alternatives dashed.
import { describe, expect, test } from 'vitest';
import { renderChart } from '../../src/report/chart-render.js';
import { collectiveCharts } from '../../src/report/collective-chart.js';
import type { CollectiveRow } from '../../src/report/nccl-table.js';
import { axisLabels, itemsOf, layerOf, rowsOf, tooltipsOf } from '../helpers/charts.js';

const row = (sizeBytes: number, busbwGBps: number, algo: string, proto = ''): CollectiveRow => ({ sizeBytes, count: sizeBytes / 4, type: 'float', redop: 'sum', root: -1, timeUs: sizeBytes / 1e3, algbwGBps: busbwGBps / 1.75, busbwGBps, algo, proto });

describe('collective charts', () => {
  const rows = [row(8, 0.01, 'ring', 'LL'), row(1 << 10, 1, 'ring', 'LL'), row(1 << 20, 200, 'nvls', 'Simple'), row(1 << 30, 457, 'nvls', 'Simple')];

  test('one line over every size, the choice at each size its group; labelled where a choice starts', async () => {
    const { busbw, time } = collectiveCharts(rows);
    expect(rowsOf(busbw, 'points').map((p) => [p.series, p.x, p.y, p.group])).toEqual([
      ['chosen per size', 8, 0.01, 'ring/LL'],
      ['chosen per size', 1024, 1, 'ring/LL'],
      ['chosen per size', 1 << 20, 200, 'nvls/Simple'],
      ['chosen per size', 1 << 30, 457, 'nvls/Simple'],
    ]);
    expect(rowsOf(busbw, 'group_starts').map((g) => g.group)).toEqual(['ring/LL', 'nvls/Simple']);
    // time per operation: timeUs = size / 1000 µs, on a log axis
    expect(rowsOf(time, 'points').map((p) => p.y)).toEqual([8e-9, 1.024e-6, 1.048576e-3, 1.073741824]);
    expect(layerOf(time, 'points').encoding.y.scale.type).toBe('log');
    const svg = await renderChart(busbw);
    expect(itemsOf(svg, 'lines')).toHaveLength(1);
    expect(tooltipsOf(svg, 'points')).toEqual(['chosen per size (ring/LL): 8B, 0.01 GB/s', 'chosen per size (ring/LL): 1KiB, 1 GB/s', 'chosen per size (nvls/Simple): 1MiB, 200 GB/s', 'chosen per size (nvls/Simple): 1GiB, 457 GB/s']);
    // 8 B … 1 GiB: 2^3 … 2^30, a tick every power of 4 from 2^4
    expect(axisLabels(svg)[0][0]).toBe('16B');
    const timeSvg = await renderChart(time);
    // 8 ns … 1.07 s: decades 1 ns … 10 s
    expect(axisLabels(timeSvg)[1]).toEqual(['1ns', '10ns', '100ns', '1us', '10us', '100us', '1ms', '10ms', '100ms', '1s', '10s']);
  });

  test('one algorithm at every size names the line; alternatives (--compare) are dashed lines beside the bold choice', async () => {
    const ring = [row(8, 1, 'ring', 'LL'), row(64, 2, 'ring', 'LL')];
    const { busbw } = collectiveCharts(ring, [{ name: 'tree', rows: [row(8, 0.5, 'tree', 'LL'), row(64, 3, 'tree', 'LL')] }]);
    expect([...new Set(rowsOf(busbw, 'lines').map((p) => `${p.series} ${p.style}`))]).toEqual(['ring/LL bold', 'tree dashed']);
    const svg = await renderChart(busbw);
    expect(itemsOf(svg, 'lines')).toHaveLength(2);
    // the dashed alternative draws no points
    expect(itemsOf(svg, 'points')).toHaveLength(2);
  });
});
