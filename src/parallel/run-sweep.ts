// Runs a sweep's points on the worker pool: the shard's points not already done, each as one
// task; results are reported as they finish (for streaming to disk and progress) and returned
// in point order. A point that fails, crashes its worker or exceeds the time limit becomes a
// failed record; the others still run.
import { Packr } from 'msgpackr';
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

/** The points this shard runs: index mod count = shard index, so N shards cover the sweep exactly once. */
export function shardPoints(spec: SweepSpec, shard?: Shard): SweepPoint[] {
  const all = sweepPoints(spec);
  return shard ? all.filter((p) => p.index % shard.count === shard.index) : all;
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
  const pool = createSweepPool(workers, spec.base);
  let finished = 0;
  let next = 0;
  // one task in flight per worker, so a point's time limit counts from when it starts; a lane
  // first waits for a worker to be up (a ping), and again after a timeout replaced one, so
  // thread start-up never counts against a point
  const ping = new Uint8Array(0);
  const lane = async () => {
    let warm = false;
    for (let k = next++; k < todo.length; k = next++) {
      const point = todo[k];
      if (!warm && options.timeoutSec) await pool.run(ping);
      warm = true;
      const signal = options.timeoutSec ? AbortSignal.timeout(Math.max(1, Math.ceil(options.timeoutSec * 1000))) : undefined;
      let result: PointResult;
      try {
        result = packr.unpack(await pool.run(packr.pack(point.overrides), { signal })) as PointResult;
      } catch (e) {
        result = { ok: false, error: signal?.aborted ? `timed out after ${options.timeoutSec} s` : `worker failed: ${(e as Error).message ?? String(e)}` };
        warm = false;
      }
      const record = recordOf(point, result);
      records.push(record);
      options.onRecord?.(record, ++finished, todo.length);
    }
  };
  try {
    await Promise.all(Array.from({ length: workers }, lane));
  } finally {
    await pool.destroy();
  }
  return records.sort((a, b) => a.index - b.index);
}
