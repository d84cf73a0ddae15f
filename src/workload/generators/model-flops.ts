// A transformer's size and work: parameters of a layer and of the model, forward FLOPs of a
// layer per micro-batch and of a whole training step (the model FLOPs that TFLOP/s per GPU and
// MFU figures count), for dense, MoE and DeepSeek-style models (latent attention, shared
// experts, dense first layers, MTP layers).
//
// Model FLOPs per layer and micro-batch (t = b·s tokens, d = h/heads; Narayanan et al. 2021,
// eq. 2, generalised to grouped-query attention, gated FFNs and top-k experts):
//   QKV 2·t·h·(h + 2·kv·d), scores and context 4·t·s·h, output 2·t·h², FFN topK·2·t·h·f·(3 gated | 2)
// backward = 2 × forward; full recomputation adds one forward. LM head: 2·t·h·V forward.
import { latentAttentionParams, latentAttentionWidth } from './latent-attention.js';
import { denseLayerCount, denseView, headDim, type TransformerModel } from './models.js';
import type { TrainingPlan } from './transformer.js';

/** A micro-batch of one token: parameter counts do not depend on it. */
const ONE_TOKEN = { microBatch: 1, seq: 1 };

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

/** One layer of `m`'s kind (MoE layers for an MoE model) for a micro-batch of `p`: its parameters and forward FLOPs. */
export function layerShape(m: TransformerModel, p: Pick<TrainingPlan, 'microBatch' | 'seq'>): LayerShape {
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
  return moe * layerShape(m, ONE_TOKEN).layerParams + (dense > 0 ? dense * layerShape(denseView(m), ONE_TOKEN).layerParams : 0) + m.vocab * m.hidden;
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
