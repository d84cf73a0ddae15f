// Replays a flow problem on a FlowEngine: each link is a resource of capacity bw; flow f becomes
// active at start_f + (sum of its route's latencies, added in route order) and then uses every
// link of its route at its rate (coefficient 1) until size_f bytes are through. The flows become
// a release schedule in activation order, run by the engine's batch replay
// (engine/batch-replay.ts): arrivals start exactly at their activation times and all arrivals of
// one instant share one solve. The loop is the engine's (inside the module on the Wasm engine).
import { FairwayError } from '../core/errors.js';
import type { ReleaseSchedule } from '../engine/batch-replay.js';
import { batchReplayOf } from '../engine/event-loop-replay.js';
import type { EngineStats, FlowEngine } from '../engine/flow-engine.js';
import type { FlowProblem } from './flow-problem.js';

export interface FlowReplayResult {
  /** Finish time per flow (index as in the problem), seconds. */
  readonly finish: Float64Array;
  readonly stats: EngineStats;
}

export type ReplayProgress = (completed: number, total: number, simTime: number) => void;

/** Activation times: start + route latencies summed in route order (the SimGrid harness's order). */
export function activationTimes(p: FlowProblem): Float64Array {
  const n = p.flowIds.length;
  const act = new Float64Array(n);
  for (let f = 0; f < n; f++) {
    let lat = 0;
    for (let k = p.routeStart[f]; k < p.routeStart[f + 1]; k++) lat += p.linkLatency[p.routeLinks[k]];
    act[f] = p.flowStart[f] + lat;
  }
  return act;
}

export function replayFlows(p: FlowProblem, engine: FlowEngine, progress?: ReplayProgress): FlowReplayResult {
  for (let l = 0; l < p.linkIds.length; l++) engine.addResource(p.linkBandwidth[l]);
  const r = batchReplayOf(engine).run(flowSchedule(p), progress);
  if (r.stalled) throw new FairwayError('E_STALLED', `${engine.liveCount} flows cannot progress (a resource they use has capacity 0)`);
  return { finish: r.finish, stats: engine.stats() };
}

/** The problem's flows as a release schedule: released at their activation times, in activation order (ties by index). */
export function flowSchedule(p: FlowProblem): ReleaseSchedule {
  const n = p.flowIds.length;
  const act = activationTimes(p);
  // a problem built in code (not parsed) may name a link that does not exist: its activation is NaN and would never come
  for (let f = 0; f < n; f++) {
    if (Number.isFinite(act[f])) continue;
    const bad = Array.from(p.routeLinks.subarray(p.routeStart[f], p.routeStart[f + 1])).find((l) => !(l >= 0 && l < p.linkIds.length));
    throw new FairwayError('E_INPUT', `flow "${p.flowIds[f]}": ${bad !== undefined ? `route names link index ${bad}, but there are ${p.linkIds.length} links` : `start ${p.flowStart[f]} and its route's latencies do not give a finite activation time`}`, [{ path: `flows[${f}]`, message: 'not a valid flow' }]);
  }
  const order = new Int32Array(n);
  for (let f = 0; f < n; f++) order[f] = f;
  order.sort((a, b) => act[a] - act[b] || a - b);
  return { order, releaseSec: act, amount: p.flowSize, resStart: p.routeStart, resources: p.routeLinks };
}
