// Speculative decoding with a one-layer draft (DeepSeek-V3's multi-token prediction module;
// EAGLE-style heads cost the same): each decode step, every decoding sequence first drafts
// `tokens` tokens one after another, each a pass of one layer of the model's kind (an MoE layer
// for an MoE model), the projection of its two normed inputs [2h → h] and the LM head; then the
// model verifies the last token and the drafts in one forward (a window of tokens + 1 queries
// against the sequence's cache) and keeps the drafts up to the first it rejects plus its own next
// token. With each draft accepted with probability a, independently, a step yields
// (1 − a^(k+1)) / (1 − a) tokens on average (Leviathan et al. 2023, "Fast Inference from
// Transformers via Speculative Decoding", eq. 1), k + 1 at a = 1. The acceptance rate is the
// workload's (it depends on the text); engines report it as an acceptance length (that average).
import { weightGemmSeconds } from '../../hardware/gemm-efficiency.js';
import { stepCost } from './forward-cost.js';
import type { BatchSums, InstanceShape } from './instance-shape.js';
import { layerKinds } from './layer-cost.js';

export interface Speculation {
  /** Draft tokens a step (num_nextn_predict_layers / num_speculative_tokens). */
  readonly tokens: number;
  /** Probability that the model accepts a draft token, each independently. */
  readonly acceptance: number;
}

/** Tokens a decode step yields on average: (1 − a^(k+1)) / (1 − a). */
export function acceptedPerStep(s: Speculation): number {
  const a = s.acceptance, k = s.tokens;
  return a >= 1 ? k + 1 : (1 - a ** (k + 1)) / (1 - a);
}

/**
 * Seconds of the drafting in one step on each rank: `tokens` passes over the step's decoding
 * sequences, each a one-layer forward of the model's last kind with its LM head and sampling
 * (stepCost of that layer: attention against each sequence's cache, the layer's collectives),
 * and the draft's [2h → h] projection. 0 when nothing decodes.
 */
export function draftSec(shape: InstanceShape, b: BatchSums, spec: Speculation): number {
  const d = b.decodes ?? 0;
  if (d <= 0) return 0;
  const kinds = layerKinds(shape.model);
  const [view] = kinds[kinds.length - 1];
  const layer: InstanceShape = { ...shape, model: { ...view, layers: 1, denseLayers: 0 } };
  const context = b.decodeKvTokens ?? d;
  const sums: BatchSums = { sequences: d, tokens: d, sampled: d, attentionPairs: context, kvTokensRead: context, decodes: d, decodeKvTokens: context };
  const ranks = shape.dataParallelAttention === true ? shape.tp : 1;
  const split = shape.dataParallelAttention === true ? 1 : shape.tp;
  const h = shape.model.hidden;
  const projection = weightGemmSeconds(shape.accelerator, Math.max(1, d / ranks), h / split, 2 * h, shape.weights === 'fp4' ? 'fp8' : shape.weights);
  return spec.tokens * (stepCost(layer, sums).seconds + projection);
}
