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
// Model FLOPs and parameters: model-flops.ts; which layers each stage holds: stage-layers.ts;
// the memory check: memory-model.ts.
import { failInput } from '../../core/errors.js';
import { defaultAttention, type AttentionImpl } from '../../hardware/attention-efficiency.js';
import { gemmSeconds, type MathDtype } from '../../hardware/gemm-efficiency.js';
import { KERNEL_EFFICIENCY } from '../../hardware/kernel-efficiency.js';
import type { AcceleratorSpec } from '../../hardware/types.js';
import { moeBlockKernels } from './moe-kernels.js';
import { addCost, embeddingKernels, headKernels, layerKernels, passCost, ZERO_COST, type Dispatcher, type KernelPlan } from './layer-kernels.js';
import { checkExperts, expertLayout, shardedParams } from './expert-layout.js';
import { activationBytesPerLayer, checkMemory, OPTIMIZER_BYTES_PER_PARAM } from './memory-model.js';
import { layerShape } from './model-flops.js';
import { recomputedKernels, type RecomputeModule } from './recompute-modules.js';
import { denseLayerCount, denseView, headDim, type TransformerModel } from './models.js';
import type { ChunkContent } from './pipeline-layout.js';
import { chunkMix, describeSplit, heterogeneous, layersOf, planChunks, splitLayers, stageMix, stageParamsPerRank } from './stage-layers.js';
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
  /** MoE: Megatron-Core's token dispatcher, alltoall (NCCL's all-to-all; the default) or flex (DeepEP, HybridEP): the token permutations each moves (layer-kernels.ts, permuteBytes). */
  readonly dispatcher: Dispatcher;
  /** MoE: Megatron-Core's moe_router_fusion, the router in 31 kernels instead of 72 (moe-kernels.ts). */
  readonly routerFusion: boolean;
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

export const DEFAULT_PLAN: TrainingPlan = { seq: 2048, globalBatch: 8, microBatch: 1, dtypeBytes: 2, tp: 1, cp: 1, pp: 1, vpp: 1, embeddingInSplit: false, dp: 1, ep: 1, etp: 0, a2aOverlap: false, zero: 0, recompute: false, recomputeModules: [], sequenceParallel: true, buckets: 4, tpOverlap: false, flashAttention: true, precision: 'bf16', attention: 'auto', moeImbalance: 1, dispatcher: 'alltoall', routerFusion: false, gradReduceBytes: 4, symmetric: 'auto', offloadLayers: 0, mtp: 0, layout: '', iterations: 1 };

/** The accelerator a generated step is costed on when no system is known yet (a workload file read alone). */
export const DEFAULT_ACCELERATOR = 'h100-sxm';

function checkPlan(m: TransformerModel, p: TrainingPlan): number {
  if (p.layout) checkLayoutPlan(m, p);
  else checkEvenSplit(m, p);
  if (m.heads % p.tp !== 0) failInput('training.tp', `${m.name} has ${m.heads} attention heads, which do not split over tp = ${p.tp}`);
  checkLatent(m, p);
  checkWindow(m);
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

/** Sliding windows on at most every layer. */
function checkWindow(m: TransformerModel): void {
  if ((m.windowLayers ?? 0) > m.layers) failInput('training.model.windowLayers', `${m.windowLayers} sliding-window layers, more than the model's ${m.layers}`);
  if (m.windowLayers !== undefined && m.window === undefined) failInput('training.model.window', 'windowLayers needs the window width in tokens: add window');
}

/** Activation offloading as Megatron-Core allows it (transformer_config.py): fewer layers than the model has, pp = 1, no recomputation. */
function checkOffload(m: TransformerModel, p: TrainingPlan): void {
  if (p.offloadLayers === 0) return;
  if (p.offloadLayers >= m.layers) failInput('training.offloadLayers', `${m.name} has ${m.layers} layers: offload fewer (${p.offloadLayers} given)`);
  if (p.pp > 1) failInput('training.offloadLayers', 'activation offloading needs pp = 1 (Megatron-Core has no offloading with pipeline parallelism)');
  if (p.recompute || p.recomputeModules.length > 0) failInput('training.offloadLayers', 'activation offloading does not combine with recomputation in Megatron-Core; leave recompute and recomputeModules out');
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
    moeKernels: m.experts > 1 ? moeBlockKernels(p.dispatcher, p.routerFusion) : 0,
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
    fsdpGradBytes: p.zero === 3 ? paramsPerRank * fsdpGradientBytesPerParam(p) : 0,
    optimizer: { flops: shardParams * 10, bytes: shardParams * 2 * (OPTIMIZER_BYTES_PER_PARAM + bytes + p.gradReduceBytes) },
  };
}

/**
 * Bytes per parameter that ZeRO-3 (fully sharded data parallelism) moves over each backward's
 * unsharded gradients before reducing them, in memory-bound passes: a cast to the reduce type
 * where it is wider than the parameters' (PyTorch FSDP's MixedPrecision reduce_dtype: read
 * dtypeBytes, write gradReduceBytes) and the scaling by the data-parallel size, in place (read
 * and write gradReduceBytes: FSDP's gradient pre-divide, torch/distributed/fsdp/_runtime_utils.py
 * _reduce_grad, `_div_if_needed(padded_unsharded_grad, ...)` before reduce_scatter_tensor).
 */
export function fsdpGradientBytesPerParam(p: Pick<TrainingPlan, 'dtypeBytes' | 'gradReduceBytes'>): number {
  const cast = p.gradReduceBytes > p.dtypeBytes ? p.dtypeBytes + p.gradReduceBytes : 0;
  return cast + 2 * p.gradReduceBytes;
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
