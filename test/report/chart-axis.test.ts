// The charts' axes (src/report/chart-axis.ts): round linear ticks, log ticks over whole powers,
// and tick labels in fairway's units that vega looks up by value.
import { describe, expect, test } from 'vitest';
import { CHART_CONFIG, extent, labelledTicks, linearTicks, logTicks, niceMax } from '../../src/report/chart-axis.js';
import { renderChart } from '../../src/report/chart-render.js';
import { axisLabels } from '../helpers/charts.js';

describe('chart axes', () => {
  test('niceMax: the next 1, 2 or 5 × 10^k', () => {
    expect([niceMax(467), niceMax(1000), niceMax(0.03), niceMax(0), niceMax(120)]).toEqual([500, 1000, 0.05, 1, 200]);
  });

  test('linear ticks: steps of niceMax(top / 5) up to the first at or past the top', () => {
    // 450 / 5 = 90 → steps of 100, 0 … 500; 0.135 / 6 = 0.0225 → steps of 0.05, 0 … 0.15 (no float dust)
    expect(linearTicks(450)).toEqual([0, 100, 200, 300, 400, 500]);
    expect(linearTicks(0.135, 6)).toEqual([0, 0.05, 0.1, 0.15]);
    expect(linearTicks(0)).toEqual([0, 1]);
  });

  test('log ticks: base 2 every power of 4 over whole powers (of 2 under 4 doublings); base 10 decades, with 2 and 5 over two or fewer', () => {
    // 8 B … 8 GiB: 2^3 … 2^33, ticks at even powers 2^4 … 2^32
    const sizes = logTicks(8, 2 ** 33, 2);
    expect(sizes.domain).toEqual([8, 2 ** 33]);
    expect(sizes.ticks).toEqual(Array.from({ length: 15 }, (_, k) => 2 ** (4 + 2 * k)));
    expect(logTicks(4, 16, 2).ticks).toEqual([4, 8, 16]);
    // 14 ms … 900 ms: decades 10 ms … 1 s, with 20, 50, 200, 500 ms between
    expect(logTicks(0.014, 0.9, 10)).toEqual({ domain: [0.01, 1], ticks: [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1] });
    // 1 µs … 1 ms: three decades, no steps between
    expect(logTicks(1e-6, 1e-3, 10).ticks).toEqual([1e-6, 1e-5, 1e-4, 1e-3]);
  });

  test('labelled ticks: vega draws each tick with the label given for its value', async () => {
    const ticks = labelledTicks([0, 0.5, 1], (v) => `${v * 100}%`);
    expect(ticks.values).toEqual([0, 0.5, 1]);
    const svg = await renderChart({ config: CHART_CONFIG, width: 200, height: 100, data: { values: [{ x: 0.25, y: 1 }] }, mark: 'point', encoding: { x: { field: 'x', type: 'quantitative', scale: { domain: [0, 1] }, axis: ticks }, y: { field: 'y', type: 'quantitative', axis: labelledTicks([0, 1], (v) => `${v} s`) } } });
    expect(axisLabels(svg)).toEqual([['0%', '50%', '100%'], ['0 s', '1 s']]);
  });

  test('extent: least and largest without spreading', () => {
    expect(extent([3, -1, 2])).toEqual([-1, 3]);
    expect(extent([])).toEqual([Infinity, -Infinity]);
  });
});
