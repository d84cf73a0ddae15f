// The memory model of a training plan (src/workload/generators/memory-model.ts) against closed
// forms: Korthikanti et al.'s activations with and without sequence parallelism, fused
// attention, GQA, gated FFNs, FP8 and MoE; the refusal with its breakdown; the stage of a
// DeepSeek-V3 layout that needs the most.
import { describe, expect, test } from 'vitest';
import { ACCELERATOR_SPECS } from '../../../src/hardware/index.js';
import { memoryPerRank } from '../../../src/workload/generators/memory-model.js';
import { MODELS } from '../../../src/workload/generators/models.js';
import { DEFAULT_PLAN, trainingWorkload, type TrainingPlan } from '../../../src/workload/generators/transformer.js';

const gpt3 = MODELS.get('gpt3-175b')!;
const H100 = ACCELERATOR_SPECS.get('h100-sxm')!;

describe('memory per rank', () => {
  test('activation memory: Korthikanti et al. with and without sequence parallelism (attention scores stored)', () => {
    // GPT-3 (h = 12288, a = 96, 96 layers), s = 2048, b = 1, tp 8, pp 8 (12 layers a stage, 8
    // micro-batches in flight on the first), 16-bit, no fused attention. Per layer sbh = 2048 · 12288 and
    // 5as/h = 5 · 96 · 2048 / 12288 = 80: with SP sbh(34 + 80)/8 bytes, without sbh(10 + 24/8 + 80/8).
    const plan: TrainingPlan = { ...DEFAULT_PLAN, tp: 8, pp: 8, dp: 1, globalBatch: 64, flashAttention: false };
    const sbh = 2048 * 12288;
    const stageInFlight = 12 * 8;
    expect(memoryPerRank(gpt3, plan).parts.activations).toBeCloseTo(((sbh * 114) / 8) * stageInFlight, 0);
    expect(memoryPerRank(gpt3, { ...plan, sequenceParallel: false }).parts.activations).toBeCloseTo(sbh * (10 + 3 + 10) * stageInFlight, 0);
    // full recomputation keeps each layer's input: 2sbh, split over TP with SP
    expect(memoryPerRank(gpt3, { ...plan, recompute: true }).parts.activations).toBeCloseTo(((2 * sbh) / 8) * stageInFlight, 0);
    // … and whole on every TP rank without SP
    expect(memoryPerRank(gpt3, { ...plan, recompute: true, sequenceParallel: false }).parts.activations).toBeCloseTo(2 * sbh * stageInFlight, 0);
  });

  test('activation memory with fused attention, grouped-query attention and a gated FFN', () => {
    // fused attention (the default) never stores the scores: GPT-3 with SP keeps sbh·34/8 a layer
    const plan: TrainingPlan = { ...DEFAULT_PLAN, tp: 8, pp: 8, dp: 1, globalBatch: 64 };
    const sbh = 2048 * 12288;
    expect(memoryPerRank(gpt3, plan).parts.activations).toBeCloseTo(((sbh * 34) / 8) * 12 * 8, 0);
    // Llama 3 70B (h 8192, 64 heads, 8 KV heads: g = 1/8; SwiGLU f = 28672; no dropout, so no
    // masks: replicated 10 − 2 = 8), s 8192, tp 8, pp 4 (20 layers a stage, 4 micro-batches in
    // flight), no SP: per layer sbh(8 + (4 + 4g + 6f/h)/8) = sbh(8 + (4.5 + 21)/8)
    const llama = MODELS.get('llama3-70b')!;
    const p2: TrainingPlan = { ...DEFAULT_PLAN, seq: 8192, tp: 8, pp: 4, dp: 1, globalBatch: 16, sequenceParallel: false };
    const sbh2 = 8192 * 8192;
    expect(memoryPerRank(llama, p2).parts.activations).toBeCloseTo(sbh2 * (8 + 25.5 / 8) * 20 * 4, 0);
    // FP8 keeps the QKV and FC1 inputs (replicated 8 → 6), the projection's input (4 + 4g → 3.5)
    // and FC2's input (6f/h → 5f/h = 17.5) in one byte: sbh(6 + 21/8)
    expect(memoryPerRank(llama, { ...p2, precision: 'fp8' }).parts.activations).toBeCloseTo(sbh2 * (6 + 21 / 8) * 20 * 4, 0);
    // MoE: each token's MLP activations once per expert it visits (Mixtral top-2, f = 14336, h = 4096, g = 1/4, no dropout), SP over tp 2
    const mixtral = MODELS.get('mixtral-8x7b')!;
    const p3: TrainingPlan = { ...DEFAULT_PLAN, seq: 4096, tp: 2, pp: 1, dp: 8, ep: 8, globalBatch: 8 };
    const sbh3 = 4096 * 4096;
    expect(memoryPerRank(mixtral, p3).parts.activations).toBeCloseTo(((sbh3 * (8 + 5 + (6 * 14336 * 2) / 4096)) / 2) * 32, 0);
  });

  test('a plan that does not fit the accelerator is refused with the memory breakdown', () => {
    const h100 = ACCELERATOR_SPECS.get('h100-sxm')!;
    const plan: TrainingPlan = { ...DEFAULT_PLAN, tp: 8, pp: 1, dp: 1, globalBatch: 1 };
    expect(() => trainingWorkload(gpt3, plan, h100)).toThrow(/gpt3-175b needs \d+\.\d GB per rank \(weights .*optimizer .*\), more than the 85\.5 GB of an h100-sxm/);
    // TP 8 × PP 8 with ZeRO-1 over DP 16 and recomputation fits
    const fits: TrainingPlan = { ...DEFAULT_PLAN, tp: 8, pp: 8, dp: 16, zero: 1, recompute: true, globalBatch: 1536 };
    expect(memoryPerRank(gpt3, fits).bytes).toBeLessThan(h100.memoryBytes);
    expect(() => trainingWorkload(gpt3, { ...fits, pp: 5 }, H100, false)).toThrow(/96 layers, which do not split into 5 equal stages/);
  });
});

describe('memory per rank: DeepSeek-V3 on GB200', () => {
  const ds = MODELS.get('deepseek-v3')!;
  const GB200 = ACCELERATOR_SPECS.get('gb200')!;
  // Megatron-Bridge 26.04's GB200 plan: pp 4 × vpp 4, EP 64, the (4, 4) layout with one MTP layer
  const plan: TrainingPlan = { ...DEFAULT_PLAN, pp: 4, vpp: 4, dp: 64, ep: 64, zero: 1, precision: 'fp8', sequenceParallel: false, recomputeModules: ['mlp'], seq: 4096, globalBatch: 4096, microBatch: 1, gradReduceBytes: 2, mtp: 1, layout: 'Et*4|(t*4|)*14tmL' };

  test('the plan fits a GB200 (186 GB); the stage of 16 MoE layers holds the most, its expert optimizer state unsharded (ep = dp)', () => {
    const mem = memoryPerRank(ds, plan);
    expect(mem.bytes).toBeLessThan(GB200.memoryBytes);
    // per rank (tp 1, ep 64: 4 experts a layer): a dense layer 187.1 M + 396.4 M of FFN; an MoE
    // layer 187.1 M + 44.0 M shared + 4 × 44.0 M. Stage 0 (3 dense + 13 MoE) has more parameters
    // than stage 1 (16 MoE), but ZeRO-1 shards only the dense ones over the 64 replicas: the
    // experts' 12 bytes of optimizer state a parameter stay whole, and stage 1 has more of them
    const e = 3 * 7168 * 2048;
    const dense = 187_105_280 + 3 * 7168 * 18432;
    const moe = 187_105_280 + e + 4 * e;
    expect(3 * dense + 13 * moe).toBeGreaterThan(16 * moe);
    expect(mem.params).toBe(16 * moe + 129280 * 7168);
    expect(mem.parts.optimizer).toBeCloseTo(12 * ((16 * (187_105_280 + e) + 129280 * 7168) / 64 + 16 * 4 * e), -3);
  });
});
