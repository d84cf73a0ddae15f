// The fuzz suite: mutants of every input format's seeds must be accepted or refused with an
// input error naming a path, never crash nor hang (issue 19). `npm test` runs a short pass
// (FUZZ_COUNT mutants per format, default 40); `npm run fuzz -- --count N` a long one, printing
// the table of accepted and refused counts per format. A failure names the target, seed file
// and mutant number: mutate(seed, format, n) in mutate.ts reproduces it.
import { describe, expect, test } from 'vitest';
import { fuzzTarget, type FuzzReport } from './run-fuzz.js';
import { TARGETS } from './targets.js';

const COUNT = Number(process.env.FAIRWAY_FUZZ_COUNT ?? 40);
const FIRST = Number(process.env.FAIRWAY_FUZZ_FIRST ?? 0);
const ONLY = process.env.FAIRWAY_FUZZ_FORMAT;
const reports: FuzzReport[] = [];

describe('fuzz', () => {
  for (const t of TARGETS.filter((x) => !ONLY || x.name === ONLY)) {
    test(`${t.name}: ${COUNT} mutants, each accepted or refused naming a path`, () => {
      const r = fuzzTarget(t, COUNT, FIRST);
      reports.push(r);
      expect(r.failures).toEqual([]);
      expect(r.accepted + r.refused).toBe(COUNT);
    }, Math.max(60_000, COUNT * 500));
  }

  test.runIf(process.env.FAIRWAY_FUZZ_TABLE === '1')('the table', () => {
    const rows = reports.map((r) => `| ${r.target} | ${r.count} | ${r.accepted} | ${r.refused} | ${r.failures.length} | ${r.seconds.toFixed(1)} |`);
    console.log(['| format | mutants | accepted | refused | failures | seconds |', '|---|---:|---:|---:|---:|---:|', ...rows].join('\n'));
  });
});
