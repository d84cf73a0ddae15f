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

  test('stacked bars: segments proportional, the longest row filling the width after the labels', () => {
    // width 720, labels 110, 8 px spare: the longest row (3 + 1 = 4) spans 602 px, 150.5 px a unit
    const svg = stackedBars(['compute', 'idle'], [{ label: 'r0', values: [3, 1] }, { label: 'r1', values: [1, 0] }], String);
    expect(attrs(svg, 'rect class="segment"', 'width')).toEqual(['451.5', '150.5', '150.5']);
    expect(attrs(svg, 'rect class="segment"', 'x')).toEqual(['110', '561.5', '110']);
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
