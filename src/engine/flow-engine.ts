// The contract every flow engine implements (the Wasm engine and the TypeScript reference): a
// rate solver (rate-solver.ts: resources, activities, their max-min rates) driven by a clock
// (clock.ts: activations after a delay, completions, advancing from event to event), plus the
// capabilities an engine declares (batch-replay.ts). Consumers that need only one side can ask
// for RateSolver or Clock; everything that simulates takes a FlowEngine.
import type { BatchReplay } from './batch-replay.js';
import type { ActivationOptions, Clock } from './clock.js';
import type { ActivityId, ActivityOptions, RateSolver, Use } from './rate-solver.js';

export type { ActivationOptions, Clock, EngineStats } from './clock.js';
export type { ActivityId, ActivityOptions, RateSolver, ResourceId, Use } from './rate-solver.js';

/** A start's options: the solver's (bound, weight) and the clock's (delaySec). */
export interface StartOptions extends ActivityOptions, ActivationOptions {}

export interface FlowEngine extends RateSolver, Clock {
  readonly kind: 'wasm' | 'ts';
  /** Runs a whole release schedule in one call; both shipped engines declare it. */
  readonly replay?: BatchReplay;
  /** Starts an activity now; it becomes active after options.delaySec (default at once). */
  start(amount: number, uses: readonly Use[], options?: StartOptions): ActivityId;
  /** Same as start, with resources and coefficients as parallel arrays (coefficients default to 1). */
  startOn(amount: number, resources: ArrayLike<number>, coefficients?: ArrayLike<number>, options?: StartOptions): ActivityId;
}
