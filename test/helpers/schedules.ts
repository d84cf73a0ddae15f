// Release schedules for the batch-replay tests: the hand-derived flow problems of
// test/fixtures/hand-cases as schedules, and a seeded generator of random ones.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SeededRandom } from '../../src/core/random.js';
import type { ReleaseSchedule } from '../../src/engine/batch-replay.js';
import type { FlowEngine } from '../../src/engine/flow-engine.js';
import { parseFlowProblemText, type FlowProblem } from '../../src/io/flow-problem.js';
import { flowSchedule } from '../../src/sim/flow-replay.js';

const casesDir = fileURLToPath(new URL('../fixtures/hand-cases', import.meta.url));

export const HAND_CASES = readdirSync(casesDir).filter((f) => f.endsWith('.json')).sort();

/** A hand case: its problem, its schedule and the derived finish time per flow index. */
export function handCase(file: string): { problem: FlowProblem; schedule: ReleaseSchedule; expected: number[] } {
  const text = readFileSync(`${casesDir}/${file}`, 'utf8');
  const problem = parseFlowProblemText(text);
  const byId = (JSON.parse(text) as { expected: Record<string, number> }).expected;
  return { problem, schedule: flowSchedule(problem), expected: problem.flowIds.map((id) => byId[id]) };
}

/** Adds the problem's links to the engine as resources (what replayFlows does first). */
export function addLinks(e: FlowEngine, p: FlowProblem): void {
  for (let l = 0; l < p.linkIds.length; l++) e.addResource(p.linkBandwidth[l]);
}

/**
 * `n` releases on `resources` resources (capacities 1e3..1e6): routes of 1-4 distinct
 * resources, amounts log-uniform 1..1e4 (5% zero), release times drawn from `instants` values
 * 0.01 apart, so that many releases share an instant.
 */
export function randomSchedule(seed: number, n: number, resources: number, instants: number): { capacities: number[]; schedule: ReleaseSchedule } {
  const rnd = new SeededRandom(seed);
  const capacities = Array.from({ length: resources }, () => rnd.logUniform(1e3, 1e6));
  const releaseSec = Float64Array.from({ length: n }, () => rnd.int(instants) * 0.01);
  const amount = Float64Array.from({ length: n }, () => (rnd.chance(0.05) ? 0 : rnd.logUniform(1, 1e4)));
  const resStart = [0], res: number[] = [];
  for (let i = 0; i < n; i++) {
    const route = new Set<number>();
    for (let k = 1 + rnd.int(4); route.size < k; ) route.add(rnd.int(resources));
    res.push(...route);
    resStart.push(res.length);
  }
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => releaseSec[a] - releaseSec[b] || a - b);
  return { capacities, schedule: { order, releaseSec, amount, resStart: Int32Array.from(resStart), resources: Int32Array.from(res) } };
}
