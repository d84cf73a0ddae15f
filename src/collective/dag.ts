// A collective (or any workload) as a DAG of operations: transfers between two nodes of the
// topology, kernels on an accelerator (FLOPs on its math units, bytes on its HBM), CPU work on a
// socket's cores, and pure delays. An operation starts when all its dependencies have finished,
// after its own software latency (α); a transfer then also waits for its route's latency. All
// of them share resources max-min with everything in flight. Stored as flat arrays: a 1 GiB
// all-reduce over thousands of ranks has millions of operations.

export const OP_TRANSFER = 0;
export const OP_DELAY = 1;
export const OP_COMPUTE = 2;
export const OP_CPU = 3;
/** Holds a fraction of an accelerator's math units from its start until another op finishes. */
export const OP_HOLD = 4;

export class TransferDag {
  kind: number[] = [];
  src: number[] = [];
  dst: number[] = [];
  /** Transfer: bytes. Compute: FLOPs. CPU: core-seconds. */
  bytes: number[] = [];
  /** Compute: bytes moved through HBM. */
  memBytes: number[] = [];
  /** Flow label for ECMP (e.g. the channel), so channels may take different paths. */
  label: number[] = [];
  delaySec: number[] = [];
  /** How many times the route's latency is paid (a send standing for several merged steps). */
  latencyTimes: number[] = [];
  /** Rank that issues the operation (for traces and per-rank reports). */
  rank: number[] = [];
  /** Dependency edges (from → to), in insertion order. */
  depFrom: number[] = [];
  depTo: number[] = [];

  get size(): number {
    return this.kind.length;
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
    const hasDeps = new Uint8Array(sub.size);
    const isDep = new Uint8Array(sub.size);
    for (let e = 0; e < sub.depTo.length; e++) {
      hasDeps[sub.depTo[e]] = 1;
      isDep[sub.depFrom[e]] = 1;
    }
    const depsOf: number[][] = Array.from({ length: sub.size }, (_, i) => (hasDeps[i] ? [] : [start]));
    for (let e = 0; e < sub.depTo.length; e++) depsOf[sub.depTo[e]].push(base + sub.depFrom[e]);
    for (let i = 0; i < sub.size; i++)
      this.add(sub.kind[i], sub.rank[i], sub.src[i], sub.dst[i], sub.bytes[i], sub.memBytes[i], sub.label[i], sub.delaySec[i], sub.latencyTimes[i], depsOf[i]);
    const sinks: number[] = [];
    for (let i = 0; i < sub.size; i++) if (!isDep[i]) sinks.push(base + i);
    return this.delay(-1, 0, sinks.length ? sinks : [start]);
  }

  /** Makes `to` also wait for `from` (e.g. a send that must wait for its receiver to be ready). */
  depend(from: number, to: number): void {
    if (from < 0) return;
    this.depFrom.push(from);
    this.depTo.push(to);
  }

  private add(kind: number, rank: number, src: number, dst: number, bytes: number, memBytes: number, label: number, delaySec: number, latencyTimes: number, deps: readonly number[]): number {
    const id = this.kind.length;
    this.kind.push(kind);
    this.rank.push(rank);
    this.src.push(src);
    this.dst.push(dst);
    this.bytes.push(bytes);
    this.label.push(label);
    this.delaySec.push(delaySec);
    this.memBytes.push(memBytes);
    this.latencyTimes.push(latencyTimes);
    for (const d of deps) {
      if (d < 0) continue;
      this.depFrom.push(d);
      this.depTo.push(id);
    }
    return id;
  }
}
