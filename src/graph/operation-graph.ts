// An operation graph: transfers between two nodes of the topology, kernels on an accelerator
// (FLOPs on its math units, bytes on its HBM), CPU work on a socket's cores, holds of a share of
// an accelerator's math units, and pure delays (op-kinds.ts). An operation starts when all its
// dependencies have finished, after its own software latency (α); a transfer then also waits
// for its route's latency. A hold ends when the op named by its release edge finishes. Stored
// as flat columns (columns.ts): a 1 GiB all-reduce over thousands of ranks has millions of ops.
import { resized } from '../core/typed-arrays.js';
import { copyOps, grownColumns, makeOpColumns, OP_FIELDS, trimmedColumns, writeOp, type DagColumns, type OpColumns } from './columns.js';
import { OP_COMPUTE, OP_CPU, OP_DELAY, OP_HOLD, OP_TRANSFER } from './op-kinds.js';
import type { OpSink } from './op-sink.js';

/** The columns, read-only views of exactly `size` entries (edges: of the edge count); what each holds per kind: columns.ts and op-kinds.ts. */
export interface TransferDag extends Readonly<DagColumns> {}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class TransferDag implements OpSink {
  static {
    // one getter per column (kind, src, dst, work, memBytes, label, delaySec, latencyTimes, rank, depFrom, depTo)
    for (const f of [...Object.keys(OP_FIELDS), 'depFrom', 'depTo'] as (keyof DagColumns)[])
      Object.defineProperty(TransferDag.prototype, f, { get(this: TransferDag) { return this.v[f]; } });
  }

  private n = 0;
  private edges = 0;
  private cols: OpColumns = makeOpColumns(0, (C, n) => new C(n));
  private from: Int32Array<ArrayBufferLike> = new Int32Array(0);
  private to: Int32Array<ArrayBufferLike> = new Int32Array(0);
  /** Release edges: hold op releasedOp[k] ends when releasedBy[k] finishes. */
  private readonly releases: number[] = [];
  private views: DagColumns | null = null;

  /** The columns, as typed arrays of exactly `size` entries (edges: of the edge count); writes go to the graph. */
  private get v(): DagColumns {
    if (!this.views) this.views = { ...trimmedColumns(this.cols, this.n), depFrom: this.from.subarray(0, this.edges), depTo: this.to.subarray(0, this.edges) };
    return this.views;
  }

  /** All columns at once (views of exactly `size` entries), for hot loops: one lookup instead of a getter per access. */
  get columns(): Readonly<DagColumns> {
    return this.v;
  }

  /** Release edges as [releasing op, held op] pairs, in insertion order. */
  get releaseEdges(): readonly number[] {
    return this.releases;
  }

  get size(): number {
    return this.n;
  }

  /** A graph over columns filled elsewhere (`ops` operations, `edges` dependencies), used in place. */
  static adopt(c: DagColumns, ops: number, edges: number): TransferDag {
    const dag = new TransferDag();
    const { depFrom, depTo, ...cols } = c;
    dag.cols = cols;
    dag.from = depFrom;
    dag.to = depTo;
    dag.n = ops;
    dag.edges = edges;
    return dag;
  }

  /** Empties the graph, keeping its storage (a scratch graph rebuilt many times grows once). */
  clear(): this {
    this.n = 0;
    this.edges = 0;
    this.releases.length = 0;
    this.views = null;
    return this;
  }

  /** Makes room for `ops` more operations and `edges` more dependencies (saves regrowing big graphs). */
  reserve(ops: number, edges = 2 * ops): void {
    // never less than doubling: many small reservations must not regrow the graph each time
    if (this.n + ops > this.cols.kind.length) this.growOps(Math.max(this.n + ops, 2 * this.cols.kind.length));
    if (this.edges + edges > this.from.length) this.growEdges(Math.max(this.edges + edges, 2 * this.from.length));
  }

  private growOps(capacity: number): void {
    this.cols = grownColumns(this.cols, capacity);
    this.views = null;
  }

  private growEdges(capacity: number): void {
    this.from = resized(this.from, capacity);
    this.to = resized(this.to, capacity);
    this.views = null;
  }

  /** `bound`: the most bytes per second it may move (0 = only its links limit it). */
  transfer(rank: number, src: number, dst: number, bytes: number, label: number, delaySec: number, deps: readonly number[] = [], latencyTimes = 1, bound = 0): number {
    return this.add(OP_TRANSFER, rank, src, dst, bytes, 0, label, delaySec, latencyTimes, deps, bound);
  }

  /** A transfer out of switch `sw` of a result its reduction units make by adding `operandBytes` (NVLS's multimem load-reduce). */
  reducedTransfer(rank: number, sw: number, dst: number, bytes: number, operandBytes: number, label: number, delaySec: number, deps: readonly number[] = [], latencyTimes = 1): number {
    return this.add(OP_TRANSFER, rank, sw, dst, bytes, operandBytes, label, delaySec, latencyTimes, deps, 0);
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
    const id = this.add(OP_HOLD, rank, node, node, fraction, 0, 0, 0, 0, deps);
    this.releases.push(until, id);
    return id;
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
    const { depFrom, depTo } = sub.columns;
    const n = sub.size;
    const isDep = new Uint8Array(n);
    // sub's edges grouped by the op they lead to, in edge order (a stable counting sort)
    const first = new Int32Array(n + 1);
    for (let e = 0; e < depTo.length; e++) first[depTo[e] + 1]++, (isDep[depFrom[e]] = 1);
    for (let i = 0; i < n; i++) first[i + 1] += first[i];
    const fill = first.slice(0, n);
    const deps = new Int32Array(depTo.length);
    for (let e = 0; e < depTo.length; e++) deps[fill[depTo[e]]++] = base + depFrom[e];
    this.reserve(n + 1, depTo.length + n + 1);
    copyOps(this.cols, base, sub.cols, n);
    this.n += n;
    this.views = null;
    // each op's edges in op order: its dependencies within sub (renumbered), or `start`
    const from = this.from, to = this.to;
    let e = this.edges;
    for (let i = 0; i < n; i++) {
      if (first[i + 1] === first[i]) {
        if (start >= 0) (from[e] = start), (to[e++] = base + i);
      } else for (let k = first[i]; k < first[i + 1]; k++) (from[e] = deps[k]), (to[e++] = base + i);
    }
    this.edges = e;
    for (let k = 0; k < sub.releases.length; k += 2) this.releases.push(base + sub.releases[k], base + sub.releases[k + 1]);
    const sinks: number[] = [];
    for (let i = 0; i < n; i++) if (!isDep[i]) sinks.push(base + i);
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

  private add(kind: number, rank: number, src: number, dst: number, work: number, memBytes: number, label: number, delaySec: number, latencyTimes: number, deps: ArrayLike<number>, bound = 0): number {
    const id = this.n;
    if (id === this.cols.kind.length) this.growOps(Math.max(16, this.cols.kind.length * 2));
    writeOp(this.cols, id, kind, rank, src, dst, work, memBytes, label, delaySec, latencyTimes, bound);
    this.n++;
    this.views = null;
    for (let k = 0; k < deps.length; k++) if (deps[k] >= 0) this.edge(deps[k], id);
    return id;
  }
}

/** The name the architecture uses for it: a graph of operations of every kind, not only transfers. */
export { TransferDag as OperationGraph };
