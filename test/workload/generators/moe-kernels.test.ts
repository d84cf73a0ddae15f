// The small kernels of an MoE layer's router and token dispatcher (src/workload/generators/
// moe-kernels.ts): their counts per dispatcher and router fusion, and the generated passes
// launching them beside the layers' own.
import { describe, expect, test } from 'vitest';
import { ACCELERATOR_SPECS } from '../../../src/hardware/index.js';
import { MODELS } from '../../../src/workload/generators/models.js';
import { moeBlockKernels } from '../../../src/workload/generators/moe-kernels.js';
import { DEFAULT_PLAN, trainingWorkload, type TrainingPlan } from '../../../src/workload/generators/transformer.js';

const H100 = ACCELERATOR_SPECS.get('h100-sxm')!;
type Op = { id: string; kernels?: number };

describe('MoE router and dispatcher kernels', () => {
  test('per layer forward: router 72 (31 fused); alltoall adds its preprocess (9) and permutations (9), flex its 17 fused router-and-preprocess and 5', () => {
    // alltoall: 72 + 9 + 9 = 90 unfused, 31 + 9 + 9 = 49 fused
    expect([moeBlockKernels('alltoall', false), moeBlockKernels('alltoall', true)]).toEqual([90, 49]);
    // flex: 17 + 5 = 22 fused; unfused the router's 41 more: 63
    expect([moeBlockKernels('flex', true), moeBlockKernels('flex', false)]).toEqual([22, 63]);
  });

  test('a pass launches them for each of its MoE layers, twice as many backward; a dense model none', () => {
    // Mixtral 8x7B, one stage of 32 layers: forward memory-bound kernels 32 × (9 + 90) = 3168
    // (alltoall), 32 × (9 + 22) = 992 (flex, fused router); math 32 × 5 = 160
    const mixtral = MODELS.get('mixtral-8x7b')!;
    const plan: TrainingPlan = { ...DEFAULT_PLAN, dp: 8, ep: 8, globalBatch: 8, seq: 4096 };
    const kernels = (p: TrainingPlan, id: string, m = mixtral) => (trainingWorkload(m, p, H100, false).ops as Op[]).find((o) => o.id === id)!.kernels;
    // (the backward in the plan's 4 gradient buckets: a quarter of 2 × 3168 each)
    expect([kernels(plan, 's0.f0'), kernels(plan, 's0.f0.mem'), kernels(plan, 's0.b0.0.mem')]).toEqual([160, 3168, 1584]);
    expect(kernels({ ...plan, dispatcher: 'flex', routerFusion: true }, 's0.f0.mem')).toBe(992);
    // GPT 1.3B (dense): its 24 layers × 9
    expect(kernels({ ...DEFAULT_PLAN, globalBatch: 1 }, 's0.f0.mem', MODELS.get('gpt-1.3b')!)).toBe(24 * 9);
  });
});
