// The training section (src/io/training-section.ts): plan fields and the errors that name the field.
import { describe, expect, test } from 'vitest';
import { IssueList } from '../../src/core/errors.js';
import { readTrainingSection } from '../../src/io/training-section.js';

describe('training section', () => {
  test('plan fields: cp, precision, attention, recompute modes and moeImbalance are read and checked', () => {
    const issues = new IssueList();
    const s = readTrainingSection({ model: 'llama3-8b', cp: 2, precision: 'fp8', attention: 'flash2', recompute: 'selective', moeImbalance: 1.25, embeddingInSplit: true }, 1, issues);
    expect(issues.empty).toBe(true);
    expect(s!.plan).toMatchObject({ cp: 2, precision: 'fp8', attention: 'flash2', recompute: false, moeImbalance: 1.25, embeddingInSplit: true });
    expect(readTrainingSection({ model: 'llama3-8b', recompute: 'full' }, 1, new IssueList())!.plan.recompute).toBe(true);
    const bad = new IssueList();
    readTrainingSection({ model: 'llama3-8b', precision: 'fp4', moeImbalance: 0.5 }, 1, bad);
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
    readTrainingSection({ model: 'llama3-8b', recomputeModules: ['mla_up_proj', 'attn'] }, 1, bad);
    const text = bad.items.map((i) => `${i.path}: ${i.message}`).join('\n');
    expect(text).toMatch(/training\.recomputeModules: mla_up_proj: multi-head latent attention is not in the layer model/);
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
});
