// Runs mutants of a target's seeds through fairway's path for that format and sorts each
// outcome: accepted, refused with an input error (a FairwayError E_INPUT naming a field or the
// file), or a failure — any other exception (a crash) or an attempt slower than its bound (a
// hang, measured after the fact: 2 s plus 1 s per 100 kB of input). Failures carry the mutant
// number that reproduces them: mutate(seed, format, n).
import { FairwayError } from '../../src/core/errors.js';
import { mutate } from './mutate.js';
import { readSeed, type Target } from './targets.js';

export interface FuzzFailure {
  readonly target: string;
  readonly seed: string;
  readonly mutant: number;
  readonly how: string;
  readonly what: string;
}

export interface FuzzReport {
  readonly target: string;
  readonly count: number;
  readonly accepted: number;
  readonly refused: number;
  readonly failures: FuzzFailure[];
  readonly seconds: number;
}

/** Whether `e` is how fairway refuses input: E_INPUT, with a field or the file named. */
export function isRefusal(e: unknown): boolean {
  return e instanceof FairwayError && e.code === 'E_INPUT' && (e.issues.length > 0 || /fuzz/.test(e.message));
}

function describe(e: unknown): string {
  if (e instanceof FairwayError) return `FairwayError ${e.code} without a path: ${e.message.slice(0, 200)}`;
  const err = e as Error;
  return `${err?.name ?? typeof e}: ${String(err?.message ?? e).slice(0, 200)} ${(err?.stack ?? '').split('\n')[1]?.trim() ?? ''}`;
}

/** `count` mutants of `t`, numbered from `first`, spread over its seeds in turn. */
export function fuzzTarget(t: Target, count: number, first = 0): FuzzReport {
  const seeds = t.seeds.map((f) => ({ file: f, data: readSeed(t, f) }));
  const failures: FuzzFailure[] = [];
  let accepted = 0;
  let refused = 0;
  const t0 = performance.now();
  for (let n = first; n < first + count; n++) {
    const seed = seeds[n % seeds.length];
    const m = mutate(seed.data, t.format, n);
    const start = performance.now();
    try {
      t.attempt(m.data);
      accepted++;
    } catch (e) {
      if (isRefusal(e)) refused++;
      else failures.push({ target: t.name, seed: seed.file, mutant: n, how: m.how, what: describe(e) });
    }
    const sec = (performance.now() - start) / 1000;
    if (sec > 2 + m.data.length / 100_000) failures.push({ target: t.name, seed: seed.file, mutant: n, how: m.how, what: `took ${sec.toFixed(1)} s for ${m.data.length} bytes` });
  }
  return { target: t.name, count, accepted, refused, failures, seconds: (performance.now() - t0) / 1000 };
}
