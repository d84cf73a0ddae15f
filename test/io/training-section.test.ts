// The training section (src/io/training-section.ts): plan fields and the errors that name the field.
import { describe, expect, test } from 'vitest';
import { IssueList } from '../../src/core/errors.js';
import { readTrainingSection } from '../../src/io/training-section.js';

describe('training section', () => {
  test('plan fields: cp, precision, attention, recompute modes, moeImbalance and dispatcher are read and checked', () => {
    const issues = new IssueList();
    const s = readTrainingSection({ model: 'llama3-8b', cp: 2, precision: 'fp8', attention: 'flash2', recompute: 'selective', moeImbalance: 1.25, dispatcher: 'flex', routerFusion: true, embeddingInSplit: true }, 1, issues);
    expect(issues.empty).toBe(true);
    expect(s!.plan).toMatchObject({ cp: 2, precision: 'fp8', attention: 'flash2', recompute: false, moeImbalance: 1.25, dispatcher: 'flex', routerFusion: true, embeddingInSplit: true });
    expect(readTrainingSection({ model: 'llama3-8b' }, 1, new IssueList())!.plan).toMatchObject({ dispatcher: 'alltoall', routerFusion: false });
    expect(readTrainingSection({ model: 'llama3-8b', recompute: 'full' }, 1, new IssueList())!.plan.recompute).toBe(true);
    const bad = new IssueList();
    readTrainingSection({ model: 'llama3-8b', precision: 'fp4', moeImbalance: 0.5, dispatcher: 'deepep' }, 1, bad);
    expect(bad.items.map((i) => `${i.path}: ${i.message}`).join('\n')).toMatch(/training\.dispatcher/);
    expect(bad.items.map((i) => `${i.path}: ${i.message}`).join('\n')).toMatch(/training\.precision/);
    expect(bad.items.map((i) => `${i.path}: ${i.message}`).join('\n')).toMatch(/training\.moeImbalance: must be a number from 1 \(balanced\) to 64, got 0\.5/);
  });

  test('gradReduce: fp32 (the default) is 4 bytes a gradient, bf16 and fp16 are 2; anything else names the field', () => {
    const issues = new IssueList();
    expect(readTrainingSection({ model: 'llama3-8b' }, 1, issues)!.plan.gradReduceBytes).toBe(4);
    expect(readTrainingSection({ model: 'llama3-8b', gradReduce: 'bf16' }, 1, issues)!.plan.gradReduceBytes).toBe(2);
    expect(readTrainingSection({ model: 'llama3-8b', gradReduce: 'fp16' }, 1, issues)!.plan.gradReduceBytes).toBe(2);
    expect(issues.empty).toBe(true);
    const bad = new IssueList();
    readTrainingSection({ model: 'llama3-8b', gradReduce: 'fp8' }, 1, bad);
    expect(bad.items.map((i) => `${i.path}: ${i.message}`).join('\n')).toMatch(/training\.gradReduce/);
  });

  test('recomputeModules: a list or a + joined string; recompute: selective alone is core_attn; unknown and unmodelled modules refused', () => {
    const issues = new IssueList();
    expect(readTrainingSection({ model: 'gpt-oss-120b', recomputeModules: ['layernorm', 'moe_act'] }, 1, issues)!.plan.recomputeModules).toEqual(['layernorm', 'moe_act']);
    expect(readTrainingSection({ model: 'gpt-oss-120b', recomputeModules: 'layernorm+moe_act' }, 1, issues)!.plan.recomputeModules).toEqual(['layernorm', 'moe_act']);
    expect(readTrainingSection({ model: 'llama3-8b', recompute: 'selective' }, 1, issues)!.plan.recomputeModules).toEqual(['core_attn']);
    expect(readTrainingSection({ model: 'llama3-8b' }, 1, issues)!.plan.recomputeModules).toEqual([]);
    expect(issues.empty).toBe(true);
    const bad = new IssueList();
    readTrainingSection({ model: 'llama3-8b', recomputeModules: ['shared_experts', 'attn'] }, 1, bad);
    const text = bad.items.map((i) => `${i.path}: ${i.message}`).join('\n');
    expect(text).toMatch(/training\.recomputeModules: shared_experts: the shared experts are recomputed with the whole MLP/);
    expect(text).toMatch(/training\.recomputeModules: unknown module "attn"; use core_attn, layernorm, moe_act, mlp, moe/);
  });

  test('MoE plan fields: etp (default 0 = tp) and a2aOverlap (default false)', () => {
    const issues = new IssueList();
    expect(readTrainingSection({ model: 'qwen3-30b-a3b', tp: 2, ep: 8 }, 1, issues)!.plan).toMatchObject({ etp: 0, a2aOverlap: false });
    expect(readTrainingSection({ model: 'qwen3-30b-a3b', tp: 2, ep: 16, etp: 1, a2aOverlap: true }, 1, issues)!.plan).toMatchObject({ etp: 1, a2aOverlap: true });
    expect(issues.empty).toBe(true);
    const bad = new IssueList();
    readTrainingSection({ model: 'qwen3-30b-a3b', etp: 0, a2aOverlap: 'yes' }, 1, bad);
    const text = bad.items.map((i) => `${i.path}: ${i.message}`).join('\n');
    expect(text).toMatch(/training\.etp/);
    expect(text).toMatch(/training\.a2aOverlap/);
  });

  test('DeepSeek-style shapes: latent attention widths (all with kvLora), dense first layers, shared experts; layout and mtp, vpp from the layout', () => {
    const issues = new IssueList();
    const shape = { layers: 61, hidden: 7168, heads: 128, ffn: 2048, vocab: 129280, gated: true, experts: 256, topK: 8, sharedExperts: 1, denseLayers: 3, denseFfn: 18432, qLora: 1536, kvLora: 512, qkNope: 128, qkRope: 64, vHeadDim: 128 };
    const s = readTrainingSection({ model: shape, pp: 4, mtp: 1, layout: 'Et*4|(t*4|)*14tmL' }, 1, issues)!;
    expect(issues.empty).toBe(true);
    expect(s.model).toMatchObject({ sharedExperts: 1, denseLayers: 3, denseFfn: 18432, mla: { qLora: 1536, kvLora: 512, qkNope: 128, qkRope: 64, v: 128 } });
    // 16 virtual stages over pp 4: vpp 4 unless given
    expect(s.plan).toMatchObject({ mtp: 1, layout: 'Et*4|(t*4|)*14tmL', vpp: 4 });
    const bad = new IssueList();
    readTrainingSection({ model: { ...shape, vHeadDim: undefined }, mtp: -1 }, 1, bad);
    readTrainingSection({ model: { layers: 2, hidden: 64, heads: 4, ffn: 128, vocab: 100, qkRope: 16 } }, 1, bad);
    const text = bad.items.map((i) => `${i.path}: ${i.message}`).join('\n');
    expect(text).toMatch(/training\.model\.vHeadDim: required with kvLora/);
    expect(text).toMatch(/training\.mtp/);
    expect(text).toMatch(/training\.model\.qkRope: latent attention needs kvLora/);
  });

  test('sliding windows: window (tokens) and windowLayers (how many layers use it) read as integers', () => {
    const issues = new IssueList();
    const shape = { layers: 36, hidden: 2880, heads: 64, kvHeads: 8, headDim: 64, ffn: 2880, vocab: 201088, gated: true, window: 128, windowLayers: 18 };
    const s = readTrainingSection({ model: shape }, 1, issues)!;
    expect(issues.empty).toBe(true);
    expect(s.model).toMatchObject({ window: 128, windowLayers: 18 });
    const bad = new IssueList();
    readTrainingSection({ model: { ...shape, window: 0, windowLayers: 'half' } }, 1, bad);
    const text = bad.items.map((i) => `${i.path}: ${i.message}`).join('\n');
    expect(text).toMatch(/training\.model\.window/);
    expect(text).toMatch(/training\.model\.windowLayers/);
  });
});
