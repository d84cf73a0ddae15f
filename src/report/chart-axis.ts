// What the report charts share: their look (one Vega-Lite config), the palette, and axes whose
// ticks fairway chooses (round linear steps, powers of 2 or decades on log scales) and labels
// in its own units (formatBytes, formatDuration, …). The ticks and their labels are written into
// the spec, so a spec is plain JSON that renders the same wherever Vega-Lite runs.
import type { TopLevelSpec } from 'vega-lite';

/** A chart: a Vega-Lite spec (chart-render.ts draws it). */
export type ChartSpec = TopLevelSpec;

export const PALETTE = ['#4e79a7', '#e15759', '#f28e2b', '#76b7b2', '#bab0ac', '#59a14f', '#edc948', '#b07aa1'];

/** The look of every chart: sans-serif text, light grid lines, legends above the plot. */
export const CHART_CONFIG = {
  font: 'sans-serif',
  background: 'white',
  view: { stroke: '#ddd' },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', gridColor: '#e8e8e8', labelOverlap: true },
  legend: { orient: 'top', labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal', labelLimit: 320, titleLimit: 320 },
  title: { fontSize: 13, anchor: 'start' },
} as const;

/** The colours of `names` in order, the palette repeated. */
export const coloursOf = (names: readonly string[]) => names.map((_, i) => PALETTE[i % PALETTE.length]);

/** The smallest of 1, 2, 5 × 10^k at or above `v` (a round axis end); 1 for 0. */
export function niceMax(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 5, 10].map((m) => m * p).find((m) => m >= v * (1 - 1e-12))!;
}

/** An axis's (or legend's) ticks at `values`, each labelled by `label`: the labels go into the spec, looked up by the tick's value. */
export function labelledTicks(values: readonly number[], label: (v: number) => string): { values: number[]; labelExpr: string } {
  return { values: [...values], labelExpr: `${JSON.stringify(values.map(label))}[indexof(${JSON.stringify(values)}, datum.value)]` };
}

/** Ticks of a linear axis from 0: `steps` steps of niceMax(top / steps) up to the first at or above `top` (0 … 1 for nothing). */
export function linearTicks(top: number, steps = 5): number[] {
  const step = niceMax(top / steps);
  const n = top > 0 ? Math.max(1, Math.ceil(top / step - 1e-9)) : 1;
  return Array.from({ length: n + 1 }, (_, k) => +(step * k).toPrecision(12));
}

/**
 * A log axis over whole powers around [lo, hi]: base 2, a tick every power of 4 (of 2 over
 * fewer than 4 doublings); base 10, a tick a decade, and at 2 and 5 between them over at most two.
 */
export function logTicks(lo: number, hi: number, base: 2 | 10): { domain: [number, number]; ticks: number[] } {
  const log = (v: number) => Math.log(v) / Math.log(base);
  const e0 = Math.floor(log(lo) + 1e-9);
  const e1 = Math.max(Math.ceil(log(hi) - 1e-9), e0 + 1);
  const ticks: number[] = [];
  if (base === 2) {
    const every = e1 - e0 >= 4 ? 2 : 1;
    for (let e = Math.ceil(e0 / every) * every; e <= e1; e += every) ticks.push(2 ** e);
  } else {
    const between = e1 - e0 <= 2 ? [1, 2, 5] : [1];
    for (let e = e0; e <= e1; e++) for (const m of between) if (m === 1 || e < e1) ticks.push(+(m * 10 ** e).toPrecision(12));
  }
  return { domain: [base ** e0, base ** e1], ticks };
}

/** The least and largest of `xs` ([Infinity, -Infinity] for none), without spreading them into Math.min. */
export function extent(xs: readonly number[]): [number, number] {
  return [xs.reduce((a, b) => Math.min(a, b), Infinity), xs.reduce((a, b) => Math.max(a, b), -Infinity)];
}
