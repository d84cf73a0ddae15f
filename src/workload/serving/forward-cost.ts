// The cost of one forward step of a serving instance: a batch of sequences, each adding some
// new tokens (a prefill chunk, or one decode token) to the keys and values it already holds,
// run on every rank of a tensor-parallel instance. Per layer and rank, each kernel is a
// roofline, max(FLOPs / (peak × efficiency), bytes / HBM):
//   - GEMMs (QKV, output projection, FFN; MoE: router and a grouped GEMM over the experts the
//     tokens visit, each expert sharded over the ranks, or with expert parallelism whole experts
//     on each rank, the busiest rank setting the pace): hardware/gemm-efficiency.ts by shape
//     and dtype; at decode batch sizes their weights' bytes bind, so a small decode batch costs
//     its weights' read;
//   - attention over the cached keys and values: causal FLOPs of the new tokens against their
//     context at the flash-attention efficiency, or the bytes of the cache it reads;
//   - memory-bound kernels: two norms, two residual adds, rotary, the activation, the KV write;
//     MoE: the permutation of tokens to their experts and back;
//   - tensor-parallel all-reduces, two a layer, timed as simulated on the instance's GPUs.
// Then the output layer for the sequences that sample a token, and the embedding gather. Every
// kernel of the step but the all-reduces (whose time is simulated) also pays one kernel
// boundary (hardware/kernel-boundary.ts): a dense layer is 10 kernels (QKV, attention, output
// projection, FC1, FC2; two norms with their residual adds fused, rotary, the KV write, the
// activation), an MoE layer 14 (the router, its top-k, the permutation and its inverse; grouped
// GEMMs in place of FC1 and FC2); the embedding gather is one, and a step that samples adds the
// final norm, the LM head and sampling.
import { attentionEfficiency, type AttentionImpl } from '../../hardware/attention-efficiency.js';
import { KERNEL_BOUNDARY_SEC } from '../../hardware/kernel-boundary.js';
import { dtypePeak, gemmSeconds, GEMM_STREAMING, type MathDtype } from '../../hardware/gemm-efficiency.js';
import type { AcceleratorSpec } from '../../hardware/types.js';
import { latentAttentionParams, latentMemoryBytes } from '../generators/latent-attention.js';
import { denseLayerCount, denseView, headDim, type TransformerModel } from '../generators/models.js';
import { busiestRankVisits } from './expert-load.js';
import { latentAttentionSeconds, latentCacheWidth, latentGemmSeconds, type AttentionSplit } from './latent-attention-cost.js';

/** Storage of weights and of the KV cache. */
export type ServingDtype = 'bf16' | 'fp8';
export const BYTES_OF: Readonly<Record<ServingDtype, number>> = { bf16: 2, fp8: 1 };

export interface InstanceShape {
  readonly model: TransformerModel;
  readonly accelerator: AcceleratorSpec;
  /** Tensor-parallel ranks (MoE: every expert is sharded over them, as TensorRT-LLM and vLLM do by default). */
  readonly tp: number;
  /**
   * MoE with expert parallelism over the same ranks (vLLM's enable_expert_parallel with data
   * parallelism 1): each rank holds experts / tp whole experts; attention stays tensor-parallel,
   * so every rank has every token after the attention all-reduce, runs its own experts on the
   * tokens routed to them, and the layer's second all-reduce sums the ranks' outputs.
   */
  readonly expertParallel?: boolean;
  /**
   * With expertParallel: attention data-parallel over the ranks instead of tensor-parallel
   * (SGLang's --enable-dp-attention; DeepSeek's and Dynamo's wide-EP deployments): each rank runs
   * attention for its own 1/tp of the batch with the whole attention weights and its sequences'
   * whole KV cache, and each MoE layer dispatches tokens to their experts' ranks and combines
   * them with two all-to-alls (`allToAllSec`) instead of two all-reduces.
   */
  readonly dataParallelAttention?: boolean;
  /** Seconds of one all-to-all in which each rank sends `bytes` in all (data-parallel attention). */
  readonly allToAllSec?: (bytes: number) => number;
  /** Weights and GEMM inputs (fp8: FP8 GEMMs at the FP8 plateau). */
  readonly weights: ServingDtype;
  readonly kvCache: ServingDtype;
  readonly attention: AttentionImpl;
  /** Seconds of one all-reduce of `bytes` over the instance's ranks (0 for tp = 1). */
  readonly allReduceSec: (bytes: number) => number;
  /**
   * Pipeline stages (default 1). With more, `model` is one stage's share (its layers, ⌈L / pp⌉),
   * so stepCost is a stage's time, and `stageSendSec` the time of handing a step's hidden states
   * (bytes) across boundary k (stage k to k + 1; default 0).
   */
  readonly pp?: number;
  readonly stageSendSec?: (bytes: number, boundary?: number) => number;
}

/** One step's batch, summed over its sequences. */
export interface BatchSums {
  /** Sequences in the batch. */
  readonly sequences: number;
  /** New tokens (prefill chunks plus one per decoding sequence). */
  readonly tokens: number;
  /** Sequences that sample a token at the end of the step (decodes, and prefills that finish). */
  readonly sampled: number;
  /** Σ over sequences of new × (context + (new + 1) / 2): the causal query-key pairs of the step. */
  readonly attentionPairs: number;
  /** Σ over sequences of context + new: the KV tokens attention reads. */
  readonly kvTokensRead: number;
  /** Sequences decoding one token, and Σ over them of context + 1 (their share of both sums above); absent: 0. Latent attention runs them in its absorbed form. */
  readonly decodes?: number;
  readonly decodeKvTokens?: number;
}

export interface StepCost {
  readonly seconds: number;
  readonly gemmSec: number;
  readonly attentionSec: number;
  readonly memorySec: number;
  readonly commSec: number;
  readonly headSec: number;
  /** The step's kernel boundaries: kernels × KERNEL_BOUNDARY_SEC. */
  readonly boundarySec: number;
}

/** Key-value heads one rank holds: its share, or one replicated head when tp exceeds them (vLLM). */
export function kvHeadsPerRank(m: TransformerModel, tp: number): number {
  return Math.max(1, m.kvHeads / tp);
}

/** Whether a shape runs data-parallel attention over more than one rank. */
export const dataParallel = (s: { tp: number; dataParallelAttention?: boolean }) => s.dataParallelAttention === true && s.tp > 1;

/**
 * KV-cache bytes one token takes on one rank, all layers: 2 (K and V) · layers · kv heads · head
 * dim · bytes (data-parallel attention: the token's whole cache, on the one rank that holds its
 * sequence). Latent attention: layers · (r_kv + rope) · bytes on every rank.
 */
export function kvBytesPerToken(s: Pick<InstanceShape, 'model' | 'tp' | 'kvCache' | 'dataParallelAttention'>): number {
  if (s.model.mla) return s.model.layers * latentCacheWidth(s.model.mla) * BYTES_OF[s.kvCache];
  return 2 * s.model.layers * kvHeadsPerRank(s.model, dataParallel(s) ? 1 : s.tp) * headDim(s.model) * BYTES_OF[s.kvCache];
}

/** The model's layers by kind, each as the layer sees the model and how many: an MoE model's dense-FFN first layers (denseView), then the rest. */
export function layerKinds(m: TransformerModel): ReadonlyArray<readonly [view: TransformerModel, count: number]> {
  const dense = denseLayerCount(m);
  if (dense === 0 || dense === m.layers) return [[m, m.layers]];
  return [[denseView(m), dense], [m, m.layers - dense]];
}

/** Σ over the model's layer kinds of count × f(the kind's view). */
function overLayers(m: TransformerModel, f: (view: TransformerModel) => number): number {
  let sum = 0;
  for (const [view, count] of layerKinds(m)) sum += count * f(view);
  return sum;
}

/** Parameters of one layer: attention, the FFN (every expert, the shared ones and the router) and two norms. */
function layerParameters(m: TransformerModel): number {
  const moe = m.experts > 1;
  const ffn = (m.gated ? 3 : 2) * m.hidden * m.ffn * (m.experts + (moe ? (m.sharedExperts ?? 0) : 0)) + (moe ? m.hidden * m.experts : 0);
  return attentionParameters(m) + ffn + 2 * m.hidden;
}

/** Parameters of the model (embedding and output layer untied). */
export function parameterCount(m: TransformerModel): number {
  return overLayers(m, layerParameters) + 2 * m.vocab * m.hidden;
}

/** Weight bytes one rank holds: the layers in the weights' dtype; the embedding and the output layer stay 16-bit, as FP8 checkpoints keep them (both split over the ranks by vocabulary). Data-parallel attention: each rank holds the whole attention weights and a tp-th of the rest. */
export function weightBytesPerRank(s: Pick<InstanceShape, 'model' | 'tp' | 'weights' | 'dataParallelAttention'>): number {
  const vocab = 2 * s.model.vocab * s.model.hidden;
  const sharded = ((parameterCount(s.model) - vocab) * BYTES_OF[s.weights] + vocab * 2) / s.tp;
  if (!dataParallel(s)) return sharded;
  const attention = s.model.layers * attentionParameters(s.model) * BYTES_OF[s.weights];
  return sharded + attention * (1 - 1 / s.tp);
}

/** Parameters of one layer's attention: QKV and the output projection (latent attention: its projections). */
function attentionParameters(m: TransformerModel): number {
  if (m.mla) return latentAttentionParams(m.mla, m.heads, m.hidden);
  const d = headDim(m);
  return m.hidden * (m.heads + 2 * m.kvHeads) * d + m.heads * d * m.hidden;
}

const memSec = (bytes: number, acc: AcceleratorSpec) => bytes / (acc.memoryBytesPerSec * GEMM_STREAMING);

/** Expected experts of `local` that at least one of `visits` uniform visits over `experts` lands on. */
function touchedExperts(local: number, experts: number, visits: number): number {
  return local * (1 - Math.pow(1 - 1 / experts, visits));
}

/** GEMM seconds of one layer's attention projections on one rank for `t` new tokens (QKV and output; latent attention: its five). */
function attentionGemmSec(s: Pick<InstanceShape, 'model' | 'tp' | 'accelerator' | 'weights'>, t: number): number {
  const { model: m, tp, accelerator: acc } = s;
  const dt: MathDtype = s.weights;
  if (m.mla) return latentGemmSeconds(acc, m.mla, m.heads, m.hidden, tp, t, dt);
  const d = headDim(m);
  const headsPerRank = m.heads / tp;
  return gemmSeconds(acc, t, (headsPerRank + 2 * kvHeadsPerRank(m, tp)) * d, m.hidden, dt) + gemmSeconds(acc, t, m.hidden, headsPerRank * d, dt);
}

/** GEMM seconds of an MoE layer's shared experts on one rank: every one of the `t` tokens through them, split `split` ways (0 without shared experts). */
function sharedExpertSec(s: Pick<InstanceShape, 'model' | 'accelerator' | 'weights'>, t: number, split: number): number {
  const m = s.model;
  const n = m.experts > 1 ? (m.sharedExperts ?? 0) : 0;
  if (n === 0) return 0;
  const up = (m.gated ? 2 : 1) * m.ffn * n;
  return gemmSeconds(s.accelerator, t, up / split, m.hidden, s.weights) + gemmSeconds(s.accelerator, t, m.hidden, (n * m.ffn) / split, s.weights);
}

/** GEMM seconds of one layer on one rank for `t` new tokens. */
function layerGemmSec(s: InstanceShape, t: number): number {
  return ffnGemmSec(s, t, attentionGemmSec(s, t));
}

/** `sec` plus the GEMM seconds of one layer's FFN on one rank for `t` tokens: dense, or the router, shared experts and routed experts (whole experts under expert parallelism, else each sharded over the tp ranks). */
function ffnGemmSec(s: InstanceShape, t: number, sec: number): number {
  const { model: m, tp, accelerator: acc } = s;
  const dt: MathDtype = s.weights;
  const up = (m.gated ? 2 : 1) * m.ffn;
  if (m.experts === 1) return sec + gemmSeconds(acc, t, up / tp, m.hidden, dt) + gemmSeconds(acc, t, m.hidden, m.ffn / tp, dt);
  sec += gemmSeconds(acc, t, m.experts, m.hidden, 'bf16') + sharedExpertSec(s, t, tp);
  if (s.expertParallel && tp > 1) {
    // expert parallelism: the busiest rank's visits over the experts it holds, whole experts
    const local = m.experts / tp;
    const groups = Math.max(1, touchedExperts(local, m.experts, t * m.topK));
    const rows = Math.max(1, busiestRankVisits(t * m.topK, tp) / groups);
    return sec + gemmSeconds(acc, rows, up, m.hidden, dt, groups) + gemmSeconds(acc, rows, m.hidden, m.ffn, dt, groups);
  }
  // MoE, experts sharded by tensor parallelism (TensorRT-LLM's and vLLM's default): every rank runs
  // the router, then one grouped GEMM over the experts the step's t·k visits reach, each on its
  // 1/tp slice of the expert's FFN
  const groups = Math.max(1, touchedExperts(m.experts, m.experts, t * m.topK));
  const rows = Math.max(1, (t * m.topK) / groups);
  return sec + gemmSeconds(acc, rows, up / tp, m.hidden, dt, groups) + gemmSeconds(acc, rows, m.hidden, m.ffn / tp, dt, groups);
}

/** The batch's attention work by form: its decoding sequences (absorbed latent attention) and the rest. */
function attentionSplit(b: BatchSums): AttentionSplit {
  const decodes = b.decodes ?? 0, decodeKv = b.decodeKvTokens ?? 0;
  return { decodePairs: decodeKv, prefillPairs: b.attentionPairs - decodeKv, prefillKvTokens: b.kvTokensRead - decodeKv, prefillTokens: b.tokens - decodes };
}

/** Attention seconds of one layer on one rank: causal FLOPs at flash efficiency, or the KV bytes read, whichever binds (latent attention: latent-attention-cost.ts). */
function layerAttentionSec(s: InstanceShape, b: BatchSums): number {
  const { model: m, tp, accelerator: acc } = s;
  const meanContext = b.kvTokensRead / Math.max(1, b.sequences);
  if (m.mla) return latentAttentionSeconds({ accelerator: acc, mla: m.mla, headsPerRank: m.heads / tp, cacheBytes: BYTES_OF[s.kvCache], impl: s.attention, dt: s.weights, streamBytesPerSec: acc.memoryBytesPerSec * GEMM_STREAMING }, attentionSplit(b), meanContext);
  const d = headDim(m);
  const flops = 4 * b.attentionPairs * (m.heads / tp) * d;
  const eff = attentionEfficiency(acc, s.attention, 'forward', d, Math.max(128, meanContext));
  const bytes = b.kvTokensRead * 2 * kvHeadsPerRank(m, tp) * d * BYTES_OF[s.kvCache];
  return Math.max(flops / (dtypePeak(acc, 'bf16') * eff), memSec(bytes, acc));
}

/** Memory-bound bytes of one layer on one rank: norms, residuals, rotary, activation, the KV write. */
function layerMemoryBytes(s: InstanceShape, t: number): number {
  const { model: m, tp } = s;
  const d = headDim(m);
  const act = t * m.hidden * 2;
  const norms = 2 * 2 * act;
  const residuals = 2 * 3 * act;
  const latent = m.mla ? latentMemoryBytes(m.mla, m.heads / tp, t, 2) : undefined;
  const rotary = latent ? latent.norms + latent.rotary : m.rope ? 2 * t * (m.heads / tp + kvHeadsPerRank(m, tp)) * d * 2 : 0;
  // expert parallelism: the busiest rank's visits, each through a whole expert; otherwise every visit through a 1/tp slice
  const ep = s.expertParallel === true && tp > 1 && m.experts > 1;
  const rankVisits = ep ? busiestRankVisits(t * m.topK, tp) : t * m.topK;
  const shared = m.experts > 1 ? (m.sharedExperts ?? 0) : 0;
  const inner = (ep ? rankVisits * m.ffn * 2 : (t * m.topK * m.ffn * 2) / tp) + (shared > 0 ? (t * shared * m.ffn * 2) / tp : 0);
  const activation = m.gated ? 3 * inner : 2 * inner;
  const kvWrite = m.mla ? t * latentCacheWidth(m.mla) * BYTES_OF[s.kvCache] : t * 2 * kvHeadsPerRank(m, tp) * d * BYTES_OF[s.kvCache];
  // MoE: the tokens copied out to their experts and summed back (read t, write the rank's visits;
  // read them, write t), on every rank
  const permute = m.experts <= 1 ? 0 : ep ? 2 * (t + rankVisits) * m.hidden * 2 : 2 * (1 + m.topK) * act;
  return norms + residuals + rotary + activation + kvWrite + permute;
}

/** Communication seconds of one layer: two all-reduces of the hidden state (after attention and after the FFN or the experts). */
function layerCommSec(s: InstanceShape, t: number): number {
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

/**
 * Host seconds to launch a step: one graph replay, or (eager) each of its kernels, the
 * all-reduces' two a layer included, `launchSec` each.
 */
export function hostLaunchSec(s: Pick<InstanceShape, 'model' | 'tp'>, samples: boolean, eager: boolean, launchSec: number): number {
  if (!eager) return launchSec;
  return (kernelsPerStep(s.model, samples) + (s.tp > 1 ? 2 * s.model.layers : 0)) * launchSec;
}

/** Kernels a sampling step adds after the last layer: the final norm, the LM head and sampling. */
export const SAMPLING_KERNELS = 3;

/** Kernels of one step besides the all-reduces: the layers', the embedding gather, and the final norm, LM head and sampling when it samples. */
export function kernelsPerStep(m: TransformerModel, samples: boolean): number {
  return overLayers(m, kernelsPerLayer) + 1 + (samples ? SAMPLING_KERNELS : 0);
}

/** The cost of one step on each rank of the instance (they run in lockstep); with pipeline stages, of the last stage (the others skip the LM head and sampling). */
export function stepCost(s: InstanceShape, b: BatchSums): StepCost {
  const { model: m, tp, accelerator: acc } = s;
  if (b.tokens <= 0) return { seconds: 0, gemmSec: 0, attentionSec: 0, memorySec: 0, commSec: 0, headSec: 0, boundarySec: 0 };
  if (dataParallel(s) && s.expertParallel) return dataParallelStepCost(s, b);
  if (dataParallel(s)) return gatheredStepCost(s, b);
  const perLayer = (f: (k: InstanceShape) => number) => overLayers(m, (view) => f(view === m ? s : { ...s, model: view }));
  const gemmSec = perLayer((k) => layerGemmSec(k, b.tokens));
  const attentionSec = perLayer((k) => layerAttentionSec(k, b));
  const memorySec = perLayer((k) => memSec(layerMemoryBytes(k, b.tokens), acc)) + memSec(b.tokens * m.hidden * 2 * 2, acc);
  const commSec = perLayer((k) => layerCommSec(k, b.tokens));
  const headSec = b.sampled > 0 ? gemmSeconds(acc, b.sampled, m.vocab / tp, m.hidden, 'bf16') + memSec(b.sampled * (m.vocab / tp) * 4 * 2, acc) : 0;
  const boundarySec = kernelsPerStep(m, b.sampled > 0) * KERNEL_BOUNDARY_SEC;
  return { seconds: gemmSec + attentionSec + memorySec + commSec + headSec + boundarySec, gemmSec, attentionSec, memorySec, commSec, headSec, boundarySec };
}

/**
 * A step under data-parallel attention, on the busiest rank: attention (its GEMMs with the whole
 * heads, the kernel, norms, rotary and the KV write) over a tp-th of the batch (split evenly);
 * the router on that share; the experts as under expert parallelism (the busiest rank's visits
 * of the whole batch over its experts); two all-to-alls a layer, each rank sending its tokens'
 * hidden states (16-bit) once a visit; the LM head over its share of the sampled rows, the whole
 * vocabulary.
 */
function dataParallelStepCost(s: InstanceShape, b: BatchSums): StepCost {
  const { model: m, tp, accelerator: acc } = s;
  const share = (x: number) => x / tp;
  const mine: BatchSums = { sequences: share(b.sequences), tokens: share(b.tokens), sampled: share(b.sampled), attentionPairs: share(b.attentionPairs), kvTokensRead: share(b.kvTokensRead), decodes: share(b.decodes ?? 0), decodeKvTokens: share(b.decodeKvTokens ?? 0) };
  const t = mine.tokens;
  const layers = layerKinds(m).map(([view, count]) => [dataParallelLayer({ ...s, model: view }, b, mine), count] as const);
  const sum = (k: keyof DataParallelLayer) => layers.reduce((a, [l, count]) => a + count * l[k], 0);
  const gemmSec = sum('gemmSec');
  const attentionSec = sum('attentionSec');
  const memorySec = sum('memorySec') + memSec(t * m.hidden * 2 * 2, acc);
  const commSec = sum('commSec');
  const headSec = mine.sampled > 0 ? gemmSeconds(acc, mine.sampled, m.vocab, m.hidden, 'bf16') + memSec(mine.sampled * m.vocab * 4 * 2, acc) : 0;
  const boundarySec = kernelsPerStep(m, b.sampled > 0) * KERNEL_BOUNDARY_SEC;
  return { seconds: gemmSec + attentionSec + memorySec + commSec + headSec + boundarySec, gemmSec, attentionSec, memorySec, commSec, headSec, boundarySec };
}

/**
 * A step under data-parallel attention with tensor-parallel FFNs (SGLang's --enable-dp-attention
 * without --ep-size): each rank runs attention on its own tp-th of the batch with the whole
 * attention weights and its sequences' cache; the batch's hidden states are then gathered so
 * every rank runs each FFN (dense, or the router and every expert) on all the step's tokens with
 * its 1/tp slice, and the outputs are summed and scattered back: SGLang gathers by an all-reduce
 * of the zero-padded batch, so two all-reduces of the whole batch a layer, as tensor parallelism.
 */
function gatheredStepCost(s: InstanceShape, b: BatchSums): StepCost {
  const { model: m, tp, accelerator: acc } = s;
  const share = (x: number) => x / tp;
  const mine: BatchSums = { sequences: share(b.sequences), tokens: share(b.tokens), sampled: share(b.sampled), attentionPairs: share(b.attentionPairs), kvTokensRead: share(b.kvTokensRead), decodes: share(b.decodes ?? 0), decodeKvTokens: share(b.decodeKvTokens ?? 0) };
  const tpShape: InstanceShape = { ...s, dataParallelAttention: false };
  const perLayer = (f: (whole: InstanceShape, sharded: InstanceShape) => number) =>
    overLayers(m, (view) => f({ ...s, model: view, tp: 1, expertParallel: false, dataParallelAttention: false }, { ...tpShape, model: view }));
  const gemmSec = perLayer((whole, sharded) => ffnGemmSec(sharded, b.tokens, attentionGemmSec(whole, mine.tokens)));
  const attentionSec = perLayer((whole) => layerAttentionSec(whole, mine));
  const memorySec = perLayer((_, sharded) => memSec(layerMemoryBytes(sharded, b.tokens), acc)) + memSec(mine.tokens * m.hidden * 2 * 2, acc);
  const commSec = perLayer((_, sharded) => layerCommSec(sharded, b.tokens));
  const headSec = mine.sampled > 0 ? gemmSeconds(acc, mine.sampled, m.vocab, m.hidden, 'bf16') + memSec(mine.sampled * m.vocab * 4 * 2, acc) : 0;
  const boundarySec = kernelsPerStep(m, b.sampled > 0) * KERNEL_BOUNDARY_SEC;
  return { seconds: gemmSec + attentionSec + memorySec + commSec + headSec + boundarySec, gemmSec, attentionSec, memorySec, commSec, headSec, boundarySec };
}

type DataParallelLayer = Pick<StepCost, 'gemmSec' | 'attentionSec' | 'memorySec' | 'commSec'>;

/**
 * One layer under data-parallel attention on the busiest rank (`mine`: its share of the batch
 * `b`). A dense-FFN layer (an MoE model's first layers) runs whole on the rank's own tokens, with
 * no all-to-all; an MoE layer's shared experts run whole on the rank's own tokens beside the routed ones.
 */
function dataParallelLayer(s: InstanceShape, b: BatchSums, mine: BatchSums): DataParallelLayer {
  const { model: m, tp, accelerator: acc } = s;
  const whole = { ...s, tp: 1, expertParallel: false, dataParallelAttention: false };
  const t = mine.tokens, dt: MathDtype = s.weights;
  const up = (m.gated ? 2 : 1) * m.ffn;
  const attentionSec = layerAttentionSec(whole, mine);
  if (m.experts <= 1) {
    const gemmSec = attentionGemmSec(whole, t) + gemmSeconds(acc, t, up, m.hidden, dt) + gemmSeconds(acc, t, m.hidden, m.ffn, dt);
    return { gemmSec, attentionSec, memorySec: memSec(layerMemoryBytes(whole, t), acc), commSec: 0 };
  }
  const attnGemm = attentionGemmSec(whole, t) + gemmSeconds(acc, t, m.experts, m.hidden, 'bf16');
  const visits = busiestRankVisits(b.tokens * m.topK, tp);
  const groups = Math.max(1, touchedExperts(m.experts / tp, m.experts, b.tokens * m.topK));
  const rows = Math.max(1, visits / groups);
  const gemmSec = attnGemm + gemmSeconds(acc, rows, up, m.hidden, dt, groups) + gemmSeconds(acc, rows, m.hidden, m.ffn, dt, groups) + sharedExpertSec(s, t, 1);
  // memory-bound: a dense layer's kernels on the rank's tokens, less its FFN activation, plus the experts' on the busiest rank's visits and the permutation
  const dense = layerMemoryBytes({ ...whole, model: { ...m, experts: 1, topK: 1 } }, t) - (m.gated ? 3 : 2) * t * m.ffn * 2;
  const shared = m.sharedExperts ?? 0;
  const experts = (m.gated ? 3 : 2) * visits * m.ffn * 2 + 2 * (t + visits) * m.hidden * 2 + (shared > 0 ? (m.gated ? 3 : 2) * t * shared * m.ffn * 2 : 0);
  return { gemmSec, attentionSec, memorySec: memSec(dense + experts, acc), commSec: 2 * s.allToAllSec!(t * m.topK * m.hidden * 2) };
}
