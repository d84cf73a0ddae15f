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
