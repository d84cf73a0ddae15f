// The ECMP hash: a deterministic 32-bit mix of (seed, src, dst, flow label), then of the node
// where a choice is made, so the same flow always takes the same path and different flows
// (or labels, e.g. NCCL channels) spread over equal-cost next hops. Murmur3's finaliser.

function mix32(a: number, b: number): number {
  let h = (a ^ Math.imul(b + 0x9e3779b9, 0x85ebca6b)) | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

export function flowHash(seed: number, src: number, dst: number, label: number): number {
  const k = seed ^ Math.imul(src, 0x9e3779b1) ^ Math.imul((dst << 16) | (dst >>> 16), 0x85ebca77) ^ Math.imul(label, 0xc2b2ae3d);
  return mix32(k, dst);
}

/** Picks one of `count` equal choices at node `at` for a flow with hash `h` (one multiply-xorshift round). */
export function pick(h: number, at: number, count: number): number {
  if (count === 1) return 0;
  let x = Math.imul(h ^ Math.imul(at + 1, 0x9e3779b1), 0x85ebca6b);
  x ^= x >>> 15;
  x = Math.imul(x, 0xc2b2ae35);
  // Multiply-shift instead of %: maps the 32-bit hash onto [0, count) without a division.
  return Math.floor(((x ^ (x >>> 13)) >>> 0) * count * 2.3283064365386963e-10);
}
