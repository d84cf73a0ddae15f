// The cost of one forward step of a serving instance: a batch of sequences, each adding some
// new tokens (a prefill chunk, or one decode token) to the keys and values it already holds,
// run on every rank of a tensor-parallel instance (data-parallel attention: data-parallel-cost.ts),
// and what the instance holds (weights, KV bytes a token). Per layer and rank (layer-cost.ts),
// each kernel is a roofline, max(FLOPs / (peak × efficiency), bytes / HBM):
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
import { KERNEL_BOUNDARY_SEC } from '../../hardware/kernel-boundary.js';
import { gemmSeconds } from '../../hardware/gemm-efficiency.js';
import { latentAttentionParams } from '../generators/latent-attention.js';
import { headDim, type TransformerModel } from '../generators/models.js';
import { dataParallelStepCost, evenShares } from './data-parallel-cost.js';
import { BYTES_OF, dataParallel, kvHeadsPerRank, type BatchSums, type InstanceShape, type StepCost } from './instance-shape.js';
import { latentCacheWidth } from './latent-attention-cost.js';
import { kernelsPerStep, layerAttentionSec, layerCommSec, layerGemmSec, layerMemoryBytes, memSec, overLayers } from './layer-cost.js';

/**
 * KV-cache bytes one token takes on one rank, all layers: 2 (K and V) · layers · kv heads · head
 * dim · bytes (data-parallel attention: the token's whole cache, on the one rank that holds its
 * sequence). Latent attention: layers · (r_kv + rope) · bytes on every rank.
 */
export function kvBytesPerToken(s: Pick<InstanceShape, 'model' | 'tp' | 'kvCache' | 'dataParallelAttention'>): number {
  if (s.model.mla) return s.model.layers * latentCacheWidth(s.model.mla) * BYTES_OF[s.kvCache];
  return 2 * s.model.layers * kvHeadsPerRank(s.model, dataParallel(s) ? 1 : s.tp) * headDim(s.model) * BYTES_OF[s.kvCache];
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

/**
 * Host seconds to launch a step: one graph replay, or (eager) each of its kernels, the
 * all-reduces' two a layer included, `launchSec` each.
 */
export function hostLaunchSec(s: Pick<InstanceShape, 'model' | 'tp'>, samples: boolean, eager: boolean, launchSec: number): number {
  if (!eager) return launchSec;
  return (kernelsPerStep(s.model, samples) + (s.tp > 1 ? 2 * s.model.layers : 0)) * launchSec;
}

/** The cost of one step on each rank of the instance (they run in lockstep); with pipeline stages, of the last stage (the others skip the LM head and sampling). */
export function stepCost(s: InstanceShape, b: BatchSums): StepCost {
  const { model: m, tp, accelerator: acc } = s;
  if (b.tokens <= 0) return { seconds: 0, gemmSec: 0, attentionSec: 0, memorySec: 0, commSec: 0, headSec: 0, boundarySec: 0 };
  if (dataParallel(s)) return dataParallelStepCost(s, evenShares(b, tp));
  const perLayer = (f: (k: InstanceShape) => number) => overLayers(m, (view) => f(view === m ? s : { ...s, model: view }));
  const gemmSec = perLayer((k) => layerGemmSec(k, b.tokens));
  const attentionSec = perLayer((k) => layerAttentionSec(k, b));
  const memorySec = perLayer((k) => memSec(layerMemoryBytes(k, b.tokens), acc)) + memSec(b.tokens * m.hidden * 2 * 2, acc);
  const commSec = perLayer((k) => layerCommSec(k, b.tokens));
  const headSec = b.sampled > 0 ? gemmSeconds(acc, b.sampled, m.vocab / tp, m.hidden, 'bf16') + memSec(b.sampled * (m.vocab / tp) * 4 * 2, acc) : 0;
  const boundarySec = kernelsPerStep(m, b.sampled > 0) * KERNEL_BOUNDARY_SEC;
  return { seconds: gemmSec + attentionSec + memorySec + commSec + headSec + boundarySec, gemmSec, attentionSec, memorySec, commSec, headSec, boundarySec };
}
