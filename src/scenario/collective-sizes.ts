// A collective scenario's sizes run one after another on a built system: per size NCCL's plan
// (or the scenario's own options; 'auto' outside NCCL tries every algorithm), the simulated
// run, and its nccl-tests row. Node-free: `fairway collective`, sweeps and the browser entry
// (engine-entry.ts) share it, so a page gives the command line's numbers.
import { communicatorOf, defaultCommunicator, type Communicator } from '../collective/communicator.js';
import { p2pNetworkOptions } from '../collective/nccl-p2p.js';
import { busBandwidthFactor, collectiveOperations, DEFAULT_COLLECTIVE_OPTIONS, STANDALONE_LATENCIES, type CollectiveOptions } from '../collective/index.js';
import { ncclPlan, ncclRuns } from '../collective/nccl-plan.js';
import { FairwayError, inputError } from '../core/errors.js';
import type { TransferDag } from '../graph/index.js';
import type { EngineKind } from '../engine/index.js';
import { ACCELERATOR_SPECS } from '../hardware/index.js';
import { hostLaunchFloorSec } from '../hardware/host-launch.js';
import type { CollectiveRow } from '../report/nccl-table.js';
import { candidateAlgorithms, runCollective, runFastestCollective, type CollectiveResult } from '../sim/collective-run.js';
import { BYTES_PER_OPERATION } from './run-size.js';
import { DTYPES, type CollectiveScenario } from './collective-scenario.js';
import type { System } from './system.js';

/** Per size: the graph's operations and the engine's events and solves. */
export interface SizeStats {
  readonly operations: number;
  readonly events: number;
  readonly solves: number;
}

export interface SizeHooks {
  /** A size's whole result (graph and operation times included), as soon as it is ready. */
  onCollective?(result: CollectiveResult, index: number, total: number, system: System): void;
  /** The graph of one size built elsewhere (e.g. on a worker pool), or undefined to build it here. */
  prebuild?(size: number, system: System, comm: Communicator, options: CollectiveOptions): Promise<TransferDag | undefined>;
  /**
   * The memory a run may take (`maxBytes`) and what the process holds now (`usedBytes`): a size
   * whose graph would take it over is refused before the graph is built, with the estimate.
   * Checked on communicators of more than CHECKED_RANKS ranks; absent: not checked.
   */
  memory?: { readonly maxBytes: number; usedBytes(): number };
  /** What the run is doing now (building the topology, a size), as it starts it. */
  onStage?(text: string): void;
  /** Size `index` of `sizes`: its graph's operations finished so far, at every instant of its run. */
  onProgress?(index: number, sizes: number, finished: number, operations: number): void;
}

/** Communicators up to this size build graphs too small to check (a few million operations at most). */
export const CHECKED_RANKS = 512;

/**
 * Refuses a size whose graph would not fit (issue 19, item 10: an all-reduce on the 986,000
 * hosts of fat-tree:k=158 grew past 8 GB in four minutes): its operations are counted without
 * building them (collective/index.ts collectiveOperations; for `auto` outside NCCL's plans, the
 * largest of the algorithms tried) and priced at BYTES_PER_OPERATION on top of what the process
 * holds already (the topology and its routes).
 */
/**
 * The operations `count` gives; where several algorithms are tried (auto), one that does not
 * apply to these ranks (halving-doubling on a non-power of two, NVLS without a reducing switch)
 * counts 0, as the run skips it; a single algorithm's error is the run's own.
 */
function countedOrZero(count: () => number, several: boolean): number {
  try {
    return inCollectiveFields(count);
  } catch (e) {
    if (several && e instanceof FairwayError) return 0;
    throw e;
  }
}

function checkSizeFits(system: System, comm: Communicator, c: CollectiveScenario, o: CollectiveOptions, size: number, memory: SizeHooks['memory']): void {
  if (memory === undefined || comm.nodes.length <= CHECKED_RANKS) return;
  const algorithms = triesEvery(c, system, comm, o) ? candidateAlgorithms(c.op, comm.nodes.length) : [o.algorithm];
  const operations = algorithms.reduce((m, algorithm) => Math.max(m, countedOrZero(() => collectiveOperations(system.topo, c.op, size, comm, { ...o, algorithm }), algorithms.length > 1)), 0);
  const bytes = memory.usedBytes() + operations * BYTES_PER_OPERATION;
  if (bytes <= memory.maxBytes) return;
  const gb = (x: number) => `${(x / 1e9).toFixed(1)} GB`;
  throw inputError('collective.ranks', `${size} B on ${comm.nodes.length.toLocaleString('en-US')} ranks is a graph of ${operations.toLocaleString('en-US')} operations: about ${gb(bytes)} of memory with the topology, more than the ${gb(memory.maxBytes)} allowed; use fewer ranks (-n), a smaller size, --fidelity analytical (no graph), or raise --max-memory on a machine that has it`);
}

/** Runs `f`; input errors of collective/ (paths algo, root, ranks) name the scenario's fields. */
export function inCollectiveFields<T>(f: () => T, ranksField = 'collective.ranks'): T {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof FairwayError)) throw e;
    const field = (path: string) => path.replace(/^ranks/, ranksField).replace(/^(algo|root)\b/, 'collective.$1');
    throw new FairwayError(e.code, e.message, e.issues.map((i) => ({ path: field(i.path), message: i.message })));
  }
}

/** The scenario's ranks: the first `ranks` accelerators, or those of its rank list. */
export function communicatorFor(system: System, c: CollectiveScenario): Communicator {
  return inCollectiveFields(() => (c.rankList ? communicatorOf(system.topo, c.rankList) : defaultCommunicator(system.topo, c.ranks)), c.rankList ? 'collective.rankList' : 'collective.ranks');
}

function reduceBytesPerSec(c: CollectiveScenario, system: System, comm: Communicator): number {
  if (c.reduceBw !== 'hbm') return c.reduceBw;
  const hbm = ACCELERATOR_SPECS.get(system.topo.nodes[comm.nodes[0]].spec)?.memoryBytesPerSec;
  if (hbm === undefined) throw inputError('collective.reduceBw', "the ranks' accelerators have no catalogue memory bandwidth; give a bandwidth such as 3TB/s");
  return hbm;
}

/** The scenario's options before planning: what it set, the standalone latencies otherwise. */
export function baseOptions(c: CollectiveScenario, system: System, comm: Communicator): CollectiveOptions {
  const algorithm = c.algorithm === 'auto' ? DEFAULT_COLLECTIVE_OPTIONS.algorithm : c.algorithm;
  return {
    ...DEFAULT_COLLECTIVE_OPTIONS,
    algorithm,
    channels: c.channels ?? DEFAULT_COLLECTIVE_OPTIONS.channels,
    root: c.root,
    reduceBytesPerSec: reduceBytesPerSec(c, system, comm),
    alphaSec: c.alphaSec ?? STANDALONE_LATENCIES.alphaSec,
    baseLatencySec: c.baseLatencySec ?? STANDALONE_LATENCIES.baseLatencySec,
    chunkBytes: c.chunkBytes ?? DEFAULT_COLLECTIVE_OPTIONS.chunkBytes,
  };
}

/** Whether a size is planned as NCCL would run it (else: the scenario's options as given, 'auto' trying every algorithm). */
function ncclPlanned(c: CollectiveScenario, system: System, comm: Communicator): boolean {
  return c.matrixFile === undefined && ncclRuns(system.topo, comm, c.op, c.algorithm);
}

/** Whether `auto` runs every algorithm and keeps the fastest: outside NCCL's plans, except all-to-all-v and NCCL's point-to-point (grouped sends: direct). */
function triesEvery(c: CollectiveScenario, system: System, comm: Communicator, o: CollectiveOptions): boolean {
  return c.algorithm === 'auto' && !ncclPlanned(c, system, comm) && !o.matrix && !o.p2p;
}

/** The options of one size: NCCL's plan, or the scenario's (NCCL's point-to-point plan for sendrecv and alltoall on NVIDIA GPUs, run as grouped sends where auto). */
function sizeOptions(c: CollectiveScenario, system: System, comm: Communicator, base: CollectiveOptions, size: number): CollectiveOptions {
  if (!ncclPlanned(c, system, comm)) {
    if (c.matrixFile !== undefined) return base;
    const o = p2pNetworkOptions(system.topo, comm, c.op, size, base, c.alphaSec !== undefined, c.netChannelsPerPeer);
    return o.p2p && c.algorithm === 'auto' ? { ...o, algorithm: 'direct' } : o;
  }
  const overrides = { algorithm: c.algorithm === 'auto' ? undefined : c.algorithm, protocol: c.protocol, nvls: c.nvls, channels: c.channels, chunkBytes: c.chunkBytes, alphaSec: c.alphaSec, baseLatencySec: c.baseLatencySec };
  return inCollectiveFields(() => ncclPlan(system.topo, comm, c.op, size, base, overrides).options);
}

/** The time nccl-tests would report: the simulated kernel, or the host's launches when one thread drives several GPUs and they take longer. */
function reportedTimeSec(c: CollectiveScenario, r: CollectiveResult): number {
  return Math.max(r.makespanSec, hostLaunchFloorSec(c.gpusPerThread));
}

/** The nccl-tests row of a size that takes `timeSec` (as reported), run as `algo` / `proto`. */
function row(c: CollectiveScenario, size: number, ranks: number, timeSec: number, algo: string, proto: string): CollectiveRow {
  const op = c.op;
  const algbw = size / timeSec;
  return {
    sizeBytes: size,
    count: Math.floor(size / DTYPES[c.dtype]),
    type: c.dtype,
    redop: op === 'all_reduce' || op === 'reduce_scatter' || op === 'reduce' ? 'sum' : 'none',
    root: op === 'broadcast' || op === 'reduce' || op === 'gather' || op === 'scatter' ? c.root : -1,
    timeUs: timeSec * 1e6,
    algbwGBps: algbw / 1e9,
    busbwGBps: (algbw * busBandwidthFactor(op, ranks)) / 1e9,
    algo,
    proto,
  };
}

function rowOf(c: CollectiveScenario, r: CollectiveResult, size: number): CollectiveRow {
  const slower = r.makespanSec / reportedTimeSec(c, r);
  return { ...row(c, size, r.ranks, reportedTimeSec(c, r), r.algorithm, r.protocol ?? ''), algbwGBps: (r.algbwBytesPerSec * slower) / 1e9, busbwGBps: (r.busbwBytesPerSec * slower) / 1e9 };
}

/**
 * The analytical fidelity of one size: NCCL's closed form for the pair its tuner picks (or the
 * one asked for), latency (with the GPUs' own NVLink hops, deviceHopUs) + size / bus bandwidth,
 * under the host's launch floor; no graph.
 */
function analyticalRow(c: CollectiveScenario, system: System, comm: Communicator, base: CollectiveOptions, size: number): CollectiveRow {
  const why = `analytical needs a collective NCCL runs (${NCCL_COLLECTIVES} on NVIDIA GPUs, algo auto, ring, tree, nvls, nvls-tree or chain); run ${c.op}${c.algorithm === 'auto' ? '' : ` with ${c.algorithm}`} here with fidelity flow`;
  if (!ncclPlanned(c, system, comm)) throw inputError('collective.fidelity', why);
  const overrides = { algorithm: c.algorithm === 'auto' ? undefined : c.algorithm, protocol: c.protocol, nvls: c.nvls };
  const plan = inCollectiveFields(() => ncclPlan(system.topo, comm, c.op, size, base, overrides));
  if (plan.choice === null) throw inputError('collective.fidelity', why);
  const t = Math.max((plan.choice.timeUs + (plan.choice.deviceHopUs ?? 0)) * 1e-6, hostLaunchFloorSec(c.gpusPerThread));
  return row(c, size, comm.nodes.length, t, plan.options.algorithm, plan.choice.protocol);
}

const NCCL_COLLECTIVES = 'all_reduce, all_gather, reduce_scatter, broadcast, reduce';

/** Runs each size on `system` from the options `base` (baseOptions, or an all-to-all-v's): its row and stats. */
export async function runCollectiveSizes(system: System, comm: Communicator, c: CollectiveScenario, base: CollectiveOptions, sizes: readonly number[], engine: EngineKind, hooks: SizeHooks = {}): Promise<{ rows: CollectiveRow[]; stats: SizeStats[] }> {
  const rows: CollectiveRow[] = [];
  const stats: SizeStats[] = [];
  for (let i = 0; i < sizes.length; i++) {
    if (c.fidelity === 'analytical') {
      rows.push(analyticalRow(c, system, comm, base, sizes[i]));
      stats.push({ operations: 0, events: 0, solves: 0 });
      continue;
    }
    hooks.onStage?.(`size ${i + 1} of ${sizes.length}: ${sizes[i]} B on ${comm.nodes.length.toLocaleString('en-US')} ranks`);
    const o = sizeOptions(c, system, comm, base, sizes[i]);
    checkSizeFits(system, comm, c, o, sizes[i], hooks.memory);
    const prebuilt = await hooks.prebuild?.(sizes[i], system, comm, o);
    const progress = hooks.onProgress && ((finished: number, operations: number) => hooks.onProgress!(i, sizes.length, finished, operations));
    const r = inCollectiveFields(() => (triesEvery(c, system, comm, o) ? runFastestCollective(system.topo, system.router, comm, c.op, sizes[i], o, engine) : runCollective(system.topo, system.router, comm, c.op, sizes[i], o, engine, prebuilt, progress)));
    hooks.onCollective?.(r, i, sizes.length, system);
    rows.push(rowOf(c, r, sizes[i]));
    stats.push({ operations: r.operations, events: r.events, solves: r.solves });
  }
  return { rows, stats };
}

/** A collective scenario without an all-to-all-v matrix, run on `system`: its ranks, then each size. */
export async function collectiveRows(system: System, c: CollectiveScenario, engine: EngineKind = 'wasm', hooks: SizeHooks = {}): Promise<{ comm: Communicator; rows: CollectiveRow[]; stats: SizeStats[] }> {
  if (c.matrixFile !== undefined) throw inputError('collective.matrix', 'an all-to-all-v matrix is read from a file: run it from the Node entry or the command line');
  const comm = communicatorFor(system, c);
  return { comm, ...(await runCollectiveSizes(system, comm, c, baseOptions(c, system, comm), c.sizes, engine, hooks)) };
}
