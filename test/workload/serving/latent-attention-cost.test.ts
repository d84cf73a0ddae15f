// Serving a DeepSeek-V3-style model: the latent KV cache, the absorbed decode and expanded
// prefill forms of latent attention, and the per-layer mix of dense and MoE layers with a shared
// expert (derivations in the tests).
import { describe, expect, it } from 'vitest';
import { attentionEfficiency } from '../../../src/hardware/attention-efficiency.js';
import { dtypePeak, GEMM_STREAMING, gemmSeconds } from '../../../src/hardware/gemm-efficiency.js';
import { ACCELERATOR_SPECS } from '../../../src/hardware/index.js';
import { denseView, MODELS } from '../../../src/workload/generators/models.js';
import { kvBytesPerToken, parameterCount, stepCost } from '../../../src/workload/serving/forward-cost.js';
import type { BatchSums, InstanceShape } from '../../../src/workload/serving/instance-shape.js';
import { kernelsPerStep, layerKinds } from '../../../src/workload/serving/layer-cost.js';
import { kvCapacity } from '../../../src/workload/serving/kv-capacity.js';
import { latentAttentionSeconds, latentCacheWidth, latentGemmSeconds, type LatentAttentionRank } from '../../../src/workload/serving/latent-attention-cost.js';

const h200 = ACCELERATOR_SPECS.get('h200')!;
const v3 = MODELS.get('deepseek-v3')!;
const mla = v3.mla!;
const shape: InstanceShape = { model: v3, accelerator: h200, tp: 8, weights: 'fp8', kvCache: 'fp8', attention: 'fused', allReduceSec: () => 0 };
const stream = h200.memoryBytesPerSec * GEMM_STREAMING;
const rank = (headsPerRank: number): LatentAttentionRank => ({ accelerator: h200, mla, headsPerRank, cacheBytes: 1, impl: 'fused', dt: 'fp8', streamBytesPerSec: stream });
const decode = (n: number, ctx: number): BatchSums => ({ sequences: n, tokens: n, sampled: n, attentionPairs: n * (ctx + 1), kvTokensRead: n * (ctx + 1), decodes: n, decodeKvTokens: n * (ctx + 1) });

describe('the latent KV cache', () => {
  it('one entry of r_kv + rope = 512 + 64 = 576 elements a token and layer: 61 · 576 = 35,136 B in FP8, on every tensor-parallel rank (all heads read it)', () => {
    expect(latentCacheWidth(mla)).toBe(576);
    expect(kvBytesPerToken({ model: v3, tp: 1, kvCache: 'fp8' })).toBe(35_136);
    expect(kvBytesPerToken({ model: v3, tp: 8, kvCache: 'fp8' })).toBe(35_136);
    expect(kvBytesPerToken({ model: v3, tp: 8, kvCache: 'bf16', dataParallelAttention: true })).toBe(70_272);
  });

  it('data-parallel attention: each rank caches its own sequences, so an instance of 8 holds 8 ranks of blocks; tensor-parallel attention, one rank\'s', () => {
    const o = { memoryUtilization: 0.9, blockSize: 16, tokenBudget: 8192, maxSequences: 256 };
    const tpOnly = kvCapacity(shape, o);
    const dp = kvCapacity({ ...shape, dataParallelAttention: true }, o);
    // the rank's own blocks: what its HBM leaves after weights and workspace, in 16 × 35,136 B blocks
    expect(tpOnly.blocks).toBe(Math.floor(tpOnly.kvBytes / (16 * 35_136)));
    // each DP rank holds the whole attention weights (61 · 187,105,280 params more, less the TP share), so fewer blocks a rank, but 8 ranks of them
    expect(dp.weightBytes - tpOnly.weightBytes).toBeCloseTo(61 * 187_105_280 * (1 - 1 / 8), -3);
    expect(dp.blocks).toBe(8 * Math.floor(dp.kvBytes / (16 * 35_136)));
  });
});

describe('DeepSeek-V3 parameters', () => {
  it('671.03 B: 58 MoE layers of 11,507,283,968 (attention 187,105,280; 257 experts of 3·7168·2048; router 7168·256; two norms), 3 dense layers of 583,481,344 (FFN 3·7168·18432), untied embedding and head 2·129,280·7168', () => {
    expect(layerKinds(v3).map(([view, n]) => [view.experts, n])).toEqual([[1, 3], [256, 58]]);
    const moe = 187_105_280 + 257 * 3 * 7168 * 2048 + 7168 * 256 + 2 * 7168;
    const dense = 187_105_280 + 3 * 7168 * 18432 + 2 * 7168;
    expect(moe).toBe(11_507_283_968);
    expect(parameterCount(v3)).toBe(58 * moe + 3 * dense + 2 * 129_280 * 7168);
    expect(parameterCount(v3) / 1e9).toBeCloseTo(671.03, 2); // the report's 671 B (its MTP module's 14 B aside)
  });
});

describe('latent attention in a step', () => {
  it('decode, absorbed: 2·(2·512 + 64) = 2176 FLOPs a pair and head over the latents; 64 sequences at 4 k on one rank of 16 heads are bound by the cache read (576 B a token)', () => {
    const pairs = 64 * 4097;
    const flops = 2 * pairs * 16 * (2 * 512 + 64);
    const bytes = pairs * 576;
    const computeSec = flops / (dtypePeak(h200, 'bf16') * attentionEfficiency(h200, 'fused', 'forward', 576, 4097));
    // 9.1e9 FLOPs at ~0.6 of 989 TFLOP/s: 15 µs; 151 MB at 4.3 TB/s: 35 µs
    expect(bytes / stream).toBeGreaterThan(computeSec);
    const w = { decodePairs: pairs, decodeKvTokens: pairs, prefillPairs: 0, prefillKvTokens: 0, prefillTokens: 0 };
    expect(latentAttentionSeconds(rank(16), w, 4097)).toBeCloseTo(bytes / stream, 12);
    // all 128 heads on one rank (data-parallel attention): 8× the FLOPs over the same bytes, now compute-bound
    const whole = latentAttentionSeconds(rank(128), w, 4097);
    expect(whole).toBeCloseTo((8 * flops) / (dtypePeak(h200, 'bf16') * attentionEfficiency(h200, 'fused', 'forward', 576, 4097)), 12);
  });

  it('prefill, expanded: the cached context up-projected (kv_up, [cached × 16·(128 + 128) × 512]), then flash attention at d_qk 192 and d_v 128: 2·(192 + 128) = 640 FLOPs a pair and head', () => {
    // a 2,048-token chunk after 2,048 cached tokens: pairs 2048 · (2048 + 2049/2)
    const pairs = 2048 * (2048 + 2049 / 2);
    const w = { decodePairs: 0, decodeKvTokens: 0, prefillPairs: pairs, prefillKvTokens: 4096, prefillTokens: 2048 };
    const kvUp = gemmSeconds(h200, 2048, 16 * 256, 512, 'fp8');
    const flops = 2 * pairs * 16 * 320;
    const attn = flops / (dtypePeak(h200, 'bf16') * attentionEfficiency(h200, 'fused', 'forward', 192, 4096));
    expect(latentAttentionSeconds(rank(16), w, 4096)).toBeCloseTo(kvUp + attn, 12);
    // the absorbed form would do 2176 / 640 = 3.4× the FLOPs: engines expand for prefill
    expect((2 * (2 * 512 + 64)) / (2 * (192 + 128))).toBeCloseTo(3.4, 2);
  });

  it('a step is its 3 dense layers (dense view) plus its 58 MoE layers: GEMM and attention seconds add up by kind', () => {
    const b = decode(64, 2048);
    const all = stepCost(shape, b);
    const dense = stepCost({ ...shape, model: { ...denseView(v3), layers: 3 } }, b);
    const moe = stepCost({ ...shape, model: { ...v3, denseLayers: 0, layers: 58 } }, b);
    expect(all.gemmSec).toBeCloseTo(dense.gemmSec + moe.gemmSec, 12);
    expect(all.attentionSec).toBeCloseTo(dense.attentionSec + moe.attentionSec, 12);
    // the shared expert: every token through one more 2048-wide expert, split over the 8 ranks
    const noShared = stepCost({ ...shape, model: { ...v3, denseLayers: 0, layers: 58, sharedExperts: 0 } }, b);
    const sharedSec = gemmSeconds(h200, 64, (2 * 2048) / 8, 7168, 'fp8') + gemmSeconds(h200, 64, 7168, 2048 / 8, 'fp8');
    expect(moe.gemmSec - noShared.gemmSec).toBeCloseTo(58 * sharedSec, 12);
  });

  it('kernels: a dense layer 10 + 6 for latent attention, an MoE layer 14 + 6 + 3 for the shared expert; a sampling step 3·16 + 58·23 + 1 + 3 = 1,386', () => {
    expect(kernelsPerStep(v3, true)).toBe(1386);
  });

  it('data-parallel attention with expert parallelism over 8 H200s: the dense layers send no all-to-all, the 58 MoE layers two each', () => {
    let calls = 0;
    const dp: InstanceShape = { ...shape, expertParallel: true, dataParallelAttention: true, allToAllSec: () => (calls++, 1e-4) };
    const c = stepCost(dp, decode(256, 1024));
    expect(calls).toBe(1); // one all-to-all size, priced once for the MoE kind
    expect(c.commSec).toBeCloseTo(58 * 2 * 1e-4, 12);
  });

  it('data-parallel attention without expert parallelism (SGLang\'s --enable-dp-attention alone): attention on the rank\'s whole-head share, the FFNs and two all-reduces a layer as tensor parallelism over the whole batch', () => {
    const allReduceSec = (bytes: number) => 5e-6 + bytes / 2e11;
    const b = decode(256, 1024);
    const tp = stepCost({ ...shape, allReduceSec }, b);
    const gathered = stepCost({ ...shape, allReduceSec, dataParallelAttention: true }, b);
    const dpEp = stepCost({ ...shape, allReduceSec, expertParallel: true, dataParallelAttention: true, allToAllSec: () => 0 }, b);
    expect(gathered.attentionSec).toBeCloseTo(dpEp.attentionSec, 12);
    expect(gathered.commSec).toBeCloseTo(tp.commSec, 12);
    expect(gathered.commSec).toBeCloseTo(61 * 2 * allReduceSec(256 * 7168 * 2), 12);
    // GEMMs: the FFNs as under tensor parallelism; attention's projections with all 128 heads on 256 / 8 = 32 tokens in place of 16 heads on 256
    const attnDelta = 61 * (latentGemmSeconds(h200, mla, 128, 7168, 1, 32, 'fp8') - latentGemmSeconds(h200, mla, 128, 7168, 8, 256, 'fp8'));
    expect(gathered.gemmSec - tp.gemmSec).toBeCloseTo(attnDelta, 12);
  });
});
