// The serving report's series (src/report/serve-html.ts): latency CDFs, and over time
// throughput, KV use and the queue, from hand-built runs whose values are derived here.
import { describe, expect, test } from 'vitest';
import type { Sequence } from '../../src/sim/serving/batch-scheduler.js';
import type { ServingRun } from '../../src/sim/serving/serving-run.js';
import { cdfPoints, kvSeries, queueSeries, throughputSeries, TIME_BINS } from '../../src/report/serve-html.js';

const seq = (id: number, arrivalSec: number, admittedSec: number, firstTokenSec: number, finishedSec: number): Sequence => ({ id, arrivalSec, prompt: 10, output: 2, generated: 2, cached: 0, blocks: 0, swapped: 0, group: -1, admittedSec, firstTokenSec, finishedSec, preemptions: 0 });

type Steps = NonNullable<ServingRun['timeline']>['steps'];

function run(requests: Sequence[], steps: Steps, instances = 1): ServingRun {
  const stats = { steps: 0, busySec: 0, meanKvUse: 0, peakKvUse: 0, meanBatchTokens: 0, meanBatchSequences: 0, preemptions: 0, swapOuts: 0, swapBlocks: 0, swapSec: 0, prefixHitTokens: 0, kvBlocks: 1 };
  return { requests, rejected: [], instanceOf: new Int32Array(requests.length), instances: Array.from({ length: instances }, () => stats), makespanSec: 100, lastArrivalSec: 0, waitingAtHalf: 0, waitingAtEnd: 0, steps: steps.length, kvTransfers: { count: 0, bytes: 0, meanSec: 0, maxSec: 0 }, timeline: { steps, transfers: [] }, background: { runs: 0, meanSec: 0, maxSec: 0 } };
}

describe('serve report series', () => {
  test('CDF: each value with the share at or under it, ascending, ending at 1; 1,000 values thinned to every 5th', () => {
    expect(cdfPoints([3, 1, 2, NaN])).toEqual([[1, 1 / 3], [2, 2 / 3], [3, 1]]);
    const many = cdfPoints(Array.from({ length: 1000 }, (_, i) => 1000 - i));
    expect(many).toHaveLength(200);
    expect(many[0]).toEqual([5, 0.005]);
    expect(many[199]).toEqual([1000, 1]);
    expect(cdfPoints([])).toEqual([]);
  });

  test('over 100 s in bins of 1 s: completions and tokens a second, KV use time-weighted, the queue and the running at each midpoint', () => {
    // request 0 arrives at 0.2, admitted 2.2, first token 2.7, done 3.4; request 1 arrives 2.9, admitted 3.1, done 50.9
    const r = run([seq(0, 0.2, 2.2, 2.7, 3.4), seq(1, 2.9, 3.1, 3.6, 50.9)], [
      // a step of 300 tokens from 2.2 to 2.7 s at 40% of the blocks; one of 4 tokens across the 3 s edge, 2.8 to 3.2 s at 60%
      { instance: 0, startSec: 2.2, endSec: 2.7, tokens: 300, sequences: 1, kvUse: 0.4 },
      { instance: 0, startSec: 2.8, endSec: 3.2, tokens: 4, sequences: 2, kvUse: 0.6 },
    ]);
    expect(TIME_BINS).toBe(100);
    const [completed, tokens] = throughputSeries(r, 100);
    // bin 3 (3–4 s) sees request 0 finish, bin 50 request 1: 1 a second each; the midpoints are 3.5 and 50.5 s
    expect(completed.points[3]).toEqual([3.5, 1]);
    expect(completed.points[50]).toEqual([50.5, 1]);
    expect(completed.points.reduce((a, [, y]) => a + y, 0)).toBe(2);
    // tokens by the bin a step ends in: 300 in bin 2, 4 in bin 3
    expect([tokens.points[2][1], tokens.points[3][1]]).toEqual([300, 4]);
    // KV: bin 2 holds 0.5 s at 40% and 0.2 s at 60%: 32%; bin 3 holds 0.2 s at 60%: 12%
    const [kv] = kvSeries(r, 100, ['instance 0 (TP8)']);
    expect(kv.name).toBe('instance 0 (TP8)');
    expect(kv.points[2][1]).toBeCloseTo(32, 9);
    expect(kv.points[3][1]).toBeCloseTo(12, 9);
    // at 0.5 s request 0 waits; at 2.5 s it runs; at 3.5 s request 1 runs; at 60.5 s nothing
    const [queued, running] = queueSeries(r, 100);
    expect([queued.points[0][1], running.points[0][1]]).toEqual([1, 0]);
    expect([queued.points[2][1], running.points[2][1]]).toEqual([0, 1]);
    expect([queued.points[3][1], running.points[3][1]]).toEqual([0, 1]);
    expect([queued.points[60][1], running.points[60][1]]).toEqual([0, 0]);
  });

  test('more than 8 instances: their mean and the fullest, not a line each', () => {
    const steps = Array.from({ length: 10 }, (_, i) => ({ instance: i, startSec: 0, endSec: 1, tokens: 1, sequences: 1, kvUse: i / 10 }));
    const lines = kvSeries(run([], steps, 10), 100, []);
    expect(lines.map((l) => l.name)).toEqual(['mean of 10 instances', 'the fullest instance']);
    // bin 0 (0–1 s): the mean of 0 … 90% is 45%, the fullest 90%
    expect(lines[0].points[0][1]).toBeCloseTo(45, 9);
    expect(lines[1].points[0][1]).toBeCloseTo(90, 9);
  });

  test('pipelined steps overlap: each counts until its instance\'s next step starts, so the chart follows the KV state without summing batches', () => {
    // three batches enter at 0, 1 and 2 s and leave the last stage 3 s later, at 30%, 40% and 50% of the blocks
    const steps = [0, 1, 2].map((k) => ({ instance: 0, startSec: k, endSec: k + 3, tokens: 1, sequences: 1, kvUse: 0.3 + k / 10, stageEndSec: k + 1 }));
    const [kv] = kvSeries(run([], steps), 100, ['i']);
    // bins of 1 s: 30% in 0–1, 40% in 1–2, 50% in 2–3, 3–4 and 4–5 (the last batch holds until it ends), then nothing
    expect(kv.points.slice(0, 6).map(([, y]) => +y.toFixed(9))).toEqual([30, 40, 50, 50, 50, 0]);
  });
});

