// Where experts live (expert-layout.ts): the EP and expert-data-parallel groups with experts split
// over TP (etp = tp) and with Megatron-Core's parallel folding (etp = 1), the refusals, the
// memory it saves, and the overlapped all-to-all (a2aOverlap) in a generated step.
import { describe, expect, test } from 'vitest';
import { ACCELERATOR_SPECS } from '../../../src/hardware/index.js';
import { checkExperts, expertLayout, shardedParams } from '../../../src/workload/generators/expert-layout.js';
import { MODELS } from '../../../src/workload/generators/models.js';
import { reductionFactor, symmetricBlock } from '../../../src/workload/generators/symmetry.js';
import { memoryPerRank } from '../../../src/workload/generators/memory-model.js';
import { DEFAULT_PLAN, trainingWorkload, type TrainingPlan } from '../../../src/workload/generators/transformer.js';

const H100 = ACCELERATOR_SPECS.get('h100-sxm')!;
const qwen235 = MODELS.get('qwen3-235b-a22b')!;
type Op = { id: string; type: string; op?: string; group?: { size: number; stride?: number }; stream?: string; after?: string[] };
const opsOf = (doc: Record<string, unknown>) => doc.ops as Op[];

describe('expert layout', () => {
  test('etp = tp (default): EP groups within DP, one TP position ep replicas apart; replicas dp/ep', () => {
    // tp 2, dp 16, ep 8: rank = tp_rank + 2·dp_rank; an EP group is 8 ranks of one TP position,
    // stride 2; the same experts sit on the 16/8 = 2 ranks 2·8 = 16 apart
    const l = expertLayout({ tp: 2, cp: 1, dp: 16, ep: 8, etp: 0, sequenceParallel: true });
    expect(l).toEqual({ folded: false, etp: 2, routedShare: 1, ep: { size: 8, stride: 2 }, edp: { size: 2, stride: 16 } });
  });

  test('etp = 1 with tp > 1 folds EP across TP × DP: consecutive ranks, ep may exceed dp', () => {
    // Megatron-Bridge's Qwen3-235B on 256 H100: tp 2, pp 8, dp 16, ep 32: one EP group holds a
    // stage's 32 ranks (stride 1); every expert is on one rank (tp·dp/ep = 1 replica)
    const p = { tp: 2, cp: 1, dp: 16, ep: 32, etp: 1, sequenceParallel: true };
    expect(() => checkExperts(p)).not.toThrow();
    expect(expertLayout(p)).toEqual({ folded: true, etp: 1, routedShare: 0.5, ep: { size: 32, stride: 1 }, edp: { size: 1, stride: 32 } });
    // ep 8: four EP groups of 8 consecutive ranks; each expert on tp·dp/ep = 4 ranks 8 apart
    expect(expertLayout({ ...p, ep: 8 }).edp).toEqual({ size: 4, stride: 8 });
    // ZeRO shards: 100 dense over dp·cp = 16, 60 expert over 4 replicas: 40/16 + 60/4
    expect(shardedParams(100, 60, { ...p, ep: 8 })).toBe(40 / 16 + 60 / 4);
  });

  test('refusals name the field and the fix', () => {
    const p = { tp: 2, cp: 1, dp: 16, ep: 32, etp: 0, sequenceParallel: true };
    expect(() => checkExperts(p)).toThrow(/^training\.ep: ep \(32\) must divide dp \(16\).*etp: 1 folds them/);
    expect(() => checkExperts({ ...p, etp: 4 })).toThrow(/^training\.etp: etp \(4\) must be 1 .* or tp \(2/);
    expect(() => checkExperts({ ...p, etp: 1, sequenceParallel: false })).toThrow(/^training\.etp: .*sequence parallelism/);
    expect(() => checkExperts({ ...p, etp: 1, ep: 64 })).toThrow(/^training\.ep: ep \(64\) must divide tp × dp \(2 × 16\)/);
    expect(() => checkExperts({ tp: 4, cp: 1, dp: 6, ep: 6, etp: 1, sequenceParallel: true })).toThrow(/^training\.ep: .*must divide one another/);
  });

  test('symmetric blocks with folded experts: the larger of tp and ep', () => {
    const p: TrainingPlan = { ...DEFAULT_PLAN, tp: 2, dp: 64, ep: 16, etp: 1 };
    expect(symmetricBlock(p)).toBe(16);
    expect(reductionFactor(p)).toBe((2 * 64) / 16);
    expect(symmetricBlock({ ...p, etp: 0, dp: 64, ep: 8 })).toBe(2 * 8);
  });

  test('a generated step with folded experts: the all-to-all over 32 consecutive ranks, whole experts a rank', () => {
    const plan: TrainingPlan = { ...DEFAULT_PLAN, tp: 2, pp: 1, dp: 16, ep: 32, etp: 1, seq: 4096, globalBatch: 16, microBatch: 1 };
    const ops = opsOf(trainingWorkload(qwen235, plan, H100, false));
    const a2a = ops.filter((o) => o.op === 'alltoall');
    expect(a2a.length).toBeGreaterThan(0);
    for (const o of a2a) expect(o.group).toEqual({ size: 32, stride: 1 });
    // no expert replicas (tp·dp/ep = 1): only the dense gradients are reduced
    expect(ops.filter((o) => o.id.endsWith('.experts'))).toHaveLength(0);
    // parameters a rank holds: the attention (q 4096×8192, k and v 4096×512, out 8192×4096) and
    // the embedding split over tp 2, and 128/32 = 4 whole experts of 3·4096·1536 a layer
    const attention = 4096 * 8192 + 2 * 4096 * 512 + 8192 * 4096;
    const expected = (94 * attention) / 2 + 94 * 4 * 3 * 4096 * 1536 + (151936 * 4096) / 2;
    expect(memoryPerRank(qwen235, plan).params).toBe(expected);
  });

  test('a2aOverlap: the all-to-all on its own stream; the next pass does not wait for it, the send does', () => {
    const mixtral = MODELS.get('mixtral-8x7b')!;
    const base: TrainingPlan = { ...DEFAULT_PLAN, pp: 2, dp: 8, ep: 8, globalBatch: 16, seq: 4096 };
    const plain = opsOf(trainingWorkload(mixtral, base, H100, false));
    const over = opsOf(trainingWorkload(mixtral, { ...base, a2aOverlap: true }, H100, false));
    expect(plain.filter((o) => o.op === 'alltoall').every((o) => o.stream === 'compute')).toBe(true);
    const a2a = over.filter((o) => o.op === 'alltoall');
    expect(a2a.every((o) => o.stream === 'ep')).toBe(true);
    // stage 0's first forward: its send waits for the compute and for the overlapped all-to-all
    const send = over.find((o) => o.id === 's0.f0.send')!;
    expect(send.after).toContain('s0.f0.a2a');
    // and no compute op waits for an all-to-all
    for (const o of over.filter((x) => x.type === 'compute')) expect((o.after ?? []).some((id) => id.endsWith('.a2a'))).toBe(false);
  });
});
