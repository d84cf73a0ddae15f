// Orders indices by non-negative float keys without a comparison callback: an LSD radix sort,
// eight bits a pass, on the keys' IEEE-754 bit patterns, which order as the numbers do from +0 to
// +∞. It is stable (equal keys keep their order), as the built-in sort is, so both give the same
// permutation. Keys that are negative, −0 or NaN, and short lists, take the built-in sort.

/** Below this many indices the built-in sort is as quick. */
const RADIX_MIN = 64;

/** Sorts `idx` in place by keys[idx[i]], ascending and stable; says which sort did it. */
export function sortIndicesByKey(keys: Float64Array, idx: Int32Array): 'radix' | 'built-in' {
  const n = idx.length;
  if (n < RADIX_MIN || !radixable(keys, idx)) {
    idx.sort((a, b) => keys[a] - keys[b]);
    return 'built-in';
  }
  const bits = new Uint32Array(keys.buffer, keys.byteOffset, 2 * keys.length);
  const lowWord = new Uint8Array(new Float64Array([1]).buffer)[0] === 0 ? 0 : 1; // the low 32 bits' word: 0 on little-endian hosts
  let src: Int32Array<ArrayBufferLike> = idx;
  let dst: Int32Array<ArrayBufferLike> = new Int32Array(n);
  const count = new Int32Array(256);
  for (let pass = 0; pass < 8; pass++) {
    const word = pass < 4 ? lowWord : 1 - lowWord;
    const shift = (pass & 3) * 8;
    count.fill(0);
    for (let i = 0; i < n; i++) count[(bits[2 * src[i] + word] >>> shift) & 255]++;
    if (count[(bits[2 * src[0] + word] >>> shift) & 255] === n) continue; // every key has this digit
    for (let d = 0, sum = 0; d < 256; d++) {
      const c = count[d];
      count[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) dst[count[(bits[2 * src[i] + word] >>> shift) & 255]++] = src[i];
    [src, dst] = [dst, src];
  }
  if (src !== idx) idx.set(src);
  return 'radix';
}

/** Whether every key the indices name is +0 or more (not −0, not NaN). */
function radixable(keys: Float64Array, idx: Int32Array): boolean {
  for (let i = 0; i < idx.length; i++) {
    const k = keys[idx[i]];
    if (!(k >= 0) || (k === 0 && 1 / k < 0)) return false;
  }
  return true;
}
