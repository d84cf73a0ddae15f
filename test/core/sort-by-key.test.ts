// sortIndicesByKey against the built-in stable sort: the same permutation on keys with many
// ties, on keys spanning exponents, on short lists, and on keys it must hand to the built-in
// sort (negative, −0, NaN).
import { describe, expect, test } from 'vitest';
import { SeededRandom } from '../../src/core/random.js';
import { sortIndicesByKey } from '../../src/core/sort-by-key.js';

function builtIn(keys: Float64Array, idx: Int32Array): Int32Array {
  return idx.slice().sort((a, b) => keys[a] - keys[b]);
}

function iota(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
}

describe('sortIndicesByKey', () => {
  test.each([
    ['ties: 5,000 keys from 40 values', (r: SeededRandom) => r.int(40) * 0.125],
    ['spread: 5,000 keys from 1e-9 to 1e3', (r: SeededRandom) => r.logUniform(1e-9, 1e3)],
    ['zeros and +∞ among them', (r: SeededRandom) => (r.chance(0.2) ? 0 : r.chance(0.1) ? Infinity : r.next())],
  ])('%s: the same permutation as the stable built-in sort', (_name, draw) => {
    const r = new SeededRandom(7);
    const keys = Float64Array.from({ length: 5000 }, () => draw(r));
    const idx = iota(5000).reverse(); // not in key order to start with
    const want = builtIn(keys, idx);
    expect(sortIndicesByKey(keys, idx)).toBe('radix');
    expect(Array.from(idx)).toEqual(Array.from(want));
  });

  test('indices naming a subset of the keys, and a short list', () => {
    const keys = Float64Array.from([3, 1, 2, 1, 0.5, 7, 1]);
    const sub = Int32Array.from([6, 3, 1, 0]);
    expect(sortIndicesByKey(keys, sub)).toBe('built-in'); // 4 indices: below RADIX_MIN
    expect(Array.from(sub)).toEqual([6, 3, 1, 0]); // 1, 1, 1 (in their order), then 3
    const r = new SeededRandom(3);
    const many = Float64Array.from({ length: 300 }, () => r.int(10));
    const some = Int32Array.from({ length: 200 }, (_, i) => 299 - i);
    const want = builtIn(many, some);
    expect(sortIndicesByKey(many, some)).toBe('radix');
    expect(Array.from(some)).toEqual(Array.from(want));
  });

  test.each([
    ['a negative key', -1],
    ['−0', -0],
    ['NaN', NaN],
  ])('%s hands the list to the built-in sort (same result)', (_name, odd) => {
    const r = new SeededRandom(5);
    const keys = Float64Array.from({ length: 500 }, () => r.int(20));
    keys[17] = odd;
    const idx = iota(500);
    const want = builtIn(keys, idx);
    expect(sortIndicesByKey(keys, idx)).toBe('built-in');
    expect(Array.from(idx)).toEqual(Array.from(want));
  });
});
