// Training step of a decoder-only transformer (dense or MoE) under a parallelism plan, as a
// workload document (docs/workload.md): tensor parallelism (with sequence parallelism),
// pipeline parallelism with the 1F1B schedule, plain or interleaved over virtual stages (bubbles
// emerge from send/recv dependencies),
// data parallelism with gradient buckets overlapped with the last backward pass, expert
// parallelism (all-to-all dispatch and combine), ZeRO-1/2/3 and full activation recomputation.
//
// Rank layout (Megatron-LM): tensor-parallel rank innermost, then data-parallel, then pipeline
// stage: rank = tp_rank + tp·dp_rank + tp·dp·stage. TP groups {size tp}, DP groups
// {size dp, stride tp}, EP groups (within DP) {size ep, stride tp}, PP groups {size pp, stride tp·dp};
// with ep > 1 expert gradients and ZeRO shards go over the expert-data-parallel group (the
// ranks holding the same experts) {size dp/ep, stride tp·ep}, dense ones over DP.
//
// Context parallelism (cp) splits every sequence over cp ranks (Megatron-Core's ring attention,
// load-balanced): each holds b·s/cp tokens and gathers the others' keys and values per layer.
// Rank layout with cp: rank = tp_rank + tp·cp_rank + tp·cp·dp_rank + tp·cp·dp·stage; gradients
// are reduced over the dp·cp ranks holding the same parameters (one group, stride tp).
//
// Per micro-batch and stage each phase (forward, backward) is two compute operations for the
// stage's layers: the math kernels (GEMMs and flash attention) and the memory-bound kernels
// (norms, activations, residuals, casts, cross-entropy), each the sum of its kernels costed
// alone on the system's accelerator (layer-kernels.ts); then the TP and EP collectives of those
// layers aggregated into one each: the volumes are exact, per-layer latencies are paid once per
// phase instead of once per layer. With tpOverlap the TP volume is split: a tp-th (the first
// chunk) before the compute, the rest on stream `tp` alongside it.
//
// Model FLOPs per layer and micro-batch (stepFlops; t = b·s tokens, d = h/heads; Narayanan et
// al. 2021, eq. 2, generalised to grouped-query attention, gated FFNs and top-k experts):
//   QKV 2·t·h·(h + 2·kv·d), scores and context 4·t·s·h, output 2·t·h², FFN topK·2·t·h·f·(3 gated | 2)
// backward = 2 × forward; full recomputation adds one forward. LM head: 2·t·h·V forward.
import { failInput } from '../../core/errors.js';
import { defaultAttention, type AttentionImpl } from '../../hardware/attention-efficiency.js';
import type { MathDtype } from '../../hardware/gemm-efficiency.js';
import type { AcceleratorSpec } from '../../hardware/types.js';
import { gemmSeconds } from '../../hardware/gemm-efficiency.js';
import { KERNEL_EFFICIENCY } from '../../hardware/kernel-efficiency.js';
import { addCost, embeddingKernels, headKernels, layerKernels, passCost, ZERO_COST, type KernelPlan } from './layer-kernels.js';
import { checkExperts, expertLayout, shardedParams } from './expert-layout.js';
import { recomputedKernels, withoutRecomputed, type RecomputeModule } from './recompute-modules.js';
import { latentActivationTerms, latentAttentionParams, latentAttentionWidth } from './latent-attention.js';
import { denseLayerCount, denseView, headDim, type TransformerModel } from './models.js';
import { evenChunks, layoutChunks, type ChunkContent } from './pipeline-layout.js';
import { reductionFactor, symmetricBlock } from './symmetry.js';
import { StageOps, type PhaseCosts, type ReplicaGroup, type TrainingStep } from './training-stage.js';

export interface TrainingPlan {
  readonly seq: number;
  readonly globalBatch: number;
  readonly microBatch: number;
  /** Bytes per element of weights, activations and gradients (2: BF16). */
  readonly dtypeBytes: number;
  readonly tp: number;
  /** Context-parallel ranks per sequence. */
  readonly cp: number;
  readonly pp: number;
  /** Virtual pipeline stages (model chunks) per device: the interleaved schedule when > 1. */
  readonly vpp: number;
  /**
   * The embedding and the loss each count as a layer when the layers are split over the
   * pipeline (Megatron's account_for_embedding_in_pipeline_split and
   * account_for_loss_in_pipeline_split): the first and the last virtual stage hold one
   * transformer layer fewer, so layers + 2 must split equally over pp × vpp.
   */
  readonly embeddingInSplit: boolean;
  readonly dp: number;
  readonly ep: number;
  /**
   * Expert tensor parallelism: the TP ranks an expert's FFN is split over. tp (the default, 0 =
   * tp): experts split like the dense layers, expert-parallel groups within the data-parallel
   * ones. 1 with tp > 1: Megatron-Core's MoE parallel folding (expert_tensor_parallel_size 1):
   * whole experts, each rank routing its tp-th of the tokens, and expert-parallel groups formed
   * across TP × DP (consecutive ranks), so ep may exceed dp.
   */
  readonly etp: number;
  /**
   * The EP all-to-alls of a pass run beside the compute of the next one instead of after their
   * own (Megatron-Core's --overlap-moe-expert-parallel-comm, the combined 1F1B schedule that
   * pairs one micro-batch's forward with another's backward); only the send to the next stage
   * waits for them.
   */
  readonly a2aOverlap: boolean;
  readonly zero: 0 | 1 | 2 | 3;
  readonly recompute: boolean;
  /** Selective recomputation (Megatron's --recompute-modules): modules whose forward runs again in the backward instead of keeping its activations (recompute-modules.ts); ignored under full recomputation. */
  readonly recomputeModules: readonly RecomputeModule[];
  readonly sequenceParallel: boolean;
  /** Gradient buckets: the last backward pass is split in this many parts, each followed by its bucket's reduction. */
  readonly buckets: number;
  /** TP communication overlapped with the GEMMs in tp chunks (Megatron's --tp-comm-overlap): only the first chunk is exposed. */
  readonly tpOverlap: boolean;
  /** Fused (flash) attention: the s×s attention scores are never stored (Megatron-Core and Transformer Engine default). */
  readonly flashAttention: boolean;
  /** Data type of the transformer layers' GEMMs (Transformer Engine FP8 recipe: 'fp8'); the output layer stays BF16. */
  readonly precision: MathDtype;
  /** Flash-attention implementation; 'auto': what Transformer Engine picks on the accelerator (attention-efficiency.ts). */
  readonly attention: AttentionImpl | 'auto';
  /** MoE: the busiest rank's expert tokens over the mean (a stated skew; 1: balanced). Its experts' GEMMs, activations, permutation and all-to-all scale with it: the others wait. */
  readonly moeImbalance: number;
  /**
   * Bytes per element of the gradients the data-parallel reduction moves and the gradient buffer
   * holds: 4 (FP32, the default) as Megatron-LM keeps and reduces them under BF16 (arguments.py
   * forces accumulate_allreduce_grads_in_fp32 for bf16; NeMo and Megatron-Bridge recipes set
   * grad_reduce_in_fp32) and as Composer's FSDP mixed precision DEFAULT reduces them; 2 where
   * they stay 16-bit (FP16 Megatron-LM of 2021, FSDP PURE). Parameter all-gathers stay at dtypeBytes.
   */
  readonly gradReduceBytes: number;
  /**
   * Symmetric reduction: the data-parallel replicas are alike, so only the first block of each
   * stage (symmetricBlock ranks: one replica, or the ep replicas an expert-parallel group spans)
   * computes and runs its TP, CP, EP and pipeline traffic; the gradient and parameter
   * collectives over the replicas still run on every rank, their traffic on the fabric in full.
   * The other ranks' results mirror their block's (symmetry.ts). 'auto': on from
   * SYMMETRIC_AUTO_RANKS ranks (symmetryIn).
   */
  readonly symmetric: boolean | 'auto';
  /**
   * Activation offloading (Megatron-Core's cpu_offloading_num_layers, Transformer Engine's CPU
   * offload context): the activations the first `offloadLayers` transformer layers keep for
   * their backward are copied to host memory as each forward runs and copied back before their
   * backward (training-stage.ts, StageOps.offload). 0: none. Megatron allows it only with pp = 1
   * and no recomputation.
   */
  readonly offloadLayers: number;
  /** Multi-token-prediction layers trained beside the model (Megatron-Core's mtp_num_layers; DeepSeek-V3: 1): each a layer of the model's last kind, a projection [2h → h] and the output layer again, on the chunk that holds the loss unless `layout` places them. 0: none. */
  readonly mtp: number;
  /** The model chunks' contents as Megatron-Core's --pipeline-model-parallel-layout string (pipeline-layout.ts); '' : the even split. */
  readonly layout: string;
  readonly iterations: number;
}

export const DEFAULT_PLAN: TrainingPlan = { seq: 2048, globalBatch: 8, microBatch: 1, dtypeBytes: 2, tp: 1, cp: 1, pp: 1, vpp: 1, embeddingInSplit: false, dp: 1, ep: 1, etp: 0, a2aOverlap: false, zero: 0, recompute: false, recomputeModules: [], sequenceParallel: true, buckets: 4, tpOverlap: false, flashAttention: true, precision: 'bf16', attention: 'auto', moeImbalance: 1, gradReduceBytes: 4, symmetric: 'auto', offloadLayers: 0, mtp: 0, layout: '', iterations: 1 };

/** The accelerator a generated step is costed on when no system is known yet (a workload file read alone). */
export const DEFAULT_ACCELERATOR = 'h100-sxm';

/** Adam with FP32 master weights: 4 (master) + 4 (m) + 4 (v) bytes per parameter; BF16 weights and the gradient buffer (gradReduceBytes) on top. */
const OPTIMIZER_BYTES_PER_PARAM = 12;

export interface LayerShape {
  /** Attention parameters, one expert's FFN parameters and the shared experts' (0 without). */
  readonly attentionParams: number;
  readonly expertParams: number;
  readonly sharedParams: number;
  readonly layerParams: number;
  /** Forward FLOPs of one layer for one micro-batch, whole layer (all TP ranks together). */
  readonly gemmFlops: number;
  readonly attentionFlops: number;
  readonly lmHeadFlops: number;
  readonly tokens: number;
}

function layerShape(m: TransformerModel, p: TrainingPlan): LayerShape {
  const t = p.microBatch * p.seq;
  const h = m.hidden;
  const d = headDim(m);
  const attentionParams = m.mla ? latentAttentionParams(m.mla, m.heads, h) : h * (m.heads * d + 2 * m.kvHeads * d) + m.heads * d * h;
  const expertParams = (m.gated ? 3 : 2) * h * m.ffn;
  const sharedParams = m.experts > 1 ? (m.sharedExperts ?? 0) * expertParams : 0;
  const gemmFlops = 2 * t * attentionParams + m.topK * 2 * t * expertParams + 2 * t * sharedParams;
  // scores [s × d_qk] and context [s × d_v] per query token and head (d each without latent attention)
  const width = m.mla ? latentAttentionWidth(m.mla) : d;
  return { attentionParams, expertParams, sharedParams, layerParams: attentionParams + m.experts * expertParams + sharedParams, gemmFlops, attentionFlops: 4 * t * p.seq * m.heads * width, lmHeadFlops: 2 * t * h * m.vocab, tokens: t };
}

/** Parameters of the whole model (layers and the embedding; the LM head shares it). */
export function modelParams(m: TransformerModel): number {
  const dense = denseLayerCount(m);
  const moe = m.layers - dense;
  return moe * layerShape(m, DEFAULT_PLAN).layerParams + (dense > 0 ? dense * layerShape(denseView(m), DEFAULT_PLAN).layerParams : 0) + m.vocab * m.hidden;
}

/** FLOPs of one training step on all ranks together (forward + backward [+ recompute]); MTP layers count as a layer, their projection and the LM head again. */
export function stepFlops(m: TransformerModel, p: TrainingPlan): number {
  const s = layerShape(m, p);
  const microBatches = p.globalBatch / p.microBatch;
  const dense = denseLayerCount(m);
  const d = dense > 0 ? layerShape(denseView(m), p) : s;
  const layer = m.experts > 1 ? s : d;
  const mtp = p.mtp * (layer.gemmFlops + layer.attentionFlops + 2 * s.tokens * 2 * m.hidden * m.hidden + s.lmHeadFlops);
  const fwd = (m.layers - dense) * (s.gemmFlops + s.attentionFlops) + (dense > 0 ? dense * (d.gemmFlops + d.attentionFlops) : 0) + s.lmHeadFlops + mtp;
  return microBatches * fwd * (p.recompute ? 4 : 3);
}

/** Bytes each rank holds at the peak of a step: weights, gradients, optimizer state (ZeRO-sharded) and activations (on the stage that holds the most). */
export function memoryPerRank(m: TransformerModel, p: TrainingPlan): { params: number; bytes: number; parts: Record<string, number> } {
  if (!heterogeneous(m, p)) return stageMemory(m, p, splitLayers(m, p) / p.pp, undefined);
  const chunks = planChunks(m, p);
  let most: ReturnType<typeof stageMemory> | undefined;
  for (let stage = 0; stage < p.pp; stage++) {
    const mix = stageMix(m, p, chunks, stage);
    const mem = stageMemory(m, p, mix.dense + mix.typical + mix.mtp, mix);
    if (!most || mem.bytes > most.bytes) most = mem;
  }
  return most!;
}

/** The memory of a stage of `perStage` layers (of `mix`'s kinds when given; else all of the model's kind, the embedding's weights counted). */
function stageMemory(m: TransformerModel, p: TrainingPlan, perStage: number, mix: StageMix | undefined): { params: number; bytes: number; parts: Record<string, number> } {
  const s = layerShape(m, p);
  const { etp } = expertLayout(p);
  const local = mix ? stageParamsPerRank(m, p, mix) : undefined;
  const params = local ? local.params + (m.vocab * m.hidden) / p.tp : (perStage * s.attentionParams) / p.tp + (perStage * (m.experts / p.ep) * s.expertParams) / etp + (m.vocab * m.hidden) / p.tp;
  const experts = local ? local.experts : p.ep > 1 ? (perStage * (m.experts / p.ep) * s.expertParams) / etp : 0;
  // from ZeRO stage `zero` on, a rank keeps a (dp·cp)-th of the dense and an expert-data-parallel-th of its expert parameters
  const kept = (zero: number) => (p.zero >= zero ? shardedParams(params, experts, p) : params);
  const weights = kept(3) * p.dtypeBytes;
  const grads = kept(2) * p.gradReduceBytes;
  const optimizer = kept(1) * OPTIMIZER_BYTES_PER_PARAM;
  // micro-batches in flight on the first stage: pp under 1F1B; with v chunks, its warm-up passes over v
  const micro = p.globalBatch / (p.microBatch * p.dp);
  const inFlight = p.vpp > 1 ? Math.min(micro * p.vpp, 2 * (p.pp - 1) + (p.vpp - 1) * p.pp + 1) / p.vpp : Math.min(p.pp, micro);
  // offloaded layers leave HBM once copied out; the one being copied is still there
  const resident = p.offloadLayers > 0 ? perStage - p.offloadLayers + 1 : perStage;
  const activations = activationBytesPerLayer(m, p) * resident * inFlight;
  return { params, bytes: weights + grads + optimizer + activations, parts: { weights, grads, optimizer, activations } };
}

/** Bytes of the activations one transformer layer keeps for its backward, per micro-batch on one rank. */
export function activationBytesPerLayer(m: TransformerModel, p: TrainingPlan): number {
  const s = layerShape(m, p);
  return (layerActivationBytes(m, p, (s.tokens / p.cp) * m.hidden) * p.dtypeBytes) / 2;
}

/**
 * Activation bytes one layer keeps per micro-batch on one rank (16-bit), after Korthikanti et
 * al. 2022 (eq. 2 and 4): per s·b·h, 10 held whole on every TP rank without sequence
 * parallelism (layer-norm inputs 4, the QKV and MLP inputs 2 each, two dropout masks 1 each:
 * none without dropout) and the rest split over TP: Q and K 2 + 2g, V 2g and the output
 * projection's input 2, with g = kvHeads/heads (grouped-query attention: K and V are g times
 * narrower); the MLP's inner activations 4·f/h (fc1 output and activation output) or 6·f/h
 * gated (gate and up, and their product), times topK for MoE (each token is processed by topK
 * experts); plus the attention scores 5·a·s/h (softmax output, its dropout mask and output; 4
 * without dropout) unless fused attention never stores them. GPT-3 shapes (g = 1, f = 4h): 10 +
 * 24/t + 5as/(ht), the paper's. Sequence parallelism splits everything over TP; full
 * recomputation keeps only the layer input (2 per s·b·h, split over TP with SP); selective
 * recomputation drops what its modules recompute (recompute-modules.ts).
 */
function layerActivationBytes(m: TransformerModel, p: TrainingPlan, sbh: number): number {
  const t = p.tp;
  if (p.recompute) return p.sequenceParallel ? (2 * sbh) / t : 2 * sbh;
  const g = m.kvHeads / m.heads;
  const latent = m.mla ? latentActivationTerms(m.mla, m.heads, m.hidden) : undefined;
  // FP8 (Transformer Engine) keeps the GEMM inputs it saves for the weight gradients in FP8: the
  // QKV and FC1 inputs (1 byte instead of 2 of the replicated 10), the projection's input (1 of
  // the attention's) and FC2's input, the activation's output (f/h of the MLP's)
  const fp8 = p.precision === 'fp8' ? 1 : 0;
  const masks = m.dropout ? 1 : 0;
  // routed experts (topK of them) and shared ones
  const kf = (m.ffn * (m.topK + (m.experts > 1 ? (m.sharedExperts ?? 0) : 0))) / m.hidden;
  const terms = withoutRecomputed({
    // latent attention: its latents on every rank beside the layer's replicated inputs
    replicated: 8 + 2 * masks - 2 * fp8 + (latent?.latents ?? 0),
    normOutputs: 2 * (2 - fp8),
    attention: latent ? latent.upProjected + latent.output - fp8 : 4 + 4 * g - fp8,
    upProjected: latent?.upProjected ?? 0,
    scores: p.flashAttention ? 0 : ((4 + masks) * m.heads * p.seq) / m.hidden,
    mlp: ((m.gated ? 6 : 4) - fp8) * kf,
    activationOutput: (2 - fp8) * kf,
  }, p.recomputeModules, m.experts > 1);
  const split = terms.attention + terms.scores + terms.mlp;
  return p.sequenceParallel ? (sbh * (terms.replicated + split)) / t : sbh * (terms.replicated + split / t);
}

/** A pipeline stage's (or chunk's) layers by kind: the dense-FFN layers of an MoE model, the model's own kind (MoE layers, or every layer of a dense model), MTP layers. */
export interface StageMix {
  readonly dense: number;
  readonly typical: number;
  readonly mtp: number;
}

/** Whether the stages' layers differ from the even split of one kind of layer: a layout, MTP layers or dense layers in an MoE model. */
export function heterogeneous(m: TransformerModel, p: TrainingPlan): boolean {
  return p.layout !== '' || p.mtp > 0 || (m.experts > 1 && denseLayerCount(m) > 0);
}

/** Per virtual stage (k = c·pp + stage), what it holds: the plan's layout, or the even split with MTP layers beside the loss. */
export function planChunks(m: TransformerModel, p: TrainingPlan): ChunkContent[] {
  return p.layout ? layoutChunks(p.layout, m.layers, p.mtp, p.pp, p.vpp) : evenChunks((stage, c) => layersOf(m, p, stage, c), p.pp, p.vpp, p.mtp);
}

/** The kinds of layers in one chunk: its decoder layers below the model's dense count are dense. */
export function chunkMix(m: TransformerModel, chunk: ChunkContent): StageMix {
  const dense = m.experts > 1 ? Math.max(0, Math.min(chunk.first + chunk.decoder, denseLayerCount(m)) - chunk.first) : 0;
  return { dense, typical: chunk.decoder - dense, mtp: chunk.mtp };
}

/** The kinds of layers on pipeline stage `stage` (its chunks together). */
function stageMix(m: TransformerModel, p: TrainingPlan, chunks: readonly ChunkContent[], stage: number): StageMix {
  let dense = 0, typical = 0, mtp = 0;
  for (let c = 0; c < p.vpp; c++) {
    const x = chunkMix(m, chunks[c * p.pp + stage]);
    (dense += x.dense), (typical += x.typical), (mtp += x.mtp);
  }
  return { dense, typical, mtp };
}

/** Parameters one rank holds for a stage's layers (embedding left out), and of them the expert ones (0 without ep > 1). MTP layers: a layer of the model's last kind and the projection [2h → h]. */
function stageParamsPerRank(m: TransformerModel, p: TrainingPlan, mix: StageMix): { params: number; experts: number } {
  const s = layerShape(m, p);
  const { etp } = expertLayout(p);
  const moeModel = m.experts > 1;
  const denseShape = layerShape(denseView(m), p);
  const denseLayer = (denseShape.attentionParams + denseShape.expertParams) / p.tp;
  const expertsPerLayer = moeModel ? ((m.experts / p.ep) * s.expertParams) / etp : 0;
  const typical = moeModel ? (s.attentionParams + s.sharedParams) / p.tp + expertsPerLayer : denseLayer;
  const mtpLayer = typical + (2 * m.hidden * m.hidden) / p.tp;
  return { params: mix.dense * denseLayer + mix.typical * typical + mix.mtp * mtpLayer, experts: p.ep > 1 ? (mix.typical + mix.mtp) * expertsPerLayer : 0 };
}

/** The layer count the pipeline split divides: the transformer layers, plus the embedding and the loss when they count. */
function splitLayers(m: TransformerModel, p: TrainingPlan): number {
  return m.layers + (p.embeddingInSplit ? 2 : 0);
}

function describeSplit(m: TransformerModel, p: TrainingPlan): string {
  return p.embeddingInSplit ? `${m.layers} layers + the embedding and the loss` : `${m.layers} layers`;
}

/** Transformer layers of chunk c (of vpp) on stage s: the nominal chunk, less the embedding on the first virtual stage and the loss on the last when they count. */
export function layersOf(m: TransformerModel, p: TrainingPlan, stage: number, c: number): number {
  const n = splitLayers(m, p) / (p.pp * p.vpp);
  if (!p.embeddingInSplit) return n;
  return n - (stage === 0 && c === 0 ? 1 : 0) - (stage === p.pp - 1 && c === p.vpp - 1 ? 1 : 0);
}

function checkPlan(m: TransformerModel, p: TrainingPlan): number {
  if (p.layout) checkLayoutPlan(m, p);
  else checkEvenSplit(m, p);
  if (m.heads % p.tp !== 0) failInput('training.tp', `${m.name} has ${m.heads} attention heads, which do not split over tp = ${p.tp}`);
  checkLatent(m, p);
  if (p.cp > 1 && p.ep > 1) failInput('training.cp', 'context parallelism together with expert parallelism is not modelled; use cp = 1 or ep = 1');
  if ((p.seq / p.cp) % 2 !== 0 && p.cp > 1) failInput('training.cp', `the sequence (${p.seq}) must split into 2·cp = ${2 * p.cp} equal chunks (load-balanced ring attention)`);
  checkExperts(p);
  if (m.experts % p.ep !== 0) failInput('training.ep', `${m.name} has ${m.experts} experts, which do not split over ep = ${p.ep}`);
  const micro = p.globalBatch / (p.microBatch * p.dp);
  if (!Number.isInteger(micro) || micro < 1) failInput('training.globalBatch', `the global batch (${p.globalBatch}) must be a multiple of micro-batch × dp (${p.microBatch} × ${p.dp})`);
  const opsPerStage = micro * p.vpp * 14;
  if (opsPerStage * p.pp > 5_000_000)
    failInput('training.globalBatch', `${micro} micro-batches × ${p.vpp} chunks on ${p.pp} stages is about ${Math.round((opsPerStage * p.pp) / 1e6)} M operations to describe; use fewer micro-batches (a larger microBatch) or fewer stages`);
  if (p.vpp > 1 && p.pp < 2) failInput('training.vpp', 'the interleaved schedule needs pp ≥ 2');
  if (p.tpOverlap && p.tp > 1 && !p.sequenceParallel) failInput('training.tpOverlap', 'overlapping TP communication with the GEMMs needs sequence parallelism (as in Megatron-LM); set sequenceParallel: true or leave tpOverlap out');
  if (p.symmetric === true && reductionFactor(p) < 2) failInput('training.symmetric', `symmetric reduction needs at least two alike replica blocks: the stage's ${p.tp * p.cp * p.dp} ranks over the ${symmetricBlock(p)} of a block`);
  if (p.vpp > 1 && micro % p.pp !== 0) failInput('training.vpp', `the interleaved schedule needs the micro-batches per pipeline (${micro}) to be a multiple of pp (${p.pp})`);
  checkOffload(m, p);
  return micro;
}

/** The even split: the layers (with the embedding and the loss when they count) into pp stages of vpp equal chunks. */
function checkEvenSplit(m: TransformerModel, p: TrainingPlan): void {
  const split = splitLayers(m, p);
  if (split % p.pp !== 0) failInput('training.pp', `${m.name} has ${describeSplit(m, p)}, which do not split into ${p.pp} equal stages${p.embeddingInSplit ? '' : '; embeddingInSplit: true counts the embedding and the loss as a layer each, as Megatron can; a layout places them as you say'}`);
  if (split % (p.pp * p.vpp) !== 0) failInput('training.vpp', `${m.name} has ${describeSplit(m, p)}, which do not split into ${p.pp} × ${p.vpp} equal model chunks; a layout places them as you say`);
}

/** A layout replaces the even split: it says where the embedding and the loss go, and every chunk must hold something. */
function checkLayoutPlan(m: TransformerModel, p: TrainingPlan): void {
  if (p.embeddingInSplit) failInput('training.embeddingInSplit', 'a layout places the embedding (E) and the loss (L) itself; leave embeddingInSplit out');
  const empty = planChunks(m, p).findIndex((c) => c.decoder + c.mtp === 0 && !c.embedding && !c.loss);
  if (empty >= 0) failInput('training.layout', `"${p.layout}": virtual stage ${empty} holds nothing`);
}

/** Latent attention: fused attention only, no context parallelism; mla_up_proj recomputation needs it. */
function checkLatent(m: TransformerModel, p: TrainingPlan): void {
  if (m.mla && !p.flashAttention) failInput('training.flashAttention', `${m.name} has multi-head latent attention, modelled with fused attention only; leave flashAttention on`);
  if (m.mla && p.cp > 1) failInput('training.cp', `context parallelism with ${m.name}'s multi-head latent attention is not modelled; use cp = 1`);
  if (!m.mla && p.recomputeModules.includes('mla_up_proj')) failInput('training.recomputeModules', `mla_up_proj recomputes latent attention's up-projections, which ${m.name} does not have; leave it out`);
  if ((m.denseLayers ?? 0) > m.layers) failInput('training.model.denseLayers', `${m.denseLayers} dense layers, more than the model's ${m.layers}`);
}

/** Activation offloading as Megatron-Core allows it (transformer_config.py): fewer layers than the model has, pp = 1, no recomputation. */
function checkOffload(m: TransformerModel, p: TrainingPlan): void {
  if (p.offloadLayers === 0) return;
  if (p.offloadLayers >= m.layers) failInput('training.offloadLayers', `${m.name} has ${m.layers} layers: offload fewer (${p.offloadLayers} given)`);
  if (p.pp > 1) failInput('training.offloadLayers', 'activation offloading needs pp = 1 (Megatron-Core has no offloading with pipeline parallelism)');
  if (p.recompute || p.recomputeModules.length > 0) failInput('training.offloadLayers', 'activation offloading does not combine with recomputation in Megatron-Core; leave recompute and recomputeModules out');
}

/** Refuses a plan whose memory per rank exceeds the accelerator's HBM, with the breakdown. */
export function checkMemory(m: TransformerModel, p: TrainingPlan, accelerator: AcceleratorSpec): void {
  const mem = memoryPerRank(m, p);
  if (mem.bytes <= accelerator.memoryBytes) return;
  const gb = (x: number) => `${(x / 1e9).toFixed(1)} GB`;
  // activation offloading is open to plans Megatron-Core allows it for (pp = 1, no recomputation)
  const offload = p.pp === 1 && !p.recompute && p.recomputeModules.length === 0 ? ', or offload activations to host memory (offloadLayers)' : '';
  failInput('training', `${m.name} needs ${gb(mem.bytes)} per rank (${Object.entries(mem.parts).map(([k, v]) => `${k} ${gb(v)}`).join(', ')}), more than the ${gb(accelerator.memoryBytes)} of an ${accelerator.name}; raise tp, pp or the ZeRO stage, or turn on recompute${offload}`);
}

/**
 * The workload document of `plan.iterations` training steps, costed on `accelerator`. With
 * `checkFits`, a plan whose memory per rank exceeds the accelerator's HBM is refused with the
 * breakdown.
 */
export function trainingWorkload(m: TransformerModel, p: TrainingPlan, accelerator: AcceleratorSpec, checkFits = true): Record<string, unknown> {
  const micro = checkPlan(m, p);
  if (checkFits) checkMemory(m, p, accelerator);
  if (p.precision === 'fp8' && accelerator.fp8FlopsPerSec === null) failInput('training.precision', `${accelerator.name} has no FP8 math units; use precision: bf16`);
  const costs = kernelCosts(m, p, accelerator);
  const chunks = heterogeneous(m, p) ? planChunks(m, p) : undefined;
  // under the even split every stage has the same step (one object: its groups are shared by every stage's ops)
  const uniform = chunks ? undefined : trainingStep(m, p, accelerator, costs, 0, undefined);
  const ops: Record<string, unknown>[] = [];
  for (let stage = 0; stage < p.pp; stage++) new StageOps(uniform ?? trainingStep(m, p, accelerator, costs, stage, chunks), stage, ops).emit(pipelineSchedule(stage, p.pp, micro, p.vpp));
  return { name: workloadName(m, p), ranks: p.tp * p.cp * p.pp * p.dp, iterations: p.iterations, ops };
}

/** The generated workload's name: model, parallelism and batch shape. */
function workloadName(m: TransformerModel, p: TrainingPlan): string {
  const { tp, pp, dp, ep, cp } = p;
  return `${m.name} tp${tp}${cp > 1 ? ` cp${cp}` : ''} pp${pp}${p.vpp > 1 ? ` vpp${p.vpp}` : ''} dp${dp}${ep > 1 ? ` ep${ep}${expertLayout(p).folded ? ' etp1' : ''}${p.a2aOverlap ? ' a2a-overlap' : ''}` : ''}${p.zero ? ` zero${p.zero}` : ''}${p.precision === 'fp8' ? ' fp8' : ''}: global batch ${p.globalBatch}, micro-batch ${p.microBatch}, seq ${p.seq}`;
}

/** The kernel costs of one layer, the output layer and the embedding, forward and backward, on one rank. */
function kernelCosts(m: TransformerModel, p: TrainingPlan, acc: AcceleratorSpec): TrainingStep['costs'] {
  const kp: KernelPlan = { ...p, attention: p.attention === 'auto' ? defaultAttention(acc) : p.attention };
  const embedding = passCost(embeddingKernels(m, kp, acc));
  const layer = (model: TransformerModel): PhaseCosts => {
    const forward = layerKernels(model, kp, acc, 'forward');
    // selective recomputation: the modules' forward kernels again in the backward (full recomputation adds the whole forward per pass, training-stage.ts)
    const again = p.recompute ? [] : recomputedKernels(forward, p.recomputeModules);
    return { F: passCost(forward), B: passCost([...layerKernels(model, kp, acc, 'backward'), ...again]) };
  };
  const typical = layer(m);
  const head = { F: passCost(headKernels(m, kp, acc, 'forward')), B: passCost(headKernels(m, kp, acc, 'backward')) };
  const dense = m.experts > 1 && denseLayerCount(m) > 0 ? layer(denseView(m)) : { F: ZERO_COST, B: ZERO_COST };
  return { layer: typical, dense, mtp: p.mtp > 0 ? mtpCosts(m, kp, acc, typical, head) : { F: ZERO_COST, B: ZERO_COST }, head, embedding: { F: embedding, B: embedding } };
}

/**
 * One multi-token-prediction layer (DeepSeek-V3 section 2.2; Megatron-Core's
 * MultiTokenPredictionLayer): the two input norms (2·2·t_sp·h·E), the projection of their
 * concatenation [t × h/tp × 2h], a layer of the model's kind and the output layer again (the
 * shared LM head and cross-entropy).
 */
function mtpCosts(m: TransformerModel, kp: KernelPlan, acc: AcceleratorSpec, layer: PhaseCosts, head: PhaseCosts): PhaseCosts {
  const t = (kp.microBatch * kp.seq) / kp.cp;
  const tsp = kp.sequenceParallel ? t / kp.tp : t;
  const proj = (phase: 'forward' | 'backward') => {
    const g = phase === 'forward' ? [[t, m.hidden / kp.tp, 2 * m.hidden]] : [[t, 2 * m.hidden, m.hidden / kp.tp], [2 * m.hidden, m.hidden / kp.tp, t]];
    const mathSeconds = g.reduce((sum, [a, b, c]) => sum + gemmSeconds(acc, a, b, c, kp.precision), 0);
    const memoryBytes = (phase === 'forward' ? 1 : 2) * 2 * 2 * tsp * m.hidden * 2;
    return { mathFlops: g.length * 2 * t * (m.hidden / kp.tp) * 2 * m.hidden, mathSeconds, memoryBytes, memorySeconds: memoryBytes / (acc.memoryBytesPerSec * KERNEL_EFFICIENCY.get('elementwise')!.efficiency) };
  };
  return { F: addCost(addCost(layer.F, head.F), proj('forward')), B: addCost(addCost(layer.B, head.B), proj('backward')) };
}

/**
 * Per-rank costs, bytes and groups of one training step on pipeline stage `stage`. With layers of
 * one kind split evenly (`chunks` undefined) every stage has the nominal volumes; otherwise
 * (chunks: planChunks) the stage's own layers by kind.
 */
function trainingStep(m: TransformerModel, p: TrainingPlan, acc: AcceleratorSpec, costs: TrainingStep['costs'], stage: number, chunks: readonly ChunkContent[] | undefined): TrainingStep {
  const { tp, dp, ep, cp } = p;
  const s = layerShape(m, p);
  const mix = chunks ? stageMix(m, p, chunks, stage) : undefined;
  // per-stage volumes are for the stage's layers (the nominal stage under the even split); each chunk takes its layers' part
  const perStage = mix ? mix.dense + mix.typical + mix.mtp : splitLayers(m, p) / p.pp;
  // the stage's layers with experts (their all-to-alls and expert gradients): its layers of the model's kind and its MTP layers
  const moeStage = mix ? mix.typical + mix.mtp : perStage;
  const bytes = p.dtypeBytes;
  const tokens = s.tokens / cp;
  const layout = expertLayout(p);
  const local = mix ? stageParamsPerRank(m, p, mix) : undefined;
  const paramsPerRank = local ? local.params : (perStage * s.attentionParams) / tp + (perStage * (m.experts / ep) * s.expertParams) / layout.etp;
  // Gradients and ZeRO shards travel per replica group: dense parameters are replicated over the
  // DP×CP group; with ep > 1 an expert shard only over the ranks that hold it (expert data
  // parallelism, expert-layout.ts).
  const expertBytes = local ? local.experts * bytes : ep > 1 ? ((perStage * (m.experts / ep) * s.expertParams) / layout.etp) * bytes : 0;
  // optimizer step on this rank's shard: Adam reads and writes weights, gradients and states
  const shardParams = p.zero >= 1 ? shardedParams(paramsPerRank, expertBytes / bytes, p) : paramsPerRank;
  return {
    plan: p,
    accelerator: acc,
    perStage,
    moeStage,
    mixOf: (st: number, c: number) => (chunks ? chunkMix(m, chunks[c * p.pp + st]) : { dense: 0, typical: layersOf(m, p, st, c), mtp: 0 }),
    costs,
    act: (tokens * m.hidden * bytes) / tp, // p2p activations: scattered over the TP ranks
    tpBytes: 2 * perStage * tokens * m.hidden * bytes, // two all-reduces (or AG+RS pairs) per layer, per phase
    // keys and values of every layer, gathered from the cp ranks of the sequence (the whole gathered size)
    cpBytes: cp > 1 ? (perStage * 2 * s.tokens * m.kvHeads * headDim(m) * bytes) / tp : 0,
    // dispatch + combine per MoE layer, of the tokens this rank holds (a tp-th of them with sequence parallelism)
    a2aBytes: m.experts > 1 ? (2 * moeStage * tokens * m.hidden * m.topK * p.moeImbalance * bytes) / (p.sequenceParallel ? tp : 1) : 0,
    groups: { tp: { size: tp }, cp: { size: cp, stride: tp }, ep: layout.ep, pp: { size: p.pp, stride: tp * cp * dp } },
    replicas: replicaGroups(p, paramsPerRank * bytes, expertBytes),
    gradScale: p.gradReduceBytes / bytes,
    overlapped: p.tpOverlap && tp > 1,
    offloadBytes: p.offloadLayers * activationBytesPerLayer(m, p),
    optimizer: { flops: shardParams * 10, bytes: shardParams * 2 * (OPTIMIZER_BYTES_PER_PARAM + bytes + p.gradReduceBytes) },
  };
}

/** The replica groups gradients are reduced over: dense ones over DP, expert ones (ep > 1) over the ranks holding the same experts (expert-layout.ts). */
function replicaGroups(p: TrainingPlan, gradBytes: number, expertBytes: number): ReplicaGroup[] {
  const { tp, dp, cp } = p;
  const { edp } = expertLayout(p);
  const replicas: ReplicaGroup[] = [];
  if (dp * cp > 1) replicas.push({ suffix: '', bytes: gradBytes - expertBytes, group: { size: dp * cp, stride: tp } });
  if (edp.size > 1 && expertBytes > 0) replicas.push({ suffix: '.experts', bytes: expertBytes, group: edp });
  return replicas;
}

/**
 * The order in which pipeline device `stage` (of pp) runs forward (F) and backward (B) passes
 * of micro-batch j on its model chunk c (of v; v > 1 is the interleaved schedule of Narayanan
 * et al. 2021, as Megatron-LM orders it): warm-up forwards, then one forward and one backward
 * in turn, then the remaining backwards. With v = 1 this is plain 1F1B (warm-up pp − stage − 1).
 */
export function pipelineSchedule(stage: number, pp: number, micro: number, v: number): ['F' | 'B', number, number][] {
  const total = micro * v;
  const at = (k: number, forward: boolean): [number, number] => {
    if (v === 1) return [k, 0];
    const group = pp * v;
    const c = Math.floor((k % group) / pp);
    return [Math.floor(k / group) * pp + (k % pp), forward ? c : v - 1 - c];
  };
  const warm = v === 1 ? Math.min(pp - stage - 1, micro) : Math.min(total, (pp - stage - 1) * 2 + (v - 1) * pp);
  const out: ['F' | 'B', number, number][] = [];
  for (let k = 0; k < warm; k++) out.push(['F', ...at(k, true)]);
  for (let k = 0; k < total - warm; k++) out.push(['F', ...at(warm + k, true)], ['B', ...at(k, false)]);
  for (let k = total - warm; k < total; k++) out.push(['B', ...at(k, false)]);
  return out;
}
