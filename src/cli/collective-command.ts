// `fairway collective OP --topology T`: runs a collective at a range of sizes on a topology and
// prints the nccl-tests table (or --json / --csv).
import { ACCELERATOR_SPECS } from '../hardware/index.js';
import type { Command } from 'commander';
import { failInput } from '../core/errors.js';
import { parseQuantity } from '../core/units.js';
import { communicatorOf, defaultCommunicator, type Communicator } from '../collective/communicator.js';
import { ALGORITHMS, COLLECTIVE_OPS, DEFAULT_COLLECTIVE_OPTIONS, STANDALONE_LATENCIES, type Algorithm, type CollectiveOp, type CollectiveOptions } from '../collective/index.js';
import { dagToChromeTrace } from '../report/chrome-trace.js';
import { collectiveHtml } from '../report/html-report.js';
import { formatCsv, formatNcclTable, type CollectiveRow } from '../report/nccl-table.js';
import { runCollective, runFastestCollective, type CollectiveResult } from '../sim/collective-run.js';
import { buildTopology } from '../topology/build.js';
import type { Topology } from '../topology/graph.js';
import { Router } from '../topology/routing/router.js';
import { checkWritable, positiveInt, readInputText, workersOption, writeStdout, writeWhole } from './output.js';
import { makeProgress } from './progress.js';
import { buildHierarchicalParallel, createBuildPool, PARALLEL_BUILD_MIN_RANKS } from '../parallel/parallel-build.js';
import { loadTopologySpec } from '../io/topology-source.js';
import { parseSizeMatrix } from '../io/size-matrix.js';

interface CollectiveCliOptions {
  topology: string;
  minbytes: string;
  maxbytes: string;
  stepfactor: string;
  ranks?: string;
  rankList?: string;
  root: string;
  algo: string;
  channels: string;
  chunk: string;
  alpha: string;
  baseLatency: string;
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
}

const DTYPES: Record<string, number> = { int8: 1, uint8: 1, half: 2, bfloat16: 2, float: 4, int32: 4, double: 8, int64: 8 };

/** A latency with its unit (a bare number other than 0 would be seconds, rarely what was meant). */
function latencyOption(text: string, option: string): number {
  if (/^\s*[\d.eE+-]+\s*$/.test(text) && Number(text) !== 0) failInput(option, `give a unit, e.g. ${text.trim()}us`);
  const q = parseQuantity(text, 'duration');
  if (typeof q === 'string' || q < 0) failInput(option, typeof q === 'string' ? q : 'must be ≥ 0');
  return q;
}

/** nccl-tests sizes: a number with an optional binary K/M/G/T suffix (8M = 8 MiB). */
function parseNcclSize(v: string, path: string): number {
  const m = /^(\d+(?:\.\d+)?)([KMGT]?)B?$/i.exec(v.trim());
  if (!m) failInput(path, `cannot read "${v}" as a size: use bytes with an optional K, M, G or T (binary), e.g. 8, 64K, 8G`);
  const bytes = Math.floor(Number(m[1]) * 1024 ** ' KMGT'.indexOf(m[2].toUpperCase() || ' '));
  if (bytes < 1 || bytes > 2 ** 50) failInput(path, `must be from 1 byte to 1P, got ${v}`);
  return bytes;
}

export function registerCollectiveCommand(program: Command): void {
  program
    .command('collective')
    .argument('<op>', `collective: ${COLLECTIVE_OPS.join(', ')}`)
    .summary('run a collective over a range of sizes and print an nccl-tests table')
    .description(
      [
        'Runs the collective as a DAG of transfers on the topology (every link direction a max-min shared resource) for each size from -b to -e (×-f), and prints nccl-tests columns: size, count, type, redop, root, time (us), algbw and busbw (GB/s). busbw = algbw × 2(n−1)/n for all_reduce and × (n−1)/n for all_gather, reduce_scatter and alltoall, as nccl-tests.',
        '',
        `Algorithms: ${Object.entries(ALGORITHMS).map(([op, a]) => `${op}: ${a.join('|')}`).join('; ')}. Ranks are the first N accelerators in topology order.`,
      ].join('\n'),
    )
    .requiredOption('-t, --topology <topology>', 'topology file, shipped name or builder spec (see fairway topo --help)')
    .option('-b, --minbytes <size>', 'smallest size (nccl-tests units: 8, 64K, 8M, 1G)', '8')
    .option('-e, --maxbytes <size>', 'largest size', '1G')
    .option('-f, --stepfactor <n>', 'multiply the size by this between runs', '2')
    .option('-n, --ranks <n>', 'number of ranks: the first n accelerators (default: every accelerator)')
    .option('--rank-list <ids>', 'ranks as comma-separated accelerator ids, e.g. dgx0/acc0,dgx1/acc0 (instead of -n)')
    .option('-r, --root <rank>', 'root rank of broadcast, reduce, gather, scatter', '0')
    .option('--algo <name>', 'algorithm: ring, tree (double binary tree), hier (intra-server ring, inter-server rings, intra-server ring), hier-hd (same with halving-doubling across servers), hd (halving-doubling), nvls (in-switch reduction on a reducing NVSwitch), one-shot, two-shot; direct or pairwise for alltoall; chain for broadcast/reduce; direct for gather/scatter/sendrecv. auto = try each and keep the fastest per size', 'auto')
    .option('--channels <n>', 'parallel rings, each with its own ECMP flow label', '1')
    .option('--workers <n>', `threads that build hier/hier-hd graphs of ${PARALLEL_BUILD_MIN_RANKS}+ ranks (default: the number of cores; 1 = build on the main thread)`)
    .option('--chunk <size>', 'chunk per channel that goes round the ring at once; nvls pipelines chunks of this size (at most 64)', '4M')
    .option('--alpha <duration>', 'software latency per send step', `${+(STANDALONE_LATENCIES.alphaSec * 1e6).toFixed(3)}us`)
    .option('--base-latency <duration>', 'fixed cost of each collective before its first send (kernel start, setup; NCCL\'s tuning model uses 6.6us)', `${+(STANDALONE_LATENCIES.baseLatencySec * 1e6).toFixed(3)}us`)
    .option('-d, --dtype <type>', `element type: ${Object.keys(DTYPES).join(', ')}`, 'float')
    .option('--json', 'print the rows as JSON')
    .option('--csv', 'print the rows as CSV')
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .option('--force', 'replace --out / --trace / --html files if they exist')
    .option('--reduce-bw <bandwidth>', 'price reductions at 3 bytes of memory traffic per byte reduced at this bandwidth, or "hbm" for the accelerator\'s memory bandwidth; applies to ring and chain algorithms (default: free)')
    .option('--matrix <file>', 'alltoall only: an n×n JSON/YAML matrix of bytes rank i sends to rank j (all-to-all-v); replaces -b/-e')
    .option('--trace <file>', 'write a Chrome/Perfetto trace of the largest size: one track per rank, transfers as slices')
    .option('--html <file>', 'write an HTML report: busbw against size by algorithm, and the table')
    .addHelpText('after', '\nExamples:\n  fairway collective all_reduce -t topologies/dgx-h100-1node.yaml -b 8 -e 8G\n  fairway collective alltoall -t h100-256gpu-rail -b 1M -e 1G -n 64 --csv')
    .action(async (op: string, opts: CollectiveCliOptions) => runCommand(op, opts));
}

async function runCommand(opArg: string, opts: CollectiveCliOptions): Promise<void> {
  const s = readSettings(opArg, opts);
  const spec = loadTopologySpec(opts.topology);
  const topo = buildTopology(spec);
  const router = new Router(topo, spec.seed);
  const comm = rankCommunicator(topo, opts);
  const root = Number(opts.root);
  const reduceBytesPerSec = reduceBandwidth(opts.reduceBw, topo, comm);
  const o: CollectiveOptions = { ...DEFAULT_COLLECTIVE_OPTIONS, algorithm: s.algorithm, channels: s.channels, root, reduceBytesPerSec, alphaSec: s.alpha, baseLatencySec: s.base, chunkBytes: parseNcclSize(opts.chunk, '--chunk') };
  const matrix = opts.matrix === undefined ? undefined : sizeMatrix(s.op, opts.matrix, comm.nodes.length);
  if (matrix) Object.assign(o, { matrix, algorithm: 'direct' });
  const sizes = matrix ? [meanBytesSent(matrix, comm.nodes.length)] : sizeRange(s);
  const { rows, trace } = await runSizes({ topo, router, comm, s, o, opts }, sizes);
  await writeResults(opts, s, comm.nodes.length, topo.name, rows, trace);
}

/** The command's flags, checked in the order their errors are reported. */
interface Settings {
  readonly op: CollectiveOp;
  readonly minB: number;
  readonly maxB: number;
  readonly factor: number;
  readonly typeSize: number;
  readonly channels: number;
  readonly alpha: number;
  readonly base: number;
  /** --algo auto: try each algorithm and keep the fastest per size. */
  readonly auto: boolean;
  readonly algorithm: Algorithm;
}

function readSettings(opArg: string, opts: CollectiveCliOptions): Settings {
  if (!(COLLECTIVE_OPS as readonly string[]).includes(opArg)) failInput('<op>', `unknown collective "${opArg}"; choose one of ${COLLECTIVE_OPS.join(', ')}`);
  const op = opArg as CollectiveOp;
  const minB = parseNcclSize(opts.minbytes, '--minbytes');
  const maxB = parseNcclSize(opts.maxbytes, '--maxbytes');
  if (maxB < minB) failInput('--maxbytes', 'must be ≥ --minbytes');
  const factor = Number(opts.stepfactor);
  if (!(factor > 1)) failInput('--stepfactor', `must be a number > 1, got ${opts.stepfactor}`);
  const typeSize = DTYPES[opts.dtype] ?? failInput('--dtype', `unknown type "${opts.dtype}"; choose one of ${Object.keys(DTYPES).join(', ')}`);
  const channels = positiveInt(opts.channels, '--channels', 64);
  const alpha = latencyOption(opts.alpha, '--alpha');
  const base = latencyOption(opts.baseLatency, '--base-latency');
  const auto = opts.algo === 'auto';
  const algorithm = (auto ? ALGORITHMS[op][0] : opts.algo) as Algorithm;
  if (!ALGORITHMS[op].includes(algorithm)) failInput('--algo', `${op} supports ${ALGORITHMS[op].join(', ')} or auto; got ${opts.algo}`);
  if (opts.json && opts.csv) failInput('--csv', 'choose one of --json and --csv');
  if (opts.out) checkWritable(opts.out, opts.force === true);
  if (opts.trace) checkWritable(opts.trace, opts.force === true, '--trace');
  if (opts.html) checkWritable(opts.html, opts.force === true, '--html');
  return { op, minB, maxB, factor, typeSize, channels, alpha, base, auto, algorithm };
}

/** The ranks: -n (the first n accelerators, default all) or --rank-list, not both. */
function rankCommunicator(topo: Topology, opts: CollectiveCliOptions): Communicator {
  if (opts.ranks !== undefined && opts.rankList !== undefined) failInput('--rank-list', 'give either -n or --rank-list');
  return opts.rankList !== undefined ? communicatorOf(topo, opts.rankList.split(',').map((x) => x.trim())) : defaultCommunicator(topo, opts.ranks === undefined ? undefined : Number(opts.ranks));
}

/** --reduce-bw: a bandwidth, or "hbm" for the first rank's accelerator memory bandwidth; 0 (reductions are free) without it. */
function reduceBandwidth(reduceBw: string | undefined, topo: Topology, comm: Communicator): number {
  if (reduceBw === 'hbm') return ACCELERATOR_SPECS.get(topo.nodes[comm.nodes[0]].spec)?.memoryBytesPerSec ?? failInput('--reduce-bw', 'the ranks\' accelerators have no catalogue memory bandwidth; give a bandwidth such as 3TB/s');
  if (reduceBw === undefined) return 0;
  const q = parseQuantity(reduceBw, 'bandwidth');
  if (typeof q === 'string' || q <= 0) failInput('--reduce-bw', typeof q === 'string' ? q : 'must be > 0');
  return q;
}

/** --matrix: the n×n all-to-all-v byte matrix (alltoall only). */
function sizeMatrix(op: CollectiveOp, file: string, n: number): number[][] {
  if (op !== 'alltoall') failInput('--matrix', 'only alltoall takes a size matrix');
  return parseSizeMatrix(readInputText(file, '--matrix'), file, n);
}

/** The one row of a size matrix over n ranks: size = the mean bytes a rank sends. */
function meanBytesSent(matrix: readonly (readonly number[])[], n: number): number {
  return matrix.reduce((a, row, i) => a + row.reduce((b, v, j) => b + (i === j ? 0 : v), 0), 0) / n;
}

/** -b to -e, multiplied by -f each step (at least one byte more). */
function sizeRange({ minB, maxB, factor }: Settings): number[] {
  const sizes: number[] = [];
  for (let s = minB; s <= maxB; s = Math.max(s + 1, Math.floor(s * factor))) sizes.push(s);
  return sizes;
}

/** What running one size needs. */
interface SizeRun {
  readonly topo: Topology;
  readonly router: Router;
  readonly comm: Communicator;
  readonly s: Settings;
  readonly o: CollectiveOptions;
  readonly opts: CollectiveCliOptions;
}

/** Runs every size in turn; the table rows and, with --trace, the largest size's trace. */
async function runSizes({ topo, router, comm, s, o, opts }: SizeRun, sizes: readonly number[]): Promise<{ rows: CollectiveRow[]; trace: string }> {
  const { op, auto, algorithm } = s;
  const progress = makeProgress('collective', process.stderr.isTTY === true);
  const rows: CollectiveRow[] = [];
  let trace = '';
  // large hierarchical all-reduces: their graphs are built on the worker pool (identical to a serial build)
  const workers = workersOption(opts.workers);
  const hier = op === 'all_reduce' && !auto && (algorithm === 'hier' || algorithm === 'hier-hd');
  const pool = hier && workers > 1 && comm.nodes.length >= PARALLEL_BUILD_MIN_RANKS ? createBuildPool(workers) : undefined;
  try {
    for (let i = 0; i < sizes.length; i++) {
      const size = sizes[i];
      const prebuilt = pool ? await buildHierarchicalParallel(pool, topo, comm, size, o, algorithm === 'hier-hd' ? 'hd' : 'ring', 2 * workers) : undefined;
      const r = auto && !o.matrix ? runFastestCollective(topo, router, comm, op, size, o) : runCollective(topo, router, comm, op, size, o, 'wasm', prebuilt);
      if (opts.trace && i === sizes.length - 1) trace = dagToChromeTrace(r.dag, r, topo, `${op} ${size} B on ${topo.name}`);
      rows.push(collectiveRow(s, opts.dtype, o.root, size, r));
      progress.update(i + 1, sizes.length, `${size} B`);
    }
  } finally {
    // worker threads would keep the process alive after an error
    await pool?.destroy();
  }
  progress.finish();
  return { rows, trace };
}

/** One nccl-tests row: size, element count and type, reduction, root, time and bandwidths. */
function collectiveRow({ op, typeSize }: Settings, dtype: string, root: number, size: number, r: CollectiveResult): CollectiveRow {
  return {
    sizeBytes: size,
    count: Math.floor(size / typeSize),
    type: dtype,
    redop: op === 'all_reduce' || op === 'reduce_scatter' || op === 'reduce' ? 'sum' : 'none',
    root: op === 'broadcast' || op === 'reduce' || op === 'gather' || op === 'scatter' ? root : -1,
    timeUs: r.makespanSec * 1e6,
    algbwGBps: r.algbwBytesPerSec / 1e9,
    busbwGBps: r.busbwBytesPerSec / 1e9,
    algo: r.algorithm,
  };
}

/** The table (or JSON / CSV) to --out or stdout, and the --trace and --html files. */
async function writeResults(opts: CollectiveCliOptions, s: Settings, n: number, topology: string, rows: CollectiveRow[], trace: string): Promise<void> {
  const { op, auto, algorithm, channels, alpha, base } = s;
  const title = `fairway collective ${op}: ${n} ranks on ${topology}, algo ${auto ? 'auto' : algorithm}, ${channels} channel(s), alpha ${opts.alpha}, base latency ${opts.baseLatency}`;
  const text = opts.json ? `${JSON.stringify({ op, ranks: n, topology, algorithm: auto ? 'auto' : algorithm, channels, alphaSec: alpha, baseLatencySec: base, rows }, null, 2)}\n` : opts.csv ? formatCsv(rows) : formatNcclTable(title, rows);
  if (opts.trace) writeWhole(opts.trace, [trace]);
  if (opts.html) writeWhole(opts.html, [collectiveHtml(title, rows)]);
  if (opts.out) writeWhole(opts.out, [text]);
  else await writeStdout([text]);
}
