// What a serving run measured, as a user reads it: latency percentiles (time to first token,
// time per output token after the first, end to end), throughput per second and per GPU, goodput
// under the stated objectives, KV-cache use, and whether the load outran the deployment.
import { gpusOf, type ServeSpec } from '../../workload/serving/serve-spec.js';
import type { Sequence } from './batch-scheduler.js';
import type { ServingRun } from './serving-run.js';

export interface Percentiles {
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

export interface ServingSummary {
  readonly requests: number;
  readonly completed: number;
  readonly rejected: number;
  readonly gpus: number;
  readonly durationSec: number;
  readonly ttftSec: Percentiles;
  readonly tpotSec: Percentiles;
  readonly e2eSec: Percentiles;
  readonly requestsPerSec: number;
  readonly inputTokensPerSec: number;
  readonly outputTokensPerSec: number;
  readonly outputTokensPerSecPerGpu: number;
  /** Completed requests per second whose TTFT and TPOT met the objectives, and their share. */
  readonly goodputPerSec: number;
  readonly sloAttainment: number;
  readonly meanKvUse: number;
  readonly peakKvUse: number;
  readonly preemptions: number;
  /** Preemptions that swapped to host memory, and the step seconds spent copying (all instances). */
  readonly swapOuts: number;
  readonly swapSec: number;
  /** Prompt tokens found in the prefix cache at admission, over all instances (prefixHitRate). */
  readonly prefixHitTokens: number;
  readonly steps: number;
  /** Open-loop load that the deployment did not keep up with: the admission queue kept growing to the last arrival. */
  readonly overloaded: boolean;
}

/** Nearest-rank percentiles of `xs` (sorted here); zeros when empty. */
export function percentiles(xs: number[]): Percentiles {
  if (xs.length === 0) return { mean: 0, p50: 0, p90: 0, p99: 0, max: 0 };
  xs.sort((a, b) => a - b);
  const at = (q: number) => xs[Math.min(xs.length - 1, Math.max(0, Math.ceil(q * xs.length) - 1))];
  return { mean: xs.reduce((a, x) => a + x, 0) / xs.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: xs[xs.length - 1] };
}

/** Seconds per output token after the first; 0 for one-token outputs. */
export const tpotOf = (s: Sequence) => (s.output > 1 ? (s.finishedSec - s.firstTokenSec) / (s.output - 1) : 0);

export function summarize(spec: ServeSpec, run: ServingRun): ServingSummary {
  const done = run.requests.filter((s) => s.finishedSec >= 0);
  const gpus = gpusOf(spec);
  const start = run.requests.reduce((a, s) => Math.min(a, s.arrivalSec), Infinity);
  const durationSec = Math.max(1e-12, run.makespanSec - (Number.isFinite(start) ? start : 0));
  const good = done.filter((s) => s.firstTokenSec - s.arrivalSec <= spec.slo.ttftSec && tpotOf(s) <= spec.slo.tpotSec);
  const out = done.reduce((a, s) => a + s.output, 0);
  const busy = run.instances.reduce((a, i) => a + i.busySec, 0);
  const open = spec.load.kind !== 'concurrency';
  return {
    requests: run.requests.length,
    completed: done.length,
    rejected: run.rejected.length,
    gpus,
    durationSec,
    ttftSec: percentiles(done.map((s) => s.firstTokenSec - s.arrivalSec)),
    tpotSec: percentiles(done.filter((s) => s.output > 1).map(tpotOf)),
    e2eSec: percentiles(done.map((s) => s.finishedSec - s.arrivalSec)),
    requestsPerSec: done.length / durationSec,
    inputTokensPerSec: done.reduce((a, s) => a + s.prompt, 0) / durationSec,
    outputTokensPerSec: out / durationSec,
    outputTokensPerSecPerGpu: out / durationSec / gpus,
    goodputPerSec: good.length / durationSec,
    sloAttainment: done.length ? good.length / done.length : 0,
    meanKvUse: busy > 0 ? run.instances.reduce((a, i) => a + i.meanKvUse * i.busySec, 0) / busy : 0,
    peakKvUse: run.instances.reduce((a, i) => Math.max(a, i.peakKvUse), 0),
    preemptions: run.instances.reduce((a, i) => a + i.preemptions, 0),
    swapOuts: run.instances.reduce((a, i) => a + i.swapOuts, 0),
    swapSec: run.instances.reduce((a, i) => a + i.swapSec, 0),
    prefixHitTokens: run.instances.reduce((a, i) => a + i.prefixHitTokens, 0),
    steps: run.steps,
    overloaded: open && run.waitingAtEnd >= Math.max(1.5 * run.waitingAtHalf, 0.05 * run.requests.length, 1),
  };
}
