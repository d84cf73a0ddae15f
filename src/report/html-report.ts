// Self-contained HTML reports (inline SVG and CSS, no scripts or network): the busbw curve of
// `fairway collective` by algorithm with its table; the step of `fairway simulate` as per-rank
// stacked bars (compute, exposed communication, host-bound, input stall, idle), timelines of
// ranks, its stress points by resource class, link utilization per fabric tier and a roofline
// of the kernels; and a sweep's points as bars (a workload's step broken down, a collective's time)
// with the results table. Deterministic: the same results give the same bytes.
import { formatBytes, formatDuration, formatFlops } from '../core/units.js';
import type { Roofline } from './kernel-roofline.js';
import type { CollectiveRow } from './nccl-table.js';
import { timelineChart, type TimelineTrack } from './rank-timeline.js';
import { rooflineChart } from './roofline-chart.js';
import { resourceClass, type MonitoredStressPoint } from './stress-points.js';
import { escapeHtml, lineChart, stackedBars, type Series } from './svg-charts.js';
import { heatMapChart } from './heatmap-chart.js';
import { shortNames, sweepMaps } from './sweep-maps.js';
import type { TierUtilization } from './tier-utilization.js';

const STYLE =
  'body{font-family:sans-serif;margin:24px;color:#222;max-width:960px}h1{font-size:20px}h2{font-size:16px;margin-top:28px}' +
  'table{border-collapse:collapse;font-size:12px}td,th{border-bottom:1px solid #ddd;padding:3px 8px;text-align:right}th{background:#f5f5f5}' +
  'td:first-child,th:first-child{text-align:left}.note{color:#666;font-size:12px}.bar{background:#4e79a7;height:10px;display:inline-block}';

/** A self-contained page: `title` as its heading, then `body`'s HTML. */
export function page(title: string, body: string[]): string {
  return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><h1>${escapeHtml(title)}</h1>${body.join('\n')}</body></html>\n`;
}

/** `rows` are cells already in HTML; no header row when `head` is empty. */
export function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const header = head.length ? `<tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>` : '';
  return `<table>${header}${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</table>`;
}

/** Another algorithm's rows at the same sizes, drawn for comparison (collective --compare). */
export interface CollectiveAlternative {
  readonly name: string;
  readonly rows: readonly CollectiveRow[];
}

/** `fairway collective`: busbw and time per operation against size, one line per algorithm and protocol that won some size (and, dashed, alternatives run at every size), and the rows. */
export function collectiveHtml(title: string, rows: readonly CollectiveRow[], alternatives: readonly CollectiveAlternative[] = []): string {
  // one line per algorithm and protocol, in the order they first win a size (bold when alternatives are drawn too, dashed)
  const seriesOf = (y: (r: CollectiveRow) => number): Series[] => {
    const by = new Map<string, [number, number][]>();
    for (const r of rows) {
      const key = r.proto ? `${r.algo}/${r.proto}` : r.algo;
      by.set(key, [...(by.get(key) ?? []), [r.sizeBytes, y(r)]]);
    }
    const chosen: Series[] = [...by].map(([name, points]) => ({ name: alternatives.length ? `chosen: ${name}` : name, points, ...(alternatives.length ? { style: 'bold' as const } : {}) }));
    return [...chosen, ...alternatives.map((a) => ({ name: a.name, points: a.rows.map((r) => [r.sizeBytes, y(r)] as [number, number]), style: 'dashed' as const }))];
  };
  const chart = lineChart(seriesOf((r) => r.busbwGBps), { xLabel: 'message size', yLabel: 'busbw (GB/s)', xTick: (x) => formatBytes(x) });
  const latency = lineChart(seriesOf((r) => r.timeUs * 1e-6), { xLabel: 'message size', yLabel: 'time per operation', xTick: (x) => formatBytes(x), yLog: true, yTick: (y) => formatDuration(y) });
  const body = rows.map((r) => [String(r.sizeBytes), String(r.count), r.type, r.redop, String(r.root), r.timeUs.toFixed(2), r.algbwGBps.toFixed(2), r.busbwGBps.toFixed(2), escapeHtml(r.algo)]);
  return page(title, [
    '<h2>Bus bandwidth</h2>',
    chart,
    `<p class="note">busbw = algbw × the nccl-tests factor of the operation; one line per algorithm and protocol (under --algo auto, the one planned for each size)${alternatives.length ? '; dashed: every other algorithm run at every size (--compare)' : ''}.</p>`,
    '<h2>Time per operation</h2>',
    latency,
    '<p class="note">Log-log: the flat part on the left is the latency floor (launch, per-hop latencies), the slope on the right the bandwidth.</p>',
    '<h2>Results</h2>',
    table(['size (B)', 'count', 'type', 'redop', 'root', 'time (us)', 'algbw (GB/s)', 'busbw (GB/s)', 'algo'], body),
  ]);
}

export interface WorkloadReportRank {
  readonly label: string;
  readonly computeSec: number;
  readonly exposedCommSec: number;
  readonly hostBoundSec: number;
  readonly inputStallSec: number;
  readonly idleSec: number;
}

export interface WorkloadReport {
  readonly title: string;
  readonly stepSec: number;
  readonly summary: readonly (readonly [string, string])[];
  /** The mean first, then the ranks shown. */
  readonly ranks: readonly WorkloadReportRank[];
  readonly ranksNote?: string;
  readonly byUtilization: readonly MonitoredStressPoint[];
  /** The most utilized resources of each class (stress-points.ts byResourceClass). */
  readonly byClass: readonly MonitoredStressPoint[];
  readonly byBottleneck?: readonly MonitoredStressPoint[];
  readonly makespanSec: number;
  /** Timelines of some ranks (the first drawn open). */
  readonly timelines?: readonly { readonly label: string; readonly tracks: readonly TimelineTrack[] }[];
  readonly tiers?: readonly TierUtilization[];
  readonly roofline?: Roofline | null;
}

const BREAKDOWN = ['compute', 'exposed communication', 'host-bound', 'input stall', 'idle'];

/** `fairway simulate`: the per-rank breakdown of a step as stacked bars, and the stress points. */
export function workloadHtml(w: WorkloadReport): string {
  const bars = stackedBars(
    BREAKDOWN,
    w.ranks.map((r) => ({ label: r.label, values: [r.computeSec, r.exposedCommSec, r.hostBoundSec, r.inputStallSec, r.idleSec] })),
    formatDuration,
  );
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const bar = (x: number) => `<span class="bar" style="width:${Math.round(Math.min(1, Math.max(0, x)) * 200)}px"></span>`;
  const body = [
    table([], w.summary.map(([k, v]) => [escapeHtml(k), escapeHtml(v)])),
    `<h2>Where each rank's step goes (${escapeHtml(formatDuration(w.stepSec))})</h2>`,
    bars,
    ...(w.ranksNote ? [`<p class="note">${escapeHtml(w.ranksNote)}</p>`] : []),
    '<h2>Stress points by resource class</h2>',
    '<p class="note">The three most utilized resources of each class (average utilization over the run: what went through it over its capacity × the run time), so the links behind exposed communication show next to the math units.</p>',
    table(['class', 'resource', 'utilization', ''], w.byClass.map((p, i) => [i > 0 && resourceClass(w.byClass[i - 1]) === resourceClass(p) ? '' : escapeHtml(resourceClass(p)), escapeHtml(p.resource), pct(p.utilization), bar(p.utilization)])),
  ];
  if (w.byBottleneck) {
    body.push('<h2>Stress points by time as a bottleneck</h2>');
    body.push(table(['resource', 'time', 'share of the run', ''], w.byBottleneck.map((p) => [escapeHtml(p.resource), escapeHtml(formatDuration(p.bottleneckSec)), pct(p.bottleneckSec / w.makespanSec), bar(p.bottleneckSec / w.makespanSec)])));
  } else body.push('<p class="note">Bottleneck times were not recorded (the resource monitor was off); run with --monitor.</p>');
  if (w.tiers?.length) body.push(...tierSection(w.tiers));
  if (w.timelines?.length) body.push(...timelineSection(w.timelines, w.makespanSec));
  if (w.roofline) body.push(...rooflineSection(w.roofline));
  return page(w.title, body);
}

function tierSection(tiers: readonly TierUtilization[]): string[] {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const bar = (x: number) => `<span class="bar" style="width:${Math.round(Math.min(1, Math.max(0, x)) * 200)}px"></span>`;
  return [
    '<h2>Link utilization per fabric tier</h2>',
    '<p class="note">Each tier\'s link directions: their mean and largest average utilization over the run (bytes carried over capacity × run time) and the busiest one. A tier far below the others has capacity the workload does not use; one near 100% is where a faster or wider fabric pays.</p>',
    table(['tier', 'link directions (used)', 'bytes', 'mean', '', 'busiest', 'its utilization'], tiers.map((t) => [escapeHtml(t.tier), `${t.directions} (${t.used})`, escapeHtml(formatBytes(t.bytes)), pct(t.meanUtilization), bar(t.meanUtilization), t.busiest ? escapeHtml(t.busiest) : '-', t.busiest ? pct(t.maxUtilization) : '-'])),
  ];
}

function timelineSection(timelines: NonNullable<WorkloadReport['timelines']>, endSec: number): string[] {
  return [
    '<h2>Timelines</h2>',
    '<p class="note">What each track of a rank did over the run (all iterations): its streams, its host thread and its loader workers. Hover a bar for the operation; bars closer than half a pixel merge and say how many they hold.</p>',
    ...timelines.map((t, i) => `<details${i === 0 ? ' open' : ''}><summary>${escapeHtml(t.label)}</summary>${timelineChart(t.tracks, endSec)}</details>`),
  ];
}

function rooflineSection(r: Roofline): string[] {
  const total = r.kernels.reduce((s, k) => s + k.seconds, 0);
  const rows = r.kernels.slice(0, 12).map((k) => [escapeHtml(k.name), escapeHtml(k.dtype), String(k.count), escapeHtml(formatFlops(k.flops).replace('/s', '')), escapeHtml(formatBytes(k.bytes)), k.bytes > 0 ? String(+(k.flops / k.bytes).toPrecision(3)) : '∞', escapeHtml(formatFlops(k.seconds > 0 ? (k.flops * k.count) / k.seconds : 0)), `${(100 * (total > 0 ? k.seconds / total : 0)).toFixed(1)}%`]);
  const mem = r.memoryOnly.count > 0 ? `<p class="note">Not drawn: ${r.memoryOnly.count} memory-only kernels (no FLOPs), ${formatDuration(r.memoryOnly.seconds)} in all at ${formatBytes(r.memoryOnly.seconds > 0 ? r.memoryOnly.bytes / r.memoryOnly.seconds : 0)}/s.</p>` : '';
  return [
    `<h2>Kernels on the roofline (rank ${r.rank}, ${escapeHtml(r.accelerator)})</h2>`,
    '<p class="note">One dot per kind of kernel (same name pattern, data type, FLOPs and bytes) at its arithmetic intensity and the FLOP/s it reached in the run, its area by its share of kernel time; the lines are the accelerator\'s roofs (HBM bandwidth × intensity, then the math peak of each data type). Dots far below their roof lost time to sharing with other kernels and transfers, or to the efficiency of their kind.</p>',
    rooflineChart(r),
    mem,
    table(['kernel', 'dtype', 'count', 'FLOPs each', 'bytes each', 'FLOPs/byte', 'reached', 'share of kernel time'], rows),
  ];
}

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
  readonly bars: (rows: { label: string; r: SweepPointResult }[], width: number, labelWidth: number) => string;
}

const metricOf = (r: SweepPointResult, k: string) => Number(r.metrics![k] ?? 0);
const perSecond = (v: number) => `${+v.toPrecision(3)} req/s`;

const OBJECTIVES: Record<'collective' | 'workload' | 'serve', SweepObjective> = {
  collective: {
    metric: 'collective time', better: 'lower', value: (r) => metricOf(r, 'timeUs') / 1e6, format: formatDuration, heading: 'Collective time per point',
    bars: (rows, w, l) => stackedBars(['time'], rows.map(({ label, r }) => ({ label, values: [metricOf(r, 'timeUs') / 1e6] })), formatDuration, w, l),
  },
  workload: {
    metric: 'step time', better: 'lower', value: (r) => metricOf(r, 'stepMs') / 1e3, format: formatDuration, heading: 'Step time per point, broken down (mean of ranks)',
    bars: (rows, w, l) => stackedBars(BREAKDOWN, rows.map(({ label, r }) => ({ label, values: ['computeMs', 'exposedCommMs', 'hostBoundMs', 'inputStallMs', 'idleMs'].map((k) => metricOf(r, k) / 1e3) })), formatDuration, w, l),
  },
  serve: {
    metric: 'goodput', better: 'higher', value: (r) => metricOf(r, 'goodputPerSec'), format: perSecond, heading: 'Completed requests per second, within the SLO (goodput) and outside it',
    bars: (rows, w, l) => stackedBars(['within SLO', 'outside SLO'], rows.map(({ label, r }) => ({ label, values: [metricOf(r, 'goodputPerSec'), Math.max(0, metricOf(r, 'requestsPerSec') - metricOf(r, 'goodputPerSec'))] })), perSecond, w, l),
  },
};

/** `fairway sweep`: the best point, heat maps of the objective over the grid's axes, one bar per point (a workload's step broken down, a collective's time, a deployment's goodput) and every point's results. */
export function sweepHtml(title: string, paths: readonly string[], records: readonly SweepPointResult[]): string {
  const ok = records.filter((r) => r.ok && r.metrics);
  const names = shortNames(paths);
  // a point's label: its overrides by their shortest telling path suffix, e.g. "#3 tp=4 tpOverlap=true"
  const label = (r: SweepPointResult) => [`#${r.index}`, ...paths.map((p) => `${names.get(p)}=${valueText(r.point[p])}`)].join(' ');
  const labelWidth = Math.min(360, Math.max(110, 6.5 * ok.reduce((w, r) => Math.max(w, label(r).length), 0) + 12));
  const o = OBJECTIVES[ok.some((r) => r.metrics!.goodputPerSec !== undefined) ? 'serve' : ok.some((r) => r.metrics!.stepMs !== undefined) ? 'workload' : 'collective'];
  const metrics: string[] = [];
  for (const r of records) for (const m of Object.keys(r.metrics ?? {})) if (!metrics.includes(m)) metrics.push(m);
  const show = (v: unknown) => escapeHtml(v === undefined ? '' : typeof v === 'number' ? String(+v.toPrecision(6)) : valueText(v));
  const rows = records.map((r) => [String(r.index), ...paths.map((p) => show(r.point[p])), ...(r.ok ? metrics.map((m) => show(r.metrics?.[m])) : [`FAILED: ${escapeHtml(r.error ?? '')}`])]);
  const value = (r: SweepPointResult) => (r.ok && r.metrics ? o.value(r) : undefined);
  const maps = sweepMaps(records.map((r) => ({ index: r.index, point: r.point, value: value(r) })), paths, o.metric, o.better);
  const best = ok.reduce<SweepPointResult | undefined>((b, r) => (b === undefined || (o.better === 'higher' ? value(r)! > value(b)! : value(r)! < value(b)!) ? r : b), undefined);
  const ends = o.better === 'higher' ? 'green the most and red the least' : 'green the fastest and red the slowest';
  return page(title, [
    ...(best ? [`<p><b>Best point</b>: ${escapeHtml(label(best))}, ${escapeHtml(o.metric)} ${escapeHtml(o.format(value(best)!))}.</p>`] : []),
    ...(maps.length ? ['<h2>Over the grid\'s axes</h2>', `<p class="note">Each cell is a point, ${ends}; the best point is outlined and starred. Other varied settings, if any, give one map each.</p>`, ...maps.map((m) => heatMapChart(m, o.format))] : []),
    `<h2>${o.heading}</h2>`,
    o.bars(ok.map((r) => ({ label: label(r), r })), 720 + labelWidth - 110, labelWidth),
    '<h2>Points</h2>',
    table(['#', ...paths, ...metrics], rows),
  ]);
}
