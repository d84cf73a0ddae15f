// Speculative decoding: the expected tokens a step, the verify window the scheduler runs and the
// tokens it keeps, and the draft's cost (derivations in the tests).
import { describe, expect, it } from 'vitest';
import { ACCELERATOR_SPECS } from '../../../src/hardware/index.js';
import { gemmSeconds } from '../../../src/hardware/gemm-efficiency.js';
import { BatchScheduler, batchSums, type Sequence } from '../../../src/sim/serving/batch-scheduler.js';
import { MODELS } from '../../../src/workload/generators/models.js';
import { stepCost } from '../../../src/workload/serving/forward-cost.js';
import type { InstanceShape } from '../../../src/workload/serving/instance-shape.js';
import { SCHEDULER_PRESETS, type SchedulerConfig } from '../../../src/workload/serving/serve-spec.js';
import { acceptedPerStep, draftSec } from '../../../src/workload/serving/speculative.js';

const request = (id: number, prompt: number, output: number): Sequence => ({ id, arrivalSec: 0, prompt, output, generated: 0, cached: 0, blocks: 0, swapped: 0, group: -1, admittedSec: -1, firstTokenSec: -1, finishedSec: -1, preemptions: 0 });

describe('acceptedPerStep', () => {
  it('(1 − a^(k+1)) / (1 − a): 3 drafts at 0.7 give 2.533 tokens a step; all accepted k + 1; none accepted 1', () => {
    expect(acceptedPerStep({ tokens: 3, acceptance: 0.7 })).toBeCloseTo((1 - 0.7 ** 4) / 0.3, 12);
    expect(acceptedPerStep({ tokens: 3, acceptance: 0.7 })).toBeCloseTo(2.533, 6);
    expect(acceptedPerStep({ tokens: 3, acceptance: 1 })).toBe(4);
    expect(acceptedPerStep({ tokens: 3, acceptance: 0 })).toBe(1);
  });
});

describe('the scheduler under speculative decoding', () => {
  const config = (acceptance: number): SchedulerConfig => ({ preset: 'vllm', ...SCHEDULER_PRESETS.vllm, speculative: { tokens: 3, acceptance } });

  it('a decode verifies a window of 1 + 3 tokens; with every draft accepted a 10-token output takes the prefill (1 token) and 3 steps of 4, 4 and the last 1', () => {
    const sched = new BatchScheduler(config(1), 100);
    const s = request(0, 64, 10);
    sched.enqueue(s);
    const generated: number[] = [];
    for (let t = 0; sched.load > 0; t++) {
      const batch = sched.next(t);
      sched.check(batch);
      if (s.generated > 0) expect(batch[0].tokens).toBe(4);
      sched.complete(batch, t + 1);
      generated.push(s.generated);
    }
    expect(generated).toEqual([1, 5, 9, 10]);
    // everything given back, and the cache held what was kept: prompt + all but the last token
    expect([s.cached, sched.kv.used]).toEqual([64 + 9, 0]);
  });

  it('the expected count is kept as a fraction carried between steps: at 2.533 a step, 4 steps yield 2, 3, 2, 3 tokens (10.13 expected)', () => {
    const sched = new BatchScheduler(config(0.7), 100);
    const s = request(0, 16, 100);
    sched.enqueue(s);
    sched.complete(sched.next(0), 1); // prefill: the first token
    const yields: number[] = [];
    for (let t = 1; t <= 4; t++) {
      const before = s.generated;
      sched.complete(sched.next(t), t + 1);
      yields.push(s.generated - before);
    }
    expect(yields).toEqual([2, 3, 2, 3]);
    // the rejected drafts' blocks went back: the sequence holds what its cache needs
    expect(s.blocks).toBe(Math.ceil(s.cached / 16));
  });

  it('batch sums: a verify window of 4 tokens at context 100 is 4 decode tokens, 4 · (100 + 2.5) pairs, 104 cache entries read, 4 positions sampled', () => {
    const s = { ...request(0, 90, 50), generated: 11, cached: 100 };
    const b = batchSums([{ seq: s, tokens: 4 }]);
    expect(b).toMatchObject({ tokens: 4, decodes: 1, decodeTokens: 4, decodePairs: 4 * 102.5, decodeKvTokens: 104, sampled: 4 });
  });
});

describe('draftSec', () => {
  const shape: InstanceShape = { model: MODELS.get('deepseek-v3')!, accelerator: ACCELERATOR_SPECS.get('h200')!, tp: 8, expertParallel: true, weights: 'fp8', kvCache: 'bf16', attention: 'fused', allReduceSec: (bytes) => 1e-5 + bytes / 2e11 };

  it('k passes of one MoE layer with its LM head over the decoding sequences, plus the [2h → h] projection; nothing without decodes', () => {
    const b = { sequences: 32, tokens: 32, sampled: 32, attentionPairs: 32 * 2049, kvTokensRead: 32 * 2049, decodes: 32, decodeKvTokens: 32 * 2049 };
    const layer: InstanceShape = { ...shape, model: { ...shape.model, layers: 1, denseLayers: 0 } };
    const projection = gemmSeconds(shape.accelerator, 32, 7168 / 8, 2 * 7168, 'fp8');
    expect(draftSec(shape, b, { tokens: 3, acceptance: 0.7 })).toBeCloseTo(3 * (stepCost(layer, b).seconds + projection), 12);
    expect(draftSec(shape, { ...b, decodes: 0, decodeKvTokens: 0 }, { tokens: 3, acceptance: 0.7 })).toBe(0);
  });
});
