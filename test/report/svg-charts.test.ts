// SVG charts: points land where the axes say, bar segments are proportional, text is escaped.
import { describe, expect, test } from 'vitest';
import { escapeHtml, lineChart, niceMax, stackedBars } from '../../src/report/svg-charts.js';

const attrs = (svg: string, tag: string, name: string) => [...svg.matchAll(new RegExp(`<${tag}[^>]* ${name}="([^"]*)"`, 'g'))].map((m) => m[1]);

describe('svg charts', () => {
  test('niceMax: the next 1, 2 or 5 × 10^k', () => {
    expect([niceMax(467), niceMax(1000), niceMax(0.03), niceMax(0), niceMax(120)]).toEqual([500, 1000, 0.05, 1, 200]);
  });

  test('line chart: log₂ x from the smallest to the largest power of two, y from 0 to the round maximum', () => {
    // 720 × 320 with margins left 64, right 16, top 16, bottom 44: plot 640 × 260. x from 2^10
    // to 2^20 (10 doublings: 64 px each); y to niceMax(450) = 500 (0.52 px per GB/s).
    const svg = lineChart([{ name: 'ring', points: [[2 ** 10, 0], [2 ** 15, 250], [2 ** 20, 450]] }], { xLabel: 'size', yLabel: 'busbw' });
    expect(attrs(svg, 'polyline', 'points')).toEqual(['64,276 384,146 704,42']);
    expect(attrs(svg, 'circle', 'cx')).toEqual(['64', '384', '704']);
    // one line per series, named
    const two = lineChart([{ name: 'a', points: [[4, 1]] }, { name: 'b<c', points: [[8, 2]] }], { xLabel: 'x', yLabel: 'y' });
    expect(attrs(two, 'polyline', 'data-name')).toEqual(['a', 'b&lt;c']);
  });

  test('stacked bars: segments proportional, the longest row filling the width between the labels and the totals; an axis of round ticks', () => {
    // width 720, labels 110, totals column 64: the longest row (3 + 1 = 4) spans 546 px, 136.5 px a unit
    const svg = stackedBars(['compute', 'idle'], [{ label: 'r0', values: [3, 1] }, { label: 'r1', values: [1, 0] }], (v) => `${v}s`);
    expect(attrs(svg, 'rect class="segment"', 'width')).toEqual(['409.5', '136.5', '136.5']);
    expect(attrs(svg, 'rect class="segment"', 'x')).toEqual(['110', '519.5', '110']);
    // each row's total 4 px past its end
    expect([...svg.matchAll(/<text class="total" x="([^"]*)"[^>]*>([^<]*)</g)].map((m) => [m[1], m[2]])).toEqual([['660', '4s'], ['250.5', '1s']]);
    // ticks every niceMax(4 / 5) = 1 unit: 0 … 4 at 110 + 136.5 k
    expect(attrs(svg, 'line class="tick"', 'x1')).toEqual(['110', '246.5', '383', '519.5', '656']);
    expect(svg).toContain('text-anchor="middle">4s</text>');
  });

  test('log y: whole decades from below the smallest to above the largest value, a tick each, labelled by yTick', () => {
    // 1 µs … 1 ms: decades 1e-6 … 1e-3 over the 260 px plot (top 16): 10 µs is a third of the way up
    const svg = lineChart([{ name: 't', points: [[8, 1e-6], [64, 1e-5], [512, 1e-3], [4096, 0]] }], { xLabel: 'size', yLabel: 'time', yLog: true, yTick: (y) => `${+(y * 1e6).toPrecision(3)}us` });
    expect(attrs(svg, 'circle', 'cy')).toEqual(['276', '189.3', '16']);
    expect([...svg.matchAll(/text-anchor="end">([^<]*)</g)].map((m) => m[1])).toEqual(['1us', '10us', '100us', '1000us']);
  });

  test('points with x ≤ 0 (a 0-byte size) are left out; nothing to plot is said so', () => {
    const svg = lineChart([{ name: 'a', points: [[0, 5], [4, 1], [16, 2]] }], { xLabel: 'x', yLabel: 'y' });
    expect(attrs(svg, 'circle', 'cx')).toHaveLength(2);
    expect(lineChart([{ name: 'a', points: [[0, 1]] }], { xLabel: 'x', yLabel: 'y' })).toContain('no data to plot');
  });

  test('escapes what HTML would read', () => {
    expect(escapeHtml(`<a href="x">&'`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;');
  });
});
