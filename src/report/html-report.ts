// Self-contained HTML reports (inline SVG and CSS, no scripts or network): the page and table
// every report uses; the busbw and time curves of `fairway collective` against size with its
// table; the step of `fairway simulate` as per-rank stacked bars (compute, exposed
// communication, host-bound, input stall, idle), its stress points by resource class, link
// utilization per fabric tier, timelines of ranks and a roofline of the kernels. (A sweep's page
// is sweep-html.ts, a deployment's serve-html.ts.) The charts are Vega-Lite specs rendered to
// SVG (chart-render.ts), so building a report is asynchronous. Deterministic: the same results
// give the same bytes.
import { formatBytes, formatDuration, formatFlops } from '../core/units.js';
import { stackedBars } from './bar-chart.js';
import type { ChartSpec } from './chart-axis.js';
import { renderChart, scopeIds } from './chart-render.js';
import { collectiveCharts, type CollectiveAlternative } from './collective-chart.js';
import type { Roofline } from './kernel-roofline.js';
import type { CollectiveRow } from './nccl-table.js';
import { timelineChart, type TimelineTrack } from './rank-timeline.js';
import { rooflineChart } from './roofline-chart.js';
import { resourceClass, type MonitoredStressPoint } from './stress-points.js';
import type { TierUtilization } from './tier-utilization.js';

export type { CollectiveAlternative } from './collective-chart.js';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The charts rendered to SVG, in order. */
export const render = (specs: readonly ChartSpec[]): Promise<string[]> => Promise.all(specs.map(renderChart));

const STYLE =
  'body{font-family:sans-serif;margin:24px;color:#222;max-width:960px}h1{font-size:20px}h2{font-size:16px;margin-top:28px}' +
  'table{border-collapse:collapse;font-size:12px}td,th{border-bottom:1px solid #ddd;padding:3px 8px;text-align:right}th{background:#f5f5f5}' +
  'td:first-child,th:first-child{text-align:left}.note{color:#666;font-size:12px}svg{display:block;margin:8px 0}';

/** A self-contained page: `title` as its heading, then `body`'s HTML (each chart's element ids prefixed by its place: c0-, c1-, …). */
export function page(title: string, body: string[]): string {
  let chart = 0;
  const html = body.join('\n').replace(/<svg [\s\S]*?<\/svg>/g, (svg) => scopeIds(svg, `c${chart++}`));
  return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><h1>${escapeHtml(title)}</h1>${html}</body></html>\n`;
}

/** `rows` are cells already in HTML; no header row when `head` is empty. */
export function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const header = head.length ? `<tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>` : '';
  return `<table>${header}${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</table>`;
}

/** `fairway collective`: busbw and time per operation against size (the algorithm and protocol chosen at each size one line, alternatives run at every size dashed), and the rows. */
export async function collectiveHtml(title: string, rows: readonly CollectiveRow[], alternatives: readonly CollectiveAlternative[] = []): Promise<string> {
  const { busbw, time } = collectiveCharts(rows, alternatives);
  const [busbwSvg, timeSvg] = await render([busbw, time]);
  const body = rows.map((r) => [String(r.sizeBytes), String(r.count), r.type, r.redop, String(r.root), r.timeUs.toFixed(2), r.algbwGBps.toFixed(2), r.busbwGBps.toFixed(2), escapeHtml(r.algo)]);
  return page(title, [
    '<h2>Bus bandwidth</h2>',
    busbwSvg,
    `<p class="note">busbw = algbw × the nccl-tests factor of the operation. The line is the algorithm and protocol run at each size (under --algo auto, the one NCCL's tuner plans), each point's shape telling which; hover a point for its values${alternatives.length ? '; dashed: every other algorithm run at every size (--compare)' : '; --compare also runs every other algorithm at every size, drawn dashed beside it'}.</p>`,
    '<h2>Time per operation</h2>',
    timeSvg,
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

export const BREAKDOWN = ['compute', 'exposed communication', 'host-bound', 'input stall', 'idle'];

/** A share as a percentage, "45.2%" ("10%" for a round one). */
const percent = (x: number) => `${+(100 * x).toFixed(1)}%`;

/** `fairway simulate`: the per-rank breakdown of a step as stacked bars, the stress points, tiers, timelines and the roofline. */
export async function workloadHtml(w: WorkloadReport): Promise<string> {
  const breakdown = stackedBars(
    BREAKDOWN,
    w.ranks.map((r) => ({ label: r.label, values: [r.computeSec, r.exposedCommSec, r.hostBoundSec, r.inputStallSec, r.idleSec] })),
    { unit: formatDuration, xLabel: 'time in the step' },
  );
  const [bars, stress, bottleneck] = await render([breakdown, stressChart(w.byClass), ...(w.byBottleneck ? [bottleneckChart(w.byBottleneck, w.makespanSec)] : [])]);
  const body = [
    table([], w.summary.map(([k, v]) => [escapeHtml(k), escapeHtml(v)])),
    `<h2>Where each rank's step goes (${escapeHtml(formatDuration(w.stepSec))})</h2>`,
    bars,
    ...(w.ranksNote ? [`<p class="note">${escapeHtml(w.ranksNote)}</p>`] : []),
    '<h2>Stress points by resource class</h2>',
    '<p class="note">The three most utilized resources of each class (average utilization over the run: what went through it over its capacity × the run time), so the links behind exposed communication show next to the math units.</p>',
    stress,
  ];
  if (bottleneck) body.push('<h2>Stress points by time as a bottleneck</h2>', bottleneck);
  else body.push('<p class="note">Bottleneck times were not recorded (the resource monitor was off); run with --monitor.</p>');
  if (w.tiers?.length) body.push(...(await tierSection(w.tiers)));
  if (w.timelines?.length) body.push(...(await timelineSection(w.timelines, w.makespanSec)));
  if (w.roofline) body.push(...(await rooflineSection(w.roofline)));
  return page(w.title, body);
}

/** A bar per resource, coloured by its class (classes in RESOURCE_CLASSES order), its utilization written at its end. */
function stressChart(points: readonly MonitoredStressPoint[]): ChartSpec {
  const classes = [...new Set(points.map(resourceClass))];
  const rows = points.map((p) => ({ label: p.resource, values: classes.map((c) => (c === resourceClass(p) ? p.utilization : 0)) }));
  return stackedBars(classes, rows, { unit: percent, xLabel: 'average utilization over the run' });
}

/** A bar per resource: the time it was some transfer's bottleneck, and that as a share of the run. */
function bottleneckChart(points: readonly MonitoredStressPoint[], makespanSec: number): ChartSpec {
  const rows = points.map((p) => ({ label: p.resource, values: [p.bottleneckSec] }));
  return stackedBars(['time as a bottleneck'], rows, { unit: formatDuration, xLabel: 'time as a bottleneck', total: (t) => `${formatDuration(t)} (${percent(makespanSec > 0 ? t / makespanSec : 0)} of the run)` });
}

async function tierSection(tiers: readonly TierUtilization[]): Promise<string[]> {
  const rows = tiers.flatMap((t) => [{ label: `${t.tier}: mean`, values: [t.meanUtilization, 0] }, { label: `${t.tier}: busiest`, values: [0, t.maxUtilization] }]);
  const [chart] = await render([stackedBars(['mean of its link directions', 'its busiest direction'], rows, { unit: percent, xLabel: 'average utilization over the run' })]);
  return [
    '<h2>Link utilization per fabric tier</h2>',
    '<p class="note">Each tier\'s link directions: their mean and largest average utilization over the run (bytes carried over capacity × run time) and the busiest one. A tier far below the others has capacity the workload does not use; one near 100% is where a faster or wider fabric pays.</p>',
    chart,
    table(['tier', 'link directions (used)', 'bytes', 'mean', 'busiest', 'its utilization'], tiers.map((t) => [escapeHtml(t.tier), `${t.directions} (${t.used})`, escapeHtml(formatBytes(t.bytes)), percent(t.meanUtilization), t.busiest ? escapeHtml(t.busiest) : '-', t.busiest ? percent(t.maxUtilization) : '-'])),
  ];
}

async function timelineSection(timelines: NonNullable<WorkloadReport['timelines']>, endSec: number): Promise<string[]> {
  const charts = await render(timelines.map((t) => timelineChart(t.tracks, endSec)));
  return [
    '<h2>Timelines</h2>',
    '<p class="note">What each track of a rank did over the run (all iterations): its streams, its host thread and its loader workers. Click a rank to open or close it; hover a bar for the operation; bars closer than half a pixel merge and say how many they hold.</p>',
    ...timelines.map((t, i) => `<details${i === 0 ? ' open' : ''}><summary>${escapeHtml(t.label)}</summary>${charts[i]}</details>`),
  ];
}

async function rooflineSection(r: Roofline): Promise<string[]> {
  const total = r.kernels.reduce((s, k) => s + k.seconds, 0);
  const rows = r.kernels.slice(0, 12).map((k) => [escapeHtml(k.name), escapeHtml(k.dtype), String(k.count), escapeHtml(formatFlops(k.flops).replace('/s', '')), escapeHtml(formatBytes(k.bytes)), k.bytes > 0 ? String(+(k.flops / k.bytes).toPrecision(3)) : '∞', escapeHtml(formatFlops(k.seconds > 0 ? (k.flops * k.count) / k.seconds : 0)), `${(100 * (total > 0 ? k.seconds / total : 0)).toFixed(1)}%`]);
  const mem = r.memoryOnly.count > 0 ? `<p class="note">Not drawn: ${r.memoryOnly.count} memory-only kernels (no FLOPs), ${formatDuration(r.memoryOnly.seconds)} in all at ${formatBytes(r.memoryOnly.seconds > 0 ? r.memoryOnly.bytes / r.memoryOnly.seconds : 0)}/s.</p>` : '';
  const [chart] = await render([rooflineChart(r)]);
  return [
    `<h2>Kernels on the roofline (rank ${r.rank}, ${escapeHtml(r.accelerator)})</h2>`,
    '<p class="note">One dot per kind of kernel (same name pattern, data type, FLOPs and bytes) at its arithmetic intensity and the FLOP/s it reached in the run, its area by its share of kernel time; the lines are the accelerator\'s roofs (HBM bandwidth × intensity, then the math peak of each data type). Dots far below their roof lost time to sharing with other kernels and transfers, or to the efficiency of their kind.</p>',
    chart,
    mem,
    table(['kernel', 'dtype', 'count', 'FLOPs each', 'bytes each', 'FLOPs/byte', 'reached', 'share of kernel time'], rows),
  ];
}
