// Multi-head latent attention (DeepSeek-V2/V3) in a serving step, on one rank. The cache holds
// one compressed entry a token and layer, the key/value latent and the shared rotary key
// (r_kv + rope wide), for all heads at once: tensor-parallel ranks each keep the whole entry,
// since every head reads it. Engines run the two phases in two forms (DeepSeek-V2 §2.1.2;
// vLLM's and SGLang's MLA backends, FlashMLA):
//   - decode, absorbed: the key's up-projection is folded into the query and the value's into
//     the output, so attention runs over the latents themselves; per head and query-key pair,
//     scores of width r_kv + rope and a context of width r_kv: 2·(2·r_kv + rope) FLOPs. The
//     cache is read once for all the rank's heads;
//   - prefill, expanded: the cached context's latents are up-projected per head (kv_up over the
//     tokens already cached), then causal flash attention with d_qk = nope + rope and d_v:
//     2·(d_qk + d_v) FLOPs a pair and head.
// Per new token both forms run the same GEMMs (q_down, q_up, kv_down, kv_up or the two
// absorption products of the same size, the output projection): latentAttentionGemms.
import { attentionEfficiency, type AttentionImpl } from '../../hardware/attention-efficiency.js';
import { dtypePeak, gemmSeconds, weightGemmSeconds, type WeightDtype } from '../../hardware/gemm-efficiency.js';
import type { AcceleratorSpec } from '../../hardware/types.js';
import { latentAttentionGemms } from '../generators/latent-attention.js';
import type { LatentAttention } from '../generators/models.js';

/** Elements one token's cache entry holds in one layer: the key/value latent and the shared rotary key. */
export function latentCacheWidth(a: LatentAttention): number {
  return a.kvLora + a.qkRope;
}

/** GEMM seconds of a latent-attention block for `t` new tokens on one rank (the down-projections replicated on every tensor-parallel rank, the rest split). */
export function latentGemmSeconds(acc: AcceleratorSpec, a: LatentAttention, heads: number, hidden: number, tp: number, t: number, dt: WeightDtype): number {
  let sec = 0;
  for (const [, m, n, k] of latentAttentionGemms(a, heads, hidden, tp, t)) sec += weightGemmSeconds(acc, m, n, k, dt);
  return sec;
}

/** The step's attention work split by form: decoding sequences (one new token each) against the rest. */
export interface AttentionSplit {
  /** Decoding sequences' query-key pairs, and Σ over them of the cache entries they read (context + its new tokens); equal with one new token each. */
  readonly decodePairs: number;
  readonly decodeKvTokens: number;
  /** Prefill query-key pairs (causal) and the prefilling sequences' context + new tokens. */
  readonly prefillPairs: number;
  readonly prefillKvTokens: number;
  /** New tokens of the prefill chunks. */
  readonly prefillTokens: number;
}

export interface LatentAttentionRank {
  readonly accelerator: AcceleratorSpec;
  readonly mla: LatentAttention;
  readonly headsPerRank: number;
  readonly cacheBytes: number;
  readonly impl: AttentionImpl;
  readonly dt: WeightDtype;
  readonly streamBytesPerSec: number;
}

/**
 * Attention seconds of one layer on one rank: decode in the absorbed form, a roofline of its
 * FLOPs at the fused-attention efficiency against the cache bytes read once; prefill in the
 * expanded form, the cached context's kv_up GEMM, then flash attention over the expanded
 * keys and values (16-bit) at d_qk, or their bytes, whichever binds.
 */
export function latentAttentionSeconds(r: LatentAttentionRank, w: AttentionSplit, meanContext: number): number {
  const { mla: a, headsPerRank: hpr, accelerator: acc } = r;
  const peak = dtypePeak(acc, 'bf16');
  const width = latentCacheWidth(a);
  const eff = (d: number) => attentionEfficiency(acc, r.impl, 'forward', d, Math.max(128, meanContext));
  let sec = 0;
  if (w.decodePairs > 0) {
    const flops = 2 * w.decodePairs * hpr * (2 * a.kvLora + a.qkRope);
    sec += Math.max(flops / (peak * eff(width)), (w.decodeKvTokens * width * r.cacheBytes) / r.streamBytesPerSec);
  }
  if (w.prefillPairs > 0) {
    const qk = a.qkNope + a.qkRope;
    const cached = Math.max(0, w.prefillKvTokens - w.prefillTokens);
    if (cached > 0) sec += weightGemmSeconds(acc, cached, hpr * (a.qkNope + a.v), a.kvLora, r.dt);
    const flops = 2 * w.prefillPairs * hpr * (qk + a.v);
    const bytes = w.prefillKvTokens * (hpr * (qk + a.v) * 2 + width * r.cacheBytes);
    sec += Math.max(flops / (peak * eff(qk)), bytes / r.streamBytesPerSec);
  }
  return sec;
}
