// Placing a serving deployment: the all-reduce table's interpolation.
import { describe, expect, it } from 'vitest';
import { interpolateAllReduce } from '../../src/scenario/serve-scenario.js';

describe('interpolateAllReduce', () => {
  // a table at 1, 2, 4 KiB: 10, 20, 40 µs
  const table = [10e-6, 20e-6, 40e-6];
  it('exact at the table sizes, log-log between them, the first below, linear in bytes past the end', () => {
    expect(interpolateAllReduce(table, 2048)).toBeCloseTo(20e-6, 15);
    expect(interpolateAllReduce(table, 100)).toBe(10e-6);
    // halfway in log2 between 1 and 2 KiB: √(10·20) µs
    expect(interpolateAllReduce(table, 1024 * Math.SQRT2)).toBeCloseTo(Math.sqrt(200) * 1e-6, 12);
    expect(interpolateAllReduce(table, 8192)).toBeCloseTo(80e-6, 15);
  });
});
