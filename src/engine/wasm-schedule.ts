// Runs a release schedule inside the Wasm module (assembly/replay.ts): activity i is started at
// releaseSec[i] (no delay, no bound, weight 1, coefficient 1 on resources[resStart[i] ..
// resStart[i+1])), in the given order, and runs to completion. The module makes exactly the
// calls the JS replay loop makes (advance(until) to each release instant, all releases of an
// instant started before the next solve), so finish times are identical; only the JS/Wasm
// crossings per event disappear. Releases are staged in chunks so Wasm memory holds one chunk.
import { FairwayError } from '../core/errors.js';
import type { FlowModuleExports } from './wasm-module.js';

export interface ReleaseSchedule {
  /** Activity indices in release order (non-decreasing releaseSec; ties start in this order). */
  readonly order: Int32Array;
  readonly releaseSec: Float64Array;
  readonly amount: Float64Array;
  readonly resStart: Int32Array;
  readonly resources: Int32Array;
}

export interface ScheduleResult {
  /** Completion time per activity index (NaN if it never completed). */
  readonly finish: Float64Array;
  /** Live activities were left that can never progress (a resource they use has capacity 0). */
  readonly stalled: boolean;
}

export type ScheduleProgress = (completed: number, total: number, nowSec: number) => void;

const CHUNK = 16_384;
const DONE = 0, NEED_RELEASES = 1, BUDGET = 2, STALLED = 3;
/** Completions between progress reports. */
const PROGRESS_EVERY = 4096;

export function runScheduleInWasm(m: FlowModuleExports, s: ReleaseSchedule, progress?: ScheduleProgress): ScheduleResult {
  const total = s.order.length;
  const budget = progress ? PROGRESS_EVERY : 0x7fffffff;
  m.replayBegin(total);
  let staged = 0, reported = 0;
  for (;;) {
    const code = m.replayRun(staged >= total ? 1 : 0, budget);
    if (code === NEED_RELEASES) {
      staged = stage(m, s, staged);
      continue;
    }
    if (code === BUDGET) {
      reported = m.replayCompleted();
      progress?.(reported, total, m.getNow());
      continue;
    }
    if (code < 0 || (code !== DONE && code !== STALLED)) throw new FairwayError('E_INTERNAL', `flow engine (wasm) rejected a scheduled start (code ${code})`);
    const done = m.replayCompleted();
    if (progress && done > reported) progress(done, total, m.getNow());
    const finish = new Float64Array(m.memory.buffer, m.replayColumn(5), total).slice();
    return { finish, stalled: code === STALLED };
  }
}

/** Stages the next chunk of releases from schedule position `from`; returns the new position. */
function stage(m: FlowModuleExports, s: ReleaseSchedule, from: number): number {
  const n = Math.min(CHUNK, s.order.length - from);
  let links = 0;
  for (let k = 0; k < n; k++) {
    const i = s.order[from + k];
    links += s.resStart[i + 1] - s.resStart[i];
  }
  m.replayStage(n, links);
  const buf = m.memory.buffer;
  const idx = new Int32Array(buf, m.replayColumn(0), n);
  const time = new Float64Array(buf, m.replayColumn(1), n);
  const amount = new Float64Array(buf, m.replayColumn(2), n);
  const start = new Int32Array(buf, m.replayColumn(3), n + 1);
  const res = new Int32Array(buf, m.replayColumn(4), links);
  let off = 0;
  for (let k = 0; k < n; k++) {
    const i = s.order[from + k];
    idx[k] = i;
    time[k] = s.releaseSec[i];
    amount[k] = s.amount[i];
    start[k] = off;
    for (let j = s.resStart[i]; j < s.resStart[i + 1]; j++) res[off++] = s.resources[j];
  }
  start[n] = off;
  return from + n;
}
