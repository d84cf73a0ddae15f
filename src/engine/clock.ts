// The clock seam: simulated time and the events at which rates change. An activity becomes
// active after a delay from its start (e.g. a route's latency) and completes when its remaining
// work reaches 0 at the rates the solver gives (rate-solver.ts); between such events nothing
// changes, so the clock jumps from one to the next. Events closer than a relative 1e-13 form one
// instant and are processed as one batch, with one solve.

/** Options of a start that belong to the clock. */
export interface ActivationOptions {
  /** The activity consumes nothing until now + delaySec (e.g. route latency); default 0. */
  readonly delaySec?: number;
}

export interface EngineStats {
  /** Instants at which at least one activation or completion happened. */
  readonly events: number;
  /** Rate computations (one per instant that changed something, however many changes). */
  readonly solves: number;
  /** Solves that filled every active activity instead of a region. */
  readonly fullSolves: number;
  /** Progressive fills, counting each region growth round. */
  readonly rounds: number;
  /** Sum over solves of the activities re-solved. */
  readonly regionActivities: number;
  /** Sum over fills of the user incidences visited on the region's resources. */
  readonly incidenceUpdates: number;
  readonly completed: number;
}

export interface Clock {
  /** Simulated time in seconds. */
  readonly now: number;
  /** Activities started and not yet completed or cancelled (pending a delay, or active). */
  readonly liveCount: number;
  /** Time of the next activation or completion; Infinity if none can happen. */
  nextEventTime(): number;
  /**
   * Moves the clock to min(next event, untilSec) and processes every event of that instant.
   * Returns the ids that completed then (all of them, one batch). Returns an empty array and
   * leaves the clock alone if nothing can happen and no untilSec is given.
   */
  advance(untilSec?: number): Int32Array;
  /** Active activities whose rate is 0 because a resource they use has capacity 0. */
  stalled(): Int32Array;
  stats(): EngineStats;
}
