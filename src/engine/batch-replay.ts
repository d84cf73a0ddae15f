// Batch replay, a capability an engine declares: a schedule of releases run to completion in one
// call. Release k starts activity order[k] at releaseSec[order[k]] with amount[i] of work on
// resources[resStart[i] .. resStart[i+1]) (coefficient 1, no bound, weight 1, no delay); the
// clock is moved exactly to each release time and every release of that instant starts before
// the next solve, so all arrivals of one instant share one solve. The run ends when everything
// completed, or reports a stall when live activities can never progress (a resource they use
// has capacity 0) instead of looping. Each engine has exactly one implementation: the Wasm
// engine runs the loop inside the module (assembly/replay.ts), the reference engine runs the
// TS loop over its own clock (event-loop-replay.ts); both make the same clock calls in the same
// order, so on one engine they give identical results.
export interface ReleaseSchedule {
  /** Activity indices in release order (non-decreasing releaseSec; ties start in this order). */
  readonly order: Int32Array;
  /** Release time per activity index, seconds (finite). */
  readonly releaseSec: Float64Array;
  /** Work per activity index (finite, >= 0). */
  readonly amount: Float64Array;
  /** Activity i uses resources[resStart[i] .. resStart[i+1]) (at least one each). */
  readonly resStart: Int32Array;
  readonly resources: Int32Array;
}

export interface ScheduleResult {
  /** Completion time per activity index (NaN if it never completed). */
  readonly finish: Float64Array;
  /** Live activities were left that can never progress (a resource they use has capacity 0). */
  readonly stalled: boolean;
}

/** Called with the activities completed so far, the schedule's size and the clock. */
export type ScheduleProgress = (completed: number, total: number, nowSec: number) => void;

/** Default completions between progress reports. */
export const PROGRESS_EVERY = 4096;

export interface BatchReplay {
  /**
   * Runs the schedule on an idle engine (nothing live; its resources already added) until every
   * activity completed or the rest stalled. A schedule that is not well formed (see
   * ReleaseSchedule) is refused with an E_ARGUMENT FairwayError before anything starts.
   * progress is called after the batch of completions in which the count reaches each multiple
   * of `every`, and once at the end if the last report did not have the final count.
   */
  run(schedule: ReleaseSchedule, progress?: ScheduleProgress, every?: number): ScheduleResult;
}

/** The progress rule both implementations follow: a report when the count reaches the next multiple of `every`. */
export class ProgressReports {
  private next: number;
  private reported = 0;

  constructor(
    private readonly total: number,
    private readonly progress: ScheduleProgress | undefined,
    private readonly every: number,
  ) {
    this.next = progress && every > 0 ? every : Infinity;
  }

  /** After a batch: reports if a multiple of `every` was reached. */
  after(completed: number, nowSec: number): void {
    if (completed < this.next) return;
    this.next = (Math.floor(completed / this.every) + 1) * this.every;
    this.report(completed, nowSec);
  }

  /** At the end: reports the final count unless it was just reported. */
  end(completed: number, nowSec: number): void {
    if (completed > this.reported) this.report(completed, nowSec);
  }

  private report(completed: number, nowSec: number): void {
    this.reported = completed;
    this.progress?.(completed, this.total, nowSec);
  }
}
