// A collective (or any workload) as a DAG of operations: transfers between two nodes of the
// topology, kernels on an accelerator (FLOPs on its math units, bytes on its HBM), CPU work on a
// socket's cores, and pure delays. An operation starts when all its dependencies have finished,
// after its own software latency (α); a transfer then also waits for its route's latency. All
// of them share resources max-min with everything in flight. Stored as flat arrays: a 1 GiB
// all-reduce over thousands of ranks has millions of operations.

import { resized, type NumericArray } from '../core/typed-arrays.js';

export const OP_TRANSFER = 0;
export const OP_DELAY = 1;
export const OP_COMPUTE = 2;
export const OP_CPU = 3;
/** Holds a fraction of an accelerator's math units from its start until another op finishes. */
export const OP_HOLD = 4;

/** Growable typed-array storage of the columns; the public columns are views trimmed to size. */
class Columns {
  kind: Uint8Array<ArrayBufferLike> = new Uint8Array(0);
  src: Int32Array<ArrayBufferLike> = new Int32Array(0);
  dst: Int32Array<ArrayBufferLike> = new Int32Array(0);
  bytes: Float64Array<ArrayBufferLike> = new Float64Array(0);
  memBytes: Float64Array<ArrayBufferLike> = new Float64Array(0);
  label: Int32Array<ArrayBufferLike> = new Int32Array(0);
  delaySec: Float64Array<ArrayBufferLike> = new Float64Array(0);
  latencyTimes: Float64Array<ArrayBufferLike> = new Float64Array(0);
  rank: Int32Array<ArrayBufferLike> = new Int32Array(0);

  grow(capacity: number): void {
    const g = <T extends NumericArray>(a: T): T => resized(a, capacity);
    this.kind = g(this.kind);
    this.src = g(this.src);
    this.dst = g(this.dst);
    this.bytes = g(this.bytes);
    this.memBytes = g(this.memBytes);
    this.label = g(this.label);
    this.delaySec = g(this.delaySec);
    this.latencyTimes = g(this.latencyTimes);
    this.rank = g(this.rank);
  }
}

/** What collective builders need of a graph: adding transfers and delays (a TransferDag, or a writer into shared memory). */
export interface OpSink {
  transfer(rank: number, src: number, dst: number, bytes: number, label: number, delaySec: number, deps?: readonly number[], latencyTimes?: number): number;
  delay(rank: number, delaySec: number, deps?: readonly number[]): number;
  reserve(ops: number, edges?: number): void;
}

/** The columns of a graph as typed arrays (ops and edges), e.g. filled by worker threads. */
export interface DagColumns {
  kind: Uint8Array;
  src: Int32Array;
  dst: Int32Array;
  bytes: Float64Array;
  memBytes: Float64Array;
  label: Int32Array;
  delaySec: Float64Array;
  latencyTimes: Float64Array;
  rank: Int32Array;
  depFrom: Int32Array;
  depTo: Int32Array;
}

export class TransferDag implements OpSink {
  private n = 0;
  private edges = 0;
  private readonly cols = new Columns();
  private from: Int32Array<ArrayBufferLike> = new Int32Array(0);
  private to: Int32Array<ArrayBufferLike> = new Int32Array(0);
  private views: DagColumns | null = null;

  /** The columns, as typed arrays of exactly `size` entries (edges: of the edge count); writes go to the graph. */
  private get v(): DagColumns {
    if (this.views) return this.views;
    const c = this.cols;
    const n = this.n;
    this.views = {
      kind: c.kind.subarray(0, n),
      src: c.src.subarray(0, n),
      dst: c.dst.subarray(0, n),
      bytes: c.bytes.subarray(0, n),
      memBytes: c.memBytes.subarray(0, n),
      label: c.label.subarray(0, n),
      delaySec: c.delaySec.subarray(0, n),
      latencyTimes: c.latencyTimes.subarray(0, n),
      rank: c.rank.subarray(0, n),
      depFrom: this.from.subarray(0, this.edges),
      depTo: this.to.subarray(0, this.edges),
    };
    return this.views;
  }

  get kind(): Uint8Array {
    return this.v.kind;
  }
  get src(): Int32Array {
    return this.v.src;
  }
  get dst(): Int32Array {
    return this.v.dst;
  }
  /** Transfer: bytes. Compute: FLOPs. CPU: core-seconds. Hold: the fraction held. */
  get bytes(): Float64Array {
    return this.v.bytes;
  }
  /** Compute: bytes moved through HBM. */
  get memBytes(): Float64Array {
    return this.v.memBytes;
  }
  /** Flow label for ECMP (e.g. the channel), so channels may take different paths. */
  get label(): Int32Array {
    return this.v.label;
  }
  get delaySec(): Float64Array {
    return this.v.delaySec;
  }
  /** How many times the route's latency is paid (a send standing for several merged steps). */
  get latencyTimes(): Float64Array {
    return this.v.latencyTimes;
  }
  /** Rank that issues the operation (for traces and per-rank reports). */
  get rank(): Int32Array {
    return this.v.rank;
  }
  /** Dependency edges (from → to), in insertion order. */
  get depFrom(): Int32Array {
    return this.v.depFrom;
  }
  get depTo(): Int32Array {
    return this.v.depTo;
  }

  get size(): number {
    return this.n;
  }

  /** A graph over columns filled elsewhere (`ops` operations, `edges` dependencies), used in place. */
  static adopt(c: DagColumns, ops: number, edges: number): TransferDag {
    const dag = new TransferDag();
    Object.assign(dag.cols, { kind: c.kind, src: c.src, dst: c.dst, bytes: c.bytes, memBytes: c.memBytes, label: c.label, delaySec: c.delaySec, latencyTimes: c.latencyTimes, rank: c.rank });
    dag.from = c.depFrom;
    dag.to = c.depTo;
    dag.n = ops;
    dag.edges = edges;
    return dag;
  }

  /** Makes room for `ops` more operations and `edges` more dependencies (saves regrowing big graphs). */
  reserve(ops: number, edges = 2 * ops): void {
    // never less than doubling: many small reservations must not regrow the graph each time
    if (this.n + ops > this.cols.kind.length) {
      this.cols.grow(Math.max(this.n + ops, 2 * this.cols.kind.length));
      this.views = null;
    }
    if (this.edges + edges > this.from.length) this.growEdges(Math.max(this.edges + edges, 2 * this.from.length));
  }

  private growEdges(capacity: number): void {
    this.from = resized(this.from, capacity);
    this.to = resized(this.to, capacity);
    this.views = null;
  }

  transfer(rank: number, src: number, dst: number, bytes: number, label: number, delaySec: number, deps: readonly number[] = [], latencyTimes = 1): number {
    return this.add(OP_TRANSFER, rank, src, dst, bytes, 0, label, delaySec, latencyTimes, deps);
  }

  /**
   * A kernel on accelerator `node`: alone it runs for max(flops / math rate, memBytes / HBM
   * rate), the roofline; concurrent kernels share both resources.
   */
  compute(rank: number, node: number, flops: number, memBytes: number, deps: readonly number[] = [], delaySec = 0): number {
    return this.add(OP_COMPUTE, rank, node, node, flops, memBytes, 0, delaySec, 0, deps);
  }

  /** Work of `coreSeconds` on CPU socket `cpuNode`, by one thread (at most one core at a time). */
  cpu(rank: number, cpuNode: number, coreSeconds: number, deps: readonly number[] = [], delaySec = 0): number {
    return this.add(OP_CPU, rank, cpuNode, cpuNode, coreSeconds, 0, 0, delaySec, 0, deps);
  }

  /**
   * Occupies `fraction` of accelerator `node`'s math units (e.g. the SMs a collective's kernels
   * take) from when `deps` are done until op `until` finishes.
   */
  hold(rank: number, node: number, fraction: number, deps: readonly number[], until: number): number {
    return this.add(OP_HOLD, rank, node, until, fraction, 0, 0, 0, 0, deps);
  }

  delay(rank: number, delaySec: number, deps: readonly number[] = []): number {
    return this.add(OP_DELAY, rank, -1, -1, 0, 0, 0, delaySec, 0, deps);
  }

  /**
   * Copies every operation of `sub` in; those without dependencies wait for `start`. Returns a
   * delay op that completes when all of sub's operations have (e.g. a collective's end).
   */
  append(sub: TransferDag, start: number): number {
    const base = this.size;
    const { kind, rank, src, dst, bytes, memBytes, label, delaySec, latencyTimes } = sub;
    const hasDeps = new Uint8Array(sub.size);
    const isDep = new Uint8Array(sub.size);
    for (let e = 0; e < sub.depTo.length; e++) {
      hasDeps[sub.depTo[e]] = 1;
      isDep[sub.depFrom[e]] = 1;
    }
    const depsOf: number[][] = Array.from({ length: sub.size }, (_, i) => (hasDeps[i] ? [] : [start]));
    for (let e = 0; e < sub.depTo.length; e++) depsOf[sub.depTo[e]].push(base + sub.depFrom[e]);
    for (let i = 0; i < sub.size; i++)
      this.add(kind[i], rank[i], src[i], dst[i], bytes[i], memBytes[i], label[i], delaySec[i], latencyTimes[i], depsOf[i]);
    const sinks: number[] = [];
    for (let i = 0; i < sub.size; i++) if (!isDep[i]) sinks.push(base + i);
    return this.delay(-1, 0, sinks.length ? sinks : [start]);
  }

  /** Makes `to` also wait for `from` (e.g. a send that must wait for its receiver to be ready). */
  depend(from: number, to: number): void {
    if (from < 0) return;
    this.edge(from, to);
  }

  private edge(from: number, to: number): void {
    if (this.edges === this.from.length) this.growEdges(Math.max(16, this.from.length * 2));
    this.from[this.edges] = from;
    this.to[this.edges] = to;
    this.edges++;
    this.views = null;
  }

  private add(kind: number, rank: number, src: number, dst: number, bytes: number, memBytes: number, label: number, delaySec: number, latencyTimes: number, deps: readonly number[]): number {
    const id = this.n;
    const c = this.cols;
    if (id === c.kind.length) c.grow(Math.max(16, c.kind.length * 2));
    c.kind[id] = kind;
    c.rank[id] = rank;
    c.src[id] = src;
    c.dst[id] = dst;
    c.bytes[id] = bytes;
    c.label[id] = label;
    c.delaySec[id] = delaySec;
    c.memBytes[id] = memBytes;
    c.latencyTimes[id] = latencyTimes;
    this.n++;
    this.views = null;
    for (let k = 0; k < deps.length; k++) if (deps[k] >= 0) this.edge(deps[k], id);
    return id;
  }
}
