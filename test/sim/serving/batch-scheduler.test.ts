// The scheduler's batch sums with sliding windows, and a window model's blocks through a run.
import { describe, expect, it } from 'vitest';
import { batchSums, BatchScheduler, type Sequence } from '../../../src/sim/serving/batch-scheduler.js';
import { MODELS } from '../../../src/workload/generators/models.js';
import { kvLayout } from '../../../src/workload/serving/kv-layout.js';
import { SCHEDULER_PRESETS } from '../../../src/workload/serving/serve-spec.js';

const seq = (id: number, prompt: number, output: number, cached = 0, generated = 0): Sequence => ({ id, arrivalSec: 0, prompt, output, generated, cached, blocks: 0, swapped: 0, group: -1, admittedSec: -1, firstTokenSec: -1, finishedSec: -1, preemptions: 0 });

describe('batchSums with a sliding window', () => {
  it('a 50-token chunk after 100 cached, window 128: 28 queries inside the first window, 100·28 + 28·29/2 + 22·128 = 6,022 pairs, 150 keys read', () => {
    const b = batchSums([{ seq: seq(0, 1000, 10, 100), tokens: 50 }], 128);
    // full attention: 50 · (100 + 51/2) = 6,275 pairs, 150 keys
    expect(b.attentionPairs).toBe(6275);
    expect(b.windowPairs).toBe(6022);
    expect(b.windowKvTokensRead).toBe(150);
  });

  it('a decode at 1,000 cached: 128 pairs and 128 keys in a window layer, 1,001 in a full one', () => {
    const b = batchSums([{ seq: seq(0, 900, 200, 1000, 100), tokens: 1 }], 128);
    expect(b.kvTokensRead).toBe(1001);
    expect(b.windowPairs).toBe(128);
    expect(b.windowKvTokensRead).toBe(128);
  });

  it('no window: no window sums', () => {
    const b = batchSums([{ seq: seq(0, 1000, 10, 100), tokens: 50 }]);
    expect(b.windowPairs).toBeUndefined();
  });
});

describe('BatchScheduler with sliding-window layers', () => {
  it('a gpt-oss sequence past its window keeps 9 window blocks: 2,000 prompt tokens prefilled in 512-token chunks hold 125 + 9 blocks, where full attention would hold 250', () => {
    const layout = kvLayout(MODELS.get('gpt-oss-120b')!, 16);
    const config = { preset: 'vllm' as const, ...SCHEDULER_PRESETS.vllm, tokenBudget: 512 };
    const s = new BatchScheduler(config, 1000, 0, 0, 1000, 0, layout);
    const q = seq(0, 2000, 4);
    s.enqueue(q);
    for (let step = 0; step < 4; step++) {
      const batch = s.next(step);
      s.check(batch);
      // during a chunk of n: the full group ⌈(c + n)/16⌉, the window group ⌈(n + 127)/16⌉ + 1 (41 for 512; all of it at the start)
      const n = batch[0].tokens, all = Math.ceil((q.cached + n) / 16);
      expect(q.blocks).toBe(all + Math.min(all, Math.ceil((n + 127) / 16) + 1));
      s.complete(batch, step + 1);
    }
    expect(q.cached).toBe(2000);
    expect(q.blocks).toBe(125 + 9);
    expect(s.kv.used).toBe(134);
  });
});
