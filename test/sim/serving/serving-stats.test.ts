// Latency percentiles (nearest rank) and the per-token time of a request.
import { describe, expect, it } from 'vitest';
import { percentiles, tpotOf } from '../../../src/sim/serving/serving-stats.js';
import type { Sequence } from '../../../src/sim/serving/batch-scheduler.js';

describe('percentiles', () => {
  it('nearest rank: p50 of 1..100 is 50, p90 90, p99 99; the mean 50.5', () => {
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentiles(xs)).toEqual({ mean: 50.5, p50: 50, p90: 90, p99: 99, max: 100 });
    expect(percentiles([])).toEqual({ mean: 0, p50: 0, p90: 0, p99: 0, max: 0 });
  });

  it('TPOT is the time after the first token over the tokens after it', () => {
    const s = { output: 5, firstTokenSec: 1, finishedSec: 3 } as Sequence;
    expect(tpotOf(s)).toBe(0.5);
    expect(tpotOf({ ...s, output: 1 })).toBe(0);
  });
});
