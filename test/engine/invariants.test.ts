// Property test: after every instant of a random scenario, the rates of both engines satisfy
// the weighted max-min conditions: no resource over capacity, and every activity is at its
// bound or uses a saturated resource on which no activity has a larger rate/weight.
import { describe, expect, test } from 'vitest';
import type { FlowEngine } from '../../src/engine/flow-engine.js';
import { ENGINES } from '../helpers/engines.js';
import { checkMaxMin, randomScenario, runScenario, type Scenario } from '../helpers/scenario.js';

function checkEveryInstant(make: () => FlowEngine, sc: Scenario): { instants: number; problems: string[] } {
  const starts = new Map<number, { res: number[]; coef: number[]; bound: number; weight: number }>();
  for (const a of sc.actions) {
    if (a.kind === 'start') starts.set(a.key, { res: a.res, coef: a.coef, bound: a.options.bound ?? Infinity, weight: a.options.weight ?? 1 });
  }
  const caps = [...sc.capacities];
  let instants = 0;
  const problems: string[] = [];
  const e = make();
  runScenario(e, sc, (eng, idOf) => {
    instants++;
    for (let r = 0; r < caps.length; r++) caps[r] = eng.capacity(r);
    const stalled = new Set(eng.stalled());
    // pending (delayed) activities use nothing yet: they are not part of the allocation
    const active = [...idOf].map(([key, id]) => ({ id, ...starts.get(key)! })).filter((a) => eng.rate(a.id) > 0 || stalled.has(a.id));
    problems.push(...checkMaxMin(eng, caps, active));
  });
  return { instants, problems };
}


describe.each(ENGINES)('%s engine', (_name, make) => {
  test.each([31, 32, 33])('max-min conditions hold at every instant, seed %i', (seed) => {
    const sc = randomScenario(seed, { resources: 30, activities: 250, meanGap: 0.03, boundedFraction: 0.3, weighted: true, coefficients: true, delays: true, capacityChanges: 8, cancels: 5 });
    const { instants, problems } = checkEveryInstant(make, sc);
    expect(instants).toBeGreaterThan(200);
    expect(problems.slice(0, 5)).toEqual([]);
  });
});

describe('the checker itself', () => {
  test('flags an allocation that is feasible but not max-min, and one over capacity', () => {
    // One link of 1000 with two unweighted users: 400/400 leaves 200 idle (no bottleneck);
    // 600/600 exceeds the capacity.
    const fake = (rates: number[]) => ({ rate: (id: number) => rates[id] }) as unknown as FlowEngine;
    const users = [0, 1].map((id) => ({ id, res: [0], coef: [1], bound: Infinity, weight: 1 }));
    expect(checkMaxMin(fake([400, 400]), [1000], users)).toHaveLength(2);
    expect(checkMaxMin(fake([600, 600]), [1000], users)[0]).toMatch(/over capacity/);
    expect(checkMaxMin(fake([500, 500]), [1000], users)).toEqual([]);
  });
});
