// `fairway sweep --html`: a sweep's points as a self-contained page. The best point; the
// objective (a collective's time, a workload's step: less is better; a deployment's goodput:
// more is better) over the grid's axes, as heat maps where two or more paths vary and as a line
// over the one varied path's values where only one does (numbers), the best point marked; one
// bar per point (a workload's step broken down, a collective's time, a deployment's goodput
// within and outside the SLO), the best starred; and every point's results in a table.
import { formatDuration } from '../core/units.js';
import { stackedBars } from './bar-chart.js';
import type { ChartSpec } from './chart-axis.js';
import { heatMapChart } from './heatmap-chart.js';
import { BREAKDOWN, escapeHtml, page, render, table } from './html-report.js';
import { lineChart } from './line-chart.js';
import { shortNames, sweepMaps } from './sweep-maps.js';

/** A sweep point's result, as sweep/results.ts records it (declared here: report/ sits below sweep/). */
export interface SweepPointResult {
  readonly index: number;
  readonly point: Readonly<Record<string, unknown>>;
  readonly ok: boolean;
  readonly metrics?: Readonly<Record<string, number | string>>;
  readonly error?: string;
}

/** An override value as the CSV shows it: JSON for objects and lists. */
const valueText = (v: unknown) => (v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v));

/** What a sweep's points are ranked by: a collective's time, a workload's step (less is better) or a deployment's goodput (more is better). */
interface SweepObjective {
  readonly metric: string;
  readonly better: 'lower' | 'higher';
  readonly value: (r: SweepPointResult) => number;
  readonly format: (v: number) => string;
  readonly heading: string;
  readonly bars: (rows: { label: string; r: SweepPointResult }[]) => ChartSpec;
}

const metricOf = (r: SweepPointResult, k: string) => Number(r.metrics![k] ?? 0);
const perSecond = (v: number) => `${+v.toPrecision(3)} req/s`;

const OBJECTIVES: Record<'collective' | 'workload' | 'serve', SweepObjective> = {
  collective: {
    metric: 'collective time', better: 'lower', value: (r) => metricOf(r, 'timeUs') / 1e6, format: formatDuration, heading: 'Collective time per point',
    bars: (rows) => stackedBars(['time'], rows.map(({ label, r }) => ({ label, values: [metricOf(r, 'timeUs') / 1e6] })), { unit: formatDuration, xLabel: 'collective time' }),
  },
  workload: {
    metric: 'step time', better: 'lower', value: (r) => metricOf(r, 'stepMs') / 1e3, format: formatDuration, heading: 'Step time per point, broken down (mean of ranks)',
    bars: (rows) => stackedBars(BREAKDOWN, rows.map(({ label, r }) => ({ label, values: ['computeMs', 'exposedCommMs', 'hostBoundMs', 'inputStallMs', 'idleMs'].map((k) => metricOf(r, k) / 1e3) })), { unit: formatDuration, xLabel: 'step time (mean of ranks)' }),
  },
  serve: {
    metric: 'goodput', better: 'higher', value: (r) => metricOf(r, 'goodputPerSec'), format: perSecond, heading: 'Completed requests per second, within the SLO (goodput) and outside it',
    bars: (rows) => stackedBars(['within SLO', 'outside SLO'], rows.map(({ label, r }) => ({ label, values: [metricOf(r, 'goodputPerSec'), Math.max(0, metricOf(r, 'requestsPerSec') - metricOf(r, 'goodputPerSec'))] })), { unit: perSecond, xLabel: 'completed requests per second' }),
  },
};

/**
 * The objective over the one varied path, where only one varies and its values are numbers: a
 * line through the points in the path's order (a log₂ axis where the values are positive and
 * span 8× or more), the best point drawn apart; null otherwise.
 */
function lineOverPath(ok: readonly SweepPointResult[], paths: readonly string[], o: SweepObjective, best: SweepPointResult | undefined, name: (path: string) => string): ChartSpec | null {
  const varied = paths.filter((p) => new Set(ok.map((r) => valueText(r.point[p]))).size > 1);
  if (varied.length !== 1 || ok.some((r) => typeof r.point[varied[0]] !== 'number')) return null;
  const at = (r: SweepPointResult): [number, number] => [r.point[varied[0]] as number, o.value(r)];
  const points = ok.map(at).sort((a, b) => a[0] - b[0]);
  const xs = points.map(([x]) => x);
  const log = xs[0] > 0 && xs[xs.length - 1] >= 8 * xs[0];
  const series = [{ name: o.metric, points }, ...(best ? [{ name: `best: ${o.format(o.value(best))} at ${name(varied[0])}=${at(best)[0]}`, points: [at(best)], style: 'bold' as const }] : [])];
  return lineChart(series, { xLabel: name(varied[0]), yLabel: o.metric, xScale: log ? 'log2' : 'linear', xTicks: [...new Set(xs)], yTick: (v) => (v === 0 ? '0' : o.format(v)) });
}

/** `fairway sweep`: the best point, heat maps of the objective over the grid's axes, one bar per point (a workload's step broken down, a collective's time, a deployment's goodput; the best starred) and every point's results. */
export async function sweepHtml(title: string, paths: readonly string[], records: readonly SweepPointResult[]): Promise<string> {
  const ok = records.filter((r) => r.ok && r.metrics);
  const names = shortNames(paths);
  // a point's label: its overrides by their shortest telling path suffix, e.g. "#3 tp=4 tpOverlap=true"
  const label = (r: SweepPointResult) => [`#${r.index}`, ...paths.map((p) => `${names.get(p)}=${valueText(r.point[p])}`)].join(' ');
  const o = OBJECTIVES[ok.some((r) => r.metrics!.goodputPerSec !== undefined) ? 'serve' : ok.some((r) => r.metrics!.stepMs !== undefined) ? 'workload' : 'collective'];
  const metrics: string[] = [];
  for (const r of records) for (const m of Object.keys(r.metrics ?? {})) if (!metrics.includes(m)) metrics.push(m);
  const show = (v: unknown) => escapeHtml(v === undefined ? '' : typeof v === 'number' ? String(+v.toPrecision(6)) : valueText(v));
  const rows = records.map((r) => [String(r.index), ...paths.map((p) => show(r.point[p])), ...(r.ok ? metrics.map((m) => show(r.metrics?.[m])) : [`FAILED: ${escapeHtml(r.error ?? '')}`])]);
  const value = (r: SweepPointResult) => (r.ok && r.metrics ? o.value(r) : undefined);
  const maps = sweepMaps(records.map((r) => ({ index: r.index, point: r.point, value: value(r) })), paths, o.metric, o.better);
  const best = ok.reduce<SweepPointResult | undefined>((b, r) => (b === undefined || (o.better === 'higher' ? value(r)! > value(b)! : value(r)! < value(b)!) ? r : b), undefined);
  const ends = o.better === 'higher' ? 'green the most and red the least' : 'green the fastest and red the slowest';
  const line = maps.length ? null : lineOverPath(ok, paths, o, best, (p) => names.get(p) ?? p);
  const grid = line ? [line] : maps.map((m) => heatMapChart(m, o.format));
  const charts = await render([...grid, o.bars(ok.map((r) => ({ label: `${r === best ? '★ ' : ''}${label(r)}`, r })))]);
  const gridNote = line ? `<p class="note">The ${escapeHtml(o.metric)} of each point over the one setting varied; the best point is drawn apart.</p>` : `<p class="note">Each cell is a point, ${ends}; the best point is outlined and starred. Other varied settings, if any, give one map each.</p>`;
  return page(title, [
    ...(best ? [`<p><b>Best point</b>: ${escapeHtml(label(best))}, ${escapeHtml(o.metric)} ${escapeHtml(o.format(value(best)!))}.</p>`] : []),
    ...(grid.length ? ['<h2>Over the grid\'s axes</h2>', gridNote, ...charts.slice(0, grid.length)] : []),
    `<h2>${o.heading}</h2>`,
    charts[grid.length],
    '<p class="note">The best point is starred; hover a segment for its value.</p>',
    '<h2>Points</h2>',
    table(['#', ...paths, ...metrics], rows),
  ]);
}
