// Scripted scenarios for engine tests: a list of timed actions (start an activity, change a
// capacity, cancel) run on any FlowEngine, recording each activity's finish time. Also a seeded
// generator of random scenarios and a checker of the max-min conditions on live rates.
import type { FlowEngine, StartOptions } from '../../src/engine/flow-engine.js';
import { SeededRandom } from '../../src/core/random.js';

export type Action =
  | { at: number; kind: 'start'; key: number; amount: number; res: number[]; coef: number[]; options: StartOptions }
  | { at: number; kind: 'capacity'; resource: number; capacity: number }
  | { at: number; kind: 'cancel'; key: number };

export interface Scenario {
  capacities: number[];
  actions: Action[]; // sorted by time
  activities: number;
}

/**
 * Runs a scenario and returns each activity's finish time (NaN = cancelled or stalled forever);
 * `onInstant` (optional) sees the engine after the actions of each instant were applied.
 */
export function runScenario(engine: FlowEngine, sc: Scenario, onInstant?: (e: FlowEngine, liveKeys: Map<number, number>) => void): Float64Array {
  for (const c of sc.capacities) engine.addResource(c);
  const finish = new Float64Array(sc.activities).fill(NaN);
  const keyOf = new Map<number, number>(); // engine id -> scenario key
  const idOf = new Map<number, number>(); // scenario key -> engine id
  let next = 0;
  const record = (done: Int32Array): void => {
    for (const id of done) {
      const key = keyOf.get(id)!;
      finish[key] = engine.now;
      keyOf.delete(id);
      idOf.delete(key);
    }
  };
  let guard = 0;
  while (next < sc.actions.length || engine.liveCount > 0) {
    if (++guard > 50 * (sc.actions.length + sc.activities) + 1000) throw new Error('scenario does not terminate');
    const at = next < sc.actions.length ? sc.actions[next].at : Infinity;
    const ev = engine.nextEventTime();
    if (at === Infinity && ev === Infinity) break; // only stalled activities remain
    if (at <= ev) {
      record(engine.advance(at));
      while (next < sc.actions.length && sc.actions[next].at <= engine.now) {
        const a = sc.actions[next++];
        if (a.kind === 'start') {
          const id = engine.startOn(a.amount, a.res, a.coef, a.options);
          keyOf.set(id, a.key);
          idOf.set(a.key, id);
        } else if (a.kind === 'capacity') engine.setCapacity(a.resource, a.capacity);
        else {
          const id = idOf.get(a.key);
          if (id !== undefined) {
            engine.cancel(id);
            keyOf.delete(id);
            idOf.delete(a.key);
          }
        }
      }
      onInstant?.(engine, idOf);
    } else record(engine.advance());
  }
  return finish;
}

export interface RandomScenarioOptions {
  resources: number;
  activities: number;
  maxRoute?: number;
  boundedFraction?: number;
  weighted?: boolean;
  coefficients?: boolean;
  delays?: boolean;
  capacityChanges?: number;
  cancels?: number;
  /** Mean gap between arrivals (s); 0 = all at time 0. */
  meanGap?: number;
}

export function randomScenario(seed: number, o: RandomScenarioOptions): Scenario {
  const rnd = new SeededRandom(seed);
  const capacities = Array.from({ length: o.resources }, () => rnd.logUniform(100, 10000));
  const actions: Action[] = [];
  let t = 0;
  const maxRoute = o.maxRoute ?? 5;
  for (let k = 0; k < o.activities; k++) {
    if (o.meanGap) t += rnd.exponential(o.meanGap);
    const n = 1 + rnd.int(Math.min(maxRoute, o.resources));
    const res = rnd.sample(o.resources, n);
    const coef = res.map(() => (o.coefficients ? rnd.logUniform(0.25, 4) : 1));
    const options: { bound?: number; weight?: number; delaySec?: number } = {};
    if (rnd.chance(o.boundedFraction ?? 0)) options.bound = rnd.logUniform(10, 5000);
    if (o.weighted) options.weight = rnd.logUniform(0.25, 4);
    if (o.delays && rnd.chance(0.5)) options.delaySec = rnd.uniform(0, 0.5);
    const amount = rnd.chance(0.02) ? 0 : rnd.logUniform(10, 20000);
    actions.push({ at: t, kind: 'start', key: k, amount, res, coef, options });
  }
  const horizon = Math.max(t, 1);
  for (let c = 0; c < (o.capacityChanges ?? 0); c++) {
    const at = rnd.uniform(0, horizon * 1.5);
    const resource = rnd.int(o.resources);
    const capacity = rnd.chance(0.2) ? 0 : rnd.logUniform(100, 10000);
    actions.push({ at, kind: 'capacity', resource, capacity });
    if (capacity === 0) actions.push({ at: at + rnd.uniform(0.01, 1), kind: 'capacity', resource, capacity: rnd.logUniform(100, 10000) });
  }
  for (let c = 0; c < (o.cancels ?? 0); c++) actions.push({ at: rnd.uniform(0, horizon), kind: 'cancel', key: rnd.int(o.activities) });
  actions.sort((a, b) => a.at - b.at);
  return { capacities, actions, activities: o.activities };
}

export interface Violation {
  what: string;
}

/**
 * Checks the weighted max-min conditions on the engine's current rates: no resource over
 * capacity, and every activity at its bound or on a saturated resource where no user has a
 * larger rate/weight. Needs each live activity's uses and options (from the scenario).
 */
export function checkMaxMin(
  e: FlowEngine,
  capacities: readonly number[],
  live: readonly { id: number; res: number[]; coef: number[]; bound: number; weight: number }[],
  tol = 1e-9,
): string[] {
  const problems: string[] = [];
  const load = new Float64Array(capacities.length), maxLvl = new Float64Array(capacities.length);
  const rate = live.map((a) => e.rate(a.id));
  live.forEach((a, i) => {
    a.res.forEach((r, k) => {
      load[r] += a.coef[k] * rate[i];
      maxLvl[r] = Math.max(maxLvl[r], rate[i] / a.weight);
    });
  });
  for (let r = 0; r < capacities.length; r++) {
    if (load[r] > capacities[r] * (1 + tol) + 1e-12) problems.push(`resource ${r} over capacity: ${load[r]} > ${capacities[r]}`);
  }
  live.forEach((a, i) => {
    if (rate[i] >= a.bound * (1 - tol)) return;
    const lvl = rate[i] / a.weight;
    const ok = a.res.some((r) => load[r] >= capacities[r] * (1 - tol) && lvl >= maxLvl[r] * (1 - tol));
    if (!ok) problems.push(`activity ${a.id} (rate ${rate[i]}) has no bottleneck`);
  });
  return problems;
}
