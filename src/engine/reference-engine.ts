// The pure-TypeScript reference FlowEngine: same contract and event semantics as the Wasm
// engine, deliberately plain. Every solve fills *all* active activities from scratch
// (max-min-fill.ts: progressive filling with a heap over resources keyed by saturation level,
// bounds in a second heap): O(I log R) per solve, no incremental cleverness to get wrong.
// Remaining work of every active activity is brought up to date at each solve. Its batch replay
// is the TS loop over its own clock (event-loop-replay.ts).
import { grownTo } from '../core/typed-arrays.js';
import { FairwayError } from '../core/errors.js';
import type { BatchReplay } from './batch-replay.js';
import { eventLoopReplay } from './event-loop-replay.js';
import type { ActivityId, EngineStats, FlowEngine, ResourceId, StartOptions, Use } from './flow-engine.js';
import { IndexedHeap } from './indexed-heap.js';
import { maxMinRates } from './max-min-fill.js';
import { checkCapacity, checkResource, checkStart } from './validate-args.js';

const FREE = 0, PENDING = 1, ACTIVE = 2;
/** Event times closer than this (relative) form one instant (same as the Wasm engine). */
const TIME_TOL = 1e-13;

interface Activity {
  state: number;
  rem: number;
  last: number;
  rate: number;
  readonly bound: number;
  readonly weight: number;
  readonly res: Int32Array;
  readonly coef: Float64Array;
}

export class ReferenceFlowEngine implements FlowEngine {
  readonly kind = 'ts' as const;
  readonly replay: BatchReplay = eventLoopReplay(this);
  private t = 0;
  private caps: number[] = [];
  private acts: Activity[] = [];
  private freeIds: number[] = [];
  private live = 0;
  private dirty = false;
  private eventKey: Float64Array<ArrayBuffer> = new Float64Array(16);
  private readonly events = new IndexedHeap(this.eventKey);
  private counters = { events: 0, solves: 0, completed: 0, incidences: 0, activities: 0 };

  get now(): number {
    return this.t;
  }

  get liveCount(): number {
    return this.live;
  }

  get resourceCount(): number {
    return this.caps.length;
  }

  addResource(capacityPerSec: number): ResourceId {
    checkCapacity(capacityPerSec, 'addResource.capacityPerSec');
    this.caps.push(capacityPerSec);
    return this.caps.length - 1;
  }

  setCapacity(resource: ResourceId, capacityPerSec: number): void {
    checkResource(resource, this.caps.length, 'setCapacity.resource');
    checkCapacity(capacityPerSec, 'setCapacity.capacityPerSec');
    this.caps[resource] = capacityPerSec;
    this.dirty = true;
  }

  capacity(resource: ResourceId): number {
    checkResource(resource, this.caps.length, 'capacity.resource');
    return this.caps[resource];
  }

  start(amount: number, uses: readonly Use[], options?: StartOptions): ActivityId {
    return this.startOn(amount, uses.map((u) => u[0]), uses.map((u) => u[1]), options);
  }

  startOn(amount: number, resources: ArrayLike<number>, coefficients?: ArrayLike<number>, options?: StartOptions): ActivityId {
    const o = checkStart(amount, resources, coefficients, options, this.caps.length);
    // merge repeated resources: their coefficients add up
    const merged = new Map<number, number>();
    for (let k = 0; k < resources.length; k++) {
      const r = resources[k];
      merged.set(r, (merged.get(r) ?? 0) + (coefficients === undefined ? 1 : coefficients[k]));
    }
    const id = this.freeIds.length > 0 ? (this.freeIds.pop() as number) : this.acts.length;
    this.acts[id] = {
      state: PENDING,
      rem: amount,
      last: this.t + o.delaySec,
      rate: 0,
      bound: o.bound,
      weight: o.weight,
      res: Int32Array.from(merged.keys()),
      coef: Float64Array.from(merged.values()),
    };
    this.live++;
    this.eventKey = grownTo(this.eventKey, id + 1);
    this.events.keys = this.eventKey;
    this.events.reserve(id + 1);
    if (o.delaySec > 0 || amount === 0) {
      this.eventKey[id] = this.t + o.delaySec;
      this.events.update(id);
    } else this.activate(id);
    return id;
  }

  private activate(id: number): void {
    const a = this.acts[id];
    a.state = ACTIVE;
    a.last = this.t;
    this.eventKey[id] = Infinity;
    this.events.update(id);
    this.dirty = true;
  }

  private release(id: number): void {
    this.acts[id].state = FREE;
    this.events.remove(id);
    this.freeIds.push(id);
    this.live--;
  }

  cancel(id: ActivityId): boolean {
    if (!this.isLive(id)) return false;
    if (this.acts[id].state === ACTIVE) this.dirty = true;
    this.release(id);
    return true;
  }

  isLive(id: ActivityId): boolean {
    const a = this.acts[id];
    return a !== undefined && a.state !== FREE;
  }

  private get(id: ActivityId, what: string): Activity {
    if (!this.isLive(id)) throw new FairwayError('E_ARGUMENT', `${what}: activity ${id} is not live (completed, cancelled or never started)`);
    return this.acts[id];
  }

  rate(id: ActivityId): number {
    const a = this.get(id, 'rate');
    this.solveIfDirty();
    return a.rate;
  }

  remaining(id: ActivityId): number {
    const a = this.get(id, 'remaining');
    if (a.state !== ACTIVE) return a.rem;
    return Math.max(0, a.rem - a.rate * (this.t - a.last));
  }

  nextEventTime(): number {
    this.solveIfDirty();
    return this.events.topKey();
  }

  advance(untilSec: number = Infinity): Int32Array {
    if (Number.isNaN(untilSec)) throw new FairwayError('E_ARGUMENT', 'advance.untilSec: must be a number');
    this.solveIfDirty();
    const t = Math.min(this.events.topKey(), untilSec);
    if (t === Infinity) return new Int32Array(0);
    if (t > this.t) this.t = t;
    const limit = this.t + TIME_TOL * Math.abs(this.t);
    const done: number[] = [];
    let any = false;
    while (this.events.size > 0 && this.events.topKey() <= limit) {
      const id = this.events.pop();
      const a = this.acts[id];
      any = true;
      if (a.state === PENDING && a.rem > 0) {
        this.activate(id);
        continue;
      }
      if (a.state === ACTIVE) this.dirty = true;
      done.push(id);
      this.counters.completed++;
      this.release(id);
    }
    if (any) this.counters.events++;
    return Int32Array.from(done);
  }

  stalled(): Int32Array {
    this.solveIfDirty();
    const out: number[] = [];
    this.acts.forEach((a, id) => {
      if (a.state === ACTIVE && a.rate === 0) out.push(id);
    });
    return Int32Array.from(out);
  }

  stats(): EngineStats {
    const c = this.counters;
    return {
      events: c.events,
      solves: c.solves,
      fullSolves: c.solves,
      rounds: c.solves,
      regionActivities: c.activities,
      incidenceUpdates: c.incidences,
      completed: c.completed,
    };
  }

  private solveIfDirty(): void {
    if (!this.dirty) return;
    this.dirty = false;
    this.counters.solves++;
    const active: number[] = [];
    this.acts.forEach((a, id) => {
      if (a.state === ACTIVE) active.push(id);
    });
    const rates = maxMinRates(this.caps, active.map((id) => this.acts[id]));
    this.counters.activities += active.length;
    for (let k = 0; k < active.length; k++) {
      const id = active[k], a = this.acts[id];
      this.counters.incidences += a.res.length;
      a.rem = Math.max(0, a.rem - a.rate * (this.t - a.last));
      a.last = this.t;
      a.rate = rates[k];
      this.eventKey[id] = a.rate > 0 ? this.t + a.rem / a.rate : Infinity;
      this.events.update(id);
    }
  }
}
