// One layer of a serving step on one rank, kernel by kernel (forward-cost.ts adds them up into a
// step): its GEMMs (attention's projections, the FFN: dense, or the router, shared experts and
// routed experts), attention over the cached keys and values, the memory-bound kernels, the
// tensor-parallel all-reduces, and the kernels it launches. Each GEMM and attention kernel is a
// roofline, max(FLOPs / (peak × efficiency), bytes / (HBM × GEMM_STREAMING)).
import { attentionEfficiency } from '../../hardware/attention-efficiency.js';
import { dtypePeak, gemmSeconds, GEMM_STREAMING, weightGemmSeconds, type WeightDtype } from '../../hardware/gemm-efficiency.js';
import type { AcceleratorSpec } from '../../hardware/types.js';
import { latentMemoryBytes } from '../generators/latent-attention.js';
import { denseLayerCount, denseView, headDim, windowLayerCount, type TransformerModel } from '../generators/models.js';
import { busiestRankVisits } from './expert-load.js';
import { BYTES_OF, kvHeadsPerRank, type BatchSums, type InstanceShape } from './instance-shape.js';
import { latentAttentionSeconds, latentCacheWidth, latentGemmSeconds, type AttentionSplit } from './latent-attention-cost.js';

/** The model's layers by kind, each as the layer sees the model and how many: an MoE model's dense-FFN first layers (denseView), then the rest. */
export function layerKinds(m: TransformerModel): ReadonlyArray<readonly [view: TransformerModel, count: number]> {
  const dense = denseLayerCount(m);
  if (dense === 0 || dense === m.layers) return [[m, m.layers]];
  return [[denseView(m), dense], [m, m.layers - dense]];
}

/** Σ over the model's layer kinds of count × f(the kind's view). */
export function overLayers(m: TransformerModel, f: (view: TransformerModel) => number): number {
  let sum = 0;
  for (const [view, count] of layerKinds(m)) sum += count * f(view);
  return sum;
}


export const memSec = (bytes: number, acc: AcceleratorSpec) => bytes / (acc.memoryBytesPerSec * GEMM_STREAMING);

/** Expected experts of `local` that at least one of `visits` uniform visits over `experts` lands on. */
export function touchedExperts(local: number, experts: number, visits: number): number {
  return local * (1 - Math.pow(1 - 1 / experts, visits));
}

/** GEMM seconds of one layer's attention projections on one rank for `t` new tokens (QKV and output; latent attention: its five). */
export function attentionGemmSec(s: Pick<InstanceShape, 'model' | 'tp' | 'accelerator' | 'weights'>, t: number): number {
  const { model: m, tp, accelerator: acc } = s;
  const dt: WeightDtype = s.weights;
  if (m.mla) return latentGemmSeconds(acc, m.mla, m.heads, m.hidden, tp, t, dt);
  const d = headDim(m);
  const headsPerRank = m.heads / tp;
  return weightGemmSeconds(acc, t, (headsPerRank + 2 * kvHeadsPerRank(m, tp)) * d, m.hidden, dt) + weightGemmSeconds(acc, t, m.hidden, headsPerRank * d, dt);
}

/** GEMM seconds of an MoE layer's shared experts on one rank: every one of the `t` tokens through them, split `split` ways (0 without shared experts). */
export function sharedExpertSec(s: Pick<InstanceShape, 'model' | 'accelerator' | 'weights'>, t: number, split: number): number {
  const m = s.model;
  const n = m.experts > 1 ? (m.sharedExperts ?? 0) : 0;
  if (n === 0) return 0;
  const up = (m.gated ? 2 : 1) * m.ffn * n;
  return weightGemmSeconds(s.accelerator, t, up / split, m.hidden, s.weights) + weightGemmSeconds(s.accelerator, t, m.hidden, (n * m.ffn) / split, s.weights);
}

/** GEMM seconds of one layer on one rank for `t` new tokens. */
export function layerGemmSec(s: InstanceShape, t: number): number {
  return ffnGemmSec(s, t, attentionGemmSec(s, t));
}

/** `sec` plus the GEMM seconds of one layer's FFN on one rank for `t` tokens: dense, or the router, shared experts and routed experts (whole experts under expert parallelism, else each sharded over the tp ranks). */
export function ffnGemmSec(s: InstanceShape, t: number, sec: number): number {
  const { model: m, tp, accelerator: acc } = s;
  const dt: WeightDtype = s.weights;
  const up = (m.gated ? 2 : 1) * m.ffn;
  if (m.experts === 1) return sec + weightGemmSeconds(acc, t, up / tp, m.hidden, dt) + weightGemmSeconds(acc, t, m.hidden, m.ffn / tp, dt);
  sec += gemmSeconds(acc, t, m.experts, m.hidden, 'bf16') + sharedExpertSec(s, t, tp);
  if (s.expertParallel && tp > 1) {
    // expert parallelism: the busiest rank's visits over the experts it holds, whole experts
    const local = m.experts / tp;
    const groups = Math.max(1, touchedExperts(local, m.experts, t * m.topK));
    const rows = Math.max(1, busiestRankVisits(t * m.topK, tp) / groups);
    return sec + weightGemmSeconds(acc, rows, up, m.hidden, dt, groups) + weightGemmSeconds(acc, rows, m.hidden, m.ffn, dt, groups);
  }
  // MoE, experts sharded by tensor parallelism (TensorRT-LLM's and vLLM's default): every rank runs
  // the router, then one grouped GEMM over the experts the step's t·k visits reach, each on its
  // 1/tp slice of the expert's FFN
  const groups = Math.max(1, touchedExperts(m.experts, m.experts, t * m.topK));
  const rows = Math.max(1, (t * m.topK) / groups);
  return sec + weightGemmSeconds(acc, rows, up / tp, m.hidden, dt, groups) + weightGemmSeconds(acc, rows, m.hidden, m.ffn / tp, dt, groups);
}

/** The batch's attention work by form: its decoding sequences (absorbed latent attention) and the rest. */
export function attentionSplit(b: BatchSums): AttentionSplit {
  const decodeKv = b.decodeKvTokens ?? 0, decodePairs = b.decodePairs ?? decodeKv;
  return { decodePairs, decodeKvTokens: decodeKv, prefillPairs: b.attentionPairs - decodePairs, prefillKvTokens: b.kvTokensRead - decodeKv, prefillTokens: b.tokens - (b.decodeTokens ?? b.decodes ?? 0) };
}

/**
 * Attention seconds of one layer on one rank: causal FLOPs at flash efficiency, or the KV bytes
 * read, whichever binds (latent attention: latent-attention-cost.ts). A model with sliding-window
 * layers: the mean over its layers, the window layers' pairs and reads bounded by the window.
 */
export function layerAttentionSec(s: InstanceShape, b: BatchSums): number {
  const { model: m, tp, accelerator: acc } = s;
  const meanContext = b.kvTokensRead / Math.max(1, b.sequences);
  if (m.mla) return latentAttentionSeconds({ accelerator: acc, mla: m.mla, headsPerRank: m.heads / tp, cacheBytes: BYTES_OF[s.kvCache], impl: s.attention, dt: s.weights, streamBytesPerSec: acc.memoryBytesPerSec * GEMM_STREAMING }, attentionSplit(b), meanContext);
  const full = denseAttentionSec(s, b.attentionPairs, b.kvTokensRead, b.sequences);
  const windowed = windowLayerCount(m) / m.layers;
  if (windowed === 0 || b.windowPairs === undefined) return full;
  return (1 - windowed) * full + windowed * denseAttentionSec(s, b.windowPairs, b.windowKvTokensRead ?? b.kvTokensRead, b.sequences);
}

/** One layer's attention over `pairs` query-key pairs reading `kvTokens` cached keys and values for `sequences` sequences. */
function denseAttentionSec(s: InstanceShape, pairs: number, kvTokens: number, sequences: number): number {
  const { model: m, tp, accelerator: acc } = s;
  const d = headDim(m);
  const flops = 4 * pairs * (m.heads / tp) * d;
  const eff = attentionEfficiency(acc, s.attention, 'forward', d, Math.max(128, kvTokens / Math.max(1, sequences)));
  const bytes = kvTokens * 2 * kvHeadsPerRank(m, tp) * d * BYTES_OF[s.kvCache];
  return Math.max(flops / (dtypePeak(acc, 'bf16') * eff), memSec(bytes, acc));
}

/** The memory-bound kernels of one layer's attention side on one rank for `t` tokens: two norms, two residual adds, rotary (latent attention: its latents' norms too), the KV write. */
function sideTerms(s: InstanceShape, t: number): { norms: number; residuals: number; rotary: number; kvWrite: number } {
  const { model: m, tp } = s;
  const d = headDim(m);
  const act = t * m.hidden * 2;
  const latent = m.mla ? latentMemoryBytes(m.mla, m.heads / tp, t, 2) : undefined;
  const rotary = latent ? latent.norms + latent.rotary : m.rope ? 2 * t * (m.heads / tp + kvHeadsPerRank(m, tp)) * d * 2 : 0;
  const kvWrite = m.mla ? t * latentCacheWidth(m.mla) * BYTES_OF[s.kvCache] : t * 2 * kvHeadsPerRank(m, tp) * d * BYTES_OF[s.kvCache];
  return { norms: 2 * 2 * act, residuals: 2 * 3 * act, rotary, kvWrite };
}

/** Bytes of the memory-bound kernels of one layer's attention side (sideTerms) on one rank. */
export function attentionSideBytes(s: InstanceShape, t: number): number {
  const x = sideTerms(s, t);
  return x.norms + x.residuals + x.rotary + x.kvWrite;
}

/**
 * The memory-bound kernels of one layer's FFN on one rank for `t` tokens: the activation over
 * the visits' inner width (shared experts' too), and for MoE the tokens copied out to their
 * experts and summed back (read t, write the rank's visits; read them, write t).
 */
export function ffnTerms(s: InstanceShape, t: number): { activation: number; permute: number } {
  const { model: m, tp } = s;
  // expert parallelism: the busiest rank's visits, each through a whole expert; otherwise every visit through a 1/tp slice
  const ep = s.expertParallel === true && tp > 1 && m.experts > 1;
  const rankVisits = ep ? busiestRankVisits(t * m.topK, tp) : t * m.topK;
  const shared = m.experts > 1 ? (m.sharedExperts ?? 0) : 0;
  const inner = (ep ? rankVisits * m.ffn * 2 : (t * m.topK * m.ffn * 2) / tp) + (shared > 0 ? (t * shared * m.ffn * 2) / tp : 0);
  const activation = m.gated ? 3 * inner : 2 * inner;
  const permute = m.experts <= 1 ? 0 : ep ? 2 * (t + rankVisits) * m.hidden * 2 : 2 * (1 + m.topK) * (t * m.hidden * 2);
  return { activation, permute };
}

/** Memory-bound bytes of one layer on one rank: norms, residuals, rotary, activation, the KV write (MoE: and the permutation). */
export function layerMemoryBytes(s: InstanceShape, t: number): number {
  const { norms, residuals, rotary, kvWrite } = sideTerms(s, t);
  const { activation, permute } = ffnTerms(s, t);
  return norms + residuals + rotary + activation + kvWrite + permute;
}

/** Communication seconds of one layer: two all-reduces of the hidden state (after attention and after the FFN or the experts). */
export function layerCommSec(s: InstanceShape, t: number): number {
  return s.tp <= 1 ? 0 : 2 * s.allReduceSec(t * s.model.hidden * 2);
}

/**
 * Kernels one layer launches besides its all-reduces: 10 dense, 14 MoE (see the header); latent
 * attention 6 more (the query and key/value down-projections and their norms, and two absorption
 * products in place of the fused QKV GEMM's one), shared experts 3 more (their two GEMMs and activation).
 */
export function kernelsPerLayer(m: TransformerModel): number {
  const moe = m.experts > 1;
  return (moe ? 14 : 10) + (m.mla ? 6 : 0) + (moe && (m.sharedExperts ?? 0) > 0 ? 3 : 0);
}

/** Kernels a sampling step adds after the last layer: the final norm, the LM head and sampling. */
export const SAMPLING_KERNELS = 3;

/** Kernels of one step besides the all-reduces: the layers', the embedding gather, and the final norm, LM head and sampling when it samples. */
export function kernelsPerStep(m: TransformerModel, samples: boolean): number {
  return overLayers(m, kernelsPerLayer) + 1 + (samples ? SAMPLING_KERNELS : 0);
}
