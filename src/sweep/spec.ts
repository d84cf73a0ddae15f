// A sweep: a base scenario and the points to run, each a list of field overrides addressed by
// path. Points are numbered in a fixed order (grid first, first axis slowest; then the listed
// points), and that number identifies a point across workers, shards, resumed runs and merges.

/** A scenario document: `topology` (document) and one of `collective` or `workload` (documents); overrides address its fields by path. */
export type ScenarioDocument = Record<string, unknown>;

export type Override = readonly [path: string, value: unknown];

export interface SweepSpec {
  readonly name: string;
  readonly base: ScenarioDocument;
  /** Grid axes in file order; every combination is a point. */
  readonly axes: readonly { readonly path: string; readonly values: readonly unknown[] }[];
  /** Listed points, after the grid's. */
  readonly listed: readonly (readonly Override[])[];
}

export interface SweepPoint {
  readonly index: number;
  readonly overrides: readonly Override[];
}

export function sweepPoints(spec: SweepSpec): SweepPoint[] {
  const out: SweepPoint[] = [];
  if (spec.axes.length > 0) {
    const total = spec.axes.reduce((n, a) => n * a.values.length, 1);
    for (let k = 0; k < total; k++) {
      let rest = k;
      const overrides: Override[] = new Array(spec.axes.length);
      for (let a = spec.axes.length - 1; a >= 0; a--) {
        const len = spec.axes[a].values.length;
        overrides[a] = [spec.axes[a].path, spec.axes[a].values[rest % len]];
        rest = Math.floor(rest / len);
      }
      out.push({ index: out.length, overrides });
    }
  }
  for (const overrides of spec.listed) out.push({ index: out.length, overrides });
  return out;
}

/** The column names of a sweep's overrides: grid axes, then any other paths the listed points set. */
export function overridePaths(spec: SweepSpec): string[] {
  const paths = spec.axes.map((a) => a.path);
  for (const p of spec.listed) for (const [path] of p) if (!paths.includes(path)) paths.push(path);
  return paths;
}
