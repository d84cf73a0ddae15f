// What the expansion knows of every operation before it starts: its path for error messages,
// the rank groups it runs within and each rank's place in them, the ranks it runs on, the
// per-rank overrides that apply, its kernel efficiency, the operations it waits for and those
// that wait for it, and how many iterations back the input pipeline looks.
import { KERNEL_EFFICIENCY } from '../hardware/kernel-efficiency.js';
import { checkRanks } from './groups.js';
import type { RankOverride, WorkloadOp, WorkloadSpec } from './spec.js';

/** What an op type adds to the plan (from its expander, workload/ops/). */
export interface OpTypePlan {
  /** The groups of ranks the op runs within (collectives, send/recv, peer copies); none by default. */
  groups?(op: WorkloadOp, ranks: number, path: string): number[][];
  /** How many batches the op loads ahead (an input's prefetch): the history the expansion keeps. */
  prefetch?(op: WorkloadOp): number;
}

/** Per op, indexed like spec.ops. */
export interface OpPlan {
  readonly paths: readonly string[];
  readonly groups: readonly number[][][];
  /** Per rank: the index of its group and its position in it (−1: not a member). */
  readonly membership: readonly { readonly groupOf: Int32Array; readonly position: Int32Array }[];
  /** The ranks the op runs on (undefined: all). */
  readonly runsOn: readonly (ReadonlySet<number> | undefined)[];
  readonly overrides: readonly ReadonlyMap<number, RankOverride>[];
  readonly efficiency: readonly number[];
  /** The ops it waits for (`after`) and those waiting for it, as op indices. */
  readonly after: readonly number[][];
  readonly consumers: readonly number[][];
  /** The deepest prefetch of any op (0 without input ops). */
  readonly maxPrefetch: number;
}

/** Per rank: the override that applies (the last one listing the rank), if any. */
function overridesByRank(op: WorkloadOp): Map<number, RankOverride> {
  const m = new Map<number, RankOverride>();
  for (const o of op.overrides) for (const r of o.ranks) m.set(r, { ...m.get(r), ...Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) } as RankOverride);
  return m;
}

function memberships(groups: number[][], n: number): { groupOf: Int32Array; position: Int32Array } {
  const groupOf = new Int32Array(n).fill(-1);
  const position = new Int32Array(n).fill(-1);
  groups.forEach((g, gi) => g.forEach((r, p) => ((groupOf[r] = gi), (position[r] = p))));
  return { groupOf, position };
}

/** Checks every op's rank lists, then plans each op over `n` ranks (`types`: each op's type's part). */
export function planOps(spec: WorkloadSpec, n: number, types: readonly OpTypePlan[]): OpPlan {
  const paths = spec.ops.map((o) => `ops.${o.id}`);
  spec.ops.forEach((op, i) => checkRanks(op, n, paths[i]));
  const groups = spec.ops.map((op, i) => types[i].groups?.(op, n, paths[i]) ?? []);
  const membership = groups.map((g) => memberships(g, n));
  const runsOn = spec.ops.map((op) => (op.ranks ? new Set(op.ranks) : undefined));
  const overrides = spec.ops.map(overridesByRank);
  const efficiency = spec.ops.map((op) => op.efficiency ?? KERNEL_EFFICIENCY.get(op.kernelClass)!.efficiency);
  const index = new Map(spec.ops.map((o, i) => [o.id, i]));
  const consumers: number[][] = spec.ops.map(() => []);
  spec.ops.forEach((o, i) => o.after.forEach((a) => consumers[index.get(a)!].push(i)));
  const after = spec.ops.map((o) => o.after.map((a) => index.get(a)!));
  let maxPrefetch = 0;
  for (const [i, op] of spec.ops.entries()) {
    const ahead = types[i].prefetch?.(op);
    if (ahead !== undefined) maxPrefetch = Math.max(maxPrefetch, ahead);
  }
  return { paths, groups, membership, runsOn, overrides, efficiency, after, consumers, maxPrefetch };
}
