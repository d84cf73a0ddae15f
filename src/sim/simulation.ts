// The event core every runner shares: activities started on a flow engine, each with a handler
// that runs when it completes, and a clock that moves from instant to instant. All completions
// of one instant are taken off the engine first, then their handlers run in the engine's order
// (deterministic), then the instant hooks (e.g. a graph runner launching what became ready). A
// handler may start or cancel activities at once. Static graphs (dag-runner.ts) and reactive
// processes (process.ts) both run on it, so they mix on one clock and one max-min system.
import { FairwayError } from '../core/errors.js';
import { grownTo } from '../core/typed-arrays.js';
import type { ActivityId, FlowEngine, StartOptions } from '../engine/flow-engine.js';

/** Runs when an activity completes (or a timer fires); `tag` is what was given to start. */
export type CompletionHandler = (tag: number) => void;

/** Told of every activity started, completed or cancelled (e.g. a resource monitor). */
export interface SimObserver {
  started(act: ActivityId, resources: ArrayLike<number>, coefficients?: ArrayLike<number>): void;
  finished(act: ActivityId): void;
}

export class Simulation {
  /** Engine time at which this simulation began; `now` counts from it. */
  readonly t0: number;
  /** The private timer resource, as the one-element resource list every delay uses. */
  private readonly timer: readonly number[];
  private handlerOf: (CompletionHandler | undefined)[] = [];
  private tagOf: Int32Array<ArrayBufferLike> = new Int32Array(64);
  private live = 0;
  /** Replaced, never changed in place, so a hook may add or remove hooks while they run. */
  private hooks: readonly (() => void)[] = [];
  /** Scratch for one instant's completions (step() is not re-entered). */
  private doneHandlers: CompletionHandler[] = [];
  private doneTags: Int32Array<ArrayBufferLike> = new Int32Array(64);

  /** `stalledWhat` and `inFlightWhat` name the run and its activities in the stall error. */
  constructor(
    readonly engine: FlowEngine,
    private readonly observer?: SimObserver,
    private readonly stalledWhat = 'simulation',
    private readonly inFlightWhat = 'activities',
  ) {
    this.t0 = engine.now;
    this.timer = [engine.addResource(1)];
  }

  /** Seconds since the simulation began. */
  get now(): number {
    return this.engine.now - this.t0;
  }

  /** Activities started and not yet completed or cancelled. */
  get pending(): number {
    return this.live;
  }

  /** Starts an activity now (engine.startOn); `onDone(tag)` runs when it completes. */
  start(amount: number, resources: ArrayLike<number>, coefficients: ArrayLike<number> | undefined, options: StartOptions | undefined, onDone: CompletionHandler, tag = 0): ActivityId {
    const act = this.engine.startOn(amount, resources, coefficients, options);
    this.observer?.started(act, resources, coefficients);
    return this.track(act, onDone, tag);
  }

  /** `onDone(tag)` runs `delaySec` from now: a zero-work activity on a private timer resource (not shown to the observer until it ends), on the same clock as all the rest. */
  after(delaySec: number, onDone: CompletionHandler, tag = 0): ActivityId {
    return this.track(this.engine.startOn(0, this.timer, undefined, { delaySec }), onDone, tag);
  }

  private track(act: ActivityId, onDone: CompletionHandler, tag: number): ActivityId {
    this.tagOf = grownTo(this.tagOf, act + 1);
    this.handlerOf[act] = onDone;
    this.tagOf[act] = tag;
    this.live++;
    return act;
  }

  /** Stops a live activity without running its handler; false if it is not live. */
  cancel(act: ActivityId): boolean {
    if (this.handlerOf[act] === undefined) return false;
    this.handlerOf[act] = undefined;
    this.live--;
    this.engine.cancel(act);
    this.observer?.finished(act);
    return true;
  }

  /** `hook` runs once at the end of every instant, after all its completion handlers (hooks in the order added). */
  onInstant(hook: () => void): void {
    this.hooks = [...this.hooks, hook];
  }

  offInstant(hook: () => void): void {
    this.hooks = this.hooks.filter((h) => h !== hook);
  }

  /**
   * Moves to the next instant and handles it; false when nothing is pending. Throws E_STALLED
   * when activities are pending but none can ever progress (a resource of capacity 0).
   */
  step(): boolean {
    if (this.live === 0) return false;
    const done = this.engine.advance();
    if (done.length === 0 && this.engine.nextEventTime() === Infinity) {
      throw new FairwayError('E_STALLED', `${this.stalledWhat} stalled at t=${this.now}s with ${this.live} ${this.inFlightWhat} in flight (a link with zero capacity?)`);
    }
    this.take(done);
    const handlers = this.doneHandlers, tags = this.doneTags;
    for (let k = 0; k < done.length; k++) {
      this.observer?.finished(done[k]);
      handlers[k](tags[k]);
    }
    handlers.length = 0;
    const hooks = this.hooks;
    for (let k = 0; k < hooks.length; k++) hooks[k]();
    return true;
  }

  /** Steps until nothing is pending. */
  run(): void {
    while (this.step());
  }

  /** Moves the handlers and tags of this instant's completions to the scratch lists, freeing their ids before any runs (a handler may start an activity that reuses an id). */
  private take(done: Int32Array): void {
    const handlers = this.doneHandlers;
    handlers.length = 0;
    this.doneTags = grownTo(this.doneTags, done.length);
    const tags = this.doneTags;
    for (let k = 0; k < done.length; k++) {
      tags[k] = this.tagOf[done[k]];
      const h = this.handlerOf[done[k]];
      if (h === undefined) throw new FairwayError('E_INTERNAL', `activity ${done[k]} completed but was not started by this simulation`);
      handlers.push(h);
      this.handlerOf[done[k]] = undefined;
    }
    this.live -= done.length;
  }
}
