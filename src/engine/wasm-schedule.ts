// The Wasm engine's batch replay (batch-replay.ts): the host side of the loop that runs inside
// the module (assembly/replay.ts). The module makes exactly the calls of the TS replay
// (event-loop-replay.ts) on its own clock, so finish times and statistics are identical; only
// the JS/Wasm crossings per event disappear. Releases are staged in chunks so Wasm memory holds
// one chunk; the module stops for the next chunk, for a due progress report, at the end, or on
// a stall.
import { FairwayError } from '../core/errors.js';
import { PROGRESS_EVERY, ProgressReports, type ReleaseSchedule, type ScheduleProgress, type ScheduleResult } from './batch-replay.js';
import type { FlowModuleExports } from './wasm-module.js';

const CHUNK = 16_384;
// replayRun's answers (assembly/replay.ts REPLAY_*); negative: a start refused (ERR_*)
const DONE = 0, NEED_RELEASES = 1, PROGRESS = 2, STALLED = 3;

/** Runs an (already checked) schedule inside the module. */
export function runScheduleInWasm(m: FlowModuleExports, s: ReleaseSchedule, progress?: ScheduleProgress, every = PROGRESS_EVERY): ScheduleResult {
  const total = s.order.length;
  const reports = new ProgressReports(total, progress, every);
  m.replayBegin(total, progress ? every : 0);
  let staged = 0;
  for (;;) {
    const code = m.replayRun(staged >= total ? 1 : 0);
    if (code === NEED_RELEASES) {
      staged = stage(m, s, staged);
      continue;
    }
    if (code === PROGRESS) {
      reports.after(m.replayCompleted(), m.getNow());
      continue;
    }
    if (code !== DONE && code !== STALLED) throw new FairwayError('E_INTERNAL', `flow engine (wasm) rejected a scheduled start (code ${code})`);
    reports.end(m.replayCompleted(), m.getNow());
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
