// Runs a sweep's points on the worker pool: the shard's points not already done, each as one
// task; results are reported as they finish (for streaming to disk and progress) and returned
// in point order. A point that fails, crashes its worker or exceeds the time limit becomes a
// failed record; the others still run.
//
// The pool grows with the work: one worker starts at once; after GROW_AFTER_MS the others start
// if the points not yet started would keep one worker busy, at the mean pace of its points so
// far (the first, cold one left out), for more than GROW_MIN_WORK_MS and more than
// GROW_COLD_FACTOR times that first point (or if none has finished yet). A new worker costs what
// the first one's cold point did (thread start-up, module loading, JIT warm-up: its first
// points run 3–6× slower), and while it warms up it shares the cores with the running worker
// and V8's compiler and GC threads, slowing it about as much again on a 2-core machine: W left
// shared by two pays when W / 2 > 2 × cold, i.e. W > 4 × cold. Without the cold-point term
// sweeps/serve-split.yaml (cold point 551 ms, then 8 left at 177 ms: 1.4 s) grew and took
// 3.20 s with two workers against 2.76 with one; a sweep of short points is only slowed by more
// (sweeps/loader-workers.yaml: 2.05 s with one worker, 2.45 s with two, before either rule).
import { Packr } from 'msgpackr';
import type { Piscina } from 'piscina';
import { createSweepPool } from './pool.js';
import type { PointResult } from './sweep-worker.js';
import type { SweepRecord } from '../sweep/results.js';
import { sweepPoints, type SweepPoint, type SweepSpec } from '../sweep/spec.js';

export interface Shard {
  readonly index: number;
  readonly count: number;
}

export interface SweepRunOptions {
  readonly workers: number;
  readonly shard?: Shard;
  /** Per-point limit in seconds (the worker running it is stopped and replaced). */
  readonly timeoutSec?: number;
  /** Points already done (resume): skipped. */
  readonly done?: ReadonlySet<number>;
  readonly onRecord?: (record: SweepRecord, finished: number, total: number) => void;
}

const packr = new Packr({ useRecords: false });
/** How long one worker runs alone before the pool grows to the requested size. */
export const GROW_AFTER_MS = 1000;
/** The remaining work (at the last point's pace) that pays for starting more workers. */
export const GROW_MIN_WORK_MS = 1000;
/** …and at least this many times the first (cold) point's duration: what a new worker's own cold start and its contention cost (the header's derivation). */
export const GROW_COLD_FACTOR = 4;

/** The points this shard runs: index mod count = shard index, so N shards cover the sweep exactly once. */
export function shardPoints(spec: SweepSpec, shard?: Shard): SweepPoint[] {
  const all = sweepPoints(spec);
  return shard ? all.filter((p) => p.index % shard.count === shard.index) : all;
}

/**
 * Workers to add to the first one once it has run alone for GROW_AFTER_MS: up to `workers` − 1
 * (no more than the points not yet started) when those `remaining` points would keep one worker
 * busy, at the mean of `pointMs` (the durations so far, the first, cold one left out), for
 * GROW_MIN_WORK_MS and for GROW_COLD_FACTOR times the first point, or when no point has
 * finished yet; else none.
 */
export function extraWorkers(workers: number, remaining: number, pointMs: readonly number[]): number {
  const more = Math.min(workers - 1, remaining);
  if (more <= 0) return 0;
  const warm = pointMs.length > 1 ? pointMs.slice(1) : pointMs;
  const pace = warm.length ? warm.reduce((a, b) => a + b, 0) / warm.length : Infinity;
  const cold = pointMs.length ? pointMs[0] : 0;
  return remaining * pace < Math.max(GROW_MIN_WORK_MS, GROW_COLD_FACTOR * cold) ? 0 : more;
}

function recordOf(point: SweepPoint, result: PointResult): SweepRecord {
  const base = { index: point.index, point: Object.fromEntries(point.overrides) };
  return result.ok ? { ...base, ok: true, metrics: result.metrics } : { ...base, ok: false, error: result.error };
}

export async function runSweep(spec: SweepSpec, options: SweepRunOptions): Promise<SweepRecord[]> {
  const todo = shardPoints(spec, options.shard).filter((p) => !options.done?.has(p.index));
  const records: SweepRecord[] = [];
  if (todo.length === 0) return records;
  const workers = Math.max(1, Math.min(options.workers, todo.length));
  // the first worker alone in its own pool (a pool of more would start a second thread for the
  // first task queued while the first thread starts); the rest in a second pool if it grows
  const pools = [createSweepPool(1, spec.base)];
  let finished = 0;
  let next = 0;
  const pointMs: number[] = [];
  // one task in flight per worker, so a point's time limit counts from when it starts; a lane
  // first waits for a worker to be up (a ping), and again after a timeout replaced one, so
  // thread start-up never counts against a point
  const ping = new Uint8Array(0);
  const lane = async (pool: Piscina) => {
    let warm = false;
    for (let k = next++; k < todo.length; k = next++) {
      const point = todo[k];
      if (!warm && options.timeoutSec) await pool.run(ping);
      warm = true;
      const signal = options.timeoutSec ? AbortSignal.timeout(Math.max(1, Math.ceil(options.timeoutSec * 1000))) : undefined;
      let result: PointResult;
      const t0 = performance.now();
      try {
        result = packr.unpack(await pool.run(packr.pack(point.overrides), { signal })) as PointResult;
        pointMs.push(performance.now() - t0);
      } catch (e) {
        result = { ok: false, error: signal?.aborted ? `timed out after ${options.timeoutSec} s` : `worker failed: ${(e as Error).message ?? String(e)}` };
        warm = false;
      }
      const record = recordOf(point, result);
      records.push(record);
      options.onRecord?.(record, ++finished, todo.length);
    }
  };
  const lanes = [lane(pools[0])];
  const grow = setTimeout(() => {
    const more = extraWorkers(workers, todo.length - next, pointMs);
    if (more <= 0) return;
    pools.push(createSweepPool(more, spec.base));
    for (let i = 0; i < more; i++) lanes.push(lane(pools[1]));
  }, GROW_AFTER_MS);
  try {
    // lanes added by `grow` join the list while the first runs: wait until every one has ended
    for (let i = 0; i < lanes.length; i++) await lanes[i];
  } finally {
    clearTimeout(grow);
    await Promise.all(pools.map((p) => p.destroy()));
  }
  return records.sort((a, b) => a.index - b.index);
}
