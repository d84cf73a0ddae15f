// Each rank's host thread: one CPU thread on the socket nearest the rank's accelerator that does
// the rank's host-side work one task at a time (kernel launches, `cpu` operations), so every
// task waits for the thread's previous one. A task is CPU work on the socket's core pool.
import type { TransferDag } from '../graph/index.js';

/**
 * Called for every task added: the rank, the task's graph op, and the `op` and `iteration` tags
 * it was added with (opaque here: the workload names its operations and launches with them).
 */
export type HostTaskHook = (rank: number, id: number, op: number, iteration: number) => void;

export class HostThreads {
  /** Per rank: the graph op of the thread's last task, −1 before the first. */
  private readonly tail: Int32Array;

  constructor(
    private readonly dag: TransferDag,
    /** Per rank: the CPU socket its thread runs on. */
    private readonly cpus: readonly number[],
    private readonly onTask: HostTaskHook,
  ) {
    this.tail = new Int32Array(cpus.length).fill(-1);
  }

  /** The rank's last task so far (−1: none). */
  last(rank: number): number {
    return this.tail[rank];
  }

  /** A task of `coreSeconds` on the rank's thread, after `deps` and the thread's previous task. */
  run(rank: number, coreSeconds: number, deps: readonly number[], op: number, iteration: number): number {
    const id = this.dag.cpu(rank, this.cpus[rank], coreSeconds, [...deps, this.tail[rank]]);
    this.onTask(rank, id, op, iteration);
    return (this.tail[rank] = id);
  }
}
