// Expert-parallel load: the busiest rank's share of a step's expert visits under uniform
// routing (derivations in the tests).
import { describe, expect, it } from 'vitest';
import { busiestRankVisits, expectedMaxNormal } from '../../../src/workload/serving/expert-load.js';

describe('expert load', () => {
  it('the busiest rank: the mean visits plus E[max of n normals] binomial deviations (n = 2: 1/√π; 8: 1.4236, the tabulated value)', () => {
    expect(expectedMaxNormal(1)).toBe(0);
    expect(expectedMaxNormal(2)).toBeCloseTo(1 / Math.sqrt(Math.PI), 4);
    expect(expectedMaxNormal(8)).toBeCloseTo(1.4236, 3);
    // 64 decode tokens × top-8 = 512 visits over 8 ranks: 64 ± √(512 · 1/8 · 7/8) = 7.48, the busiest 64 + 1.4236 · 7.48 = 74.65
    expect(busiestRankVisits(512, 8)).toBeCloseTo(64 + expectedMaxNormal(8) * Math.sqrt(56), 9);
    expect(busiestRankVisits(512, 8)).toBeCloseTo(74.65, 2);
    // never more than all the visits; one rank takes them all
    expect(busiestRankVisits(2, 8)).toBeLessThanOrEqual(2);
    expect(busiestRankVisits(100, 1)).toBe(100);
  });
});
