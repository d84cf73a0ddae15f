// `fairway collective OP --topology T`: runs a collective at a range of sizes on a topology and
// prints the nccl-tests table (or --json / --csv). The flags fill in a scenario document's
// `collective:` fields (FLAG_FIELDS), run through the one scenario pipeline; errors about a
// field name its flag.
import type { Command } from 'commander';
import type { Communicator } from '../collective/communicator.js';
import { ALGORITHMS, COLLECTIVE_OPS, STANDALONE_LATENCIES, type Algorithm, type CollectiveOptions } from '../collective/index.js';
import type { TransferDag } from '../graph/index.js';
import type { Topology } from '../topology/graph.js';
import { FairwayError, failInput } from '../core/errors.js';
import { COLLECTIVE_LAUNCH_SEC_PER_GPU } from '../hardware/host-launch.js';
import { formatDuration, SIZE_RULE } from '../core/units.js';
import { readAstraSystem } from '../io/astra-system.js';
import { buildHierarchicalParallel, createBuildPool, PARALLEL_BUILD_MIN_RANKS } from '../parallel/parallel-build.js';
import { dagToChromeTrace } from '../report/chrome-trace.js';
import { candidateAlgorithms } from '../sim/collective-run.js';
import { ncclRuns } from '../collective/nccl-plan.js';
import { ncclSystem } from '../collective/nccl-topology.js';
import { candidatePairs } from '../collective/nccl-tuner.js';
import { collectiveHtml, type CollectiveAlternative } from '../report/html-report.js';
import { formatCsv, formatNcclTable } from '../report/nccl-table.js';
import { collectiveOpOf, DTYPES, readCollectiveScenario, type CollectiveScenario } from '../scenario/collective-scenario.js';
import { runScenario, type CollectiveScenarioResult, type ScenarioHooks } from '../scenario/run-scenario.js';
import { CHECKED_RANKS } from '../scenario/collective-sizes.js';
import { checkDistinct, checkWritable, maxMemoryOption, workersOption, writeResults as writeAll } from './output.js';
import { makePhases, makeProgress } from './progress.js';

interface CollectiveCliOptions {
  topology: string;
  maxMemory?: string;
  minbytes: string;
  maxbytes: string;
  stepfactor: string;
  ranks?: string;
  rankList?: string;
  root: string;
  algo: string;
  channels: string;
  proto: string;
  nvls?: string;
  chunk: string;
  alpha?: string;
  baseLatency?: string;
  dtype: string;
  json?: boolean;
  csv?: boolean;
  out?: string;
  force?: boolean;
  trace?: string;
  html?: string;
  workers?: string;
  matrix?: string;
  reduceBw?: string;
  ngpus?: string;
  netChannelsPerPeer?: string;
  astraSystem?: string;
  compare?: boolean;
  fidelity?: string;
}

/** Each scenario field the command sets: the flag that sets it (errors name the flag), and the option it comes from. */
const FLAG_FIELDS: readonly [field: string, flag: string, option: keyof CollectiveCliOptions | null][] = [
  ['op', '<op>', null],
  ['minBytes', '--minbytes', 'minbytes'],
  ['maxBytes', '--maxbytes', 'maxbytes'],
  ['stepFactor', '--stepfactor', 'stepfactor'],
  ['dtype', '--dtype', 'dtype'],
  ['channels', '--channels', 'channels'],
  ['proto', '--proto', 'proto'],
  ['nvls', '--nvls', 'nvls'],
  ['alpha', '--alpha', 'alpha'],
  ['baseLatency', '--base-latency', 'baseLatency'],
  ['algo', '--algo', 'algo'],
  ['ranks', '--ranks', 'ranks'],
  ['rankList', '--rank-list', 'rankList'],
  ['root', '--root', 'root'],
  ['chunk', '--chunk', 'chunk'],
  ['reduceBw', '--reduce-bw', 'reduceBw'],
  ['matrix', '--matrix', 'matrix'],
  ['gpusPerThread', '--ngpus', 'ngpus'],
  ['netChannelsPerPeer', '--net-channels-per-peer', 'netChannelsPerPeer'],
  ['fidelity', '--fidelity', 'fidelity'],
];

/** The scenario document's `collective:` the flags describe (and an ASTRA-sim system config, where the flags leave a field at its default). */
function collectiveDocument(op: string, opts: CollectiveCliOptions): Record<string, unknown> {
  const doc: Record<string, unknown> = { op };
  for (const [field, , option] of FLAG_FIELDS) if (option && opts[option] !== undefined) doc[field] = opts[option];
  const known = collectiveOpOf(op);
  if (opts.astraSystem !== undefined && known !== undefined) {
    const astra = readAstraSystem(opts.astraSystem, known);
    process.stderr.write(astra.notes.map((n) => `${n}\n`).join(''));
    const unset = (field: string) => doc[field] === undefined || (field === 'algo' && doc.algo === 'auto');
    for (const [field, value] of Object.entries(astra.fields)) if (unset(field)) doc[field] = value;
  }
  return doc;
}

/** The same error with `collective.FIELD` paths renamed to the flags that set them. */
function withFlagNames(e: FairwayError): FairwayError {
  const flags = new Map(FLAG_FIELDS.map(([field, flag]) => [`collective.${field}`, flag]));
  const rename = (text: string) => text.replace(/collective\.([A-Za-z]+)/g, (m) => flags.get(m) ?? m);
  return new FairwayError(e.code, rename(e.message), e.issues.map((i) => ({ path: rename(i.path), message: rename(i.message) })));
}

async function flagErrors<T>(run: () => Promise<T> | T): Promise<T> {
  try {
    return await run();
  } catch (e) {
    throw e instanceof FairwayError ? withFlagNames(e) : e;
  }
}

export function registerCollectiveCommand(program: Command): void {
  program
    .command('collective')
    .argument('<op>', `collective: ${COLLECTIVE_OPS.join(', ')}; nccl-tests' names work too (all_reduce_perf, allreduce)`)
    .summary('run a collective over a range of sizes and print an nccl-tests table')
    .description(
      [
        'Runs the collective as a DAG of transfers on the topology (every link direction a max-min shared resource) for each size from -b to -e (×-f), and prints nccl-tests columns: size, count, type, redop, root, time (us), algbw and busbw (GB/s). busbw = algbw × 2(n−1)/n for all_reduce and × (n−1)/n for all_gather, reduce_scatter and alltoall, as nccl-tests.',
        '',
        `Algorithms: ${Object.entries(ALGORITHMS).map(([op, a]) => `${op}: ${a.join('|')}`).join('; ')}. Ranks are the first N accelerators in topology order.`,
      ].join('\n'),
    )
    .requiredOption('-t, --topology <topology>', 'topology file, shipped name or builder spec (see fairway topo --help)')
    .option('-b, --minbytes <size>', `smallest size: ${SIZE_RULE}`, '8')
    .option('-e, --maxbytes <size>', 'largest size', '1G')
    .option('-f, --stepfactor <n>', 'multiply the size by this between runs', '2')
    .option('-n, --ranks <n>', 'number of ranks: the first n accelerators (default: every accelerator)')
    .option('--rank-list <ids>', 'ranks as comma-separated accelerator ids, e.g. dgx0/acc0,dgx1/acc0 (instead of -n)')
    .option('-r, --root <rank>', 'root rank of broadcast, reduce, gather, scatter', '0')
    .option('--algo <name>', 'algorithm: ring, tree (double binary tree), hier (intra-server ring, inter-server rings, intra-server ring), hier-hd (same with halving-doubling across servers), hd (halving-doubling), nvls (in-switch reduction on a reducing NVSwitch), one-shot, two-shot; direct or pairwise for alltoall; chain for broadcast/reduce; direct for gather/scatter/sendrecv. auto = try each and keep the fastest per size', 'auto')
    .option('--proto <name>', 'NCCL protocol: LL (8-byte flag per 8 bytes: lowest latency, half the bandwidth), LL128 (128-byte lines, 120 bytes of data; NVLink only), Simple (full bandwidth, the largest per-step latency); auto = as NCCL\'s tuner picks per size', 'auto')
    .option('--nvls <on|off>', "NVLink SHARP for NCCL's tuner: off leaves NVLS and NVLS-tree out of its choice, as NCCL_NVLS_ENABLE=0 does", 'on')
    .option('--channels <n>', 'channels (CTAs), each a ring or tree with its own ECMP flow label; auto = as NCCL launches for the size and topology (e.g. 24 on one DGX H100, fewer for small messages); algorithms NCCL does not have: 1', 'auto')
    .option('--workers <n>', `threads that build hier/hier-hd graphs of ${PARALLEL_BUILD_MIN_RANKS}+ ranks (default: the number of cores; 1 = build on the main thread)`)
    .option('--max-memory <size>', `refuse, before building it, a size whose graph is estimated to need more memory than this with the topology (operations counted without building them, 240 bytes each; checked above ${CHECKED_RANKS} ranks; bytes with K, M, G: 16G); default: 80% of this machine's memory`)
    .option('--chunk <size>', 'bytes per channel that go round the ring at once (a ring step moves 1/n of it); nvls pipelines chunks of this size (at most 64). Default: the protocol\'s step × ranks (NCCL: LL 32 KiB, LL128 576,000 B, Simple 2 MiB a step); 4M for algorithms NCCL does not have')
    .option('--alpha <duration>', `latency per send step; default: the protocol's per-hop latency from NCCL's tuning model (e.g. Simple over NVLink 3.4us, LL 0.6us), once per slice (a Simple ring step of all_reduce, all_gather or reduce_scatter is 2 slices: 6.8us); ${+(STANDALONE_LATENCIES.alphaSec * 1e6).toFixed(3)}us for algorithms NCCL does not have (on NVIDIA GPUs, sendrecv and alltoall sends between NVLink domains: NCCL's network hop, LL 2.7us up to 16 KiB a peer, Simple 14us above)`)
    .option('--base-latency <duration>', `fixed cost of each collective before its first send (kernel start, setup); default: the algorithm and protocol's base latency in NCCL's tuning model (e.g. ring LL 6.6us, Simple 8.4us); ${+(STANDALONE_LATENCIES.baseLatencySec * 1e6).toFixed(3)}us for algorithms NCCL does not have`)
    .option('-g, --ngpus <n>', `GPUs one host thread drives, as nccl-tests' -g: a single process with -g 8 launches 8 kernels per operation, so operations repeat no faster than 8 launches (${+(COLLECTIVE_LAUNCH_SEC_PER_GPU * 1e6).toFixed(2)}us each; the floor under small sizes); 1 = one process per GPU (mpirun, torchrun)`, '1')
    .option('--net-channels-per-peer <n>', "sendrecv and alltoall across NVLink domains: channels (CTAs) each peer in another domain may use, as NCCL_NCHANNELS_PER_NET_PEER; default: as NCCL derives it, the NIC's GB/s / 14 rounded up to a power of two (4 for 400 Gb/s), halved until every peer fits one round of 8 a channel. A channel's CTA carries the sends and receives of 8 peers, so fewer channels can cap the rate below the NIC's")
    .option('--fidelity <level>', "flow: the collective's transfers simulated on the topology, every link shared max-min (contention, pipelining, protocols); analytical: NCCL's closed form for the algorithm and protocol its tuner picks (latency + size / bus bandwidth), no graph: milliseconds for any size and rank count, no contention (NCCL-run collectives only)", 'flow')
    .option('-d, --dtype <type>', `element type: ${Object.keys(DTYPES).join(', ')}`, 'float')
    .option('--json', 'print the rows as JSON')
    .option('--csv', 'print the rows as CSV')
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .option('--force', 'replace --out / --trace / --html files if they exist')
    .option('--reduce-bw <bandwidth>', 'price reductions at 3 bytes of memory traffic per byte reduced at this bandwidth (e.g. 900GB/s, 3.35TB/s), or "hbm" for the accelerator\'s memory bandwidth; applies to ring and chain algorithms (default: free)')
    .option('--matrix <file>', 'alltoall only: an n×n JSON/YAML matrix of bytes rank i sends to rank j (all-to-all-v); replaces -b/-e')
    .option('--trace <file>', 'write a Chrome/Perfetto trace of the largest size: one track per rank, transfers as slices')
    .option('--html <file>', 'write an HTML report: busbw and (log-log) time per operation against size, a line per algorithm and protocol, and the table')
    .option('--compare', "with --html: also run, at every size, every other algorithm NCCL's tuner considers for the operation on these ranks (ring, tree, NVLS or NVLS-tree; fairway's own algorithms where NCCL does not run it; those that do not apply are skipped) and draw them dashed next to the chosen one; takes that many times longer")
    .option('--astra-system <file>', "an ASTRA-sim system config (JSON): its implementation for the operation as --algo (ring; direct: two-shot all-reduce, direct all-to-all; halvingDoubling: hd; doubleBinaryTree: tree), endpoint-delay (ns) as --alpha, local-mem-bw (GB/s) as --reduce-bw; flags given explicitly win; what it sets that fairway does not model is listed on stderr")
    .addHelpText('after', '\nExamples:\n  fairway collective all_reduce -t topologies/dgx-h100-1node.yaml -b 8 -e 8G\n  fairway collective alltoall -t h100-256gpu-rail -b 1M -e 1G -n 64 --csv')
    .action(async (op: string, opts: CollectiveCliOptions) => flagErrors(() => runCommand(op, opts)));
}

async function runCommand(op: string, opts: CollectiveCliOptions): Promise<void> {
  const c = readCollectiveScenario(collectiveDocument(op, opts), 'collective');
  if (opts.json && opts.csv) failInput('--csv', 'choose one of --json and --csv');
  if (opts.compare && !opts.html) failInput('--compare', 'draws the other algorithms in the --html report: give --html FILE');
  checkDistinct([['--out', opts.out], ['--trace', opts.trace], ['--html', opts.html]]);
  if (opts.out) checkWritable(opts.out, opts.force === true);
  if (opts.trace) checkWritable(opts.trace, opts.force === true, '--trace');
  if (opts.html) checkWritable(opts.html, opts.force === true, '--html');
  let trace = '';
  const progress = makeProgress('collective', process.stderr.isTTY === true);
  const phases = makePhases('collective');
  const builder = new PoolBuilder(c, workersOption(opts.workers));
  const hooks: ScenarioHooks = {
    memory: { maxBytes: maxMemoryOption(opts.maxMemory), usedBytes: () => process.memoryUsage().rss },
    onStage: (text) => phases.phase(text),
    onProgress: (i, total, finished, operations) => phases.count(`size ${i + 1} of ${total}: operations finished`, finished, operations),
    onCollective: (r, i, total, { topo }) => {
      if (opts.trace && i === total - 1) trace = dagToChromeTrace(r.dag, r, topo, `${c.op} ${r.sizeBytes} B on ${topo.name}`);
      progress.update(i + 1, total, `${r.sizeBytes} B`);
    },
    prebuild: (size, { topo }, comm, o) => builder.build(size, topo, comm, o),
  };
  let result: CollectiveScenarioResult;
  try {
    result = (await runScenario({ topology: { ref: opts.topology }, collective: c }, hooks)) as CollectiveScenarioResult;
  } catch (e) {
    // an error starts on a line of its own, not after the progress line
    progress.finish();
    phases.finish();
    throw e;
  } finally {
    // worker threads would keep the process alive after an error
    await builder.destroy();
  }
  const alternatives = opts.compare ? await compareAlgorithms(opts, c, result, progress) : [];
  progress.finish();
  phases.finish();
  await writeResults(opts, c, result, trace, alternatives);
}

/**
 * The algorithms --compare runs: where NCCL plans the collective, the others NCCL would consider
 * for it on these ranks (its tuner's candidates, so the comparison is NCCL's own choice); else
 * every algorithm fairway has for the operation.
 */
function alternativesOf(c: CollectiveScenario, r: CollectiveScenarioResult): Algorithm[] {
  const { topo } = r.system;
  const nccl = ncclRuns(topo, r.comm, c.op, 'auto') ? [...new Set(candidatePairs(ncclSystem(topo, r.comm), c.op).map(([a]) => a as Algorithm))] : candidateAlgorithms(c.op, r.comm.nodes.length);
  return nccl.filter((a) => a !== c.algorithm);
}

/** Every other algorithm of the operation run at the same sizes (those that refuse these ranks skipped), for --compare. */
async function compareAlgorithms(opts: CollectiveCliOptions, c: CollectiveScenario, result: CollectiveScenarioResult, progress: ReturnType<typeof makeProgress>): Promise<CollectiveAlternative[]> {
  const out: CollectiveAlternative[] = [];
  const others = alternativesOf(c, result);
  for (const [i, algorithm] of others.entries()) {
    progress.update(i + 1, others.length, `--compare: ${algorithm}`);
    try {
      const r = (await runScenario({ topology: { ref: opts.topology }, collective: { ...c, algorithm } })) as CollectiveScenarioResult;
      out.push({ name: algorithm, rows: r.rows });
    } catch (e) {
      if (!(e instanceof FairwayError) || e.code !== 'E_INPUT') throw e;
    }
  }
  return out;
}

/** Large hierarchical all-reduces build their graphs on a worker pool (identical to a serial build), started on first use. */
class PoolBuilder {
  private pool?: ReturnType<typeof createBuildPool>;
  constructor(
    private readonly c: CollectiveScenario,
    private readonly workers: number,
  ) {}

  async build(size: number, topo: Topology, comm: Communicator, o: CollectiveOptions): Promise<TransferDag | undefined> {
    const { op, algorithm } = this.c;
    if (op !== 'all_reduce' || (algorithm !== 'hier' && algorithm !== 'hier-hd') || this.workers <= 1 || comm.nodes.length < PARALLEL_BUILD_MIN_RANKS) return undefined;
    this.pool ??= createBuildPool(this.workers);
    return buildHierarchicalParallel(this.pool, topo, comm, size, o, algorithm === 'hier-hd' ? 'hd' : 'ring', 2 * this.workers);
  }

  async destroy(): Promise<void> {
    await this.pool?.destroy();
  }
}

/** The table (or JSON / CSV) to --out or stdout, and the --trace and --html files. */
async function writeResults(opts: CollectiveCliOptions, c: CollectiveScenario, r: CollectiveScenarioResult, trace: string, alternatives: readonly CollectiveAlternative[] = []): Promise<void> {
  const n = r.comm.nodes.length;
  const topology = r.system.topo.name;
  const algorithm = c.algorithm;
  const knob = (v: string | number | undefined, what: string) => (v === undefined ? `${what} auto` : `${what} ${v}`);
  const title = `fairway collective ${c.op}: ${n} ranks on ${topology}, algo ${algorithm}, proto ${c.protocol ?? 'auto'}, ${knob(c.channels, 'channels')}, ${knob(opts.alpha ?? (c.alphaSec === undefined ? undefined : formatDuration(c.alphaSec)), 'alpha')}, ${knob(opts.baseLatency, 'base latency')}${c.gpusPerThread > 1 ? `, ${c.gpusPerThread} GPUs per host thread` : ''}${c.fidelity === 'analytical' ? ", analytical (NCCL's closed form, no contention)" : ''}`;
  const rows = r.rows;
  const text = opts.json ? `${JSON.stringify({ schema: 'fairway.collective/1', op: c.op, ranks: n, topology, algorithm, protocol: c.protocol ?? 'auto', channels: c.channels ?? 'auto', alphaSec: c.alphaSec, baseLatencySec: c.baseLatencySec, ...(c.fidelity === 'analytical' ? { fidelity: c.fidelity } : {}), rows }, null, 2)}\n` : opts.csv ? formatCsv(rows) : formatNcclTable(title, rows);
  const html = opts.html ? await collectiveHtml(title, rows, alternatives) : '';
  await writeAll(opts.out ? undefined : [text], [[opts.trace, () => [trace]], [opts.html, () => [html]], [opts.out, () => [text]]]);
}
