// The flow engine module's exported API: the composition of the rate solver (solver.ts, with its
// state in store.ts, region.ts and fill.ts), the clock (clock.ts), the uses staging area
// (uses.ts) and the in-module batch replay (replay.ts). Only re-exports: each concern keeps its
// state in its own module, and src/engine/wasm-module.ts types these exports for the TS side.

// rate solver: resources and the solve's tuning and statistics
export { addResource, reserveResources, resourceCount, capacity, activeCount } from "./store";
export { setCapacity, setFullFraction, statSolves, statFullSolves, statRounds, statRegionActivities } from "./solver";
export { setLinearMax, setScanMax, statRegionIncidences } from "./fill";
// an activity's uses, staged before start
export { stageReserve, stageCoefPtr } from "./uses";
// clock: activity lifecycles, time, events
export {
  getNow, start, cancel, state, rate, remaining, nextEventTime, advance, donePtr, liveCount, listStalled,
  statEvents, statCompleted,
} from "./clock";
// batch replay run inside the module
export { replayBegin, replayStage, replayColumn, replayCompleted, replayRun } from "./replay";
