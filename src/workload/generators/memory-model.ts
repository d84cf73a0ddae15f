// The memory a training plan needs per rank at the peak of a step: weights, gradients and
// optimizer state after ZeRO sharding (experts over their own replicas), and the activations
// the layers in flight keep for their backward (after Korthikanti et al. 2022, with fused
// attention, GQA, gated FFNs, MoE, latent attention, selective recomputation and offloading),
// on the stage that needs the most; and the refusal of a plan that does not fit, with its parts.
import { failInput } from '../../core/errors.js';
import type { AcceleratorSpec } from '../../hardware/types.js';
import { expertLayout, shardedParams } from './expert-layout.js';
import { latentActivationTerms } from './latent-attention.js';
import { layerShape } from './model-flops.js';
import type { TransformerModel } from './models.js';
import { withoutRecomputed } from './recompute-modules.js';
import { heterogeneous, planChunks, splitLayers, stageMix, stageParamsPerRank, type StageMix } from './stage-layers.js';
import type { TrainingPlan } from './transformer.js';

/** Adam with FP32 master weights: 4 (master) + 4 (m) + 4 (v) bytes per parameter; BF16 weights and the gradient buffer (gradReduceBytes) on top. */
export const OPTIMIZER_BYTES_PER_PARAM = 12;

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

/** Refuses a plan whose memory per rank exceeds the accelerator's HBM, with the breakdown. */
export function checkMemory(m: TransformerModel, p: TrainingPlan, accelerator: AcceleratorSpec): void {
  const mem = memoryPerRank(m, p);
  if (mem.bytes <= accelerator.memoryBytes) return;
  const gb = (x: number) => `${(x / 1e9).toFixed(1)} GB`;
  // activation offloading is open to plans Megatron-Core allows it for (pp = 1, no recomputation)
  const offload = p.pp === 1 && !p.recompute && p.recomputeModules.length === 0 ? ', or offload activations to host memory (offloadLayers)' : '';
  failInput('training', `${m.name} needs ${gb(mem.bytes)} per rank (${Object.entries(mem.parts).map(([k, v]) => `${k} ${gb(v)}`).join(', ')}), more than the ${gb(accelerator.memoryBytes)} of an ${accelerator.name}; raise tp, pp or the ZeRO stage, or turn on recompute${offload}`);
}
