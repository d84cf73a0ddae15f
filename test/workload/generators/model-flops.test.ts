// Model FLOPs and parameters (src/workload/generators/model-flops.ts) against closed forms:
// 6·N·tokens (8·N with full recomputation) plus the attention term, and DeepSeek-V3's 671 B
// parameters and step FLOPs with dense layers, shared experts and MTP.
import { describe, expect, test } from 'vitest';
import { modelParams, stepFlops } from '../../../src/workload/generators/model-flops.js';
import { MODELS } from '../../../src/workload/generators/models.js';
import { DEFAULT_PLAN, type TrainingPlan } from '../../../src/workload/generators/transformer.js';

const gpt3 = MODELS.get('gpt3-175b')!;

describe('FLOPs', () => {
  test('dense training is 6·N·tokens (+ the attention-score term), 8·N·tokens with full recomputation', () => {
    // N counts the layers and the (tied) embedding; the attention scores and context add
    // 4·t·s·h per layer forward, i.e. 12·L·s·h per token over fwd+bwd: 1 + s/(6h)·… ≈ 2.8% at s = 2048, h = 12288.
    const plan: TrainingPlan = { ...DEFAULT_PLAN, seq: 2048, globalBatch: 1536, microBatch: 1 };
    const tokens = plan.globalBatch * plan.seq;
    const N = modelParams(gpt3);
    expect(N / 1e9).toBeCloseTo(174.6, 0);
    const attention = 3 * gpt3.layers * 4 * tokens * plan.seq * gpt3.hidden;
    expect(stepFlops(gpt3, plan)).toBeCloseTo(6 * N * tokens + attention, -12);
    // the attention term over 6·N·tokens: 12·L·s·h / (6·N) per token, 2.8% at s = 2048
    expect(stepFlops(gpt3, plan) / (6 * N * tokens) - 1).toBeCloseTo((12 * gpt3.layers * plan.seq * gpt3.hidden) / (6 * N), 12);
    const withRecompute = stepFlops(gpt3, { ...plan, recompute: true });
    expect(withRecompute / stepFlops(gpt3, plan)).toBeCloseTo(4 / 3, 12);
  });
});

describe('DeepSeek-V3', () => {
  const ds = MODELS.get('deepseek-v3')!;
  const plan: TrainingPlan = { ...DEFAULT_PLAN, pp: 4, vpp: 4, dp: 64, ep: 64, zero: 1, precision: 'fp8', sequenceParallel: false, recomputeModules: ['mlp'], seq: 4096, globalBatch: 4096, microBatch: 1, gradReduceBytes: 2, mtp: 1, layout: 'Et*4|(t*4|)*14tmL' };

  test('671 B parameters: 61 latent-attention blocks, 3 dense FFNs of 18432, 58 MoE FFNs (256 experts of 2048 and a shared one), the embedding', () => {
    const attention = 187_105_280;
    const expert = 3 * 7168 * 2048;
    const expected = 61 * attention + 3 * 3 * 7168 * 18432 + 58 * (257 * expert) + 129280 * 7168;
    // the router's 256 × 7168 weights a layer are left out (1.8 M)
    expect(modelParams(ds)).toBe(expected);
    expect(modelParams(ds) / 1e9).toBeCloseTo(670.0, 0);
  });

  test('the step FLOPs: a chunk holding the dense layers costs them at their FFN width; the MTP layer adds a layer, its projection and the LM head again', () => {
    const p1: TrainingPlan = { ...plan, mtp: 0, layout: 'Et*4|(t*4|)*14tL' };
    const t = 4096;
    const moeFwd = 2 * t * (187_105_280 + 9 * 3 * 7168 * 2048) + 4 * t * 4096 * 128 * 160;
    const denseFwd = 2 * t * (187_105_280 + 3 * 7168 * 18432) + 4 * t * 4096 * 128 * 160;
    const head = 2 * t * 7168 * 129280;
    expect(stepFlops(ds, p1)).toBeCloseTo(4096 * 3 * (58 * moeFwd + 3 * denseFwd + head), -6);
    const mtp = moeFwd + 2 * t * 2 * 7168 * 7168 + head;
    expect(stepFlops(ds, plan) - stepFlops(ds, p1)).toBeCloseTo(4096 * 3 * mtp, -6);
  });
});
