// How the sweep pool grows (src/parallel/run-sweep.ts): one worker runs alone for a second, then
// the others join only if the points left would keep one worker busy, at the pace seen so far,
// for another second and for 4 times the first (cold) point. Point durations below are the ones
// measured on sweeps/loader-workers.yaml, sweeps/nic-vs-algorithm.yaml and sweeps/serve-split.yaml
// (one worker, this 2-core machine).
import { describe, expect, test } from 'vitest';
import { extraWorkers, GROW_AFTER_MS, GROW_COLD_FACTOR, GROW_MIN_WORK_MS } from '../../src/parallel/run-sweep.js';

describe('sweep pool growth', () => {
  test('the thresholds: one second alone, one second of work left and 4 cold points', () => {
    expect([GROW_AFTER_MS, GROW_MIN_WORK_MS, GROW_COLD_FACTOR]).toEqual([1000, 1000, 4]);
  });

  test('short points (loader-workers): 6 left at the mean of 116, 134, 90, 46 ms = 96.5 ms is 579 ms of work: no second worker', () => {
    expect(extraWorkers(2, 6, [194, 116, 134, 90, 46])).toBe(0);
  });

  test('longer points (nic-vs-algorithm): 18 left at the mean of 273, 155, 127, 50 ms = 151 ms is 2.7 s, above 4 × 353 = 1.4 s: the second worker starts', () => {
    expect(extraWorkers(2, 18, [353, 273, 155, 127, 50])).toBe(1);
  });

  test('a cold point long against the work left (serve-split): 8 left at the mean of 187, 166 ms = 176.5 ms is 1.4 s, above one second but below 4 × 551 = 2.2 s: no second worker', () => {
    expect(extraWorkers(2, 8, [551, 187, 166])).toBe(0);
  });

  test('no point finished within the first second: the points are long, every worker starts (no more than the points left)', () => {
    expect(extraWorkers(8, 100, [])).toBe(7);
    expect(extraWorkers(8, 3, [])).toBe(3);
    // one finished point is its own pace and its own cold start: 5 left × 2000 ms = 10 s is
    // above 4 × 2000 = 8 s, 3 left (6 s) is not
    expect(extraWorkers(4, 5, [2000])).toBe(3);
    expect(extraWorkers(4, 3, [2000])).toBe(0);
  });

  test('nothing left to start, or one worker asked for: none', () => {
    expect(extraWorkers(4, 0, [])).toBe(0);
    expect(extraWorkers(1, 50, [])).toBe(0);
  });
});
