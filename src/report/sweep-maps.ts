// A sweep's points as heat maps over its axes: the two varied paths whose value pairs tell the
// most points apart are the columns and rows (a later path across, an earlier one down), any
// other varied paths split the points into one map per combination of their values, and the
// metric (a workload's step time, a collective's time: less is better; a deployment's goodput:
// more is better) colours the cells, the best point of all outlined.
import type { HeatMap } from './heatmap-chart.js';

export interface SweepPoint {
  readonly index: number;
  readonly point: Readonly<Record<string, unknown>>;
  /** The metric, undefined where the point failed. */
  readonly value: number | undefined;
}

/** At most this many maps (combinations of the other paths); a sweep with more shows the first. */
export const MAX_MAPS = 8;

const text = (v: unknown) => (v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v));
/**
 * Each path's label: its last segment, or as many trailing segments as tell it apart from the
 * others' (`serve.disaggregated.prefill.tp` and `….decode.tp` become `prefill.tp`, `decode.tp`)
 * and from the `taken` names (a table's metric columns: `collective.algo` beside the metric `algo`).
 */
export function shortNames(paths: readonly string[], taken: readonly string[] = []): Map<string, string> {
  const parts = paths.map((p) => p.split('.'));
  const tail = (segs: string[], k: number) => segs.slice(Math.max(0, segs.length - k)).join('.');
  return new Map(
    paths.map((p, i) => {
      let k = 1;
      while (k < parts[i].length && (taken.includes(tail(parts[i], k)) || parts.some((q, j) => j !== i && tail(q, k) === tail(parts[i], k)))) k++;
      return [p, tail(parts[i], k)];
    }),
  );
}

/** Distinct values of a path over the points, in first-seen order. */
function valuesOf(points: readonly SweepPoint[], path: string): string[] {
  return [...new Set(points.map((p) => text(p.point[path])))];
}

/** The [columns, rows] paths: of the paths with 2+ values, the pair with the most distinct value pairs, earliest first; null with fewer than 2 such paths. */
function axesOf(points: readonly SweepPoint[], paths: readonly string[]): [string, string] | null {
  const varied = paths.filter((p) => valuesOf(points, p).length > 1);
  let best: [string, string] | null = null;
  let most = 0;
  for (let i = 0; i < varied.length; i++)
    for (let j = i + 1; j < varied.length; j++) {
      const pairs = new Set(points.map((p) => `${text(p.point[varied[i]])}\u0000${text(p.point[varied[j]])}`)).size;
      if (pairs > most) (most = pairs), (best = [varied[j], varied[i]]);
    }
  return best;
}

/** The maps of a sweep (none when fewer than two paths vary), titled by the other paths' values. */
export function sweepMaps(points: readonly SweepPoint[], paths: readonly string[], metric: string, better: 'lower' | 'higher' = 'lower'): HeatMap[] {
  const axes = axesOf(points, paths);
  if (!axes) return [];
  const [xPath, yPath] = axes;
  const names = shortNames(paths);
  const short = (path: string) => names.get(path) ?? path;
  const xs = valuesOf(points, xPath), ys = valuesOf(points, yPath);
  const unique = new Set(points.map((p) => `${text(p.point[xPath])}\u0000${text(p.point[yPath])}`)).size === points.length;
  const others = unique ? [] : paths.filter((p) => p !== xPath && p !== yPath && valuesOf(points, p).length > 1);
  const facetOf = (p: SweepPoint) => others.map((o) => `${short(o)}=${text(p.point[o])}`).join(' ');
  const facets = [...new Set(points.map(facetOf))].slice(0, MAX_MAPS);
  const ok = points.filter((p) => p.value !== undefined && Number.isFinite(p.value));
  const beats = (a: number, b: number) => (better === 'higher' ? a > b : a < b);
  const bestPoint = ok.reduce<SweepPoint | undefined>((b, p) => (b === undefined || beats(p.value!, b.value!) ? p : b), undefined);
  return facets.map((facet) => {
    const values = ys.map(() => xs.map((): number | undefined => undefined));
    let best: [number, number] | undefined;
    for (const p of points) {
      if (facetOf(p) !== facet) continue;
      const i = xs.indexOf(text(p.point[xPath])), j = ys.indexOf(text(p.point[yPath]));
      values[j][i] = p.value;
      if (p === bestPoint) best = [i, j];
    }
    return { title: facet ? `${metric}, ${facet}` : metric, xLabel: short(xPath), yLabel: short(yPath), xs, ys, values, ...(best ? { best } : {}), ...(better === 'higher' ? { better } : {}) };
  });
}
