// A transformer layer as the kernels Megatron-Core/Transformer Engine launch
// (src/workload/generators/layer-kernels.ts): the kernel list, its FLOPs and bytes against
// closed forms, FP8 and unfused attention, context parallelism, and the model-size trend.
import { describe, expect, test } from 'vitest';
import { gemmSeconds, multiStreamGemmSeconds } from '../../../src/hardware/gemm-efficiency.js';
import { ACCELERATOR_SPECS } from '../../../src/hardware/index.js';
import { KERNEL_BOUNDARY_SEC } from '../../../src/hardware/kernel-boundary.js';
import { FP8_QUANTIZE_BYTES, headKernels, layerKernels, passCost, permuteBytes, type Kernel, type KernelPlan } from '../../../src/workload/generators/layer-kernels.js';
import { MODELS } from '../../../src/workload/generators/models.js';
import { DEFAULT_PLAN, trainingWorkload } from '../../../src/workload/generators/transformer.js';

const h100 = ACCELERATOR_SPECS.get('h100-sxm')!;
const llama8b = MODELS.get('llama3-8b')!;
const plan: KernelPlan = { seq: 8192, microBatch: 1, tp: 1, cp: 1, sequenceParallel: false, precision: 'bf16', attention: 'fused', flashAttention: true, ep: 1, etp: 0, moeImbalance: 1, dispatcher: 'alltoall' };
const byName = (ks: Kernel[]): Record<string, Kernel> => Object.fromEntries(ks.map((k) => [k.name, k]));

describe('layer kernels', () => {
  test('Llama 3 8B forward: QKV, proj, FC1, FC2 GEMMs, flash attention and the memory-bound kernels', () => {
    const ks = byName(layerKernels(llama8b, plan, h100, 'forward'));
    expect(Object.keys(ks)).toEqual(['qkv', 'proj', 'fc1', 'fc2', 'attention', 'norms', 'residuals', 'activation', 'rotary']);
    // t = 8192 tokens, h = 4096, 32 heads and 8 KV heads of 128, SwiGLU f = 14336
    const t = 8192;
    expect(ks.qkv.flops).toBe(2 * t * (4096 + 2 * 1024) * 4096);
    expect(ks.proj.flops).toBe(2 * t * 4096 * 4096);
    expect(ks.fc1.flops).toBe(2 * t * 2 * 14336 * 4096);
    expect(ks.fc2.flops).toBe(2 * t * 4096 * 14336);
    // causal flash attention: 2·t·s·h·(1 + 128/s)
    expect(ks.attention.flops).toBeCloseTo(2 * t * 8192 * 4096 * (1 + 128 / 8192), -3);
    // memory-bound: two norms read and write t·h, two residual adds read two and write one, SwiGLU reads 2f writes f, rotary reads and writes q and k
    expect(ks.norms.bytes).toBe(2 * 2 * t * 4096 * 2);
    expect(ks.residuals.bytes).toBe(2 * t * 4096 * 6);
    expect(ks.activation.bytes).toBe(3 * t * 14336 * 2);
    expect(ks.rotary.bytes).toBe(2 * t * (4096 + 1024) * 2);
  });

  test('sliding windows: the attention kernel is the mean over the layers of the band and full causal attention', () => {
    // GPT-OSS 120B: 18 of 36 layers see the 128 keys before each query. 4096 tokens, 64 heads of 64:
    // full causal 2·t·s·64·64·(1 + 128/s) = t·64·64·4·2112, the band t·64·64·4·256 (causal over 384)
    const oss = MODELS.get('gpt-oss-120b')!;
    const p = { ...plan, seq: 4096 };
    const t = 4096;
    const att = byName(layerKernels(oss, p, h100, 'forward')).attention;
    expect(att.flops).toBeCloseTo(0.5 * (4 * t * 64 * 64 * 2112) + 0.5 * (4 * t * 64 * 64 * 256), -3);
    // the same model without windows prices every layer's attention as full
    const full = byName(layerKernels({ ...oss, window: undefined, windowLayers: undefined }, p, h100, 'forward')).attention;
    expect(full.flops).toBeCloseTo(4 * t * 64 * 64 * 2112, -3);
    // time: the band takes 0.2514 of full attention's (attention-efficiency.test.ts), half the layers
    expect(att.seconds / full.seconds).toBeCloseTo((1 + 0.2514) / 2, 4);
  });

  test('backward: each GEMM becomes dgrad and wgrad of the same FLOPs, attention 2.5×, memory-bound bytes 2×', () => {
    const f = passCost(layerKernels(llama8b, plan, h100, 'forward'));
    const ks = layerKernels(llama8b, plan, h100, 'backward');
    const fk = byName(layerKernels(llama8b, plan, h100, 'forward'));
    const b = byName(ks);
    expect(b['qkv.dgrad'].flops).toBe(fk.qkv.flops);
    expect(b['qkv.wgrad'].flops).toBe(fk.qkv.flops);
    expect(b.attention.flops).toBeCloseTo(2.5 * fk.attention.flops, 0);
    expect(passCost(ks).memoryBytes).toBe(2 * f.memoryBytes);
  });

  test('tensor parallelism splits the GEMMs and attention by tp; sequence parallelism the norms and residuals', () => {
    const one = byName(layerKernels(llama8b, plan, h100, 'forward'));
    const tp4 = byName(layerKernels(llama8b, { ...plan, tp: 4, sequenceParallel: true }, h100, 'forward'));
    for (const k of ['qkv', 'proj', 'fc1', 'fc2', 'attention', 'activation', 'rotary']) expect(tp4[k].flops * 4 + tp4[k].bytes * 4).toBeCloseTo(one[k].flops + one[k].bytes, -3);
    expect(tp4.norms.bytes * 4).toBe(one.norms.bytes);
  });

  test('FP8: the GEMMs at the FP8 rate and the quantization kernels: the projection and FC2 inputs forward, every output gradient backward, 4 bytes an element', () => {
    const fp8 = { ...plan, precision: 'fp8' as const };
    const t = 8192;
    // Llama 3 8B (h 4096, 32 heads of 128, 8 KV heads, FFN 14336): QKV's input comes from the
    // norm in FP8; the projection's (t × 4096) and FC2's (t × 14336) are quantized, each element
    // read in BF16 and written row-wise and column-wise in FP8: 2 + 1 + 1 bytes
    expect(FP8_QUANTIZE_BYTES).toBe(4);
    expect(byName(layerKernels(llama8b, fp8, h100, 'forward'))['fp8-casts'].bytes).toBe(4 * t * (4096 + 14336));
    // backward: the output gradients of QKV (4096 + 2·1024), proj (4096), FC1 (2·14336), FC2 (4096)
    const gradCasts = 4 * t * (4096 + 2048 + 4096 + 2 * 14336 + 4096);
    expect(byName(layerKernels(llama8b, fp8, h100, 'backward'))['fp8-casts'].bytes).toBe(gradCasts);
    const b = passCost(layerKernels(llama8b, plan, h100, 'forward'));
    const f = passCost(layerKernels(llama8b, fp8, h100, 'forward'));
    expect(f.mathFlops).toBe(b.mathFlops);
    expect(f.mathSeconds).toBeLessThan(0.8 * b.mathSeconds);
  });

  test('unfused attention: two batched GEMMs over the whole s × s and a softmax over the stored scores', () => {
    // GPT-3 175B at tp 8, s 2048: 12 local heads of 128, scores 12 · 2048² per micro-batch
    const gpt3 = MODELS.get('gpt3-175b')!;
    const p: KernelPlan = { ...plan, seq: 2048, tp: 8, flashAttention: false };
    const ks = byName(layerKernels(gpt3, p, h100, 'forward'));
    const scores = 12 * 2048 * 2048;
    expect(ks.scores.flops).toBe(2 * scores * 128);
    expect(ks.context.flops).toBe(2 * scores * 128);
    // softmax reads and writes the scores (2 · 2 bytes) and dropout on the probabilities adds 2 · 2 + 1
    expect(ks.softmax.bytes).toBe(scores * (4 + 5));
    // backward: per head dQ = dS·K, dK = dSᵀ·Q (each [s × d × s]), dP = dC·Vᵀ [s × s × d], dV = Pᵀ·dC
    // [s × d × s], batched over the 12 heads as one GEMM of 12 · 2048 rows; no operand is a weight
    // shared by every row, so none reduces over all 24,576 rows (a 128 × 2048 output would fill
    // 8 tiles of 132 SMs)
    const rows = 12 * 2048;
    const bw = byName(layerKernels(gpt3, p, h100, 'backward'));
    expect(['scores.dq', 'scores.dk', 'context.dp', 'context.dv'].map((n) => bw[n].flops)).toEqual([1, 2, 3, 4].map(() => 2 * scores * 128));
    expect(bw['scores.dk'].seconds).toBe(gemmSeconds(h100, rows, 128, 2048, 'bf16'));
    expect(bw['context.dp'].seconds).toBe(gemmSeconds(h100, rows, 2048, 128, 'bf16'));
    expect(bw['scores.dk'].seconds).toBe(ks.context.seconds);
  });

  test('the output layer: the LM head GEMM in BF16 and cross-entropy over the logits in FP32', () => {
    const ks = byName(headKernels(llama8b, plan, h100, 'forward'));
    expect(ks['lm-head'].flops).toBe(2 * 8192 * 128256 * 4096);
    expect(ks['cross-entropy'].bytes).toBe(8192 * 128256 * 10);
  });

  test('the model-size trend: larger hidden sizes reach more FLOP/s per GPU (GEMM depth and the memory-bound share)', () => {
    // GPT-1.3B (h 2048) against GPT-3 175B (h 12288), one micro-batch of 2048 on an H100 at tp 1:
    // FLOP/s = math FLOPs / (math + memory-bound seconds). The small model's K = 2048 loops pay
    // 128/2176 = 5.9% fill against 1.0% at 12288, and its memory-bound kernels (∝ h) weigh more
    // against its GEMMs (∝ h²).
    const rate = (name: string) => {
      const c = passCost([...layerKernels(MODELS.get(name)!, { ...plan, seq: 2048 }, h100, 'forward'), ...layerKernels(MODELS.get(name)!, { ...plan, seq: 2048 }, h100, 'backward')]);
      return c.mathFlops / (c.mathSeconds + c.memorySeconds);
    };
    const small = rate('gpt-1.3b');
    const large = rate('gpt3-175b');
    expect(large).toBeGreaterThan(1.08 * small);
    expect(large).toBeLessThan(h100.flopsPerSec);
  });

  test('context parallelism: each of cp ranks computes s/cp tokens and gathers the layers\' keys and values', () => {
    // Llama 3 8B, cp 2, s 8192, one micro-batch: per layer K and V are 2 · 8192 · 8 · 128 · 2 bytes
    // for the whole sequence (all-gather size); forward once, backward twice (gather + gradients)
    const doc = trainingWorkload(llama8b, { ...DEFAULT_PLAN, seq: 8192, cp: 2, dp: 1, globalBatch: 1 }, h100, false);
    const ops = doc.ops as { id: string; op?: string; bytes?: number; group?: { size: number; stride?: number }; stream?: string }[];
    const kv = 32 * 2 * 8192 * 8 * 128 * 2;
    const f = ops.find((o) => o.id === 's0.f0.kv')!;
    expect([f.op, f.bytes, f.group, f.stream]).toEqual(['all_gather', kv, { size: 2, stride: 1 }, 'cp']);
    expect(ops.find((o) => o.id === 's0.b0.kv')!.bytes).toBe(2 * kv);
    expect(doc.ranks).toBe(2);
    // each rank's forward math is that of 4096 tokens
    const half = passCost(layerKernels(llama8b, { ...plan, cp: 2 }, h100, 'forward'));
    expect(half.mathFlops).toBeLessThan(0.6 * passCost(layerKernels(llama8b, plan, h100, 'forward')).mathFlops);
  });

  test('MoE: the experts as a grouped GEMM per rank (Transformer Engine: one kernel per expert, 4 streams), each expert t·k/(experts/ep) rows; a stated imbalance scales the busiest rank', () => {
    // Qwen3-30B-A3B (h 2048, 128 experts of FFN 768, top-8) on ep 8: each rank holds 16 experts;
    // one micro-batch of 4096 tokens sends 4096·8 token copies, so each local expert gets 2048 rows
    const qwen = MODELS.get('qwen3-30b-a3b')!;
    const p: KernelPlan = { ...plan, seq: 4096, ep: 8 };
    const ks = byName(layerKernels(qwen, p, h100, 'forward'));
    expect(ks.fc1.flops).toBe(2 * 16 * 2048 * (2 * 768) * 2048);
    expect(ks.fc2.flops).toBe(2 * 16 * 2048 * 2048 * 768);
    expect(ks.router.flops).toBe(2 * 4096 * 128 * 2048);
    // 16 experts on 4 streams: 4 rounds of 4 concurrent GEMMs, 3 kernel boundaries on each stream
    expect(ks.fc1.seconds).toBeCloseTo(multiStreamGemmSeconds(h100, 2048, 2 * 768, 2048, 'bf16', 16, KERNEL_BOUNDARY_SEC), 15);
    expect(ks.fc1.seconds).toBeCloseTo(4 * gemmSeconds(h100, 2048, 2 * 768, 2048, 'bf16', 4) + 3 * KERNEL_BOUNDARY_SEC, 15);
    // the busiest rank with 1.5× the mean: its expert GEMMs, activation and permutation grow by 1.5
    const skew = byName(layerKernels(qwen, { ...p, moeImbalance: 1.5 }, h100, 'forward'));
    expect(skew.fc1.flops / ks.fc1.flops).toBe(1.5);
    // (the permutations' routed rows grow by 1.5, the rank's 4096 unpermuted tokens do not)
    expect(skew.permute.bytes / ks.permute.bytes).toBe((7 * 1.5 * 32768 + 4096) / (7 * 32768 + 4096));
    expect(skew.qkv.flops).toBe(ks.qkv.flops);
    // a grouped GEMM of few rows per expert pays for partial tiles: 200 rows an expert (400
    // tokens · 8 / 16) take two 128-row tiles, a fill of 200/256
    const few = byName(layerKernels(qwen, { ...p, seq: 400 }, h100, 'forward'));
    const many = byName(layerKernels(qwen, { ...p, seq: 8192 }, h100, 'forward'));
    expect(few.fc2.flops / few.fc2.seconds).toBeLessThan(0.8 * (many.fc2.flops / many.fc2.seconds));
  });

  test('MoE token permutations as each dispatcher moves them, as many bytes backward; FP8 quantizes the experts\' inputs', () => {
    // Qwen3-30B-A3B (h 2048, top-8, FFN 768) on ep 8, 4096 tokens: R = 4096·8 = 32768 routed rows.
    // alltoall: global permute R read + R written, local sort 2R, local unsort 2R, global
    //   unpermute R read + 4096 written: 7R + 4096 rows of 2048 BF16 values;
    // flex (DeepEP, HybridEP): the global permute inside the communication kernel: 2R + 2R.
    const qwen = MODELS.get('qwen3-30b-a3b')!;
    const p: KernelPlan = { ...plan, seq: 4096, ep: 8 };
    const R = 32768;
    const fwd = byName(layerKernels(qwen, p, h100, 'forward'));
    expect(fwd.permute.bytes).toBe((7 * R + 4096) * 2048 * 2);
    expect(byName(layerKernels(qwen, p, h100, 'backward')).permute.bytes).toBe(fwd.permute.bytes);
    expect(byName(layerKernels(qwen, { ...p, dispatcher: 'flex' }, h100, 'forward')).permute.bytes).toBe(4 * R * 2048 * 2);
    // one local expert: nothing to sort after the all-to-all (128 experts on ep 128)
    expect(permuteBytes('alltoall', R, 4096, 1)).toBe(3 * R + 4096);
    // FP8: the projection's input (4096 × 32·128), the experts' FC1 input (R × 2048) and FC2
    // input (R × 768), 4 bytes an element; backward every FP8 GEMM's output gradient, the 16
    // local experts' included: QKV 4096 × (4096 + 2·512), proj 4096 × 2048, FC1 16 × 2048 × 1536,
    // FC2 16 × 2048 × 2048 (the router's GEMM stays BF16)
    const fp8 = { ...p, precision: 'fp8' as const };
    expect(byName(layerKernels(qwen, fp8, h100, 'forward'))['fp8-casts'].bytes).toBe(4 * (4096 * 4096 + R * 2048 + R * 768));
    const grads = 4096 * (4096 + 1024) + 4096 * 2048 + 16 * 2048 * 1536 + 16 * 2048 * 2048;
    expect(byName(layerKernels(qwen, fp8, h100, 'backward'))['fp8-casts'].bytes).toBe(4 * grads);
  });

  test('MoE with tp 2: experts split over TP (etp = tp) or whole on each rank for its half of the tokens (etp = 1, parallel folding)', () => {
    // Qwen3-30B-A3B, 4096 tokens, tp 2 with sequence parallelism, ep 8 (16 local experts).
    // etp = tp: every TP rank runs all 4096·8 token copies (2048 rows an expert) on half the FFN:
    //   FC1 16 × [2048 × 2·768/2 × 2048]. etp = 1: each rank routes its 2048 tokens, 2048·8 copies
    //   over 16 experts = 1024 rows an expert, on the whole FFN: FC1 16 × [1024 × 2·768 × 2048] —
    //   the same FLOPs a rank, but one token in two sent through the all-to-alls and permuted.
    const qwen = MODELS.get('qwen3-30b-a3b')!;
    const p: KernelPlan = { ...plan, seq: 4096, tp: 2, sequenceParallel: true, ep: 8 };
    const split = byName(layerKernels(qwen, p, h100, 'forward'));
    const folded = byName(layerKernels(qwen, { ...p, etp: 1 }, h100, 'forward'));
    expect(split.fc1.flops).toBe(2 * 16 * 2048 * 768 * 2048);
    expect(folded.fc1.flops).toBe(2 * 16 * 1024 * (2 * 768) * 2048);
    expect(folded.permute.bytes).toBe(split.permute.bytes / 2);
    expect(folded.router.flops).toBe(2 * 2048 * 128 * 2048);
    // the attention side is TP-split either way
    expect(folded.qkv.flops).toBe(split.qkv.flops);
  });

  test("a pass's math op carries its kernels' seconds plus one kernel boundary (3.44 µs) per kernel launched", () => {
    // Llama 3 8B on one H100, one 8192-token micro-batch, pp 1: the forward pass is 32 layers of
    // 5 math and 9 memory-bound kernels, 448 boundaries; the output layer and embedding add
    // their kernels' seconds but no boundary. The math op runs flops / (peak · efficiency) =
    // the summed math seconds + 448 · 3.44 µs.
    const doc = trainingWorkload(llama8b, { ...DEFAULT_PLAN, seq: 8192, globalBatch: 1, attention: 'fused' }, h100, false);
    const f = (doc.ops as { id: string; flops?: number; efficiency?: number }[]).find((o) => o.id === 's0.f0')!;
    const kp: KernelPlan = { ...plan, sequenceParallel: true };
    const layer = passCost(layerKernels(llama8b, kp, h100, 'forward'));
    const head = passCost(headKernels(llama8b, kp, h100, 'forward'));
    const mathSec = 32 * layer.mathSeconds + head.mathSeconds;
    expect(f.flops).toBeCloseTo(32 * layer.mathFlops + head.mathFlops, -3);
    expect(f.flops! / (h100.flopsPerSec * f.efficiency!)).toBeCloseTo(mathSec + 448 * 3.44e-6, 6); // the efficiency is declared to 6 decimals
  });
});
