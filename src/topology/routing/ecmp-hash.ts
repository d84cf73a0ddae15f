// The ECMP hash: a deterministic 32-bit mix of (seed, src, dst, flow label), then of the node
// where a choice is made, so the same flow always takes the same path and different flows
// (or labels, e.g. NCCL channels) spread over equal-cost next hops. Murmur3's finaliser.

export function mix32(a: number, b: number): number {
  let h = (a ^ Math.imul(b + 0x9e3779b9, 0x85ebca6b)) | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

export function flowHash(seed: number, src: number, dst: number, label: number): number {
  return mix32(mix32(mix32(seed, src), dst), label);
}

/** Picks one of `count` equal choices at node `at` for a flow with hash `h`. */
export function pick(h: number, at: number, count: number): number {
  return count === 1 ? 0 : mix32(h, at) % count;
}
