// One scheduler a rank under data-parallel attention: limits split over the ranks, requests to
// the least-loaded rank, each rank forming its own batch in the same step.
import { describe, expect, it } from 'vitest';
import { batchSums, type Sequence } from '../../../src/sim/serving/batch-scheduler.js';
import { RankSchedulers } from '../../../src/sim/serving/rank-schedulers.js';
import { SCHEDULER_PRESETS, type SchedulerConfig } from '../../../src/workload/serving/serve-spec.js';

const sglang: SchedulerConfig = { preset: 'sglang', ...SCHEDULER_PRESETS.sglang };
let ids = 0;
const request = (prompt: number, output: number): Sequence => ({ id: ids++, arrivalSec: 0, prompt, output, generated: 0, cached: 0, blocks: 0, swapped: 0, group: -1, admittedSec: -1, firstTokenSec: -1, finishedSec: -1, preemptions: 0 });

describe('RankSchedulers', () => {
  it('each of 8 ranks gets an eighth of the blocks, the token budget (8192 → 1024) and the sequence limit (1024 → 128)', () => {
    const r = new RankSchedulers(sglang, 8, 8000, 0, 0);
    expect(r.ranks.map((k) => [k.kv.total, k.config.tokenBudget, k.config.maxSequences])).toEqual(Array(8).fill([1000, 1024, 128]));
    expect(r.kv).toEqual({ used: 0, total: 8000 });
  });

  it('requests go to the rank with the least outstanding tokens: 8 alike requests one a rank, the 9th and 10th to the ranks whose requests are shortest', () => {
    const r = new RankSchedulers(sglang, 8, 8000, 0, 0);
    for (let k = 0; k < 8; k++) r.enqueue(request(k === 3 || k === 5 ? 100 : 500, 10));
    r.enqueue(request(500, 10));
    r.enqueue(request(500, 10));
    expect(r.ranks.map((k) => k.waiting.length)).toEqual([1, 1, 1, 2, 1, 2, 1, 1]);
    expect(r.load).toBe(10);
  });

  it('one step holds every rank\'s own batch: a rank prefills a new prompt (prefill-first) while the others decode', () => {
    const r = new RankSchedulers(sglang, 2, 2000, 0, 0);
    const first = request(64, 8);
    r.enqueue(first); // rank 0
    const step1 = r.next(0);
    expect(step1.map((b) => [b.seq.id, b.tokens])).toEqual([[first.id, 64]]);
    r.complete(step1, 1);
    const second = request(512, 8);
    r.enqueue(second); // rank 1: rank 0 still has 8 tokens to generate
    const step2 = r.next(1);
    // a single prefill-first scheduler would run the prefill alone; here rank 0 decodes beside it
    expect(step2.map((b) => [b.seq.id, b.tokens])).toEqual([[first.id, 1], [second.id, 512]]);
    const sums = r.rankSums(step2);
    expect(sums.map((s) => s.tokens)).toEqual([1, 512]);
    expect(sums[0]).toEqual(batchSums([step2[0]]));
  });

  it('a request larger than one rank\'s cache leaves the line, to be refused, even while other ranks run', () => {
    const r = new RankSchedulers(sglang, 2, 200, 0, 0); // 100 blocks of 16 tokens a rank
    const runs = request(64, 8);
    r.enqueue(runs);
    const huge = request(1700, 8);
    r.enqueue(huge); // rank 1: its 1,700-token prompt needs 107 blocks
    const step = r.next(0);
    expect(step.map((b) => b.seq.id)).toEqual([runs.id]);
    expect(r.takeStuck()).toBe(huge);
    expect(r.takeStuck()).toBeUndefined();
  });
});
