// Seeded random numbers: the same seed gives the same draws; the gamma draws have the moments
// of their distribution (mean k·θ, squared coefficient of variation 1/k).
import { describe, expect, test } from 'vitest';
import { SeededRandom } from '../../src/core/random.js';

/** Mean and squared coefficient of variation of n draws. */
function moments(draw: () => number, n: number): { mean: number; cv2: number } {
  let s = 0, s2 = 0;
  for (let i = 0; i < n; i++) {
    const x = draw();
    s += x;
    s2 += x * x;
  }
  const mean = s / n;
  return { mean, cv2: (s2 / n - mean * mean) / (mean * mean) };
}

describe('SeededRandom', () => {
  test('the same seed, the same sequence', () => {
    const [a, b] = [new SeededRandom(42), new SeededRandom(42)];
    expect(Array.from({ length: 5 }, () => a.gamma(0.5, 1))).toEqual(Array.from({ length: 5 }, () => b.gamma(0.5, 1)));
  });

  test.each([0.25, 1, 4])('gamma of shape %d and mean 2: 200,000 draws within 2% of the mean and 5% of CV² = 1/shape', (shape) => {
    const r = new SeededRandom(5);
    const m = moments(() => r.gamma(shape, 2), 200_000);
    expect(Math.abs(m.mean / 2 - 1)).toBeLessThan(0.02);
    expect(Math.abs(m.cv2 * shape - 1)).toBeLessThan(0.05);
  });

  test('normal: mean 0, variance 1 over 200,000 draws (within 0.01 and 2%)', () => {
    const r = new SeededRandom(9);
    let s = 0, s2 = 0;
    for (let i = 0; i < 200_000; i++) {
      const x = r.normal();
      s += x;
      s2 += x * x;
    }
    expect(Math.abs(s / 200_000)).toBeLessThan(0.01);
    expect(Math.abs(s2 / 200_000 - 1)).toBeLessThan(0.02);
  });
});
