// The line chart spec (src/report/line-chart.ts): which points it keeps, its axes' ticks and
// labels, the styles of its lines, and where vega puts its points.
import { describe, expect, test } from 'vitest';
import { renderChart } from '../../src/report/chart-render.js';
import { lineChart } from '../../src/report/line-chart.js';
import { axisLabels, itemsOf, layerOf, rowsOf, tooltipsOf } from '../helpers/charts.js';

/** The translate(x,y) of each drawn point, to 0.001 px. */
const positions = (svg: string) => itemsOf(svg, 'points').map((e) => /translate\(([^,]*),([^)]*)\)/.exec(e)!.slice(1).map((v) => +Number(v).toFixed(3)));

describe('line chart', () => {
  test('log₂ x from the smallest to the largest power of two, a tick every power of 4; y from 0 to the round maximum; points where the scales say', async () => {
    const spec = lineChart([{ name: 'ring', points: [[2 ** 10, 0], [2 ** 15, 250], [2 ** 20, 450]] }], { xLabel: 'size', yLabel: 'busbw' });
    const enc = layerOf(spec, 'points').encoding;
    expect(enc.x.scale).toMatchObject({ type: 'log', base: 2, domain: [2 ** 10, 2 ** 20] });
    expect(enc.x.axis.values).toEqual([2 ** 10, 2 ** 12, 2 ** 14, 2 ** 16, 2 ** 18, 2 ** 20]);
    // steps of niceMax(450 / 5) = 100 up to 500, the first at or past 450
    expect(enc.y.scale.domain).toEqual([0, 500]);
    const svg = await renderChart(spec);
    // the plot is 640 × 260: 2^15 is half way across (5 of 10 doublings), 250 half way up; 450 at 260 − 0.9 × 260 = 26
    expect(positions(svg)).toEqual([[0, 260], [320, 130], [640, 26]]);
    expect(axisLabels(svg)).toEqual([['1024', '4096', '16384', '65536', '262144', '1048576'], ['0', '100', '200', '300', '400', '500']]);
    expect(tooltipsOf(svg, 'points')).toEqual(['ring: 1024, 0', 'ring: 32768, 250', 'ring: 1048576, 450']);
    expect(itemsOf(svg, 'lines')).toHaveLength(1);
  });

  test('log₁₀ y over whole decades, labelled by yTick; y ≤ 0 and x ≤ 0 left out', async () => {
    // 1 µs … 1 ms: three decades over 260 px, 10 µs a third of the way up (173.333 px from the top)
    const spec = lineChart([{ name: 't', points: [[0, 1e-6], [8, 1e-6], [64, 1e-5], [512, 1e-3], [4096, 0]] }], { xLabel: 'size', yLabel: 'time', yLog: true, yTick: (y) => `${+(y * 1e6).toPrecision(3)}us` });
    expect(rowsOf(spec, 'points').map((r) => [r.x, r.y])).toEqual([[8, 1e-6], [64, 1e-5], [512, 1e-3]]);
    const svg = await renderChart(spec);
    expect(positions(svg).map(([, y]) => y)).toEqual([260, 173.333, 0]);
    expect(axisLabels(svg)[1]).toEqual(['1us', '10us', '100us', '1000us']);
    expect(tooltipsOf(svg, 'points')[1]).toBe('t: 64, 10us');
  });

  test('a bold line beside a dashed one: the dashed line draws no points; a group per point is its shape, each run of one group labelled where it starts', async () => {
    const spec = lineChart(
      [
        { name: 'chosen', points: [[8, 1], [16, 2], [32, 3]], style: 'bold', groups: ['ring/LL', 'ring/LL', 'nvls/Simple'] },
        { name: 'tree', points: [[8, 2], [16, 3], [32, 4]], style: 'dashed' },
      ],
      { xLabel: 'x', yLabel: 'y', yValue: (y) => `${y} GB/s` },
    );
    expect(rowsOf(spec, 'group_starts')).toEqual([{ x: 8, y: 1, group: 'ring/LL' }, { x: 32, y: 3, group: 'nvls/Simple' }]);
    const svg = await renderChart(spec);
    expect(itemsOf(svg, 'lines').map((e) => /stroke-width="([^"]*)" stroke-dasharray="([^"]*)"/.exec(e)!.slice(1))).toEqual([['3.5', '1,0'], ['1.5', '5,3']]);
    expect(tooltipsOf(svg, 'points')).toEqual(['chosen (ring/LL): 8, 1 GB/s', 'chosen (ring/LL): 16, 2 GB/s', 'chosen (nvls/Simple): 32, 3 GB/s']);
    expect(itemsOf(svg, 'group_starts').map((e) => />([^<]*)<\/text>/.exec(e)![1])).toEqual(['ring/LL', 'nvls/Simple']);
  });

  test('a linear x axis from 0 in round steps; nothing to plot is said so', async () => {
    const spec = lineChart([{ name: 'q', points: [[0, 1], [45, 2], [90, 3]] }], { xLabel: 't', yLabel: 'n', xScale: 'linear' });
    // niceMax(90 / 5) = 20: 0 … 100
    expect(layerOf(spec, 'lines').encoding.x.axis.values).toEqual([0, 20, 40, 60, 80, 100]);
    const svg = await renderChart(spec);
    // 45 of 100 across 640 px
    expect(positions(svg).map(([x]) => x)).toEqual([0, 288, 576]);
    expect(await renderChart(lineChart([{ name: 'a', points: [[0, 1]] }], { xLabel: 'x', yLabel: 'y' }))).toContain('no data to plot');
  });

  test('xRules: a dashed vertical rule and its label at each x (a latency objective), inside the x domain even past the data', async () => {
    // data 10–16 ms on a log₁₀ axis; a 40 ms objective widens the domain to it
    const spec = lineChart([{ name: 'tpot', points: [[0.01, 0.5], [0.016, 1]] }], { xLabel: 'tpot', yLabel: 'share', xScale: 'log10', xRules: [{ x: 0.04, label: 'objective 40ms' }] });
    expect(rowsOf(spec, 'rules')).toEqual([{ x: 0.04, label: 'objective 40ms' }]);
    expect(layerOf(spec, 'rules').mark).toMatchObject({ type: 'rule', strokeDash: [6, 3] });
    const domain = layerOf(spec, 'points').encoding.x.scale.domain as number[];
    expect(domain[0]).toBeLessThanOrEqual(0.01);
    expect(domain[1]).toBeGreaterThanOrEqual(0.04);
    const svg = await renderChart(spec);
    expect(itemsOf(svg, 'rules')).toHaveLength(1);
    expect(tooltipsOf(svg, 'rules')).toEqual(['objective 40ms']);
    // no rules asked: no rule layer
    expect(() => layerOf(lineChart([{ name: 't', points: [[1, 1]] }], { xLabel: 'x', yLabel: 'y' }), 'rules')).toThrow(/no layer rules/);
  });
});
