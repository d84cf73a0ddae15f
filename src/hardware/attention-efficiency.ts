// Fused (flash) attention kernels: the fraction of the dense BF16 peak their forward and
// backward passes reach, per device and implementation, for head dimension 128 and long causal
// sequences; shorter heads and sequences reach less.
//
//   efficiency(phase) = table[device][impl][phase] × head(d) × length(s) × sustained
//   sustained = the device's sustained / burst matmul ratio (gemm-efficiency.ts): the papers
//               time kernels alone at the boost clock, a training step runs at the power limit;
//   head(d)   = 1 for d ≥ 128, 0.85 for d ≤ 64 (linear between): narrower heads do less math per
//               byte of Q/K/V tile loaded (FlashAttention-2 paper, Fig. 4–7: head dim 64 runs at
//               ~80–90% of head dim 128);
//   length(s) = (s / (s + S_HALF)) / (8192 / (8192 + S_HALF)): per-row start-up and the causal
//               diagonal blocks cost relatively more on short sequences (the table is at 8 k).
//
// FLOPs a causal kernel executes (Dao 2023): forward 4·b·s²·h_q·d / 2 (the lower triangle of
// QKᵀ and of P·V, plus the diagonal blocks: × (1 + BLOCK / s)); backward 2.5 × forward (five
// matmuls of the same size against two: it recomputes P from Q and K).
//
// Sliding-window attention (each query sees the w keys before it: Mistral, Gemma, GPT-OSS's
// alternate layers) runs the same kernel over a band: a block of BLOCK queries reads the key
// blocks covering its band, (w + BLOCK) keys a query. A causal kernel over s reads (s + BLOCK) / 2
// keys a query on average, so the band costs what causal attention over s_eq = 2·w + BLOCK does
// (windowSequence), FLOPs and length factor alike: per-block start-up weighs as it would there.
// Published cuDNN 9.22 runs of GPT-OSS's band (w = 128, head dim 64, s = 4096, batch 2;
// cudnn-frontend benchmark/sdpa_benchmark_training/results/gpt_oss) take longer than that:
// GB200 0.210 ms forward and 0.465 backward (128 heads), where this gives 0.137 and 0.404; H200
// 0.358 and 1.042 (64 heads) against 0.164 and 0.558. Costed as full causal attention they would
// be 0.544 / 1.606 ms on GB200 and 0.652 / 2.221 on H200.
import { sustainedRatio } from './gemm-efficiency.js';
import type { AcceleratorSpec } from './types.js';

/**
 * Attention implementations: FlashAttention-1 class (FlashAttention v1's CUDA kernels and the
 * Triton version of the same algorithm that 2023 stacks such as MosaicML's MPT ran),
 * FlashAttention-2 class (Ampere-style kernels) or the Hopper/Blackwell fused class
 * (FlashAttention-3, cuDNN fused attention, as Transformer Engine uses by default).
 */
export type AttentionImpl = 'flash1' | 'flash2' | 'fused';

export interface AttentionProfile {
  readonly forward: number;
  readonly backward: number;
  readonly source: string;
}

/** Key/value block of the kernels (the causal diagonal is computed in whole blocks). */
export const ATTENTION_BLOCK = 128;
/** Sequence length at which the length factor halves. */
export const S_HALF = 512;
/** Backward FLOPs over forward FLOPs of a flash-attention kernel. */
export const BACKWARD_RATIO = 2.5;

const FA2 = 'Dao 2023, "FlashAttention-2" (arXiv:2307.08691), Fig. 4–7: A100, causal, head dim 128, seq 8k: forward ~200, backward ~165 TFLOP/s of 312';
/**
 * FlashAttention-1 class over FlashAttention-2: Dao 2023 (arXiv:2307.08691) §4.1 measures
 * FlashAttention-2 "1.7–3.0× faster than FlashAttention, 1.3–2.5× faster than FlashAttention in
 * Triton" (A100, forward + backward over head dims and lengths); the Triton version, the faster of
 * the two and what the 2023 stacks ran, is taken at the middle of its range, 1.9×.
 */
export const FLASH1_SLOWDOWN = 1.9;
const FA1 = `FlashAttention-2's fractions / ${FLASH1_SLOWDOWN} (Dao 2023, §4.1: FlashAttention-2 is 1.3–2.5× faster than FlashAttention in Triton, 1.7–3.0× than FlashAttention)`;
const fa1 = (forward: number, backward: number, source: string): AttentionProfile => ({ forward: forward / FLASH1_SLOWDOWN, backward: backward / FLASH1_SLOWDOWN, source: `${FA1}; ${source}` });

const FA3 = 'Shah et al. 2024, "FlashAttention-3" (arXiv:2407.08608), Fig. 5 and 7: H100 SXM, causal, head dim 128, seq 8k: FlashAttention-3 / cuDNN forward ~640, backward ~470 TFLOP/s of 989; FlashAttention-2 on H100 forward ~330, backward ~290';

const CUDNN = 'NVIDIA cudnn-frontend benchmark/sdpa_benchmark_training/results/llama3.1 (cuDNN 9.22.0, frontend 1.21.1, 2026-04-24): BF16, causal, batch 2, 64 heads of 128, seq 8192, non-deterministic backward';
/** Blackwell (GB200) fused attention: cuDNN's published Llama 3.1 shape, 1574 forward and 1332 backward TFLOP/s of 2500. */
const GB200_CUDNN: AttentionProfile = { forward: 1574 / 2500, backward: 1332 / 2500, source: `${CUDNN}: GB200 1574 forward, 1332 backward of 2500 (results/llama3.1/gb200/llama3.1_20260424_100750.csv)` };
/** Blackwell Ultra (GB300), twice Blackwell's exponential rate: 1856 forward and 1435 backward of 2500. */
const GB300_CUDNN: AttentionProfile = { forward: 1856 / 2500, backward: 1435 / 2500, source: `${CUDNN}: GB300 1856 forward, 1435 backward of 2500 (results/llama3.1/gb300/llama3.1_20260424_100757.csv); Blackwell Ultra's doubled exponential rate shows in the forward (0.74 against GB200's 0.63)` };

const TABLE: ReadonlyMap<string, Partial<Record<AttentionImpl, AttentionProfile>>> = new Map([
  ['a100-sxm', { flash1: fa1(200 / 312, 165 / 312, FA2), flash2: { forward: 200 / 312, backward: 165 / 312, source: FA2 } }],
  ['a100-sxm-40gb', { flash1: fa1(200 / 312, 165 / 312, FA2), flash2: { forward: 200 / 312, backward: 165 / 312, source: `${FA2} (the paper's A100 is the 80 GB part; attention is compute-bound, so the 40 GB part's slower HBM does not matter)` } }],
  ['h100-sxm', { flash1: fa1(330 / 989, 290 / 989, `${FA3} (both Ampere-style kernels on Hopper)`), flash2: { forward: 330 / 989, backward: 290 / 989, source: FA3 }, fused: { forward: 640 / 989, backward: 470 / 989, source: FA3 } }],
  ['h200', { flash1: fa1(330 / 989, 290 / 989, `${FA3} (H200: same SMs and clocks)`), flash2: { forward: 330 / 989, backward: 290 / 989, source: `${FA3} (H200: same SMs and clocks)` }, fused: { forward: 640 / 989, backward: 470 / 989, source: `${FA3} (H200: same SMs and clocks)` } }],
  ['b200', { fused: { forward: GB200_CUDNN.forward, backward: GB200_CUDNN.backward, source: `${GB200_CUDNN.source} (B200: the same silicon, at its own peak)` } }],
  ['b300', { fused: { forward: GB300_CUDNN.forward, backward: GB300_CUDNN.backward, source: `${GB300_CUDNN.source} (B300: the same silicon, at its own peak)` } }],
  ['gb300', { fused: GB300_CUDNN }],
  ['gb200', { fused: GB200_CUDNN }],
]);

const GENERIC: AttentionProfile = { forward: 0.5, backward: 0.4, source: 'no measurement for this device: between FlashAttention-2 and -3 on H100 (0.5 forward, 0.4 backward)' };

/** The profile of `impl` on `acc`: the device's own, else its other implementation (FlashAttention-1: FlashAttention-2's / 1.9), else generic. */
export function attentionProfile(acc: AcceleratorSpec, impl: AttentionImpl): AttentionProfile {
  const row = TABLE.get(acc.name);
  const own = row?.[impl];
  if (own) return own;
  if (impl === 'flash1') {
    const base = row?.flash2 ?? row?.fused ?? GENERIC;
    return fa1(base.forward, base.backward, base.source);
  }
  return row?.fused ?? row?.flash2 ?? GENERIC;
}

/** The implementation Megatron-Core/Transformer Engine picks by default: fused where there is one (Hopper, Blackwell), else FlashAttention-2. */
export function defaultAttention(acc: AcceleratorSpec): AttentionImpl {
  return TABLE.get(acc.name)?.fused ? 'fused' : 'flash2';
}

/** Efficiency of a causal attention pass with head dimension `d` over sequences of `s`. */
export function attentionEfficiency(acc: AcceleratorSpec, impl: AttentionImpl, phase: 'forward' | 'backward', d: number, s: number): number {
  const head = d >= 128 ? 1 : d <= 64 ? 0.85 : 0.85 + (0.15 * (d - 64)) / 64;
  const length = s / (s + S_HALF) / (8192 / (8192 + S_HALF));
  return attentionProfile(acc, impl)[phase] * head * Math.min(1, length) * sustainedRatio(acc);
}

/** The causal sequence length whose kernel costs what a band of `window` keys in sequences of `s` does (0: no window, s). */
export function windowSequence(s: number, window: number): number {
  return window > 0 ? Math.min(s, 2 * window + ATTENTION_BLOCK) : s;
}

/** FLOPs a causal flash-attention forward executes for `tokens` tokens in sequences of `s`, `heads` query heads of dimension `d`. */
export function causalAttentionFlops(tokens: number, s: number, heads: number, d: number): number {
  const full = 4 * tokens * s * heads * d;
  return Math.min(full, (full / 2) * (1 + ATTENTION_BLOCK / s));
}
