// The contract every flow engine implements (the Wasm engine and the TypeScript reference).
//
// Resources have a capacity per second. An activity has an amount of work, (resource,
// coefficient) incidences, an optional rate bound and a weight; at rate x it uses coefficient*x
// of each resource. Rates are weighted max-min fair (DESIGN.md): progressive filling of a level
// t with x_i = w_i t, freezing at bounds and at saturated resources. They change only at starts,
// activations, completions, cancels and capacity changes; the clock jumps between those events.

export type ResourceId = number;
export type ActivityId = number;

export interface StartOptions {
  /** Upper bound on the rate (work units per second); default none. */
  readonly bound?: number;
  /** Weight in the max-min sharing (> 0); default 1. */
  readonly weight?: number;
  /** The activity consumes nothing until now + delaySec (e.g. route latency); default 0. */
  readonly delaySec?: number;
}

/** A (resource, coefficient) incidence: at rate x the activity uses coefficient*x of the resource. */
export type Use = readonly [resource: ResourceId, coefficient: number];

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

export interface FlowEngine {
  readonly kind: 'wasm' | 'ts';
  /** Simulated time in seconds. */
  readonly now: number;
  /** Activities started and not yet completed or cancelled (pending a delay, or active). */
  readonly liveCount: number;

  addResource(capacityPerSec: number): ResourceId;
  setCapacity(resource: ResourceId, capacityPerSec: number): void;
  capacity(resource: ResourceId): number;
  readonly resourceCount: number;

  /** Starts an activity now; its id is valid until it completes or is cancelled, then reused. */
  start(amount: number, uses: readonly Use[], options?: StartOptions): ActivityId;
  /** Same as start, with resources and coefficients as parallel arrays (coefficients default to 1). */
  startOn(amount: number, resources: ArrayLike<number>, coefficients?: ArrayLike<number>, options?: StartOptions): ActivityId;
  /** Stops a live activity; returns false if the id is not live. */
  cancel(id: ActivityId): boolean;
  isLive(id: ActivityId): boolean;
  /** Current rate (0 while pending or stalled). */
  rate(id: ActivityId): number;
  /** Work left at the current time. */
  remaining(id: ActivityId): number;

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
