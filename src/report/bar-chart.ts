// Horizontal stacked bars as a Vega-Lite spec: one bar per row (a rank's step, a sweep point, a
// resource), its segments in key order and coloured by key, on an x axis of round ticks in the
// values' unit; each row's total written at its end, and a segment's value inside it where it is
// wide enough to hold it (every segment's value in its tooltip).
import { CHART_CONFIG, coloursOf, labelledTicks, linearTicks, type ChartSpec } from './chart-axis.js';

export interface StackedRow {
  readonly label: string;
  /** One value per key, in the keys' order (seconds, bytes, …); values ≤ 0 draw nothing. */
  readonly values: readonly number[];
}

export interface StackedBarsOptions {
  /** A value with its unit (segments, totals and ticks). */
  readonly unit: (v: number) => string;
  readonly xLabel: string;
  /** A row's total at its end (unit of the sum by default). */
  readonly total?: (sum: number, row: number) => string;
  /** Width of the plot, px. */
  readonly width?: number;
}

/** A segment's value is written inside it when it spans at least this share of the axis. */
const INSIDE = 0.1;

/** The segments (start, end, value) and rows' totals to draw. */
function layout(keys: readonly string[], rows: readonly StackedRow[], o: StackedBarsOptions) {
  const segments: { row: string; key: string; x0: number; x1: number; mid: number; tip: string; text: string }[] = [];
  const totals: { row: string; sum: number; text: string }[] = [];
  rows.forEach((r, j) => {
    let x = 0;
    r.values.forEach((v, i) => {
      if (!(v > 0)) return;
      segments.push({ row: r.label, key: keys[i], x0: x, x1: x + v, mid: x + v / 2, tip: `${r.label}, ${keys[i]}: ${o.unit(v)}`, text: o.unit(v) });
      x += v;
    });
    totals.push({ row: r.label, sum: x, text: o.total ? o.total(x, j) : o.unit(x) });
  });
  return { segments, totals };
}

/** One bar per row, segments stacked in key order, the longest row's total setting the axis (0 to a round tick at or past it). */
export function stackedBars(keys: readonly string[], rows: readonly StackedRow[], o: StackedBarsOptions): ChartSpec {
  const { segments, totals } = layout(keys, rows, o);
  const ticks = linearTicks(totals.reduce((m, t) => Math.max(m, t.sum), 0));
  const top = ticks[ticks.length - 1];
  const x = { field: 'x0', type: 'quantitative', scale: { domain: [0, top], nice: false }, axis: { title: o.xLabel, ...labelledTicks(ticks, (v) => (v === 0 ? '0' : o.unit(v))) } };
  const y = { field: 'row', type: 'nominal', sort: null, scale: { domain: rows.map((r) => r.label) }, axis: { title: null, labelLimit: 480 } };
  return {
    config: CHART_CONFIG,
    width: o.width ?? 560,
    height: { step: 22 },
    layer: [
      {
        name: 'segments',
        data: { values: segments },
        mark: { type: 'bar', height: 16 },
        encoding: { x, x2: { field: 'x1' }, y, color: { field: 'key', type: 'nominal', title: null, sort: null, scale: { domain: [...keys], range: coloursOf(keys) } }, description: { field: 'tip' } },
      },
      {
        name: 'values',
        data: { values: segments.filter((s) => s.x1 - s.x0 >= INSIDE * top) },
        mark: { type: 'text', fill: 'white', fontSize: 10, aria: false },
        encoding: { x: { field: 'mid', type: 'quantitative' }, y, text: { field: 'text' } },
      },
      {
        name: 'totals',
        data: { values: totals },
        mark: { type: 'text', align: 'left', dx: 4, fontSize: 11, aria: false },
        encoding: { x: { field: 'sum', type: 'quantitative' }, y, text: { field: 'text' } },
      },
    ],
  } as ChartSpec;
}
