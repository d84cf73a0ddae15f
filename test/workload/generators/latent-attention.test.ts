// Multi-head latent attention (src/workload/generators/latent-attention.ts) and the DeepSeek-V3
// layer it belongs to (layer-kernels.ts): GEMM shapes, parameters, attention FLOPs and bytes,
// the shared expert, and the activation terms, each against the shapes of DeepSeek-V3's config.
import { describe, expect, test } from 'vitest';
import { causalAttentionFlops } from '../../../src/hardware/attention-efficiency.js';
import { ACCELERATOR_SPECS } from '../../../src/hardware/index.js';
import { latentActivationTerms, latentAttentionGemms, latentAttentionParams } from '../../../src/workload/generators/latent-attention.js';
import { layerKernels, type Kernel, type KernelPlan } from '../../../src/workload/generators/layer-kernels.js';
import { MODELS } from '../../../src/workload/generators/models.js';

const ds = MODELS.get('deepseek-v3')!;
const mla = ds.mla!;
const b200 = ACCELERATOR_SPECS.get('b200')!;
const plan: KernelPlan = { seq: 4096, microBatch: 1, tp: 1, cp: 1, sequenceParallel: false, precision: 'bf16', attention: 'fused', flashAttention: true, ep: 8, etp: 0, moeImbalance: 1, dispatcher: 'alltoall' };
const byName = (ks: Kernel[]): Record<string, Kernel> => Object.fromEntries(ks.map((k) => [k.name, k]));

describe('latent attention', () => {
  test('DeepSeek-V3 (h 7168, 128 heads, r_q 1536, r_kv 512, d_qk 128 + 64, d_v 128): its GEMMs and 187.1 M parameters a layer', () => {
    const t = 4096;
    expect(latentAttentionGemms(mla, 128, 7168, 1, t)).toEqual([
      ['q_down', t, 1536, 7168],
      ['q_up', t, 128 * 192, 1536],
      ['kv_down', t, 512 + 64, 7168],
      ['kv_up', t, 128 * (128 + 128), 512],
      ['proj', t, 7168, 128 * 128],
    ]);
    // 7168·1536 + 1536·24576 + 7168·576 + 512·32768 + 16384·7168 = 187,105,280
    expect(latentAttentionParams(mla, 128, 7168)).toBe(187_105_280);
    // with tp 8 the up-projections and the output projection split, the down-projections do not
    const tp8 = latentAttentionGemms(mla, 128, 7168, 8, t);
    expect(tp8.map((g) => g[2])).toEqual([1536, 3072, 576, 4096, 7168]);
    expect(tp8[4][3]).toBe(2048);
  });

  test('the DeepSeek-V3 MoE layer: latent attention, 32 of 256 experts on the rank, the shared expert, attention at the mean of 192 and 128', () => {
    const ks = byName(layerKernels(ds, plan, b200, 'forward'));
    expect(Object.keys(ks)).toEqual(['q_down', 'q_up', 'kv_down', 'kv_up', 'proj', 'fc1', 'fc2', 'router', 'shared.fc1', 'shared.fc2', 'attention', 'norms', 'residuals', 'activation', 'rotary', 'permute', 'shared.activation']);
    const t = 4096;
    expect(ks.q_up.flops).toBe(2 * t * 24576 * 1536);
    // routed: t·k = 32768 token copies over 32 local experts (ep 8), SwiGLU FFN 2048
    expect(ks.fc1.flops).toBe(2 * 32 * 1024 * (2 * 2048) * 7168);
    expect(ks['shared.fc1'].flops).toBe(2 * t * 2 * 2048 * 7168);
    expect(ks['shared.fc2'].flops).toBe(2 * t * 7168 * 2048);
    // scores 2·t·s·H·192 and context 2·t·s·H·128, causal: the mean width 160 in the causal formula
    expect(ks.attention.flops).toBe(causalAttentionFlops(t, 4096, 128, 160));
    // rotary on the queries' rope part (128 heads) and the shared key's: 2·t·129·64·2 bytes
    expect(ks.rotary.bytes).toBe(2 * t * 129 * 64 * 2);
    // the two layer norms plus the latents' two: 2·2·t·h·2 + 2·t·(1536 + 512)·2
    expect(ks.norms.bytes).toBe(2 * 2 * t * 7168 * 2 + 2 * t * 2048 * 2);
  });

  test('the activation terms (per s·b·h): latents 2·(2·1536 + 2·512 + 64)/7168, up-projected Q, K, V 2·128·(2·192 + 128)/7168, output 2·128·128/7168', () => {
    const a = latentActivationTerms(mla, 128, 7168);
    expect(a.latents).toBeCloseTo((2 * (3072 + 1024 + 64)) / 7168, 12);
    expect(a.upProjected).toBeCloseTo((2 * 128 * 512) / 7168, 12);
    expect(a.output).toBeCloseTo((2 * 128 * 128) / 7168, 12);
  });
});
