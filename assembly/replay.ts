// Batch replay inside the module: the Wasm engine's BatchReplay (src/engine/batch-replay.ts),
// with no JS/Wasm crossing per event. Release k of the schedule is started (no delay, bound
// none, weight 1, coefficient 1 on each of its resources) exactly at its release time: the clock
// is moved there with advance(until) and every release of that instant is started before the
// next solve, so all arrivals of one instant share one solve. It drives the clock only through
// its exported calls (start, nextEventTime, advance), in the same order as the TS replay
// (src/engine/event-loop-replay.ts), so both give identical results on the same engine.
//
// Releases arrive in staged chunks (replayStage) in release order; replayRun returns when it
// needs the next chunk, when the completed count reaches the next multiple of `every` (for
// progress reports), when everything is done, or when the live activities can no longer
// progress. Finish times land in a column indexed by schedule position.
import { getF, setF, getI, setI, growColumn, grownCapacity } from "./mem";
import { start, advance, nextEventTime, getNow, donePtr, liveCount } from "./clock";
import { stageReserve, stageCoefPtr } from "./uses";

export const REPLAY_DONE: i32 = 0;
export const REPLAY_NEED_RELEASES: i32 = 1;
export const REPLAY_PROGRESS: i32 = 2;
export const REPLAY_STALLED: i32 = 3;

// staged chunk: schedule index, release time, amount, resource range (i32 offsets into arrRes)
let arrIdx: usize = 0;
let arrTime: usize = 0;
let arrAmount: usize = 0;
let arrStart: usize = 0;
let arrRes: usize = 0;
let arrCap: i32 = 0;
let arrResCap: i32 = 0;
let arrN: i32 = 0;
let arrK: i32 = 0;

let finish: usize = 0;   // f64 per schedule index, NaN until complete
let finishCap: i32 = 0;
let indexOf: usize = 0;  // i32 per activity id: its schedule index
let indexCap: i32 = 0;
let completed: f64 = 0;
let every: f64 = Infinity;      // completions between progress stops
let nextReport: f64 = Infinity; // completed count at which replayRun next stops for a report

/** Starts a replay of `n` releases, stopping for a report every `reportEvery` completions (0: never): clears the finish column and the chunk. */
export function replayBegin(n: i32, reportEvery: i32): void {
  if (n > finishCap) {
    const c = grownCapacity(finishCap, n);
    finish = growColumn(finish, finishCap, c, 8);
    finishCap = c;
  }
  for (let i = 0; i < n; i++) setF(finish, i, NaN);
  completed = 0;
  every = reportEvery > 0 ? <f64>reportEvery : Infinity;
  nextReport = every;
  arrN = 0; arrK = 0;
}

/** Makes room for a chunk of n releases using `links` resources in all; the columns are read via replayColumn. */
export function replayStage(n: i32, links: i32): void {
  if (n + 1 > arrCap) {
    const c = grownCapacity(arrCap, n + 1);
    arrIdx = growColumn(arrIdx, arrCap, c, 4);
    arrTime = growColumn(arrTime, arrCap, c, 8);
    arrAmount = growColumn(arrAmount, arrCap, c, 8);
    arrStart = growColumn(arrStart, arrCap, c, 4);
    arrCap = c;
  }
  if (links > arrResCap) {
    const c = grownCapacity(arrResCap, links);
    arrRes = growColumn(arrRes, arrResCap, c, 4);
    arrResCap = c;
  }
  arrN = n; arrK = 0;
}

/** Address of a column: 0 index (i32), 1 release time (f64), 2 amount (f64), 3 resource offsets (i32, n+1), 4 resources (i32), 5 finish (f64). */
export function replayColumn(k: i32): usize {
  switch (k) {
    case 0: return arrIdx;
    case 1: return arrTime;
    case 2: return arrAmount;
    case 3: return arrStart;
    case 4: return arrRes;
    default: return finish;
  }
}

export function replayCompleted(): f64 { return completed; }

function startStaged(k: i32): i32 {
  const s = getI(arrStart, k), n = getI(arrStart, k + 1) - s;
  const res = stageReserve(n), coef = stageCoefPtr();
  for (let j = 0; j < n; j++) { setI(res, j, getI(arrRes, s + j)); setF(coef, j, 1); }
  const id = start(getF(arrAmount, k), n, Infinity, 1, 0);
  if (id < 0) return id;
  if (id >= indexCap) {
    const c = grownCapacity(indexCap, id + 1);
    indexOf = growColumn(indexOf, indexCap, c, 4);
    indexCap = c;
  }
  setI(indexOf, id, getI(arrIdx, k));
  return id;
}

function record(n: i32): void {
  const done = donePtr(), t = getNow();
  for (let i = 0; i < n; i++) setF(finish, getI(indexOf, getI(done, i)), t);
  completed += <f64>n;
}

/** True (and the next report moved on) when the completed count reached the next report. */
function reportDue(): bool {
  if (completed < nextReport) return false;
  nextReport = (Math.floor(completed / every) + 1) * every;
  return true;
}

/**
 * Runs the replay until it needs more releases (`last` = 0 means more chunks follow), until a
 * progress report is due, until done, or until stalled. Returns a REPLAY_* code, or a negative
 * ERR_* code of start.
 */
export function replayRun(last: i32): i32 {
  while (true) {
    while (arrK < arrN && getF(arrTime, arrK) <= getNow()) {
      const id = startStaged(arrK++);
      if (id < 0) return id;
    }
    if (arrK == arrN) {
      if (last == 0) return REPLAY_NEED_RELEASES;
      if (liveCount() == 0) return REPLAY_DONE;
    }
    const arrival = arrK < arrN ? getF(arrTime, arrK) : Infinity;
    const event = nextEventTime();
    // a release time that is not a number never comes: stalled, not an endless loop
    if (!(arrival < Infinity) && event == Infinity) return REPLAY_STALLED;
    record(advance(arrival <= event ? arrival : Infinity));
    if (reportDue()) return REPLAY_PROGRESS;
  }
}
