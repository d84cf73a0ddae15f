// A scenario's result as one flat row of metrics (a sweep point's record): a collective's
// algorithm, time and bandwidths at its (first) size, a workload step broken down with its
// most utilized resource, or a serving deployment's goodput, latencies and throughput.
import { workloadStressPoints } from '../report/stress-points.js';
import type { ServingSummary } from '../sim/serving/serving-stats.js';
import type { Metrics } from '../sweep/results.js';
import type { ScenarioResult } from './run-scenario.js';

export function scenarioMetrics(r: ScenarioResult): Metrics {
  if (r.kind === 'collective') {
    const row = r.rows[0], st = r.stats[0];
    return { algo: row.algo, ranks: r.comm.nodes.length, timeUs: row.timeUs, algbwGBps: row.algbwGBps, busbwGBps: row.busbwGBps, operations: st.operations, events: st.events, solves: st.solves };
  }
  if (r.kind === 'serve') return serveMetrics(r.result.summary);
  const s = r.run.summary;
  const top = workloadStressPoints(r.run, r.system.topo, r.system.router, 1).byUtilization[0];
  return {
    stepMs: s.stepSec * 1e3,
    computeMs: s.computeSec * 1e3,
    exposedCommMs: s.exposedCommSec * 1e3,
    inputStallMs: s.inputStallSec * 1e3,
    hostBoundMs: s.hostBoundSec * 1e3,
    idleMs: s.idleSec * 1e3,
    topResource: top?.resource ?? '',
    topUtilization: top?.utilization ?? 0,
    operations: s.operations,
    events: s.events,
  };
}

/** A serving run's row: goodput first (what a split or a TP is chosen by), then latencies in ms (p50, p99), throughput and the cache. */
function serveMetrics(s: ServingSummary): Metrics {
  const ms = (x: number) => x * 1e3;
  return {
    gpus: s.gpus,
    goodputPerSec: s.goodputPerSec,
    sloAttainment: s.sloAttainment,
    requestsPerSec: s.requestsPerSec,
    outputTokensPerSecPerGpu: s.outputTokensPerSecPerGpu,
    ttftP50Ms: ms(s.ttftSec.p50),
    ttftP99Ms: ms(s.ttftSec.p99),
    tpotP50Ms: ms(s.tpotSec.p50),
    tpotP99Ms: ms(s.tpotSec.p99),
    meanKvUse: s.meanKvUse,
    preemptions: s.preemptions,
    completed: s.completed,
    rejected: s.rejected,
    overloaded: s.overloaded ? 'yes' : 'no',
    steps: s.steps,
  };
}
