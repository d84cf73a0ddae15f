// Kernel launches: a kernel starts only after the rank's host thread has launched it, a task of
// `launchSec` per kernel on the thread, in program order. In CUDA-graph mode one launch at the
// start of each iteration covers all of the iteration's kernels. When launching costs nothing
// (e.g. traces that record their CPU side as operations) no launch task is added at all.
import type { HostThreads } from './host-thread.js';

/** The `op` tag of a launch task on the host thread (workload ops are numbered from 0). */
export const LAUNCH_TASK = -1;

export class KernelLaunches {
  constructor(
    private readonly thread: HostThreads,
    /** CPU seconds to launch one kernel. */
    private readonly launchSec: number,
    /** CUDA-graph mode: one launch per iteration. */
    private readonly graphMode: boolean,
  ) {}

  /** At the start of an iteration: in graph mode, every rank's one launch. */
  beginIteration(ranks: number, iteration: number): void {
    if (this.graphMode && this.launchSec > 0) for (let r = 0; r < ranks; r++) this.thread.run(r, this.launchSec, [], LAUNCH_TASK, iteration);
  }

  /**
   * The op that a rank's next `kernels` kernels wait for: their launch (a new task on the
   * thread), in graph mode the thread's last task, and −1 when launching is free.
   */
  launch(rank: number, kernels: number, iteration: number): number {
    if (this.launchSec === 0) return -1;
    return this.graphMode ? this.thread.last(rank) : this.thread.run(rank, this.launchSec * kernels, [], LAUNCH_TASK, iteration);
  }
}
