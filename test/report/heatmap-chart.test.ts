// A heat map (src/report/heatmap-chart.ts): a cell per value pair coloured from green (best) to
// red (worst), the best outlined and starred, missing cells grey with "no result".
import { describe, expect, test } from 'vitest';
import { renderChart } from '../../src/report/chart-render.js';
import { heatMapChart, type HeatMap } from '../../src/report/heatmap-chart.js';
import { itemsOf, layerOf, rowsOf, tooltipsOf } from '../helpers/charts.js';

const fills = (svg: string, name: string) => itemsOf(svg, name).map((e) => /fill="([^"]*)"/.exec(e)![1]);

describe('heat map', () => {
  // rows a = 1, 2; columns b = 1, 2; (a 2, b 1) failed
  const m: HeatMap = { title: 't', xLabel: 'b', yLabel: 'a', xs: ['1', '2'], ys: ['1', '2'], values: [[1, 3], [undefined, 4]], best: [0, 0] };

  test('times: the least green, the largest red, the best outlined and starred, the failed cell grey', async () => {
    const spec = heatMapChart(m, (v) => `${v}s`);
    expect(rowsOf(spec, 'cells').map((c) => [c.y, c.x, c.value, c.text])).toEqual([['1', '1', 1, '★ 1s'], ['1', '2', 3, '3s'], ['2', '1', null, ''], ['2', '2', 4, '4s']]);
    // green at 1 s, yellow half way (2.5 s), red at 4 s; the legend labels its ends in seconds
    const colour = layerOf(spec, 'cells').encoding.color;
    expect(colour.scale).toEqual({ domain: [1, 2.5, 4], range: ['#63be7b', '#ffeb84', '#f8696b'], interpolate: 'rgb' });
    expect(colour.legend.values).toEqual([1, 4]);
    const svg = await renderChart(spec);
    expect(itemsOf(svg, 'cells')).toHaveLength(3);
    // 3 s is a third of the way from yellow (255, 235, 132) to red (248, 105, 107): (252.7, 191.7, 123.7)
    expect(fills(svg, 'cells')).toEqual(['rgb(99, 190, 123)', 'rgb(253, 192, 124)', 'rgb(248, 105, 107)']);
    expect(tooltipsOf(svg, 'cells')).toEqual(['a 1, b 1: 1s (best)', 'a 1, b 2: 3s', 'a 2, b 2: 4s']);
    expect(tooltipsOf(svg, 'missing')).toEqual(['a 2, b 1: no result']);
    expect(fills(svg, 'missing')).toEqual(['#eee']);
    expect(itemsOf(svg, 'best')).toHaveLength(1);
    expect(itemsOf(svg, 'best_value')[0]).toContain('font-weight="bold"');
    expect(itemsOf(svg, 'best_value')[0]).toContain('>★ 1s</text>');
  });

  test('a map whose points all failed: grey cells saying so, no colour legend (nothing to scale)', async () => {
    const failed = heatMapChart({ title: 't', xLabel: 'b', yLabel: 'a', xs: ['1'], ys: ['1', '2'], values: [[undefined], [undefined]] }, (v) => `${v}s`);
    expect(layerOf(failed, 'cells').encoding.color.legend).toBeNull();
    const svg = await renderChart(failed);
    expect(itemsOf(svg, 'cells')).toHaveLength(0);
    expect(tooltipsOf(svg, 'missing')).toEqual(['a 1, b 1: no result', 'a 2, b 1: no result']);
  });

  test('higher is better (goodput): the largest green, the least red', () => {
    const spec = heatMapChart({ ...m, better: 'higher', best: [1, 1] }, (v) => `${v}/s`);
    expect(layerOf(spec, 'cells').encoding.color.scale.range).toEqual(['#f8696b', '#ffeb84', '#63be7b']);
    expect(rowsOf(spec, 'cells').find((c) => c.best).text).toBe('★ 4/s');
  });
});
