// A heat map as a Vega-Lite spec: a cell per (column, row) value pair coloured from green (the
// best: the least value for times, the largest where higher is better, e.g. goodput) through
// yellow to red (the worst), its value written in it, the best cell outlined and starred, a
// colour legend labelled in the value's unit; cells without a value are grey ("no result").
import { CHART_CONFIG, extent, labelledTicks, type ChartSpec } from './chart-axis.js';

export interface HeatMap {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly xs: readonly string[];
  readonly ys: readonly string[];
  /** values[y][x]; undefined where no point has that pair (or it failed). */
  readonly values: readonly (readonly (number | undefined)[])[];
  /** The cell to outline as the best, [x, y]. */
  readonly best?: readonly [number, number];
  /** Which end is green: 'lower' (the default: times) or 'higher' (rates such as goodput). */
  readonly better?: 'lower' | 'higher';
}

/** Every cell: its column, row, value (null without one), text and tooltip. */
function cellsOf(m: HeatMap, format: (v: number) => string) {
  return m.ys.flatMap((y, j) =>
    m.xs.map((x, i) => {
      const v = m.values[j]?.[i];
      const has = v !== undefined && Number.isFinite(v);
      const best = m.best !== undefined && m.best[0] === i && m.best[1] === j;
      const where = `${m.yLabel} ${y}, ${m.xLabel} ${x}`;
      return { x, y, value: has ? v : null, best, text: has ? `${best ? '★ ' : ''}${format(v)}` : '', tip: has ? `${where}: ${format(v)}${best ? ' (best)' : ''}` : `${where}: no result` };
    }),
  );
}

/** Green (best) through yellow to red (worst), light enough under black text. */
const SCALE = ['#63be7b', '#ffeb84', '#f8696b'];

export function heatMapChart(m: HeatMap, format: (v: number) => string): ChartSpec {
  const cells = cellsOf(m, format);
  const values = cells.flatMap((c) => (c.value === null ? [] : [c.value]));
  // a map of failed points only has no colour scale to speak of: a legend-less one around 0
  const [lo, hi] = values.length ? extent(values) : [0, 0];
  const x = { field: 'x', type: 'ordinal', sort: null, scale: { domain: [...m.xs] }, axis: { title: m.xLabel, labelAngle: 0, orient: 'top' } };
  const y = { field: 'y', type: 'ordinal', sort: null, scale: { domain: [...m.ys] }, axis: { title: m.yLabel } };
  const legend = values.length === 0 ? null : { title: null, ...(hi > lo ? labelledTicks([lo, hi], format) : { values: [lo], labelExpr: JSON.stringify(format(lo)) }) };
  const range = m.better === 'higher' ? [...SCALE].reverse() : SCALE;
  const colour = { field: 'value', type: 'quantitative', scale: { domain: hi > lo ? [lo, (lo + hi) / 2, hi] : [lo - 1, lo, lo + 1], range, interpolate: 'rgb' }, legend };
  return {
    config: CHART_CONFIG,
    title: m.title,
    width: { step: 96 },
    height: { step: 26 },
    data: { values: cells },
    encoding: { x, y },
    layer: [
      { name: 'cells', transform: [{ filter: 'datum.value !== null' }], mark: { type: 'rect', stroke: 'white', strokeWidth: 1 }, encoding: { color: colour, description: { field: 'tip' } } },
      { name: 'missing', transform: [{ filter: 'datum.value === null' }], mark: { type: 'rect', fill: '#eee', stroke: 'white', strokeWidth: 1 }, encoding: { description: { field: 'tip' } } },
      { name: 'best', transform: [{ filter: 'datum.best' }], mark: { type: 'rect', fill: null, stroke: '#000', strokeWidth: 2.5, aria: false } },
      { name: 'values', transform: [{ filter: '!datum.best' }], mark: { type: 'text', fontSize: 11, aria: false }, encoding: { text: { field: 'text' } } },
      { name: 'best_value', transform: [{ filter: 'datum.best' }], mark: { type: 'text', fontSize: 11, fontWeight: 'bold', aria: false }, encoding: { text: { field: 'text' } } },
    ],
  } as ChartSpec;
}
