// The column schema of an operation graph, written once: one typed array per field of an
// operation (what each holds per kind: op-kinds.ts) and two for dependency edges. The growable
// graph (operation-graph.ts) and the shared-memory writers (shared-columns.ts) are both made
// from it, so a field added here is added everywhere.
import { resized } from '../core/typed-arrays.js';

/** The per-operation columns, in storage order. */
export const OP_FIELDS = {
  kind: Uint8Array,
  src: Int32Array,
  dst: Int32Array,
  /** The op's amount of work, in its kind's unit (op-kinds.ts): bytes, FLOPs, core-seconds or a fraction. */
  work: Float64Array,
  /** Compute: bytes moved through HBM. Transfer: operand bytes the sending switch's reduction units added to make it (in-network reduction; 0 = none). */
  memBytes: Float64Array,
  /** Flow label for ECMP (e.g. the channel), so channels may take different paths. */
  label: Int32Array,
  delaySec: Float64Array,
  /** How many times the route's latency is paid (a send standing for several merged steps). */
  latencyTimes: Float64Array,
  /** Rank that issues the operation (for traces and per-rank reports). */
  rank: Int32Array,
  /** Transfer: the most work units (wire bytes) per second it may move, e.g. one CTA's protocol throughput; 0 = no bound. */
  bound: Float64Array,
} as const;

export type OpField = keyof typeof OP_FIELDS;
type ArrayOf<C> = C extends Uint8ArrayConstructor ? Uint8Array : C extends Int32ArrayConstructor ? Int32Array : Float64Array;
export type OpColumns = { -readonly [K in OpField]: ArrayOf<(typeof OP_FIELDS)[K]> };

/** The columns of a graph as typed arrays: operations and dependency edges (from → to), e.g. filled by worker threads. */
export interface DagColumns extends OpColumns {
  depFrom: Int32Array;
  depTo: Int32Array;
}

const FIELDS = Object.keys(OP_FIELDS) as OpField[];

/** Columns of `n` entries each, from `make(constructor, n)` (plain or shared memory). */
export function makeOpColumns(n: number, make: (ctor: (typeof OP_FIELDS)[OpField], n: number) => Uint8Array | Int32Array | Float64Array): OpColumns {
  const c = {} as Record<OpField, unknown>;
  for (const f of FIELDS) c[f] = make(OP_FIELDS[f], n);
  return c as OpColumns;
}

/** Every column copied into arrays of `capacity` entries. */
export function grownColumns(c: OpColumns, capacity: number): OpColumns {
  const g = {} as Record<OpField, unknown>;
  for (const f of FIELDS) g[f] = resized(c[f], capacity);
  return g as OpColumns;
}

/** The first `n` entries of every column (views, not copies). */
export function trimmedColumns(c: OpColumns, n: number): OpColumns {
  const t = {} as Record<OpField, unknown>;
  for (const f of FIELDS) t[f] = c[f].subarray(0, n);
  return t as OpColumns;
}

/** Copies operations [0, n) of `from` to [at, at + n) of `to` (capacity ≥ at + n), every column at once. */
export function copyOps(to: OpColumns, at: number, from: OpColumns, n: number): void {
  for (const f of FIELDS) to[f].set(from[f].subarray(0, n), at);
}

/** Writes operation `id` (the one writer of an operation's fields; positional, as it runs millions of times). */
export function writeOp(c: OpColumns, id: number, kind: number, rank: number, src: number, dst: number, work: number, memBytes: number, label: number, delaySec: number, latencyTimes: number, bound = 0): void {
  c.kind[id] = kind;
  c.rank[id] = rank;
  c.src[id] = src;
  c.dst[id] = dst;
  c.work[id] = work;
  c.memBytes[id] = memBytes;
  c.label[id] = label;
  c.delaySec[id] = delaySec;
  c.latencyTimes[id] = latencyTimes;
  c.bound[id] = bound;
}
