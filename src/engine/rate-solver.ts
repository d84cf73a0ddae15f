// The rate solver seam: resources with a capacity per second, activities that use them, and
// the weighted max-min fair rates of the activities (DESIGN.md). An activity has an amount of
// work, (resource, coefficient) incidences, an optional rate bound and a weight; at rate x it
// uses coefficient*x of each resource. Rates are the progressive filling of a level t with
// x_i = w_i t, each activity freezing at its bound or when a resource it uses saturates. The
// solver speaks only this algebra; *when* activities become active and complete is the
// clock's part (clock.ts), and a FlowEngine (flow-engine.ts) is the two together.

export type ResourceId = number;
export type ActivityId = number;

/** A (resource, coefficient) incidence: at rate x the activity uses coefficient*x of the resource. */
export type Use = readonly [resource: ResourceId, coefficient: number];

/** What the solver needs of an activity besides its uses. */
export interface ActivityOptions {
  /** Upper bound on the rate (work units per second); default none. */
  readonly bound?: number;
  /** Weight in the max-min sharing (> 0); default 1. */
  readonly weight?: number;
}

export interface RateSolver {
  addResource(capacityPerSec: number): ResourceId;
  /** Changes a capacity from the current time on; the users of the resource are re-solved. */
  setCapacity(resource: ResourceId, capacityPerSec: number): void;
  capacity(resource: ResourceId): number;
  readonly resourceCount: number;

  /** Adds an activity; its id is valid until it completes or is cancelled, then reused. */
  start(amount: number, uses: readonly Use[], options?: ActivityOptions): ActivityId;
  /** Same as start, with resources and coefficients as parallel arrays (coefficients default to 1). */
  startOn(amount: number, resources: ArrayLike<number>, coefficients?: ArrayLike<number>, options?: ActivityOptions): ActivityId;
  /** Removes a live activity; returns false if the id is not live. */
  cancel(id: ActivityId): boolean;
  isLive(id: ActivityId): boolean;
  /** Current max-min rate (0 while not yet active, or stalled on a zero capacity). */
  rate(id: ActivityId): number;
  /** Work left at the current time. */
  remaining(id: ActivityId): number;
}
