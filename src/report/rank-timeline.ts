// One rank's timeline as deterministic SVG: a row per track (its streams, its host thread, its
// loader workers), each operation a bar from its start to its finish coloured by what it is
// (kernel, communication, host work, input), under a time axis. Bars closer than half a pixel
// of one kind merge into one (its tooltip counts them), so a step of a million operations still
// draws at most a few thousand.
import { formatDuration } from '../core/units.js';
import type { WorkloadRun } from '../sim/workload-run.js';
import { CAT_COMM, CAT_COMPUTE, CAT_HOST, CAT_HOST_WAIT, CAT_INPUT, CAT_TRACE } from '../workload/timeline.js';
import type { WorkloadSpec } from '../workload/spec.js';
import { escapeHtml, niceMax } from './svg-charts.js';

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
const COLOUR = new Map(KINDS.map(([c, , colour]) => [c, colour]));
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

const LABEL = 150, ROW = 14, GAP = 4, LEGEND = 20, AXIS = 26;

export function timelineChart(tracks: readonly TimelineTrack[], endSec: number, width = 900): string {
  const plotW = width - LABEL - 12;
  const height = LEGEND + tracks.length * (ROW + GAP) + AXIS;
  const X = (s: number) => LABEL + (endSec > 0 ? (s / endSec) * plotW : 0);
  const r1 = (x: number) => Math.round(x * 10) / 10;
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" class="timeline" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`];
  let lx = LABEL;
  for (const [, name, colour] of KINDS) parts.push(`<rect x="${lx}" y="4" width="10" height="10" fill="${colour}"/><text x="${lx + 14}" y="13">${name}</text>`), (lx += 24 + 7 * name.length);
  const plotH = tracks.length * (ROW + GAP);
  if (endSec > 0)
    for (let s = 0, step = niceMax(endSec / 6); s <= endSec * (1 + 1e-9); s += step)
      parts.push(`<line x1="${r1(X(s))}" x2="${r1(X(s))}" y1="${LEGEND}" y2="${LEGEND + plotH}" stroke="#e4e4e4"/><text x="${r1(X(s))}" y="${LEGEND + plotH + 14}" text-anchor="middle">${s === 0 ? '0' : escapeHtml(formatDuration(s))}</text>`);
  tracks.forEach((track, j) => {
    const y = LEGEND + j * (ROW + GAP);
    parts.push(`<text x="${LABEL - 6}" y="${y + 11}" text-anchor="end">${escapeHtml(track.name)}</text>`);
    const spans = [...track.spans].sort((a, b) => a.start - b.start || a.end - b.end);
    let cur: { x0: number; x1: number; category: number; n: number; first: TimelineSpan; last: TimelineSpan; busy: number } | null = null;
    const flush = () => {
      if (!cur) return;
      const tip = cur.n === 1 ? `${cur.first.label}: ${formatDuration(cur.busy)}` : `${cur.n} ${NAME.get(cur.category) ?? ''} operations, ${cur.first.label} … ${cur.last.label}, ${formatDuration(cur.busy)} in all`;
      parts.push(`<rect class="span" x="${r1(cur.x0)}" y="${y}" width="${r1(Math.max(0.5, cur.x1 - cur.x0))}" height="${ROW}" fill="${COLOUR.get(cur.category) ?? '#bab0ac'}"><title>${escapeHtml(tip)}</title></rect>`);
    };
    for (const s of spans) {
      const x0 = X(s.start), x1 = X(s.end);
      if (cur && cur.category === s.category && x0 <= cur.x1 + 0.5) {
        cur.x1 = Math.max(cur.x1, x1);
        cur.n++;
        cur.last = s;
        cur.busy += s.end - s.start;
      } else {
        flush();
        cur = { x0, x1, category: s.category, n: 1, first: s, last: s, busy: s.end - s.start };
      }
    }
    flush();
  });
  parts.push('</svg>');
  return parts.join('');
}
