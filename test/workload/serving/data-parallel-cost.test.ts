// A data-parallel-attention step from each rank's own batch: the busiest rank's attention side
// sets each layer's pace, the FFN side runs over the whole step (derivations in the tests).
import { describe, expect, it } from 'vitest';
import { ACCELERATOR_SPECS } from '../../../src/hardware/index.js';
import { MODELS } from '../../../src/workload/generators/models.js';
import { dataParallelStepCost, evenShares } from '../../../src/workload/serving/data-parallel-cost.js';
import { stepCost } from '../../../src/workload/serving/forward-cost.js';
import type { BatchSums, InstanceShape } from '../../../src/workload/serving/instance-shape.js';

const v3 = MODELS.get('deepseek-v3')!;
const a2aSizes: number[] = [];
const shape: InstanceShape = {
  model: v3, accelerator: ACCELERATOR_SPECS.get('h200')!, tp: 8, weights: 'fp8', kvCache: 'bf16', attention: 'fused',
  expertParallel: true, dataParallelAttention: true, allReduceSec: (bytes) => 5e-6 + bytes / 2e11, allToAllSec: (bytes) => (a2aSizes.push(bytes), 1e-5 + bytes / 1e11),
};
const none: BatchSums = { sequences: 0, tokens: 0, sampled: 0, attentionPairs: 0, kvTokensRead: 0 };
const decode = (n: number, ctx: number): BatchSums => ({ sequences: n, tokens: n, sampled: n, attentionPairs: n * (ctx + 1), kvTokensRead: n * (ctx + 1), decodes: n, decodeKvTokens: n * (ctx + 1) });
const prefill = (n: number): BatchSums => ({ sequences: 1, tokens: n, sampled: 1, attentionPairs: (n * (n + 1)) / 2, kvTokensRead: n, decodes: 0, decodeKvTokens: 0 });

describe('dataParallelStepCost', () => {
  it('a batch split evenly over the ranks costs what stepCost gives the whole batch', () => {
    const b: BatchSums = { sequences: 256, tokens: 256, sampled: 256, attentionPairs: 256 * 2049, kvTokensRead: 256 * 2049, decodes: 256, decodeKvTokens: 256 * 2049 };
    expect(dataParallelStepCost(shape, evenShares(b, 8))).toEqual(stepCost(shape, b));
  });

  it('a sliding-window model (gpt-oss-120b, DEP4) split evenly: each rank gets a quarter of the window sums too, and the step costs what stepCost gives the whole batch', () => {
    const oss: InstanceShape = { ...shape, model: MODELS.get('gpt-oss-120b')!, tp: 4, weights: 'fp4', kvCache: 'fp8', accelerator: ACCELERATOR_SPECS.get('b200')! };
    const b: BatchSums = { sequences: 256, tokens: 256, sampled: 256, attentionPairs: 256 * 4097, kvTokensRead: 256 * 4097, decodes: 256, decodeKvTokens: 256 * 4097, windowPairs: 256 * 128, windowKvTokensRead: 256 * 128 };
    const shares = evenShares(b, 4);
    expect([shares[0].windowPairs, shares[0].windowKvTokensRead]).toEqual([64 * 128, 64 * 128]);
    expect(dataParallelStepCost(oss, shares)).toEqual(stepCost(oss, b));
    // the window halves about half the attention: less than with every layer full
    expect(dataParallelStepCost(oss, shares).attentionSec).toBeLessThan(dataParallelStepCost(oss, evenShares({ ...b, windowPairs: undefined, windowKvTokensRead: undefined }, 4)).attentionSec);
  });

  it('one rank prefilling 1,024 tokens while seven decode 32 sequences each: attention and the all-to-alls are the prefilling rank\'s, as if the others had nothing; the experts run everyone\'s visits', () => {
    const busy = [prefill(1024), ...Array(7).fill(decode(32, 2048))];
    const alone = [prefill(1024), ...Array(7).fill(none)];
    a2aSizes.length = 0;
    const withDecodes = dataParallelStepCost(shape, busy);
    const prefillOnly = dataParallelStepCost(shape, alone);
    expect(withDecodes.attentionSec).toBe(prefillOnly.attentionSec);
    expect(withDecodes.commSec).toBe(prefillOnly.commSec);
    // each all-to-all moves the busiest sender's tokens: 1,024 tokens × top-8 × 7168 × 2 B
    expect(new Set(a2aSizes)).toEqual(new Set([1024 * 8 * 7168 * 2]));
    // 224 more tokens (1,792 more visits) through the experts
    expect(withDecodes.gemmSec).toBeGreaterThan(prefillOnly.gemmSec);
  });

  it('without expert parallelism (the batch gathered): the FFNs and their two all-reduces a layer cover all 1,248 tokens', () => {
    const gathered: InstanceShape = { ...shape, expertParallel: false };
    const c = dataParallelStepCost(gathered, [prefill(1024), ...Array(7).fill(decode(32, 2048))]);
    expect(c.commSec).toBeCloseTo(61 * 2 * gathered.allReduceSec(1248 * 7168 * 2), 12);
  });
});
