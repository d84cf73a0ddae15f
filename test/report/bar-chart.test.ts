// Stacked bars (src/report/bar-chart.ts): segments in key order from each row's start, the axis
// to a round tick past the longest row, totals at the rows' ends, values inside wide segments.
import { describe, expect, test } from 'vitest';
import { stackedBars } from '../../src/report/bar-chart.js';
import { renderChart } from '../../src/report/chart-render.js';
import { axisLabels, itemsOf, layerOf, rowsOf, tooltipsOf } from '../helpers/charts.js';

const texts = (svg: string, name: string) => itemsOf(svg, name).map((e) => />([^<]*)<\/text>/.exec(e)![1]);

describe('stacked bars', () => {
  const spec = stackedBars(['compute', 'idle'], [{ label: 'r0', values: [3, 1] }, { label: 'r1', values: [1, 0.2] }, { label: 'r2', values: [0, 0] }], { unit: (v) => `${v}s`, xLabel: 'time' });

  test('segments from each row\'s start in key order; a row\'s total at its end; values ≤ 0 draw nothing', () => {
    expect(rowsOf(spec, 'segments').map((s) => [s.row, s.key, s.x0, s.x1])).toEqual([['r0', 'compute', 0, 3], ['r0', 'idle', 3, 4], ['r1', 'compute', 0, 1], ['r1', 'idle', 1, 1.2]]);
    expect(rowsOf(spec, 'totals').map((t) => [t.row, t.text])).toEqual([['r0', '4s'], ['r1', '1.2s'], ['r2', '0s']]);
    // ticks every niceMax(4 / 5) = 1 to 4, the longest row's end
    expect(layerOf(spec, 'segments').encoding.x.axis.values).toEqual([0, 1, 2, 3, 4]);
    // a value is written inside a segment of at least a tenth of the axis (0.4): not the 0.2 s one
    expect(rowsOf(spec, 'values').map((s) => s.text)).toEqual(['3s', '1s', '1s']);
  });

  test('vega draws a bar per segment, proportional over the 560 px plot, with tooltips; the totals and values as text', async () => {
    const svg = await renderChart(spec);
    // 140 px a second: 3 s = 420 px, 1 s = 140, 0.2 s = 28
    expect(itemsOf(svg, 'segments').map((e) => +Number(/d="M[^h]*h([^v]*)v/.exec(e)![1]).toFixed(3))).toEqual([420, 140, 140, 28]);
    expect(tooltipsOf(svg, 'segments')).toEqual(['r0, compute: 3s', 'r0, idle: 1s', 'r1, compute: 1s', 'r1, idle: 0.2s']);
    expect(texts(svg, 'totals')).toEqual(['4s', '1.2s', '0s']);
    expect(texts(svg, 'values')).toEqual(['3s', '1s', '1s']);
    expect(axisLabels(svg)[0]).toEqual(['0', '1s', '2s', '3s', '4s']);
  });

  test('a custom total: the share beside the value', () => {
    const s = stackedBars(['t'], [{ label: 'a', values: [2] }], { unit: (v) => `${v}s`, xLabel: 't', total: (sum) => `${sum}s (${(100 * sum) / 8}% of the run)` });
    expect(rowsOf(s, 'totals')[0].text).toBe('2s (25% of the run)');
  });
});
