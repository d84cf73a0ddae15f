// Graph columns in shared memory, written by several threads at once: each writer owns a range
// of operation ids and of edge slots, laid out exactly where the single-threaded builder would
// put them, so the assembled graph is identical to a serial build. A counting sink measures a
// builder's ranges first (same code, nothing stored).
import { makeOpColumns, writeOp, type DagColumns } from './columns.js';
import { OP_DELAY, OP_TRANSFER } from './op-kinds.js';
import type { OpSink } from './op-sink.js';

/** Shared buffers for a graph of `ops` operations and `edges` dependencies. */
export function sharedColumns(ops: number, edges: number): DagColumns {
  // every column holds the same number of entries (at least 8), whatever its element size
  const n = Math.max(8, ops);
  const m = Math.max(8, edges);
  const cols = makeOpColumns(n, (C, k) => new C(new SharedArrayBuffer(k * C.BYTES_PER_ELEMENT) as unknown as ArrayBuffer));
  return { ...cols, depFrom: new Int32Array(new SharedArrayBuffer(m * 4)), depTo: new Int32Array(new SharedArrayBuffer(m * 4)) };
}

/** Counts the operations and edges a builder adds; ids are local (0, 1, …). */
export class CountingSink implements OpSink {
  ops = 0;
  edges = 0;
  transfer(_rank: number, _src: number, _dst: number, _bytes: number, _label: number, _delay: number, deps: readonly number[] = []): number {
    return this.add(deps);
  }
  reducedTransfer(_rank: number, _sw: number, _dst: number, _bytes: number, _operand: number, _label: number, _delay: number, deps: readonly number[] = []): number {
    return this.add(deps);
  }
  delay(_rank: number, _delay: number, deps: readonly number[] = []): number {
    return this.add(deps);
  }
  reserve(): void {}
  private add(deps: readonly number[]): number {
    for (let k = 0; k < deps.length; k++) if (deps[k] >= 0) this.edges++;
    return this.ops++;
  }
}

/** Writes operations from id `opBase` and edges from slot `edgeBase` into shared columns. */
export class SharedWriter implements OpSink {
  private next: number;
  private nextEdge: number;
  constructor(
    private readonly c: DagColumns,
    opBase: number,
    edgeBase: number,
  ) {
    this.next = opBase;
    this.nextEdge = edgeBase;
  }
  get position(): [ops: number, edges: number] {
    return [this.next, this.nextEdge];
  }
  transfer(rank: number, src: number, dst: number, bytes: number, label: number, delaySec: number, deps: readonly number[] = [], latencyTimes = 1, bound = 0): number {
    return this.add(OP_TRANSFER, rank, src, dst, bytes, label, delaySec, latencyTimes, deps, bound);
  }
  reducedTransfer(rank: number, sw: number, dst: number, bytes: number, operandBytes: number, label: number, delaySec: number, deps: readonly number[] = [], latencyTimes = 1): number {
    return this.add(OP_TRANSFER, rank, sw, dst, bytes, label, delaySec, latencyTimes, deps, 0, operandBytes);
  }
  delay(rank: number, delaySec: number, deps: readonly number[] = []): number {
    return this.add(OP_DELAY, rank, -1, -1, 0, 0, delaySec, 0, deps);
  }
  reserve(): void {}
  private add(kind: number, rank: number, src: number, dst: number, bytes: number, label: number, delaySec: number, latencyTimes: number, deps: readonly number[], bound = 0, memBytes = 0): number {
    const c = this.c;
    const id = this.next++;
    writeOp(c, id, kind, rank, src, dst, bytes, memBytes, label, delaySec, latencyTimes, bound);
    for (let k = 0; k < deps.length; k++)
      if (deps[k] >= 0) {
        c.depFrom[this.nextEdge] = deps[k];
        c.depTo[this.nextEdge] = id;
        this.nextEdge++;
      }
    return id;
  }
}
