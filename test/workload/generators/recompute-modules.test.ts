// Selective recomputation by module (recompute-modules.ts): which forward kernels run again and
// which activation terms are no longer kept.
import { describe, expect, test } from 'vitest';
import type { Kernel } from '../../../src/workload/generators/layer-kernels.js';
import { recomputedKernels, withoutRecomputed, type ActivationTerms } from '../../../src/workload/generators/recompute-modules.js';

const kernel = (name: string): Kernel => ({ name, kind: 'memory', flops: 0, bytes: 1, seconds: 1 });
const forward = ['qkv', 'proj', 'router', 'fc1', 'fc2', 'attention', 'norms', 'residuals', 'activation', 'rotary', 'permute'].map(kernel);
const names = (ks: Kernel[]) => ks.map((k) => k.name);

describe('recompute modules', () => {
  test('the kernels each module runs again, each once however many modules name it', () => {
    expect(names(recomputedKernels(forward, ['layernorm']))).toEqual(['norms']);
    expect(names(recomputedKernels(forward, ['layernorm', 'moe_act']))).toEqual(['norms', 'activation']);
    expect(names(recomputedKernels(forward, ['moe', 'moe_act']))).toEqual(['router', 'fc1', 'fc2', 'activation', 'permute']);
    // core_attn with flash attention: no scores kernels to run again
    expect(recomputedKernels(forward, ['core_attn'])).toEqual([]);
    expect(recomputedKernels(forward, [])).toEqual([]);
  });

  test('the terms left: norm outputs, the activation output (MoE), the whole MLP, the scores, the up-projected Q, K, V (latent attention)', () => {
    const t: ActivationTerms = { replicated: 8, normOutputs: 4, attention: 25, upProjected: 18, scores: 3, mlp: 42, activationOutput: 14 };
    expect(withoutRecomputed(t, ['layernorm'], true)).toEqual({ ...t, replicated: 4 });
    expect(withoutRecomputed(t, ['moe_act'], true)).toEqual({ ...t, mlp: 28 });
    // moe_act is an MoE module: a dense layer keeps its activation output
    expect(withoutRecomputed(t, ['moe_act'], false)).toEqual(t);
    expect(withoutRecomputed(t, ['mlp'], false)).toEqual({ ...t, mlp: 0 });
    expect(withoutRecomputed(t, ['moe'], true)).toEqual({ ...t, mlp: 0 });
    expect(withoutRecomputed(t, ['core_attn'], false)).toEqual({ ...t, scores: 0 });
    // mla_up_proj: the queries, keys and values are projected up again from the kept latents
    expect(withoutRecomputed(t, ['mla_up_proj'], true)).toEqual({ ...t, attention: 7 });
  });

  test('mla_up_proj runs the two up-projections again in the backward; mlp and moe the shared experts too', () => {
    const k = (name: string) => ({ name, kind: 'gemm' as const, flops: 1, bytes: 0, seconds: 1 });
    const forward = ['q_down', 'q_up', 'kv_down', 'kv_up', 'proj', 'fc1', 'shared.fc1', 'shared.activation', 'shared.fc2'].map(k);
    expect(names(recomputedKernels(forward, ['mla_up_proj']))).toEqual(['q_up', 'kv_up']);
    expect(names(recomputedKernels(forward, ['mlp']))).toEqual(['fc1', 'shared.fc1', 'shared.activation', 'shared.fc2']);
  });
});
