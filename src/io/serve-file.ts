// Serve files (YAML/JSON, docs/serve.md): a deployment (model, instances × tensor parallelism,
// precision, scheduler preset and overrides, router), its load (Poisson, closed-loop concurrency
// or a request trace) and its latency objectives, validated field by field with paths.
import { dirname, isAbsolute, resolve } from 'node:path';
import { FairwayError, IssueList } from '../core/errors.js';
import type { AttentionImpl } from '../hardware/attention-efficiency.js';
import type { KvDtype, ServingDtype } from '../workload/serving/instance-shape.js';
import { SCHEDULER_PRESETS, type LengthSpec, type LoadSpec, type Pool, type SchedulerConfig, type ServeSpec } from '../workload/serving/serve-spec.js';
import type { Speculation } from '../workload/serving/speculative.js';
import { FieldReader, isDoc, join, type Doc } from './fields.js';
import { readRequestTrace } from './request-trace.js';
import { parseDocumentText } from './topology-file.js';
import { readInputText } from './read-text.js';
import { readModelField } from './training-section.js';

export interface ServeFile {
  readonly spec: ServeSpec;
  /** The topology the file names (shipped name, builder spec or file), if any. */
  readonly topology?: string;
}

const TOP = ['name', 'topology', 'model', 'instances', 'tp', 'pp', 'disaggregated', 'expertParallel', 'dataParallelAttention', 'precision', 'attention', 'scheduler', 'speculative', 'router', 'load', 'slo', 'background'];
const SCHEDULER = ['preset', 'policy', 'chunkedPrefill', 'tokenBudget', 'maxSequences', 'blockSize', 'memoryUtilization', 'stepOverhead', 'reserveOutput', 'memoryBasis', 'prefixHitRate', 'preemption', 'swapSpace', 'cudaGraphs', 'launch'];
const LOAD = ['kind', 'rate', 'concurrency', 'requests', 'input', 'output', 'seed', 'trace', 'limit', 'speedup', 'prefixes', 'burstiness'];
const DTYPES = ['bf16', 'fp8', 'fp4', 'w4a16'] as const;
const KV_DTYPES = ['bf16', 'fp8'] as const;
/** vLLM's swap_space default: 4 GiB of host memory a GPU. */
const SWAP_SPACE_BYTES = 4 * 2 ** 30;

export function readServeFile(file: string): ServeFile {
  return parseServe(parseDocumentText(readInputText(file, 'serve file'), file), file);
}

export function parseServe(doc: unknown, file: string): ServeFile {
  const issues = new IssueList();
  const r = new FieldReader(issues);
  if (!isDoc(doc)) throw new FairwayError('E_INPUT', `${file}: a serve file is an object with model, tp and load`, [{ path: '', message: 'not an object' }]);
  r.known(doc, '', TOP);
  const model = readModelField(r, doc.model, 'model');
  const precision = isDoc(doc.precision) ? doc.precision : {};
  if (doc.precision !== undefined && !isDoc(doc.precision)) issues.add('precision', 'must be an object such as {weights: fp8, kvCache: fp8}');
  r.known(precision, 'precision', ['weights', 'kvCache']);
  const weights: ServingDtype = r.oneOf(precision, 'weights', 'precision', DTYPES, 'bf16');
  const spec = {
    name: r.str(doc, 'name', '', file) ?? file,
    model,
    instances: r.int(doc, 'instances', '', 1, 4096, 1) ?? 1,
    tp: r.int(doc, 'tp', '', 1, 64, 1) ?? 1,
    ...(doc.pp !== undefined ? { pp: r.int(doc, 'pp', '', 1, 64, 1) ?? 1 } : {}),
    disaggregated: readDisaggregated(r, doc),
    expertParallel: r.bool(doc, 'expertParallel', '', false),
    ...(doc.dataParallelAttention !== undefined ? { dataParallelAttention: r.bool(doc, 'dataParallelAttention', '', false) } : {}),
    weights,
    // an FP4 checkpoint's cache defaults to FP8 (ModelOpt's NVFP4 checkpoints carry FP8 KV-cache scales), a weight-only 4-bit one's to BF16 (its math's)
    kvCache: r.oneOf(precision, 'kvCache', 'precision', KV_DTYPES, weights === 'fp4' ? 'fp8' : weights === 'w4a16' ? 'bf16' : weights) as KvDtype,
    attention: doc.attention === undefined ? undefined : r.oneOf(doc, 'attention', '', ['flash1', 'flash2', 'fused'] as const, 'fused') as AttentionImpl,
    scheduler: withSpeculation(readScheduler(r, doc.scheduler), readSpeculative(r, doc.speculative)),
    router: r.oneOf(doc, 'router', '', ['round-robin', 'least-loaded', 'kv-aware'] as const, 'least-loaded'),
    prefixes: readPrefixes(r, doc.load),
    background: readBackground(r, doc.background),
    load: readLoad(r, doc.load, file),
    slo: readSlo(r, doc.slo),
  };
  const staged = (spec.pp ?? 1) > 1 || (spec.disaggregated && ((spec.disaggregated.prefill.pp ?? 1) > 1 || (spec.disaggregated.decode.pp ?? 1) > 1));
  if (spec.scheduler.speculative && staged) issues.add('speculative', 'speculative decoding with pipeline stages is not modelled: leave out pp, or speculative');
  if (spec.router === 'kv-aware' && !spec.prefixes) issues.add('router', 'kv-aware routes by cached prompt prefixes: give load.prefixes, e.g. {groups: 16, tokens: 1024}');
  if (spec.prefixes && (spec.scheduler.prefixHitRate ?? 0) > 0) issues.add('scheduler.prefixHitRate', 'give either a hit rate or load.prefixes (shared prefixes the instances cache), not both');
  issues.throwIfAny(`${file}: invalid serve file`);
  return { spec: spec as ServeSpec, topology: r.str(doc, 'topology', '') };
}

/**
 * `speculative: {method: mtp, tokens: 3, acceptance: 0.7}`: a one-layer draft (DeepSeek's
 * multi-token prediction, EAGLE-style heads) proposing `tokens` tokens a step, each accepted with
 * probability `acceptance` (src/workload/serving/speculative.ts).
 */
function readSpeculative(r: FieldReader, v: unknown): Speculation | undefined {
  if (v === undefined) return undefined;
  if (!isDoc(v)) {
    r.issues.add('speculative', 'must be an object such as {method: mtp, tokens: 3, acceptance: 0.7}');
    return undefined;
  }
  r.known(v, 'speculative', ['method', 'tokens', 'acceptance']);
  r.oneOf(v, 'method', 'speculative', ['mtp'] as const, 'mtp');
  if (v.tokens === undefined) r.issues.add('speculative.tokens', 'required: draft tokens a step, a whole number from 1 to 16 (DeepSeek-V3\'s MTP runs 1 to 3)');
  const tokens = v.tokens === undefined ? undefined : r.int(v, 'tokens', 'speculative', 1, 16);
  if (typeof v.acceptance !== 'number' || !(v.acceptance >= 0 && v.acceptance <= 1)) {
    r.issues.add('speculative.acceptance', `the probability that a draft token is accepted, from 0 to 1 (engines report acceptance lengths: a length L of k drafts is about this rate solved from (1 − a^(k+1)) / (1 − a) = L), got ${JSON.stringify(v.acceptance)}`);
    return undefined;
  }
  return tokens === undefined ? undefined : { tokens, acceptance: v.acceptance };
}

function withSpeculation(c: SchedulerConfig, s: Speculation | undefined): SchedulerConfig {
  return s ? { ...c, speculative: s } : c;
}

function readPool(r: FieldReader, v: unknown, path: string): Pool {
  if (!isDoc(v)) {
    r.issues.add(path, 'required: {instances: N, tp: T}');
    return { instances: 1, tp: 1 };
  }
  r.known(v, path, ['instances', 'tp', 'pp']);
  return { instances: r.int(v, 'instances', path, 1, 4096, 1) ?? 1, tp: r.int(v, 'tp', path, 1, 64, 1) ?? 1, ...(v.pp !== undefined ? { pp: r.int(v, 'pp', path, 1, 64, 1) ?? 1 } : {}) };
}

/** `disaggregated: {prefill: {instances, tp}, decode: {instances, tp}}`, which replaces instances and tp. */
function readDisaggregated(r: FieldReader, doc: Doc): ServeSpec['disaggregated'] {
  const v = doc.disaggregated;
  if (v === undefined) return undefined;
  if (!isDoc(v)) return r.issues.add('disaggregated', 'must be an object such as {prefill: {instances: 1, tp: 8}, decode: {instances: 1, tp: 8}}'), undefined;
  r.known(v, 'disaggregated', ['prefill', 'decode', 'kvTransfer']);
  if (doc.instances !== undefined || doc.tp !== undefined || doc.pp !== undefined) r.issues.add('disaggregated', 'give the pools here, not instances, tp and pp at the top');
  const kvTransfer = r.oneOf(v, 'kvTransfer', 'disaggregated', ['request', 'layer'] as const, 'request');
  return { prefill: readPool(r, v.prefill, 'disaggregated.prefill'), decode: readPool(r, v.decode, 'disaggregated.decode'), ...(v.kvTransfer !== undefined ? { kvTransfer } : {}) };
}

function readScheduler(r: FieldReader, v: unknown): SchedulerConfig {
  const doc: Doc = isDoc(v) ? v : {};
  if (v !== undefined && !isDoc(v)) r.issues.add('scheduler', 'must be an object such as {preset: vllm, tokenBudget: 8192}');
  r.known(doc, 'scheduler', SCHEDULER);
  const preset = r.oneOf(doc, 'preset', 'scheduler', Object.keys(SCHEDULER_PRESETS) as string[], 'vllm');
  const base = SCHEDULER_PRESETS[preset] ?? SCHEDULER_PRESETS.vllm;
  return {
    preset,
    policy: r.oneOf(doc, 'policy', 'scheduler', ['decode-first', 'prefill-first'] as const, base.policy),
    chunkedPrefill: r.bool(doc, 'chunkedPrefill', 'scheduler', base.chunkedPrefill),
    tokenBudget: r.int(doc, 'tokenBudget', 'scheduler', 1, 1 << 24, base.tokenBudget) ?? base.tokenBudget,
    maxSequences: r.int(doc, 'maxSequences', 'scheduler', 1, 1 << 20, base.maxSequences) ?? base.maxSequences,
    blockSize: r.int(doc, 'blockSize', 'scheduler', 1, 4096, base.blockSize) ?? base.blockSize,
    memoryUtilization: r.fraction(doc, 'memoryUtilization', 'scheduler') ?? base.memoryUtilization,
    memoryBasis: r.oneOf(doc, 'memoryBasis', 'scheduler', ['total', 'free'] as const, base.memoryBasis),
    stepOverheadSec: r.quantity(doc, 'stepOverhead', 'scheduler', 'duration', { allowZero: true }) ?? base.stepOverheadSec,
    reserveOutput: reserveOf(r, doc, base.reserveOutput),
    prefixHitRate: shareOf(r, doc, 'prefixHitRate', "the share of each prompt found in the prefix cache", 0),
    preemption: r.oneOf(doc, 'preemption', 'scheduler', ['recompute', 'swap'] as const, 'recompute'),
    swapSpaceBytes: r.quantity(doc, 'swapSpace', 'scheduler', 'bytes', { allowZero: true }) ?? SWAP_SPACE_BYTES,
    cudaGraphs: r.oneOf(doc, 'cudaGraphs', 'scheduler', ['all', 'decode', 'none'] as const, 'all'),
    launchSec: r.quantity(doc, 'launch', 'scheduler', 'duration', { allowZero: true, max: 1, maxLabel: '1 s' }) ?? 5e-6,
  };
}

function reserveOf(r: FieldReader, doc: Doc, fallback: number): number {
  return shareOf(r, doc, 'reserveOutput', "the share of each request's output reserved in KV blocks at admission", fallback);
}

/** A scheduler field that is a share from 0 to 1. */
function shareOf(r: FieldReader, doc: Doc, key: string, meaning: string, fallback: number): number {
  const v = doc[key];
  if (v === undefined) return fallback;
  if (typeof v === 'number' && v >= 0 && v <= 1) return v;
  r.issues.add(`scheduler.${key}`, `must be a number from 0 to 1 (${meaning}), got ${JSON.stringify(v)}`);
  return fallback;
}

function readLength(r: FieldReader, doc: Doc, key: string, path: string): LengthSpec {
  const v = doc[key];
  const p = join(path, key);
  if (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 10_000_000) return { fixed: v };
  if (isDoc(v) && Array.isArray(v.uniform) && v.uniform.length === 2 && v.uniform.every((x) => Number.isInteger(x) && (x as number) >= 1) && (v.uniform[0] as number) <= (v.uniform[1] as number))
    return { uniform: [v.uniform[0] as number, v.uniform[1] as number] };
  r.issues.add(p, `required: tokens, a whole number ≥ 1 (e.g. 1024) or {uniform: [min, max]}, got ${JSON.stringify(v)}`);
  return { fixed: 1 };
}

function readLoad(r: FieldReader, v: unknown, file: string): LoadSpec {
  if (!isDoc(v)) {
    r.issues.add('load', 'required: {kind: poisson, rate: 2, requests: 500, input: 1024, output: 256}, {kind: concurrency, concurrency: 64, ...} or {kind: trace, trace: FILE.csv}');
    return { kind: 'poisson', rate: 1, requests: 1, input: { fixed: 1 }, output: { fixed: 1 }, seed: 1 };
  }
  r.known(v, 'load', LOAD);
  const kind = r.oneOf(v, 'kind', 'load', ['poisson', 'concurrency', 'trace'] as const, 'poisson');
  const seed = r.int(v, 'seed', 'load', 0, 2 ** 31 - 1, 1) ?? 1;
  if (v.burstiness !== undefined && kind !== 'poisson') r.issues.add('load.burstiness', 'shapes the gaps of a Poisson load (kind: poisson)');
  if (kind === 'trace') return readTraceLoad(r, v, file);
  const requests = r.int(v, 'requests', 'load', 1, 10_000_000) ?? (r.issues.add('load.requests', 'required: how many requests, e.g. 1000'), 1);
  const [input, output] = [readLength(r, v, 'input', 'load'), readLength(r, v, 'output', 'load')];
  if (kind === 'concurrency') {
    const concurrency = r.int(v, 'concurrency', 'load', 1, 1_000_000) ?? (r.issues.add('load.concurrency', 'required: clients, each sending its next request when the last one finishes'), 1);
    return { kind, concurrency, requests, input, output, seed };
  }
  const rate = positiveRate(r, v);
  const burstiness = v.burstiness === undefined ? undefined : typeof v.burstiness === 'number' && v.burstiness > 0 && v.burstiness <= 1000 ? v.burstiness : (r.issues.add('load.burstiness', `must be a number > 0 (1: Poisson; below 1 burstier, above 1 evener), got ${JSON.stringify(v.burstiness)}`), undefined);
  return { kind, rate, requests, input, output, seed, ...(burstiness === undefined ? {} : { burstiness }) };
}

/** A Poisson rate in requests/s (a decimal number is allowed). */
function positiveRate(r: FieldReader, v: Doc): number {
  if (typeof v.rate === 'number' && v.rate > 0 && Number.isFinite(v.rate)) return v.rate;
  r.issues.add('load.rate', `required: requests per second, a number > 0, got ${JSON.stringify(v.rate)}`);
  return 1;
}

function readTraceLoad(r: FieldReader, v: Doc, file: string): LoadSpec {
  const trace = r.str(v, 'trace', 'load');
  const limit = r.int(v, 'limit', 'load', 1, 10_000_000);
  const speedup = typeof v.speedup === 'number' && v.speedup > 0 && Number.isFinite(v.speedup) ? v.speedup : 1;
  if (v.speedup !== undefined && speedup !== v.speedup) r.issues.add('load.speedup', `must be a number > 0 (2: arrivals twice as fast), got ${JSON.stringify(v.speedup)}`);
  if (trace === undefined) {
    r.issues.add('load.trace', 'required: a CSV of requests (Azure LLM inference trace layout, or arrival_s,input_tokens,output_tokens)');
    return { kind: 'trace', requests: [], source: '' };
  }
  const path = isAbsolute(trace) || file === '<inline>' ? trace : resolve(dirname(file), trace);
  const requests = readRequestTrace(path, 'load.trace', limit).map((q) => ({ ...q, arrivalSec: q.arrivalSec / speedup }));
  return { kind: 'trace', requests, source: trace };
}

/** `load.prefixes: {groups, tokens, seed}`: requests sharing prompt prefixes (seed defaults to the load's). */
function readPrefixes(r: FieldReader, load: unknown): ServeSpec['prefixes'] {
  if (!isDoc(load) || load.prefixes === undefined) return undefined;
  const v = load.prefixes;
  if (!isDoc(v)) return r.issues.add('load.prefixes', 'must be an object such as {groups: 16, tokens: 1024}'), undefined;
  r.known(v, 'load.prefixes', ['groups', 'tokens', 'seed']);
  const groups = r.int(v, 'groups', 'load.prefixes', 1, 1_000_000) ?? (r.issues.add('load.prefixes.groups', 'required: how many distinct shared prefixes, e.g. 16'), 1);
  const tokens = r.int(v, 'tokens', 'load.prefixes', 1, 10_000_000) ?? (r.issues.add('load.prefixes.tokens', 'required: the tokens each shared prefix has, e.g. 1024'), 1);
  const seed = r.int(v, 'seed', 'load.prefixes', 0, 2 ** 31 - 1) ?? (typeof load.seed === 'number' ? load.seed : 1);
  return { groups, tokens, seed };
}

/** `background: {op, bytes, ranks: [ids], every, count}`: a collective on the same fabric. */
function readBackground(r: FieldReader, v: unknown): ServeSpec['background'] {
  if (v === undefined) return undefined;
  if (!isDoc(v)) return r.issues.add('background', 'must be an object such as {op: all_reduce, bytes: 1GiB, ranks: [dgx0/acc0, dgx1/acc0], every: 1s, count: 10}'), undefined;
  r.known(v, 'background', ['op', 'bytes', 'ranks', 'every', 'count']);
  const ranks = Array.isArray(v.ranks) && v.ranks.length >= 2 && v.ranks.every((x) => typeof x === 'string') ? (v.ranks as string[]) : (r.issues.add('background.ranks', 'required: two or more accelerator ids, e.g. [dgx0/acc0, dgx1/acc0]'), []);
  return {
    op: r.oneOf(v, 'op', 'background', ['all_reduce', 'all_gather', 'reduce_scatter', 'alltoall'] as const, 'all_reduce'),
    bytes: r.quantity(v, 'bytes', 'background', 'bytes') ?? (r.issues.add('background.bytes', 'required: the collective\'s size, e.g. 1GiB'), 1),
    ranks,
    everySec: r.quantity(v, 'every', 'background', 'duration') ?? 1,
    count: r.int(v, 'count', 'background', 1, 1_000_000, 1) ?? 1,
  };
}

function readSlo(r: FieldReader, v: unknown): { ttftSec: number; tpotSec: number } {
  const doc: Doc = isDoc(v) ? v : {};
  if (v !== undefined && !isDoc(v)) r.issues.add('slo', 'must be an object such as {ttft: 2s, tpot: 50ms}');
  r.known(doc, 'slo', ['ttft', 'tpot']);
  return { ttftSec: r.quantity(doc, 'ttft', 'slo', 'duration') ?? 2, tpotSec: r.quantity(doc, 'tpot', 'slo', 'duration') ?? 0.05 };
}
