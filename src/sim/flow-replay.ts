// Replays a flow problem on a FlowEngine: each link is a resource of capacity bw; flow f becomes
// active at start_f + (sum of its route's latencies, added in route order) and then uses every
// link of its route at its rate (coefficient 1) until size_f bytes are through. Arrivals are fed
// in activation order: the clock is moved exactly to each activation time (advance(until)) and
// every flow activating then is started with no delay, so activation times are exact and all
// arrivals of one instant share one solve. On a fresh Wasm engine the same loop runs inside the
// module (engine/wasm-schedule.ts), with identical results and no JS/Wasm crossing per event.
import { FairwayError } from '../core/errors.js';
import type { EngineStats, FlowEngine } from '../engine/flow-engine.js';
import { WasmFlowEngine } from '../engine/wasm-engine.js';
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
  const n = p.flowIds.length;
  for (let l = 0; l < p.linkIds.length; l++) engine.addResource(p.linkBandwidth[l]);
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

  if (engine instanceof WasmFlowEngine && engine.liveCount === 0 && startsCleanly(p, engine.resourceCount)) {
    const r = engine.runSchedule({ order, releaseSec: act, amount: p.flowSize, resStart: p.routeStart, resources: p.routeLinks }, progress);
    if (r.stalled) throw stalledError(engine);
    return { finish: r.finish, stats: engine.stats() };
  }

  const finish = new Float64Array(n).fill(NaN);
  let flowOf = new Int32Array(1024);
  let next = 0, completed = 0;
  const record = (done: Int32Array): void => {
    for (let k = 0; k < done.length; k++) finish[flowOf[done[k]]] = engine.now;
    completed += done.length;
    if (progress && done.length > 0) progress(completed, n, engine.now);
  };
  while (next < n || engine.liveCount > 0) {
    const arrival = next < n ? act[order[next]] : Infinity;
    const event = engine.nextEventTime();
    if (!(arrival < Infinity) && event === Infinity) throw stalledError(engine);
    if (arrival <= event) {
      record(engine.advance(arrival));
      while (next < n && act[order[next]] <= engine.now) {
        const f = order[next++];
        const id = engine.startOn(p.flowSize[f], p.routeLinks.subarray(p.routeStart[f], p.routeStart[f + 1]));
        if (id >= flowOf.length) {
          const grown = new Int32Array(Math.max(flowOf.length * 2, id + 1));
          grown.set(flowOf);
          flowOf = grown;
        }
        flowOf[id] = f;
      }
    } else record(engine.advance());
  }
  return { finish, stats: engine.stats() };
}

function stalledError(engine: FlowEngine): FairwayError {
  return new FairwayError('E_STALLED', `${engine.liveCount} flows cannot progress (a resource they use has capacity 0)`);
}

/** Every flow would pass the engine's start checks (else the JS loop runs and reports the bad one); activations are checked finite before. */
function startsCleanly(p: FlowProblem, resources: number): boolean {
  for (let f = 0; f < p.flowIds.length; f++) {
    const size = p.flowSize[f];
    if (!(size >= 0 && size < Infinity)) return false;
    const s = p.routeStart[f], e = p.routeStart[f + 1];
    if (!(e > s)) return false;
    for (let k = s; k < e; k++) if (!(p.routeLinks[k] >= 0 && p.routeLinks[k] < resources)) return false;
  }
  return true;
}
