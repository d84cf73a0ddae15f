// One serving step's cost: KV bytes per token, a decode step as the bytes it reads, a prefill
// as the FLOPs it does, each summed over layers (derivations in the tests).
import { describe, expect, it } from 'vitest';
import { GEMM_STREAMING, dtypePeak, gemmEfficiency, gemmSeconds } from '../../../src/hardware/gemm-efficiency.js';
import { attentionEfficiency } from '../../../src/hardware/attention-efficiency.js';
import { ACCELERATOR_SPECS } from '../../../src/hardware/index.js';
import { KERNEL_BOUNDARY_SEC } from '../../../src/hardware/kernel-boundary.js';
import { busiestRankVisits } from '../../../src/workload/serving/expert-load.js';
import { MODELS } from '../../../src/workload/generators/models.js';
import { kvBytesPerToken, parameterCount, stepCost, weightBytesPerRank } from '../../../src/workload/serving/forward-cost.js';
import type { InstanceShape } from '../../../src/workload/serving/instance-shape.js';
import { kernelsPerStep } from '../../../src/workload/serving/layer-cost.js';
import { kvCapacity } from '../../../src/workload/serving/kv-capacity.js';

const h100 = ACCELERATOR_SPECS.get('h100-sxm')!;
const llama8b = MODELS.get('llama3-8b')!;
const one: InstanceShape = { model: llama8b, accelerator: h100, tp: 1, weights: 'bf16', kvCache: 'bf16', attention: 'fused', allReduceSec: () => 0 };

describe('KV bytes per token', () => {
  it('2 · layers · kv heads · head dim · bytes: Llama 3 70B is 2·80·8·128·2 = 327,680 B in BF16; on TP8 in FP8 a rank holds one KV head: 2·80·1·128·1 = 20,480 B', () => {
    const m = MODELS.get('llama3-70b')!;
    expect(kvBytesPerToken({ model: m, tp: 1, kvCache: 'bf16' })).toBe(327_680);
    expect(kvBytesPerToken({ model: m, tp: 8, kvCache: 'fp8' })).toBe(20_480);
    // 16 ranks of a model with 8 KV heads replicate them: still one head a rank
    expect(kvBytesPerToken({ model: m, tp: 16, kvCache: 'fp8' })).toBe(20_480);
  });
});

describe('stepCost', () => {
  it('a decode step of Llama 3 8B at batch 8 on one H100 reads its weights and KV cache: Σ bytes / (HBM × 0.9) within 1%, plus 324 kernel boundaries', () => {
    // Per layer: weights 4096·(4096 + 2·1024)·2 (QKV) + 4096·4096·2 (O) + 3·4096·14336·2 (FFN) B;
    // KV read: 8 sequences × 1,025 tokens × 2·8·128·2 B. The LM head reads 128,256·4096·2 B.
    // FLOPs are 2 a weight per token, 16 per 2 weight bytes: far under the H100's ridge (~300).
    // Kernels: 32 layers × 10, the embedding gather, final norm, LM head and sampling: 324 × 3.44 µs.
    const b = 8, ctx = 1024;
    const layerWeights = (4096 * (4096 + 2 * 1024) + 4096 * 4096 + 3 * 4096 * 14336) * 2;
    const kvRead = b * (ctx + 1) * 2 * 8 * 128 * 2;
    const head = 128_256 * 4096 * 2;
    const streaming = (32 * (layerWeights + kvRead) + head) / (h100.memoryBytesPerSec * GEMM_STREAMING);
    expect(streaming * 1e3).toBeCloseTo(5.33, 2); // 16.1 GB (13.96 weights, 1.07 KV, 1.05 head) at 3.015 TB/s
    expect(kernelsPerStep(llama8b, true)).toBe(324);
    const got = stepCost(one, { sequences: b, tokens: b, sampled: b, attentionPairs: b * (ctx + 1), kvTokensRead: b * (ctx + 1) });
    expect(got.boundarySec).toBeCloseTo(324 * KERNEL_BOUNDARY_SEC, 12);
    const expected = streaming + 324 * KERNEL_BOUNDARY_SEC;
    expect(got.seconds / expected).toBeGreaterThan(1);
    expect(got.seconds / expected).toBeLessThan(1.01);
    expect(expected * 1e3).toBeCloseTo(6.45, 2);
  });

  it('the same decode step with weight-only 4-bit weights (w4a16) reads 0.53125 B a layer weight (the LM head stays 16-bit): within 2% of Σ bytes / (HBM × 0.9) plus the boundaries (the activations\' and norms\' bytes, a larger share of the smaller step)', () => {
    const b = 8, ctx = 1024;
    const layerWeights = (4096 * (4096 + 2 * 1024) + 4096 * 4096 + 3 * 4096 * 14336) * 0.53125;
    const kvRead = b * (ctx + 1) * 2 * 8 * 128 * 2;
    const head = 128_256 * 4096 * 2;
    const expected = (32 * (layerWeights + kvRead) + head) / (h100.memoryBytesPerSec * GEMM_STREAMING) + 324 * KERNEL_BOUNDARY_SEC;
    const got = stepCost({ ...one, weights: 'w4a16' }, { sequences: b, tokens: b, sampled: b, attentionPairs: b * (ctx + 1), kvTokensRead: b * (ctx + 1) });
    expect(got.seconds / expected).toBeGreaterThan(1);
    expect(got.seconds / expected).toBeLessThan(1.02);
    // 5.8 GB (3.71 of layer weights instead of 13.96, 1.07 KV, 1.05 head) at 3.015 TB/s and the 1.11 ms of boundaries: 3.05 ms in place of 6.45
    expect(expected * 1e3).toBeCloseTo(3.05, 2);
  });

  it("Llama-3.2-1B decoding one sequence on an H100 takes SGLang's measured 1.42 ms (Hazy Research 2025: 1.5 × a megakernel at 78% of HBM), the source of the kernel boundary", () => {
    // 2.47 GB of weights (16 layers × 60.8 M + the 128,256 × 2048 LM head, BF16): 0.853 ms as
    // fairway costs its GEMMs; 164 kernels × 3.44 µs = 0.564 ms; the 100-token KV cache adds 3 MB.
    // SGLang: 1.5 · 2.47 GB / (0.78 · 3.35 TB/s) = 1.418 ms.
    const m = MODELS.get('llama3.2-1b')!;
    expect(kernelsPerStep(m, true)).toBe(164);
    const got = stepCost({ ...one, model: m }, { sequences: 1, tokens: 1, sampled: 1, attentionPairs: 100, kvTokensRead: 100 });
    const sglang = (1.5 * 2.47e9) / (0.78 * h100.memoryBytesPerSec);
    expect(got.seconds / sglang).toBeGreaterThan(0.99);
    expect(got.seconds / sglang).toBeLessThan(1.01);
  });

  it('a prefill of 4,096 tokens: its GEMM FLOPs at their shape efficiency, causal attention at flash efficiency, and the memory-bound kernels\' bytes, within 1%', () => {
    // GEMMs per layer [4096 × N × K]: QKV N 6144, O N 4096, gated FFN up N 28672 (K 4096) and down K 14336;
    // attention: n(n+1)/2 query-key pairs · 32 heads · 128 · 4 FLOPs;
    // memory-bound, with a = n·4096·2 B: two norms 2·2a, two residual adds 2·3a, rotary on Q and K
    // 2·n·(32+8)·128·2, SwiGLU 3·n·14336·2, the KV write n·2·8·128·2; the head samples one row.
    const n = 4096;
    const gemm = (m: number, N: number, K: number) => (2 * m * N * K) / (gemmEfficiency(h100, m, N, K, 'bf16') * dtypePeak(h100, 'bf16'));
    const layer = gemm(n, 6144, 4096) + gemm(n, 4096, 4096) + gemm(n, 28672, 4096) + gemm(n, 4096, 14336);
    const pairs = (n * (n + 1)) / 2;
    const attn = (4 * pairs * 32 * 128) / (dtypePeak(h100, 'bf16') * attentionEfficiency(h100, 'fused', 'forward', 128, n));
    const a = n * 4096 * 2;
    const bytes = 4 * a + 6 * a + 2 * n * 40 * 128 * 2 + 3 * n * 14336 * 2 + n * 2 * 8 * 128 * 2;
    const expected = 32 * (layer + attn + bytes / (h100.memoryBytesPerSec * GEMM_STREAMING)) + 324 * KERNEL_BOUNDARY_SEC;
    const got = stepCost(one, { sequences: 1, tokens: n, sampled: 1, attentionPairs: pairs, kvTokensRead: n });
    expect(got.seconds / expected).toBeGreaterThan(1);
    expect(got.seconds / expected).toBeLessThan(1.01); // the rest: the embedding gather and the head's one row
    // compute-bound: the GEMMs are 83% of the step at ~0.7 of peak
    expect(got.gemmSec / got.seconds).toBeGreaterThan(0.8);
  });

  it('tensor parallelism divides the weights read and adds two all-reduces a layer', () => {
    const m = MODELS.get('llama3-70b')!;
    const shape = (tp: number, ar: number): InstanceShape => ({ model: m, accelerator: h100, tp, weights: 'bf16', kvCache: 'bf16', attention: 'fused', allReduceSec: () => ar });
    const b = { sequences: 1, tokens: 1, sampled: 1, attentionPairs: 1, kvTokensRead: 1 };
    const [t1, t8] = [stepCost(shape(1, 0), b), stepCost(shape(8, 10e-6), b)];
    expect(t8.commSec).toBeCloseTo(80 * 2 * 10e-6, 12);
    expect(t8.gemmSec / t1.gemmSec).toBeCloseTo(1 / 8, 1);
    expect(parameterCount(m) / 1e9).toBeCloseTo(70.6, 1);
  });
});

describe('stepCost: MoE', () => {
  const mixtral = MODELS.get('mixtral-8x7b')!;
  const moe: InstanceShape = { ...one, model: mixtral, weights: 'fp8', kvCache: 'fp8' };
  // per layer: attention weights 4096·(4096 + 2·1024) + 4096·4096 B in FP8; one expert 3·4096·14336 B;
  // the router 4096·8·2 B; a decode batch of b reads the experts its 2b visits reach: 8·(1 − (7/8)^(2b))
  const attn = 4096 * (4096 + 2 * 1024) + 4096 * 4096;
  const expert = 3 * 4096 * 14336;
  const head = 2 * 32_000 * 4096; // the LM head stays 16-bit
  const decode = (b: number) => stepCost(moe, { sequences: b, tokens: b, sampled: b, attentionPairs: b * 101, kvTokensRead: b * 101 }).seconds;
  // memory-bound, a = b·4096·2 B: norms 4a, residuals 6a, rotary 2·b·40·128·2, SwiGLU 3·2b·14336·2, KV write b·2·8·128, and the permutation to the experts and back 2·(1 + 2)·a
  const memory = (b: number) => 10 * b * 8192 + 2 * b * 40 * 256 + 3 * 2 * b * 14336 * 2 + b * 2048 + 6 * b * 8192;
  const bytesOf = (b: number) => 32 * (attn + 8 * (1 - Math.pow(7 / 8, 2 * b)) * expert + 4096 * 8 * 2 + b * 101 * 2 * 8 * 128 + memory(b)) + head;
  // kernels: 32 MoE layers × 14, the embedding gather, final norm, LM head and sampling
  const boundaries = (32 * 14 + 4) * KERNEL_BOUNDARY_SEC;
  it('a decode step reads the experts its tokens reach: 1.875 of 8 at batch 1 (within 1%), all 8 at batch 64; 452 kernel boundaries', () => {
    const hbm = h100.memoryBytesPerSec * GEMM_STREAMING;
    expect(kernelsPerStep(mixtral, true)).toBe(452);
    expect(decode(1) / (bytesOf(1) / hbm + boundaries)).toBeGreaterThan(1);
    expect(decode(1) / (bytesOf(1) / hbm + boundaries)).toBeLessThan(1.01);
    // at 64 rows the QKV and output projections are 24 and 16 tiles on 132 SMs: their partial
    // wave makes them compute-bound (17.3 and 17.3 µs against 8.7 and 5.8 µs of bytes), +20 µs a
    // layer; the router's 64 × 8 × 4096 GEMM likewise (1.6 µs against 0.2)
    const overBytes = (m: number, n: number, k: number, dt: 'fp8' | 'bf16') => gemmSeconds(h100, m, n, k, dt) - ((m * k + k * n) * (dt === 'fp8' ? 1 : 2) + m * n * 2) / hbm;
    const projections = 32 * (overBytes(64, 6144, 4096, 'fp8') + overBytes(64, 4096, 4096, 'fp8') + overBytes(64, 8, 4096, 'bf16'));
    expect(decode(64) / (bytesOf(64) / hbm + projections + boundaries)).toBeGreaterThan(1);
    expect(decode(64) / (bytesOf(64) / hbm + projections + boundaries)).toBeLessThan(1.01);
  });
});

describe('stepCost: MoE with expert parallelism', () => {
  it("Qwen3-30B-A3B on TP4 at 64 decode tokens: the expert GEMMs run whole experts over the busiest rank's visits (32 local experts), everything else as under tensor-parallel experts", () => {
    const qwen = MODELS.get('qwen3-30b-a3b')!;
    const tp: InstanceShape = { ...one, model: qwen, tp: 4, weights: 'fp8', kvCache: 'fp8', allReduceSec: () => 10e-6 };
    const ep: InstanceShape = { ...tp, expertParallel: true };
    const b = { sequences: 64, tokens: 64, sampled: 64, attentionPairs: 64 * 513, kvTokensRead: 64 * 513 };
    const [t, e] = [stepCost(tp, b), stepCost(ep, b)];
    // the same attention, communication, head and kernels
    expect([e.attentionSec, e.commSec, e.headSec, e.boundarySec]).toEqual([t.attentionSec, t.commSec, t.headSec, t.boundarySec]);
    // experts: 512 visits over 128 experts; rank 0's 32 local experts are all reached (32 · (1 − (127/128)^512) = 31.4);
    // the busiest rank gets 128 + E[max of 4] · √(512 · 1/4 · 3/4) = 128 + 1.0294 · 9.80 = 138.1 visits
    const visits = busiestRankVisits(512, 4);
    expect(visits).toBeCloseTo(138.1, 1);
    const groups = 32 * (1 - Math.pow(127 / 128, 512));
    const rows = visits / groups;
    const tpExperts = 128 * (1 - Math.pow(127 / 128, 512));
    const tpRows = 512 / tpExperts;
    // per layer, each side's expert GEMMs: up (gate and up, 2 · 768 wide) and down; TP slices them to 1/4 of 768
    const epGemm = gemmSeconds(h100, rows, 1536, 2048, 'fp8', groups) + gemmSeconds(h100, rows, 2048, 768, 'fp8', groups);
    const tpGemm = gemmSeconds(h100, tpRows, 384, 2048, 'fp8', tpExperts) + gemmSeconds(h100, tpRows, 2048, 192, 'fp8', tpExperts);
    expect(e.gemmSec - t.gemmSec).toBeCloseTo(48 * (epGemm - tpGemm), 12);
    // memory-bound: the busiest rank's 138.1 visits through whole experts (SwiGLU 3 · visits · 768 · 2 B) and the permutation
    // 2 · (64 + visits) · 2048 · 2 B, against 3 · 512 · 768 · 2 / 4 and 2 · (1 + 8) · 64 · 2048 · 2 B
    const hbm = h100.memoryBytesPerSec * GEMM_STREAMING;
    const extra = 3 * visits * 768 * 2 + 2 * (64 + visits) * 2048 * 2 - (3 * 512 * 768 * 2) / 4 - 2 * 9 * 64 * 2048 * 2;
    expect(e.memorySec - t.memorySec).toBeCloseTo((48 * extra) / hbm, 12);
  });
});

describe('stepCost: MoE with data-parallel attention', () => {
  const qwen = MODELS.get('qwen3-30b-a3b')!;
  const ep: InstanceShape = { ...one, model: qwen, tp: 8, weights: 'fp8', kvCache: 'fp8', expertParallel: true, allReduceSec: () => 10e-6 };
  // an all-to-all at 100 GB/s a rank, no latency: easy to derive
  const dp: InstanceShape = { ...ep, dataParallelAttention: true, allToAllSec: (bytes) => bytes / 1e11 };

  it("each rank caches its own sequences whole: 2 · 48 layers · 4 KV heads · 128 · 1 B = 48 KiB a token, and holds the whole attention weights", () => {
    expect(kvBytesPerToken(dp)).toBe(2 * 48 * 4 * 128);
    // under tensor-parallel attention 8 ranks replicate the 4 KV heads: one each, 12 KiB a token on every rank
    expect(kvBytesPerToken(ep)).toBe(2 * 48 * 1 * 128);
    // attention a layer: 2048 · (32 + 2 · 4) · 128 + 32 · 128 · 2048 parameters, 7/8 more of them on each rank
    const attention = 48 * (2048 * 40 * 128 + 32 * 128 * 2048);
    expect(weightBytesPerRank(dp) - weightBytesPerRank(ep)).toBeCloseTo(attention * (7 / 8), 0);
    // the instance holds 8 ranks' blocks of its own
    const o = { memoryUtilization: 0.9, blockSize: 16, tokenBudget: 8192, maxSequences: 256 };
    const perRank = Math.floor(kvCapacity({ ...dp, tp: 8 }, o).kvBytes / (16 * kvBytesPerToken(dp)));
    expect(kvCapacity(dp, o).blocks).toBe(8 * perRank);
  });

  it('64 decode tokens: a rank runs attention and the router on its 8, the experts on the busiest share of all 512 visits, and two all-to-alls of 8 · 8 · 2048 · 2 B a layer', () => {
    const b = { sequences: 64, tokens: 64, sampled: 64, attentionPairs: 64 * 513, kvTokensRead: 64 * 513 };
    const c = stepCost(dp, b);
    expect(c.commSec).toBeCloseTo((48 * 2 * (8 * 8 * 2048 * 2)) / 1e11, 15);
    const visits = busiestRankVisits(512, 8);
    const groups = 16 * (1 - Math.pow(127 / 128, 512));
    const attn = gemmSeconds(h100, 8, 40 * 128, 2048, 'fp8') + gemmSeconds(h100, 8, 2048, 32 * 128, 'fp8') + gemmSeconds(h100, 8, 128, 2048, 'bf16');
    const experts = gemmSeconds(h100, visits / groups, 1536, 2048, 'fp8', groups) + gemmSeconds(h100, visits / groups, 2048, 768, 'fp8', groups);
    expect(c.gemmSec).toBeCloseTo(48 * (attn + experts), 12);
    // the LM head over its 8 sampled rows and the whole vocabulary
    expect(c.headSec).toBeCloseTo(gemmSeconds(h100, 8, 151_936, 2048, 'bf16') + (8 * 151_936 * 4 * 2) / (h100.memoryBytesPerSec * GEMM_STREAMING), 15);
  });
});

describe('NVFP4 weights', () => {
  const b200 = ACCELERATOR_SPECS.get('b200')!;
  it('hold 0.5625 B a weight (half a byte and an FP8 scale per 16) in the layers; the embedding and LM head stay 16-bit', () => {
    const m = MODELS.get('llama3-70b')!;
    const vocab = 2 * m.vocab * m.hidden;
    const fp4 = weightBytesPerRank({ model: m, tp: 1, weights: 'fp4' });
    expect(fp4).toBeCloseTo((parameterCount(m) - vocab) * 0.5625 + vocab * 2, 0);
  });

  it('a decode step of Llama 3 70B on one B200 at batch 8 reads the FP4 layers: its GEMMs take 0.5625 / 1 of the FP8 ones', () => {
    const shape: InstanceShape = { model: MODELS.get('llama3-70b')!, accelerator: b200, tp: 1, weights: 'fp8', kvCache: 'fp8', attention: 'fused', allReduceSec: () => 0 };
    const b = { sequences: 8, tokens: 8, sampled: 8, attentionPairs: 8 * 1025, kvTokensRead: 8 * 1025 };
    const ratio = stepCost({ ...shape, weights: 'fp4' }, b).gemmSec / stepCost(shape, b).gemmSec;
    // memory-bound at M = 8: weights dominate the bytes (the router-free dense layers), so close to 0.5625
    expect(ratio).toBeGreaterThan(0.56);
    expect(ratio).toBeLessThan(0.58);
  });
});

