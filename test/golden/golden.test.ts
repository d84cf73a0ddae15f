// The golden suite: every shipped example and README command gives byte-identical output
// (wall-clock figures masked) to the checked-in expected/ files. A structural change must leave
// these untouched; an intended change of output regenerates them with update.mjs.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM helper shared with update.mjs
import { cases, expectedPath, runCase } from './run-case.mjs';

const full = process.env.FAIRWAY_GOLDEN_FULL === '1';
type Case = { name: string; heavy?: boolean };

describe('golden outputs', () => {
  for (const c of cases as Case[]) {
    const run = c.heavy && !full ? it.skip : it;
    run(c.name, () => {
      // toBe on the strings: byte-for-byte, and a failure shows the differing lines
      expect(runCase(c)).toBe(readFileSync(expectedPath(c.name), 'utf8'));
    }, 300_000);
  }
});
