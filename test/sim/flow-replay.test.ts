// Flow-problem replay against independent answers: the hand-derived cases of the SimGrid peer
// harness (copied from ../shared/peers/simgrid/cases to test/fixtures/hand-cases, each with its
// derivation in "description") and
// SimGrid 3.32's own finish times on generated fat-tree / all-to-all / ring problems
// (test/fixtures/simgrid). Both engines must match to 1e-9 relative.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { parseFlowProblemText } from '../../src/io/flow-problem.js';
import { activationTimes, replayFlows } from '../../src/sim/flow-replay.js';
import { ENGINES, relErr } from '../helpers/engines.js';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
const casesDir = here('../fixtures/hand-cases');
const fixturesDir = here('../fixtures/simgrid');

function finishById(text: string, make: (typeof ENGINES)[number][1]): Map<string, number> {
  const p = parseFlowProblemText(text);
  const { finish } = replayFlows(p, make());
  return new Map(p.flowIds.map((id, f) => [id, finish[f]]));
}

function parseCsv(text: string): Map<string, number> {
  const rows = text.trim().split('\n').slice(1);
  return new Map(rows.map((line) => {
    const c = line.lastIndexOf(',');
    return [line.slice(0, c), Number(line.slice(c + 1))];
  }));
}

const cases = readdirSync(casesDir).filter((f) => f.endsWith('.json')).sort();
const fixtures = readdirSync(fixturesDir).filter((f) => f.endsWith('.json'));

describe.each(ENGINES)('%s engine', (_name, make) => {
  test('the hand-derived cases are present', () => {
    expect(cases.length).toBeGreaterThanOrEqual(7);
  });

  test.each(cases)('hand case %s matches its derivation', (file) => {
    const text = readFileSync(`${casesDir}/${file}`, 'utf8');
    const expected = (JSON.parse(text) as { expected: Record<string, number> }).expected;
    const got = finishById(text, make);
    for (const [id, t] of Object.entries(expected)) expect(relErr(got.get(id)!, t), `${file} ${id}`).toBeLessThan(1e-9);
  });

  test.each(fixtures)('%s: same finish times as SimGrid', (file) => {
    const got = finishById(readFileSync(`${fixturesDir}/${file}`, 'utf8'), make);
    const sg = parseCsv(readFileSync(`${fixturesDir}/${file.replace('.json', '.simgrid.csv')}`, 'utf8'));
    expect(got.size).toBe(sg.size);
    let worst = 0;
    for (const [id, t] of sg) worst = Math.max(worst, relErr(got.get(id)!, t));
    expect(worst).toBeLessThan(1e-9);
  });
});

test('activation = start + route latencies, summed in route order', () => {
  const p = parseFlowProblemText(JSON.stringify({
    links: [{ id: 'a', bw: 1, lat: 0.1 }, { id: 'b', bw: 1, lat: 0.2 }],
    flows: [{ id: 'f', route: ['a', 'b'], size: 1, start: 1 }],
  }));
  expect(activationTimes(p)[0]).toBe(1 + (0.1 + 0.2));
});

test.each(ENGINES)('a problem built in code with a link that does not exist is refused, not replayed forever (%s)', (_, make) => {
  const p = parseFlowProblemText(JSON.stringify({ links: [{ id: 'a', bw: 1, lat: 0 }], flows: [{ id: 'f', route: ['a'], size: 1, start: 0 }] }));
  const broken = { ...p, routeLinks: Int32Array.of(3) };
  expect(() => replayFlows(broken, make())).toThrow(/flow "f": route names link index 3, but there are 1 links/);
});
