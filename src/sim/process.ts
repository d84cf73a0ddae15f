// Simulation processes, for anything that decides while simulating (a serving scheduler that
// forms the next batch when a step ends, a load balancer, a retry, a straggler policy). A
// process is a generator that yields events and resumes when they fire: a timeout, an engine
// activity finishing, a signal another process fires, an item arriving in a queue, or all of a
// set of events, or a whole operation graph finishing. It runs on the same event core (simulation.ts) as static graphs, so both
// share one clock and one max-min system. Determinism: completions of one instant are handled
// in the engine's order, and an event's waiters resume in the order they started waiting.
import type { StartOptions } from '../engine/flow-engine.js';
import type { TransferDag } from '../graph/operation-graph.js';
import { GraphRun, type GraphResources } from './graph-run.js';
import { SimEvent } from './sim-event.js';
import type { Simulation } from './simulation.js';

export { SimEvent };

/** A process body: yields the events it waits for; each yield evaluates to the event's value. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Process<R = void> = Generator<SimEvent<any>, R, any>;

/** A FIFO of items between processes: `get()` fires when an item is there for this getter. */
export class Queue<T> {
  private readonly items: T[] = [];
  private readonly getters: SimEvent<T>[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  put(item: T): void {
    const getter = this.getters.shift();
    if (getter) getter.fire(item);
    else this.items.push(item);
  }

  get(): SimEvent<T> {
    const ev = new SimEvent<T>();
    if (this.length > 0) ev.fire(this.take());
    else this.getters.push(ev);
    return ev;
  }

  /** Takes up to `max` waiting items at once (e.g. a scheduler forming a batch); never waits. */
  drain(max = Infinity): T[] {
    const out: T[] = [];
    while (out.length < max && this.length > 0) out.push(this.take());
    return out;
  }

  private take(): T {
    const item = this.items[this.head++];
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items.splice(0, this.head);
      this.head = 0;
    }
    return item;
  }
}

/** Starts processes and makes the events they wait for, on one simulation. */
export class Processes {
  constructor(readonly sim: Simulation) {}

  /** Seconds since the simulation began. */
  get now(): number {
    return this.sim.now;
  }

  /** Fires `delaySec` from now. */
  timeout(delaySec: number): SimEvent {
    const ev = new SimEvent();
    this.sim.after(delaySec, () => ev.fire());
    return ev;
  }

  /** Starts an engine activity now; fires when it completes. */
  activity(amount: number, resources: ArrayLike<number>, coefficients?: ArrayLike<number>, options?: StartOptions): SimEvent {
    const ev = new SimEvent();
    this.sim.start(amount, resources, coefficients, options, () => ev.fire());
    return ev;
  }

  /** Fires when every one of `events` has (at once if they all have). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  allOf(events: readonly SimEvent<any>[]): SimEvent {
    const all = new SimEvent();
    let left = events.length;
    if (left === 0) all.fire();
    for (const e of events) e.then(() => {
      if (--left === 0) all.fire();
    });
    return all;
  }

  /** Starts an operation graph now (a collective, a model step…); its `done` fires when all its operations have finished. */
  graph(dag: TransferDag, resources: GraphResources): GraphRun {
    return new GraphRun(this.sim, dag, resources);
  }

  /** Runs `body` until its first wait; the returned event fires with its result when it returns. */
  spawn<R>(body: Process<R>): SimEvent<R> {
    const done = new SimEvent<R>();
    resume(body, undefined, done);
    return done;
  }

  /** Runs the simulation until nothing is pending (processes still waiting on signals stay waiting). */
  run(): void {
    this.sim.run();
  }
}

/** Steps `body` with `value` until it waits on an event that has not fired, or returns. */
function resume<R>(body: Process<R>, value: unknown, done: SimEvent<R>): void {
  for (;;) {
    const r = body.next(value);
    if (r.done) return done.fire(r.value);
    const ev = r.value;
    if (!ev.fired) return ev.then((v) => resume(body, v, done));
    value = ev.value;
  }
}
