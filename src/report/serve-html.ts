// `fairway serve --html`: a deployment's run as a self-contained page. The summary the text
// report gives, then the latency CDFs (TTFT, TPOT, end to end: the share of requests at or under
// each latency, on a log time axis), and over the run's time (100 bins): requests completed a
// second, tokens processed a second, each instance's KV cache in use (time-weighted share of its
// blocks), and the requests queued for admission and running.
import { formatDuration } from '../core/units.js';
import type { Sequence } from '../sim/serving/batch-scheduler.js';
import type { ServingRun } from '../sim/serving/serving-run.js';
import { renderChart } from './chart-render.js';
import { escapeHtml, page, table } from './html-report.js';
import { lineChart, type Series } from './line-chart.js';
import { fabricStressPoints, formatServeText, type ServeReport } from './serve-report.js';

/** Bins of the time charts, and most points of a CDF line. */
export const TIME_BINS = 100;
const CDF_POINTS = 200;
/** Instances drawn one line each on the KV chart; more are drawn as their mean and largest. */
const KV_LINES = 8;

/** The share of values at or under each of at most CDF_POINTS evenly ranked values: [value, share] ascending, the last share 1. */
export function cdfPoints(values: readonly number[]): [number, number][] {
  const xs = [...values].filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (xs.length === 0) return [];
  const step = Math.max(1, Math.ceil(xs.length / CDF_POINTS));
  const out: [number, number][] = [];
  for (let i = step - 1; i < xs.length; i += step) out.push([xs[i], (i + 1) / xs.length]);
  if (out[out.length - 1][1] !== 1) out.push([xs[xs.length - 1], 1]);
  return out;
}

const done = (run: ServingRun) => run.requests.filter((s) => s.finishedSec > 0 && s.firstTokenSec > 0);
const tpotOf = (s: Sequence) => (s.output > 1 ? (s.finishedSec - s.firstTokenSec) / (s.output - 1) : NaN);

/** Bin midpoints and width over [0, end]. */
function bins(endSec: number): { width: number; mid: (i: number) => number } {
  const width = endSec / TIME_BINS;
  return { width, mid: (i) => (i + 0.5) * width };
}

/** Completed requests and processed tokens per second in each bin. */
export function throughputSeries(run: ServingRun, endSec: number): Series[] {
  const { width, mid } = bins(endSec);
  const completed = new Float64Array(TIME_BINS), tokens = new Float64Array(TIME_BINS);
  const at = (t: number) => Math.min(TIME_BINS - 1, Math.max(0, Math.floor(t / width)));
  for (const s of done(run)) completed[at(s.finishedSec)]++;
  for (const st of run.timeline?.steps ?? []) tokens[at(st.endSec)] += st.tokens;
  const series = (name: string, v: Float64Array): Series => ({ name, points: Array.from(v, (x, i) => [mid(i), x / width] as [number, number]) });
  return [series('requests completed', completed), series('tokens processed (prefill and decode)', tokens)];
}

/** Each instance's time-weighted share of KV blocks in use per bin, from each step's start until its instance's next step starts or it ends (more than KV_LINES instances: their mean and the largest). */
export function kvSeries(run: ServingRun, endSec: number, names: readonly string[]): Series[] {
  const { width, mid } = bins(endSec);
  const n = run.instances.length;
  const use = Array.from({ length: n }, () => new Float64Array(TIME_BINS));
  const steps = run.timeline?.steps ?? [];
  // a step's KV use holds until its instance's next step starts, at most until it ends: a
  // pipelined instance's overlapping batches each count until the next one takes over
  const next = new Float64Array(steps.length).fill(Infinity);
  const last = new Map<number, number>();
  steps.forEach((st, i) => {
    const before = last.get(st.instance);
    if (before !== undefined) next[before] = st.startSec;
    last.set(st.instance, i);
  });
  for (let i = 0; i < steps.length; i++) {
    const st = steps[i];
    const end = Math.min(st.endSec, next[i]);
    for (let b = Math.floor(st.startSec / width); b < TIME_BINS && b * width < end; b++) {
      const overlap = Math.min(end, (b + 1) * width) - Math.max(st.startSec, b * width);
      if (overlap > 0) use[st.instance][b] += (st.kvUse * overlap) / width;
    }
  }
  const line = (name: string, v: ArrayLike<number>): Series => ({ name, points: Array.from(v, (x, i) => [mid(i), 100 * x] as [number, number]) });
  if (n <= KV_LINES) return use.map((v, i) => line(names[i] ?? `instance ${i}`, v));
  const mean = Array.from({ length: TIME_BINS }, (_, b) => use.reduce((a, v) => a + v[b], 0) / n);
  const max = Array.from({ length: TIME_BINS }, (_, b) => use.reduce((a, v) => Math.max(a, v[b]), 0));
  return [line(`mean of ${n} instances`, mean), line('the fullest instance', max)];
}

/** Requests waiting for admission and running (admitted, not finished) at each bin's midpoint; rejected ones are neither. */
export function queueSeries(run: ServingRun, endSec: number): Series[] {
  const { mid } = bins(endSec);
  const waiting = new Float64Array(TIME_BINS), running = new Float64Array(TIME_BINS);
  const rejected = new Set(run.rejected.map((s) => s.id));
  const requests = run.requests.filter((s) => !rejected.has(s.id));
  for (let i = 0; i < TIME_BINS; i++) {
    const t = mid(i);
    for (const s of requests) {
      const admitted = s.admittedSec >= 0 ? s.admittedSec : Infinity;
      const finished = s.finishedSec > 0 ? s.finishedSec : Infinity;
      if (s.arrivalSec <= t && t < admitted) waiting[i]++;
      else if (admitted <= t && t < finished) running[i]++;
    }
  }
  return [{ name: 'queued (waiting for admission)', points: Array.from(waiting, (x, i) => [mid(i), x] as [number, number]) }, { name: 'running', points: Array.from(running, (x, i) => [mid(i), x] as [number, number]) }];
}

/** The page: the text summary, latency CDFs, the time series, the fabric's links and the instances. */
export async function serveHtml(r: ServeReport, names: readonly string[]): Promise<string> {
  const { run } = r;
  const ok = done(run);
  const end = Math.max(run.makespanSec, 1e-9);
  const share = (y: number) => `${+(100 * y).toFixed(1)}%`;
  const slo = (x: number) => [{ x, label: `objective ${formatDuration(x)}` }];
  const cdf = (name: string, xs: number[], xRules: { x: number; label: string }[] = []) => lineChart([{ name, points: cdfPoints(xs) }], { xLabel: name, yLabel: 'share of requests at or under', xScale: 'log10', xTick: formatDuration, yTick: share, xRules });
  const count = (y: number) => String(+y.toPrecision(4));
  const overTime = (series: Series[], yLabel: string, yValue: (y: number) => string, yTick = count) => lineChart(series, { xLabel: 'time since the first arrival', yLabel, xScale: 'linear', xTick: (t) => (t === 0 ? '0' : formatDuration(t)), yTick, yValue });
  const [completed, tokens] = throughputSeries(run, end);
  const perSec = (what: string) => (y: number) => `${+y.toPrecision(4)} ${what}/s`;
  const specs = [
    cdf('time to first token', ok.map((s) => s.firstTokenSec - s.arrivalSec), slo(r.spec.slo.ttftSec)),
    cdf('time per output token', ok.map(tpotOf), slo(r.spec.slo.tpotSec)),
    cdf('end-to-end latency', ok.map((s) => s.finishedSec - s.arrivalSec)),
    overTime([completed], 'requests a second', perSec('requests')),
    overTime([tokens], 'tokens a second', perSec('tokens')),
    overTime(kvSeries(run, end, names), 'KV cache in use', (y) => `${+y.toPrecision(3)}%`, (y) => `${+y.toPrecision(3)}%`),
    overTime(queueSeries(run, end), 'requests', (y) => `${y} requests`),
  ];
  const charts = await Promise.all(specs.map(renderChart));
  return page(`serve ${r.spec.name}`, [
    `<pre>${escapeHtml(formatServeText(r))}</pre>`,
    '<h2>Latency, over the completed requests</h2>',
    '<p class="note">Each line: the share of requests (y) whose latency is at or under x, on a log time axis; the dashed rules are the service-level objectives (TTFT and TPOT) that goodput counts.</p>',
    ...charts.slice(0, 3),
    '<h2>Over time</h2>',
    ...charts.slice(3),
    ...fabricSection(r),
    '<h2>Instances</h2>',
    table(['instance', 'steps', 'busy', 'mean KV use', 'peak KV use', 'mean tokens a step', 'mean sequences a step', 'preemptions'], run.instances.map((i, k) => [escapeHtml(names[k] ?? `instance ${k}`), String(i.steps), escapeHtml(formatDuration(i.busySec)), `${(100 * i.meanKvUse).toFixed(1)}%`, `${(100 * i.peakKvUse).toFixed(1)}%`, i.meanBatchTokens.toFixed(1), i.meanBatchSequences.toFixed(1), String(i.preemptions)])),
  ]);
}

/** The fabric's most used links (disaggregated KV transfers, background traffic): utilization and time saturated. */
function fabricSection(r: ServeReport): string[] {
  const f = fabricStressPoints(r.run);
  if (!f || f.byUtilization.length === 0) return [];
  const rows = f.byUtilization.map((p) => [escapeHtml(p.resource), escapeHtml(p.linkType ?? p.kind), `${(100 * p.utilization).toFixed(2)}%`, escapeHtml(formatDuration(p.bottleneckSec))]);
  return ['<h2>Fabric links most used</h2>', '<p class="note">KV transfers and background traffic share these links max-min; utilization is over the whole run, saturated is the time a link was the bottleneck of some transfer.</p>', table(['link', 'type', 'utilization', 'saturated'], rows)];
}
