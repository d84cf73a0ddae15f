// How many paged KV-cache blocks a sequence holds when some of the model's layers attend over a
// sliding window (gpt-oss: 128 keys on every other layer). A full-attention layer keeps every
// token's keys and values; a sliding-window layer only the last w, so once a sequence is past the
// window its blocks there stop growing: the blocks that fall wholly before the window are freed
// (vLLM's hybrid KV-cache manager, one block table per group of layers alike). While a step writes
// n new tokens a window layer still holds the w − 1 before the first of them, so during the step
// it needs the blocks of n + w − 1 tokens, one more where they straddle a block boundary.
//
// Blocks are counted in units of g layers, g = gcd(full layers, window layers): a full layer group
// of f units needs f blocks for each block of tokens, a window group of v units v blocks for each
// block of its window. Without windows the unit is the whole model (g = layers, f = 1, v = 0) and a
// sequence of t tokens holds ⌈t / blockSize⌉ blocks, as before.
import { windowLayerCount, type TransformerModel } from '../generators/models.js';

export interface KvLayout {
  readonly blockSize: number;
  /** Units (of `unitLayers` layers) that attend over every token, and over a window. */
  readonly fullUnits: number;
  readonly windowUnits: number;
  /** Keys a window layer attends over (0 without windows). */
  readonly windowTokens: number;
  /** Layers a block unit spans: all of them without windows. */
  readonly unitLayers: number;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** The block layout of `m`'s KV cache with blocks of `blockSize` tokens. */
export function kvLayout(m: TransformerModel, blockSize: number): KvLayout {
  const windowLayers = m.mla ? 0 : windowLayerCount(m);
  const fullLayers = m.layers - windowLayers;
  const unitLayers = gcd(fullLayers, windowLayers);
  return { blockSize, fullUnits: fullLayers / unitLayers, windowUnits: windowLayers / unitLayers, windowTokens: windowLayers > 0 ? m.window ?? 0 : 0, unitLayers };
}

/** Blocks a sequence holds with `tokens` cached, between steps. */
export function blocksHeld(l: KvLayout, tokens: number): number {
  return blocksWhile(l, tokens, 0);
}

/** Blocks a sequence with `cached` tokens needs while a step writes `n` more. */
export function blocksWhile(l: KvLayout, cached: number, n: number): number {
  const all = Math.ceil((cached + n) / l.blockSize);
  if (l.windowUnits === 0) return l.fullUnits * all;
  const span = Math.ceil((n + l.windowTokens - 1) / l.blockSize) + 1;
  return l.fullUnits * all + l.windowUnits * Math.min(all, span);
}

/** Tokens the blocks hold when every layer keeps them all (a short sequence's view of the capacity). */
export function tokensOfBlocks(l: KvLayout, blocks: number): number {
  return (blocks * l.blockSize) / (l.fullUnits + l.windowUnits);
}

/** The layout of a model without sliding windows: one unit, all layers. */
export function plainLayout(blockSize: number): KvLayout {
  return { blockSize, fullUnits: 1, windowUnits: 0, windowTokens: 0, unitLayers: 0 };
}
