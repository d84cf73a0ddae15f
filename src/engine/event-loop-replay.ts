// The TypeScript implementation of batch replay (batch-replay.ts), driven through the public
// clock and solver calls of any FlowEngine: the reference engine declares it as its replay, and
// it stands in for an engine that declares none. Its loop is the in-module one of
// assembly/replay.ts line for line (start the releases due, stop when all are released and
// nothing is live, stall when no release and no event can come, else advance to the earlier
// of the next release and the next event), so on the same engine both give identical results.
import { grownTo } from '../core/typed-arrays.js';
import type { FlowEngine } from './flow-engine.js';
import { PROGRESS_EVERY, ProgressReports, type BatchReplay, type ReleaseSchedule, type ScheduleProgress, type ScheduleResult } from './batch-replay.js';
import { checkSchedule } from './validate-args.js';

/** The engine's declared batch replay, or (for an engine that declares none) the TS loop over its clock. */
export function batchReplayOf(engine: FlowEngine): BatchReplay {
  return engine.replay ?? eventLoopReplay(engine);
}

export function eventLoopReplay(engine: FlowEngine): BatchReplay {
  return { run: (schedule, progress, every) => runEventLoop(engine, schedule, progress, every) };
}

function runEventLoop(e: FlowEngine, s: ReleaseSchedule, progress?: ScheduleProgress, every = PROGRESS_EVERY): ScheduleResult {
  checkSchedule(s, e.resourceCount, e.liveCount);
  const n = s.order.length;
  const finish = new Float64Array(n).fill(NaN);
  const reports = new ProgressReports(n, progress, every);
  let indexOf = new Int32Array(1024); // schedule index per activity id
  let next = 0, completed = 0, stalled = false;
  for (;;) {
    for (; next < n && s.releaseSec[s.order[next]] <= e.now; next++) {
      const i = s.order[next];
      const id = e.startOn(s.amount[i], s.resources.subarray(s.resStart[i], s.resStart[i + 1]));
      indexOf = grownTo(indexOf, id + 1);
      indexOf[id] = i;
    }
    if (next === n && e.liveCount === 0) break;
    const arrival = next < n ? s.releaseSec[s.order[next]] : Infinity;
    const event = e.nextEventTime();
    if (!(arrival < Infinity) && event === Infinity) {
      stalled = true;
      break;
    }
    const done = e.advance(arrival <= event ? arrival : Infinity);
    for (let k = 0; k < done.length; k++) finish[indexOf[done[k]]] = e.now;
    completed += done.length;
    reports.after(completed, e.now);
  }
  reports.end(completed, e.now);
  return { finish, stalled };
}
