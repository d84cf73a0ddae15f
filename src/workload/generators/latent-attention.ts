// Multi-head latent attention (DeepSeek-V2/V3; Megatron-Core's MLASelfAttention) as the GEMMs,
// attention core and memory-bound kernels one rank runs, beside the standard attention of
// layer-kernels.ts. Per rank (t tokens, tp-way tensor parallel, H heads, h hidden; widths from
// the model's `mla`: query latent r_q (0: none), key/value latent r_kv, per-head query/key
// d_qk = nope + rope, value d_v):
//   q_down  [t × r_q × h]                 replicated on every TP rank (Megatron: not split)
//   q_up    [t × H·d_qk/tp × r_q]         (q [t × H·d_qk/tp × h] without a query latent)
//   kv_down [t × (r_kv + rope) × h]       replicated; the rope part is the key's shared rotary part
//   kv_up   [t × H·(nope + d_v)/tp × r_kv]
//   proj    [t × h × H·d_v/tp]
//   attention: causal over s keys, scores of width d_qk and context of width d_v: FLOPs
//              2·t·s·H/tp·(d_qk + d_v) halved by the mask (causalAttentionFlops at the mean width)
//   memory: the latents' norms read and write t·(r_q + r_kv)·E; rotary on the rope parts of the
//           queries and the shared key, 2·t·(H/tp + 1)·rope·E.
// Source: DeepSeek-V3 technical report (2024), section 2.1.1, equations 1-11.
import type { LatentAttention } from './models.js';

/** A GEMM [M × N × K] of the layer (bf16 or the plan's precision, chosen by the caller). */
export type LatentGemm = readonly [name: string, m: number, n: number, k: number];

/** The latent attention's GEMMs on one rank for t tokens. */
export function latentAttentionGemms(a: LatentAttention, heads: number, hidden: number, tp: number, t: number): LatentGemm[] {
  const qk = a.qkNope + a.qkRope;
  const out: LatentGemm[] = a.qLora > 0 ? [['q_down', t, a.qLora, hidden], ['q_up', t, (heads * qk) / tp, a.qLora]] : [['q', t, (heads * qk) / tp, hidden]];
  out.push(['kv_down', t, a.kvLora + a.qkRope, hidden], ['kv_up', t, (heads * (a.qkNope + a.v)) / tp, a.kvLora], ['proj', t, hidden, (heads * a.v) / tp]);
  return out;
}

/** The mean of the query/key and value widths: causal attention FLOPs at this width equal the scores' and the context's together. */
export function latentAttentionWidth(a: LatentAttention): number {
  return (a.qkNope + a.qkRope + a.v) / 2;
}

/** Bytes per token of the attention core's inputs and output on one rank: queries, keys (d_qk), values and output (d_v). */
export function latentAttentionTokenBytes(a: LatentAttention, headsPerRank: number, bytes: number): { inputs: number; output: number } {
  const qk = a.qkNope + a.qkRope;
  return { inputs: headsPerRank * (2 * qk + a.v) * bytes, output: headsPerRank * a.v * bytes };
}

/** Memory-bound bytes of the latents' norms and of rotary embedding, forward, for t tokens on one rank. */
export function latentMemoryBytes(a: LatentAttention, headsPerRank: number, t: number, bytes: number): { norms: number; rotary: number } {
  return { norms: 2 * t * (a.qLora + a.kvLora) * bytes, rotary: 2 * t * (headsPerRank + 1) * a.qkRope * bytes };
}

/**
 * Activations a latent-attention block keeps for its backward, per token over the hidden width
 * (units of s·b·h, 2-byte elements as layerActivationBytes counts them): the latents, each
 * before and after its norm (2·(2·r_q + 2·r_kv + rope)/h, on every TP rank), and, split over TP,
 * the up-projected queries, keys and values the attention core saves (2·H·(2·d_qk + d_v)/h:
 * what mla_up_proj recomputation drops) and the core's output, the projection's input (2·H·d_v/h).
 */
export function latentActivationTerms(a: LatentAttention, heads: number, hidden: number): { latents: number; upProjected: number; output: number } {
  const qk = a.qkNope + a.qkRope;
  return {
    latents: (2 * (2 * a.qLora + 2 * a.kvLora + a.qkRope)) / hidden,
    upProjected: (2 * heads * (2 * qk + a.v)) / hidden,
    output: (2 * heads * a.v) / hidden,
  };
}

/** Parameters of a latent-attention block (all TP ranks together), norms left out. */
export function latentAttentionParams(a: LatentAttention, heads: number, hidden: number): number {
  const qk = a.qkNope + a.qkRope;
  const q = a.qLora > 0 ? hidden * a.qLora + a.qLora * heads * qk : hidden * heads * qk;
  return q + hidden * (a.kvLora + a.qkRope) + a.kvLora * heads * (a.qkNope + a.v) + heads * a.v * hidden;
}
