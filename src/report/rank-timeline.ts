// One rank's timeline as a Vega-Lite spec: a row per track (its streams, its host thread, its
// loader workers), each operation a bar from its start to its finish coloured by what it is
// (kernel, communication, host work, input, loader), under a time axis. Bars of one kind closer
// than half a pixel merge into one (its tooltip counts them), so a step of a million operations
// still draws at most a few thousand.
import { formatDuration } from '../core/units.js';
import type { WorkloadRun } from '../sim/workload-run.js';
import { CAT_COMM, CAT_COMPUTE, CAT_HOST, CAT_HOST_WAIT, CAT_INPUT, CAT_TRACE } from '../workload/timeline.js';
import type { WorkloadSpec } from '../workload/spec.js';
import { CHART_CONFIG, labelledTicks, linearTicks, type ChartSpec } from './chart-axis.js';

export interface TimelineSpan {
  readonly start: number;
  readonly end: number;
  readonly category: number;
  readonly label: string;
}

export interface TimelineTrack {
  readonly name: string;
  readonly spans: TimelineSpan[];
}

const KINDS: readonly [number, string, string][] = [
  [CAT_COMPUTE, 'kernel', '#4e79a7'],
  [CAT_COMM, 'communication', '#e15759'],
  [CAT_HOST, 'host thread', '#f28e2b'],
  [CAT_INPUT, 'input', '#59a14f'],
  [CAT_TRACE, 'loader', '#76b7b2'],
];
const NAME = new Map(KINDS.map(([c, name]) => [c, name]));

/** Rank `rank`'s tracks in the order they were made, each span an operation instance (launches named "launch"). */
export function rankTracks(spec: WorkloadSpec, w: WorkloadRun, rank: number): TimelineTrack[] {
  const t = w.expanded.timeline;
  const { startSec, finishSec } = w.run;
  const tracks = new Map<number, TimelineTrack>();
  for (let i = 0; i < t.size; i++) {
    if (t.rank[i] !== rank || t.category[i] === CAT_HOST_WAIT) continue;
    const start = t.beginAtFinish[i] ? finishSec[t.begin[i]] : startSec[t.begin[i]];
    const end = finishSec[t.end[i]];
    if (!(end >= start)) continue;
    let track = tracks.get(t.track[i]);
    if (!track) tracks.set(t.track[i], (track = { name: t.tracks[t.track[i]].name, spans: [] }));
    track.spans.push({ start, end, category: t.category[i], label: t.op[i] < 0 ? 'launch' : spec.ops[t.op[i]].id });
  }
  return [...tracks].sort(([a], [b]) => a - b).map(([, track]) => track);
}

/** Width of the plot, px: spans closer than half of one of its pixels merge. */
const PLOT_W = 740;

interface MergedSpan {
  track: string;
  start: number;
  end: number;
  kind: string;
  tip: string;
}

/** A track's spans in start order, neighbours of one kind closer than `gap` seconds merged (the tooltip counts them). */
function mergedSpans(track: TimelineTrack, gap: number): MergedSpan[] {
  const out: MergedSpan[] = [];
  const spans = [...track.spans].sort((a, b) => a.start - b.start || a.end - b.end);
  let cur: { start: number; end: number; category: number; n: number; first: TimelineSpan; last: TimelineSpan; busy: number } | null = null;
  const flush = () => {
    if (!cur) return;
    const kind = NAME.get(cur.category) ?? 'other';
    const from = cur.start === 0 ? '0' : formatDuration(cur.start);
    const tip = cur.n === 1 ? `${cur.first.label} (${kind}): ${formatDuration(cur.busy)} from ${from}` : `${cur.n} ${kind} operations, ${cur.first.label} … ${cur.last.label}, ${formatDuration(cur.busy)} in all from ${from}`;
    // at least half a pixel wide, so the shortest operation still shows
    out.push({ track: track.name, start: cur.start, end: Math.max(cur.end, cur.start + gap), kind, tip });
  };
  for (const s of spans) {
    if (cur && cur.category === s.category && s.start <= cur.end + gap) {
      cur.end = Math.max(cur.end, s.end);
      cur.n++;
      cur.last = s;
      cur.busy += s.end - s.start;
    } else {
      flush();
      cur = { start: s.start, end: s.end, category: s.category, n: 1, first: s, last: s, busy: s.end - s.start };
    }
  }
  flush();
  return out;
}

/** A row per track, a bar per (merged) operation from its start to its finish, coloured by kind, under a time axis from 0 to `endSec`. */
export function timelineChart(tracks: readonly TimelineTrack[], endSec: number): ChartSpec {
  const gap = endSec > 0 ? (0.5 * endSec) / PLOT_W : 0;
  const spans = tracks.flatMap((t) => mergedSpans(t, gap));
  const ticks = linearTicks(endSec, 6).filter((t) => t <= endSec * (1 + 1e-9));
  const kinds = KINDS.map(([, name]) => name);
  return {
    config: CHART_CONFIG,
    width: PLOT_W,
    height: { step: 18 },
    data: { values: spans },
    mark: { type: 'bar', height: 14, clip: true },
    name: 'spans',
    encoding: {
      x: { field: 'start', type: 'quantitative', scale: { domain: [0, endSec > 0 ? endSec : 1], nice: false }, axis: { title: 'time since the run began', ...labelledTicks(ticks, (s) => (s === 0 ? '0' : formatDuration(s))) } },
      x2: { field: 'end' },
      y: { field: 'track', type: 'nominal', sort: null, scale: { domain: tracks.map((t) => t.name) }, axis: { title: null, labelLimit: 200 } },
      color: { field: 'kind', type: 'nominal', title: null, sort: null, scale: { domain: kinds, range: KINDS.map(([, , colour]) => colour) } },
      description: { field: 'tip' },
    },
  } as ChartSpec;
}
