// The charts of a collective against message size (`fairway collective --html`, the playground):
// bus bandwidth, and time per operation on log-log axes. The algorithm and protocol chosen at
// each size (by NCCL's tuner under --algo auto) are one line, each point's shape telling which
// was chosen; alternatives run at every size (--compare) are dashed lines beside it.
import { formatBytes, formatDuration } from '../core/units.js';
import type { ChartSpec } from './chart-axis.js';
import { lineChart, type Series } from './line-chart.js';
import type { CollectiveRow } from './nccl-table.js';

/** Another algorithm's rows at the same sizes, drawn for comparison (collective --compare). */
export interface CollectiveAlternative {
  readonly name: string;
  readonly rows: readonly CollectiveRow[];
}

/** A row's algorithm and protocol ("ring/LL"; the algorithm alone where there is no protocol). */
export const choiceOf = (r: CollectiveRow) => (r.proto ? `${r.algo}/${r.proto}` : r.algo);

/** The chosen line's name: the one algorithm/protocol of every size, or "chosen per size". */
function chosenName(rows: readonly CollectiveRow[]): string {
  const choices = new Set(rows.map(choiceOf));
  return choices.size === 1 ? [...choices][0] : 'chosen per size';
}

/** busbw (GB/s, linear) and time per operation (log) against size (log₂), the chosen line bold where alternatives are drawn. */
export function collectiveCharts(rows: readonly CollectiveRow[], alternatives: readonly CollectiveAlternative[] = []): { busbw: ChartSpec; time: ChartSpec } {
  const seriesOf = (y: (r: CollectiveRow) => number): Series[] => [
    { name: chosenName(rows), points: rows.map((r) => [r.sizeBytes, y(r)]), groups: rows.map(choiceOf), ...(alternatives.length ? { style: 'bold' as const } : {}) },
    ...alternatives.map((a) => ({ name: a.name, points: a.rows.map((r) => [r.sizeBytes, y(r)] as const), style: 'dashed' as const })),
  ];
  const common = { xLabel: 'message size', xTick: formatBytes, groupTitle: 'algorithm/protocol chosen' };
  const gbps = (v: number) => `${+v.toPrecision(4)} GB/s`;
  return {
    busbw: lineChart(seriesOf((r) => r.busbwGBps), { ...common, yLabel: 'busbw (GB/s)', yValue: gbps }),
    time: lineChart(seriesOf((r) => r.timeUs * 1e-6), { ...common, yLabel: 'time per operation', yLog: true, yTick: formatDuration }),
  };
}
