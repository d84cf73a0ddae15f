// A serving run as text (the summary an architect reads), JSON (every figure, in seconds and
// per second) and a per-request CSV.
import type { Sequence } from '../sim/serving/batch-scheduler.js';
import { acceptedPerStep } from '../workload/serving/speculative.js';
import type { ServingRun } from '../sim/serving/serving-run.js';
import { tpotOf, type Percentiles, type ServingSummary } from '../sim/serving/serving-stats.js';
import type { KvCapacity } from '../workload/serving/kv-capacity.js';
import { tokensOfBlocks } from '../workload/serving/kv-layout.js';
import type { LengthSpec, LoadSpec, ServeSpec } from '../workload/serving/serve-spec.js';
import { monitoredStressPoints, type WorkloadStressPoints } from './stress-points.js';

export interface ServeReport {
  readonly spec: ServeSpec;
  readonly topology: string;
  readonly accelerator: string;
  readonly capacity: KvCapacity;
  readonly kvBytesPerToken: number;
  readonly summary: ServingSummary;
  readonly run: ServingRun;
  readonly wallSec: number;
}

const num = (x: number, digits = 1) => x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const lengthText = (l: LengthSpec) => ('fixed' in l ? `${l.fixed}` : `uniform ${l.uniform[0]}–${l.uniform[1]}`);

function loadText(l: LoadSpec): string {
  if (l.kind === 'trace') return `trace ${l.source}, ${l.requests.length} requests`;
  const lengths = `input ${lengthText(l.input)}, output ${lengthText(l.output)} tokens, seed ${l.seed}`;
  return l.kind === 'poisson' ? `Poisson ${l.rate} requests/s${l.burstiness !== undefined && l.burstiness !== 1 ? ` (gamma gaps, burstiness ${l.burstiness})` : ''}, ${l.requests} requests, ${lengths}` : `${l.concurrency} concurrent clients (closed loop), ${l.requests} requests, ${lengths}`;
}

function deployment(spec: ServeSpec): string {
  const d = spec.disaggregated;
  const pool = (n: number, tp: number, pp = 1) => `${n} instance${n > 1 ? 's' : ''} × TP${tp}${pp > 1 ? ` × PP${pp}` : ''}`;
  const where = d ? `prefill ${pool(d.prefill.instances, d.prefill.tp, d.prefill.pp)} and decode ${pool(d.decode.instances, d.decode.tp, d.decode.pp)}` : pool(spec.instances, spec.tp, spec.pp);
  if (spec.dataParallelAttention && spec.expertParallel) return `${where} (attention data-parallel over the ranks, experts spread over them: DP attention + EP)`;
  if (spec.dataParallelAttention) return `${where} (attention data-parallel over the ranks, FFNs tensor-parallel over the gathered batch: DP attention)`;
  return spec.expertParallel ? `${where} (experts spread over the TP ranks: EP)` : where;
}

function row(label: string, p: Percentiles, scale: number, digits: number): string {
  const cells = [p.mean, p.p50, p.p90, p.p99, p.max].map((x) => num(x * scale, digits).padStart(10));
  return `  ${label.padEnd(10)}${cells.join('')}`;
}

export function formatServeText(r: ServeReport): string {
  const { spec, summary: s, capacity: c } = r;
  const sc = spec.scheduler;
  const lines = [
    `# fairway serve: ${spec.name}`,
    `model ${spec.model.name} on ${deployment(spec)} ${r.accelerator} (${r.topology}); weights ${spec.weights}, KV cache ${spec.kvCache}; router ${spec.router}`,
    `scheduler ${sc.preset}: ${sc.policy}, chunked prefill ${sc.chunkedPrefill ? 'on' : 'off'}, ${sc.tokenBudget} tokens and ${sc.maxSequences} sequences a step, blocks of ${sc.blockSize}`,
    ...(sc.speculative ? [`speculative decoding: a one-layer draft (MTP) of ${sc.speculative.tokens} token${sc.speculative.tokens > 1 ? 's' : ''} a step at acceptance ${sc.speculative.acceptance}: ${num(acceptedPerStep(sc.speculative), 2)} tokens a decode step on average`] : []),
    `KV cache: ${num(tokensOfBlocks(c.layout, c.blocks), 0)} tokens an instance (${num(c.kvBytes / 1e9)} GB a GPU of ${num(c.budgetBytes / 1e9)} GB: weights ${num(c.weightBytes / 1e9)} GB, workspace ${num(c.workspaceBytes / 1e9)} GB; ${num(r.kvBytesPerToken / 1024)} KiB a token)`,
    ...(c.layout.windowUnits > 0 ? [`  sliding-window layers (${c.layout.windowUnits} of every ${c.layout.fullUnits + c.layout.windowUnits} layer groups) keep the last ${c.layout.windowTokens} tokens a sequence: a sequence past the window holds ${num(c.layout.fullUnits / (c.layout.fullUnits + c.layout.windowUnits), 2)} of the KV a token that count assumes`] : []),
    `load: ${loadText(spec.load)}`,
    '',
    `requests: ${s.completed} completed, ${s.rejected} rejected (prompt and output larger than ${spec.dataParallelAttention ? "one rank's share of the KV cache" : 'the KV cache'}); ${num(s.durationSec, 2)} s`,
    `                mean       p50       p90       p99       max`,
    row('TTFT ms', s.ttftSec, 1e3, 1),
    row('TPOT ms', s.tpotSec, 1e3, 2),
    row('E2E s', s.e2eSec, 1, 2),
    `throughput: ${num(s.requestsPerSec, 3)} requests/s; ${num(s.inputTokensPerSec)} input and ${num(s.outputTokensPerSec)} output tokens/s (${num(s.outputTokensPerSecPerGpu)} output tokens/s a GPU, ${s.gpus} GPUs)`,
    `goodput: ${num(s.goodputPerSec, 3)} requests/s within TTFT ≤ ${num(spec.slo.ttftSec * 1e3, 0)} ms and TPOT ≤ ${num(spec.slo.tpotSec * 1e3, 0)} ms (${num(s.sloAttainment * 100)}% of requests)`,
    `KV cache in use: mean ${num(s.meanKvUse * 100)}%, peak ${num(s.peakKvUse * 100)}%; ${s.preemptions} preemptions${spec.scheduler.preemption === 'swap' ? ` (${s.swapOuts} swapped to host memory, ${num(s.swapSec * 1e3, 1)} ms of steps copying out and back; the rest recomputed)` : ''}; ${s.steps.toLocaleString('en-US')} steps`,
    ...((spec.scheduler.prefixHitRate ?? 0) > 0 || spec.prefixes ? [`prefix cache: ${s.prefixHitTokens.toLocaleString('en-US')} prompt tokens found cached at admission (${spec.prefixes ? `${spec.prefixes.groups} shared prefixes of ${spec.prefixes.tokens} tokens` : `hit rate ${spec.scheduler.prefixHitRate}`}), not computed: ${num((100 * s.prefixHitTokens) / Math.max(1, s.inputTokensPerSec * s.durationSec))}% of the prompts' tokens`] : []),
  ];
  const kv = r.run.kvTransfers;
  if (spec.disaggregated) lines.push(`KV transfers prefill → decode: ${kv.count}, ${num(kv.bytes / 1e9)} GB; ${num(kv.meanSec * 1e3, 2)} ms mean, ${num(kv.maxSec * 1e3, 2)} ms max`);
  const bg = r.run.background;
  if (spec.background) lines.push(`background ${spec.background.op} of ${num(spec.background.bytes / 2 ** 20, 0)} MiB on ${spec.background.ranks.length} GPUs: ${bg.runs} runs, ${num(bg.meanSec * 1e3, 2)} ms mean, ${num(bg.maxSec * 1e3, 2)} ms max`);
  const fabric = fabricStressPoints(r.run);
  if (fabric && fabric.byUtilization.length > 0) lines.push(`fabric links most used (KV transfers and background traffic): ${fabric.byUtilization.slice(0, 3).map((p) => `${p.resource} ${num(100 * p.utilization)}%`).join(', ')}`);
  if (s.overloaded) lines.push(`OVERLOADED: requests waiting for admission grew from ${r.run.waitingAtHalf} at half the arrivals to ${r.run.waitingAtEnd} at the last; the load exceeds what this deployment serves, and latencies grow with the run's length`);
  return `${lines.join('\n')}\n`;
}

/** With a fabric: its links' stress points over the run (utilization, time saturated), the top 5 each. */
export function fabricStressPoints(run: ServingRun): WorkloadStressPoints | undefined {
  return run.fabricUse ? monitoredStressPoints(run.fabricUse.monitor, run.fabricUse.resources, run.makespanSec, 5) : undefined;
}

/** Wall-clock figures: for stderr, so the report itself is the same on every run. */
export function serveTiming(r: ServeReport): string {
  return `fairway serve: simulated in ${num(r.wallSec, 2)} s (${num(r.summary.steps / Math.max(r.wallSec, 1e-9), 0)} steps/s)\n`;
}

export function serveJson(r: ServeReport): object {
  const { spec, summary, capacity } = r;
  return {
    schema: 'fairway.serve/1',
    name: spec.name,
    model: spec.model.name,
    topology: r.topology,
    accelerator: r.accelerator,
    instances: spec.instances,
    tp: spec.tp,
    pp: spec.pp ?? 1,
    disaggregated: spec.disaggregated ?? null,
    expertParallel: spec.expertParallel === true,
    dataParallelAttention: spec.dataParallelAttention === true,
    kvTransfers: r.run.kvTransfers,
    background: spec.background ? { ...spec.background, ...r.run.background } : null,
    precision: { weights: spec.weights, kvCache: spec.kvCache },
    scheduler: spec.scheduler,
    router: spec.router,
    prefixes: spec.prefixes ?? null,
    slo: spec.slo,
    kvCache: kvCacheJson(capacity, r.kvBytesPerToken),
    summary,
    fabricStressPoints: fabricStressPoints(r.run) ?? null,
    instanceStats: r.run.instances,
  };
}

/** The KV cache's fields; with sliding-window layers also a block's bytes and the layout (kv-layout.ts). */
function kvCacheJson(c: KvCapacity, bytesPerToken: number): object {
  const { blocks, blockSize, budgetBytes, weightBytes, workspaceBytes, kvBytes } = c;
  const l = c.layout;
  const window = l.windowUnits > 0 ? { blockBytes: c.blockBytes, slidingWindow: { tokens: l.windowTokens, layersPerBlock: l.unitLayers, fullBlocksPerTokenBlock: l.fullUnits, windowBlocksPerTokenBlock: l.windowUnits } } : {};
  return { blocks, blockSize, budgetBytes, weightBytes, workspaceBytes, kvBytes, bytesPerToken, ...window };
}

/** One row per request: id, instance, arrival, lengths, TTFT, TPOT, end to end (s), preemptions; rejected ones have empty times. */
export function requestsCsv(run: ServingRun): string {
  const t = (s: Sequence, x: number) => (s.finishedSec < 0 ? '' : x.toFixed(6));
  const lines = ['id,instance,arrival_s,input_tokens,output_tokens,ttft_s,tpot_s,e2e_s,preemptions'];
  for (const s of run.requests) lines.push([s.id, run.instanceOf[s.id], s.arrivalSec.toFixed(6), s.prompt, s.output, t(s, s.firstTokenSec - s.arrivalSec), t(s, tpotOf(s)), t(s, s.finishedSec - s.arrivalSec), s.preemptions].join(','));
  return `${lines.join('\n')}\n`;
}
