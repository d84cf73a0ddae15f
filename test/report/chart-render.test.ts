// Rendering a chart (src/report/chart-render.ts): vega's SVG text, the same bytes for the same
// spec, each described mark with its description as a hover <title>, and no warning from
// Vega-Lite or vega on the reports' kind of spec.
import { afterEach, describe, expect, test, vi } from 'vitest';
import { CHART_CONFIG } from '../../src/report/chart-axis.js';
import { localIds, renderChart, scopeIds, withTooltips } from '../../src/report/chart-render.js';
import { itemsOf, tooltipsOf } from '../helpers/charts.js';

afterEach(() => void vi.restoreAllMocks());

describe('chart rendering', () => {
  test('a mark with an aria-label gets it as its <title>; other elements are left alone', () => {
    expect(withTooltips('<g><path aria-label="a &lt; b: 3 ms" role="graphics-symbol" aria-roledescription="point" d="M0,0"/><path class="background" d="M1,1"/></g>')).toBe('<g><path role="graphics-symbol" aria-roledescription="point" d="M0,0"><title>a &lt; b: 3 ms</title></path><path class="background" d="M1,1"/></g>');
    // an axis group (not a self-closing mark) keeps its aria-label
    const axis = '<g class="mark-group role-axis" role="graphics-symbol" aria-roledescription="axis" aria-label="X-axis">';
    expect(withTooltips(axis)).toBe(axis);
  });

  test('three bars, each with its tooltip, twice the same bytes, no warning', async () => {
    const warn = vi.spyOn(console, 'warn');
    const spec = { config: CHART_CONFIG, name: 'bars', width: 100, height: { step: 20 }, data: { values: [{ k: 'a', v: 1, tip: 'a: 1 s' }, { k: 'b', v: 2, tip: 'b: 2 s' }, { k: 'c<', v: 3, tip: 'c<: 3 s' }] }, mark: 'bar' as const, encoding: { y: { field: 'k', type: 'nominal' as const }, x: { field: 'v', type: 'quantitative' as const }, description: { field: 'tip' } } };
    const svg = await renderChart(spec);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(itemsOf(svg, 'bars')).toHaveLength(3);
    expect(tooltipsOf(svg, 'bars')).toEqual(['a: 1 s', 'b: 2 s', 'c&lt;: 3 s']);
    expect(await renderChart(spec)).toBe(svg);
    expect(warn).not.toHaveBeenCalled();
  });
});

describe('element ids', () => {
  test("vega's process-wide clip and gradient numbers start from 1 in each chart; a page's charts get their own prefixes", () => {
    const svg = '<g clip-path="url(#clip7)"></g><rect fill="url(#gradient_3)"/><g clip-path="url(#clip9)"></g><defs><clipPath id="clip7"></clipPath><linearGradient id="gradient_3"></linearGradient><clipPath id="clip9"></clipPath></defs>';
    const local = localIds(svg);
    expect(local).toBe('<g clip-path="url(#clip1)"></g><rect fill="url(#gradient_2)"/><g clip-path="url(#clip3)"></g><defs><clipPath id="clip1"></clipPath><linearGradient id="gradient_2"></linearGradient><clipPath id="clip3"></clipPath></defs>');
    expect(scopeIds(local, 'c2')).toContain('url(#c2-clip1)');
    expect(scopeIds(local, 'c2')).toContain('id="c2-gradient_2"');
  });

  test('a clipped chart rendered twice in one process: the same bytes', async () => {
    const spec = { config: CHART_CONFIG, width: 50, height: 50, data: { values: [{ x: 1, y: 1 }, { x: 2, y: 3 }] }, mark: { type: 'line' as const, clip: true }, encoding: { x: { field: 'x', type: 'quantitative' as const }, y: { field: 'y', type: 'quantitative' as const } } };
    const first = await renderChart(spec);
    expect(first).toContain('url(#clip1)');
    expect(await renderChart(spec)).toBe(first);
  });
});
