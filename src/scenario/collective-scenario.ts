// A collective scenario: which collective runs, at which sizes, with which algorithm and NCCL-
// like options, on which ranks — as a typed value, read from a document (a sweep file's
// `collective:`, or the one `fairway collective` assembles from its flags). Every field has one
// spelling and one unit rule (sizes: core/units.ts parseSize; durations: a unit, or a number of
// seconds in a file), and errors name the document path (cli/ renames paths to its flags).
import { ALGORITHMS, COLLECTIVE_OPS, type Algorithm, type CollectiveOp } from '../collective/index.js';
import { NCCL_PROTOCOLS, type NcclProtocol } from '../hardware/nccl-tuning.js';
import { FairwayError, IssueList } from '../core/errors.js';
import { parseQuantity, parseSize } from '../core/units.js';
import { FieldReader, join, type Doc } from '../io/fields.js';

/** Element types and their sizes in bytes (nccl-tests' -d). */
export const DTYPES: Readonly<Record<string, number>> = { int8: 1, uint8: 1, half: 2, bfloat16: 2, float: 4, int32: 4, double: 8, int64: 8 };

export interface CollectiveScenario {
  readonly op: CollectiveOp;
  /** Message sizes in bytes, in run order. */
  readonly sizes: readonly number[];
  readonly algorithm: Algorithm | 'auto';
  /** NCCL protocol; undefined = as NCCL's tuner picks for the size. */
  readonly protocol?: NcclProtocol;
  /** NVLink SHARP (NVLS, NVLS-tree) available to NCCL's tuner; false as with NCCL_NVLS_ENABLE=0. Default true. */
  readonly nvls: boolean;
  /** Channels, chunk, per-step α and base latency; undefined = as NCCL would run the chosen algorithm and protocol (collective/nccl-plan.ts). */
  readonly channels?: number;
  readonly chunkBytes?: number;
  readonly alphaSec?: number;
  readonly baseLatencySec?: number;
  readonly root: number;
  readonly dtype: string;
  /** The first `ranks` accelerators (default: all), or the accelerators named in `rankList`. */
  readonly ranks?: number;
  readonly rankList?: readonly string[];
  /** Reductions priced at this memory bandwidth (bytes/s), 'hbm' for the accelerator's; 0 = free. */
  readonly reduceBw: number | 'hbm';
  /** alltoall: a file holding the n×n matrix of bytes rank i sends to rank j. */
  readonly matrixFile?: string;
  /** GPUs one host thread launches (nccl-tests' -g): operations repeat no faster than this many kernel launches (hardware/host-launch.ts). Default 1. */
  readonly gpusPerThread: number;
  /**
   * NCCL_NCHANNELS_PER_NET_PEER: channels a sendrecv or alltoall peer in another NVLink domain
   * may use (collective/nccl-p2p.ts); undefined = NCCL's default from the NIC's rate.
   */
  readonly netChannelsPerPeer?: number;
  /**
   * 'flow' (default): the collective's graph of transfers run on the topology, every link shared
   * max-min. 'analytical': NCCL's closed form for the tuner's pick (its latency + size / bus
   * bandwidth, collective/nccl-tuner.ts), no graph and no contention: far faster, for pruning.
   */
  readonly fidelity: Fidelity;
}

/** How a collective is computed: the flow-level simulation, or the closed form. */
export const FIDELITIES = ['flow', 'analytical'] as const;
export type Fidelity = (typeof FIDELITIES)[number];

export const COLLECTIVE_FIELDS = ['op', 'bytes', 'minBytes', 'maxBytes', 'stepFactor', 'algo', 'proto', 'nvls', 'channels', 'ranks', 'rankList', 'root', 'chunk', 'alpha', 'baseLatency', 'dtype', 'reduceBw', 'matrix', 'gpusPerThread', 'netChannelsPerPeer', 'fidelity'] as const;

/** Most sizes one collective run takes (nccl-tests' -b 8 -e 8G -f 2 is 31). */
const MAX_SIZES = 1000;

/** Largest message: 1 PiB. */
const MAX_SIZE = 2 ** 50;

/** A size of 1 byte to 1 PiB. */
function sizeValue(v: unknown, at: string, issues: IssueList): number | undefined {
  const q = parseSize(v);
  if (typeof q === 'string') issues.add(at, q);
  else if (q < 1) issues.add(at, `must be > 0, got ${JSON.stringify(v)}`);
  else if (q > MAX_SIZE) issues.add(at, `must be at most 1P (2^50 bytes), got ${JSON.stringify(v)}`);
  else return q;
  return undefined;
}

function size(doc: Doc, key: string, path: string, issues: IssueList): number | undefined {
  return doc[key] === undefined ? undefined : sizeValue(doc[key], join(path, key), issues);
}

/** A latency: a duration with its unit, or a number of seconds in a file (a bare string other than 0 is refused: seconds are rarely what was meant). */
function latency(doc: Doc, key: string, path: string, issues: IssueList, fallback?: number): number | undefined {
  const v = doc[key];
  if (v === undefined) return fallback;
  if (typeof v === 'string' && /^\s*[\d.eE+-]+\s*$/.test(v) && Number(v) !== 0) {
    issues.add(join(path, key), `give a unit, e.g. ${v.trim()}us`);
    return fallback;
  }
  const q = parseQuantity(v, 'duration');
  if (typeof q === 'string' || q < 0) issues.add(join(path, key), typeof q === 'string' ? q : 'must be ≥ 0');
  return typeof q === 'string' || q < 0 ? fallback : q;
}

function wholeNumber(doc: Doc, key: string, path: string, issues: IssueList, min: number, max: number, fallback: number): number;
function wholeNumber(doc: Doc, key: string, path: string, issues: IssueList, min: number, max: number): number | undefined;
function wholeNumber(doc: Doc, key: string, path: string, issues: IssueList, min: number, max: number, fallback?: number): number | undefined {
  const v = doc[key];
  if (v === undefined) return fallback;
  const x = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof x === 'number' && Number.isInteger(x) && x >= min && x <= max) return x;
  issues.add(join(path, key), `must be a whole number from ${min} to ${max}, got ${JSON.stringify(v)}`);
  return fallback;
}

/** Sizes: `bytes` (one size, or a list), or minBytes..maxBytes multiplying by stepFactor. */
function sizesOf(doc: Doc, path: string, issues: IssueList): number[] {
  const bytes = doc.bytes;
  if (Array.isArray(bytes)) return bytes.flatMap((v, i) => sizeValue(v, `${join(path, 'bytes')}[${i}]`, issues) ?? []);
  if (bytes !== undefined) return [sizeValue(bytes, join(path, 'bytes'), issues) ?? 0];
  if (doc.minBytes === undefined && doc.maxBytes === undefined) {
    if (doc.matrix === undefined) issues.add(join(path, 'bytes'), 'required: the message size, e.g. 1GiB');
    return [];
  }
  const min = size(doc, 'minBytes', path, issues) ?? 8;
  const max = size(doc, 'maxBytes', path, issues) ?? min;
  if (max < min) issues.add(join(path, 'maxBytes'), `must be ≥ ${join(path, 'minBytes')}`);
  const factor = Number(doc.stepFactor ?? 2);
  if (!(factor > 1)) issues.add(join(path, 'stepFactor'), `must be a number > 1, got ${doc.stepFactor}`);
  if (!issues.empty) return [];
  const out: number[] = [];
  for (let s = min; s <= max; s = Math.max(s + 1, Math.floor(s * factor))) {
    if (out.length === MAX_SIZES) {
      issues.add(join(path, 'stepFactor'), `${min} to ${max} by ×${factor} is more than ${MAX_SIZES} sizes; raise the step factor or narrow the range`);
      return [];
    }
    out.push(s);
  }
  return out;
}

function algorithmOf(doc: Doc, op: CollectiveOp, path: string, issues: IssueList): Algorithm | 'auto' {
  const algo = doc.algo ?? 'auto';
  if (algo === 'auto') return 'auto';
  if (typeof algo === 'string' && (ALGORITHMS[op] as readonly string[]).includes(algo)) return algo as Algorithm;
  issues.add(join(path, 'algo'), `${op} supports ${ALGORITHMS[op].join(', ')} or auto; got ${typeof algo === 'string' ? algo : JSON.stringify(algo)}`);
  return 'auto';
}

function reduceBwOf(doc: Doc, path: string, issues: IssueList): number | 'hbm' {
  const v = doc.reduceBw;
  if (v === undefined) return 0;
  if (v === 'hbm') return 'hbm';
  const q = parseQuantity(v, 'bandwidth');
  if (typeof q === 'string' || q <= 0) issues.add(join(path, 'reduceBw'), typeof q === 'string' ? q : 'must be > 0');
  return typeof q === 'string' ? 0 : q;
}

function rankListOf(doc: Doc, path: string, issues: IssueList): string[] | undefined {
  const v = doc.rankList;
  if (v === undefined) return undefined;
  if (doc.ranks !== undefined) issues.add(join(path, 'rankList'), `give either ${join(path, 'ranks')} or ${join(path, 'rankList')}`);
  if (typeof v === 'string') return v.split(',').map((x) => x.trim());
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  issues.add(join(path, 'rankList'), 'must be a list of accelerator ids');
  return undefined;
}

/** An operation by fairway's name or nccl-tests' (all_reduce_perf, allreduce, AllReduce): case, underscores and a _perf suffix do not matter. */
export function collectiveOpOf(text: unknown): CollectiveOp | undefined {
  if (typeof text !== 'string') return undefined;
  const key = (x: string) => x.toLowerCase().replace(/_perf$/, '').replace(/[_-]/g, '');
  return COLLECTIVE_OPS.find((op) => key(op) === key(text));
}

/** Reads a collective document; every problem is reported at once (one problem: `path: message`). */
export function readCollectiveScenario(doc: Doc, path = 'collective'): CollectiveScenario {
  const issues = new IssueList();
  new FieldReader(issues).known(doc, path, COLLECTIVE_FIELDS);
  const opText = doc.op ?? 'all_reduce';
  const found = collectiveOpOf(opText);
  if (found === undefined) issues.add(join(path, 'op'), `unknown collective ${JSON.stringify(opText)}; choose one of ${COLLECTIVE_OPS.join(', ')} (nccl-tests' all_reduce_perf and allreduce spellings too)`);
  const op = found ?? 'all_reduce';
  const scenario: CollectiveScenario = {
    op,
    sizes: sizesOf(doc, path, issues),
    algorithm: algorithmOf(doc, op, path, issues),
    protocol: protocolOf(doc, path, issues),
    nvls: booleanOf(doc, 'nvls', path, issues, true),
    channels: doc.channels === 'auto' ? undefined : wholeNumber(doc, 'channels', path, issues, 1, 64),
    chunkBytes: size(doc, 'chunk', path, issues),
    alphaSec: latency(doc, 'alpha', path, issues),
    baseLatencySec: latency(doc, 'baseLatency', path, issues),
    root: wholeNumber(doc, 'root', path, issues, 0, 1 << 24, 0),
    dtype: dtypeOf(doc, path, issues),
    ranks: wholeNumber(doc, 'ranks', path, issues, 2, 1 << 24),
    rankList: rankListOf(doc, path, issues),
    reduceBw: reduceBwOf(doc, path, issues),
    matrixFile: matrixOf(doc, op, path, issues),
    gpusPerThread: wholeNumber(doc, 'gpusPerThread', path, issues, 1, 1024, 1),
    netChannelsPerPeer: wholeNumber(doc, 'netChannelsPerPeer', path, issues, 1, 64),
    fidelity: fidelityOf(doc, path, issues),
  };
  throwIssues(issues, path);
  return scenario;
}

function booleanOf(doc: Doc, key: string, path: string, issues: IssueList, fallback: boolean): boolean {
  const v = doc[key];
  if (v === undefined) return fallback;
  if (v === true || v === 'true' || v === 'on') return true;
  if (v === false || v === 'false' || v === 'off') return false;
  issues.add(join(path, key), `must be true or false (on/off), got ${JSON.stringify(v)}`);
  return fallback;
}

function fidelityOf(doc: Doc, path: string, issues: IssueList): Fidelity {
  const v = doc.fidelity ?? 'flow';
  if (typeof v === 'string' && (FIDELITIES as readonly string[]).includes(v)) return v as Fidelity;
  issues.add(join(path, 'fidelity'), `must be ${FIDELITIES.join(' or ')}, got ${JSON.stringify(v)}`);
  return 'flow';
}

function protocolOf(doc: Doc, path: string, issues: IssueList): NcclProtocol | undefined {
  const v = doc.proto ?? 'auto';
  if (v === 'auto') return undefined;
  const p = NCCL_PROTOCOLS.find((x) => typeof v === 'string' && x.toLowerCase() === v.toLowerCase());
  if (p === undefined) issues.add(join(path, 'proto'), `unknown protocol ${JSON.stringify(v)}; choose one of ${NCCL_PROTOCOLS.join(', ')} or auto`);
  return p;
}

function dtypeOf(doc: Doc, path: string, issues: IssueList): string {
  const v = doc.dtype ?? 'float';
  if (typeof v === 'string' && v in DTYPES) return v;
  issues.add(join(path, 'dtype'), `unknown type ${JSON.stringify(v)}; choose one of ${Object.keys(DTYPES).join(', ')}`);
  return 'float';
}

function matrixOf(doc: Doc, op: CollectiveOp, path: string, issues: IssueList): string | undefined {
  const v = doc.matrix;
  if (v === undefined) return undefined;
  if (op !== 'alltoall') issues.add(join(path, 'matrix'), 'only alltoall takes a size matrix');
  if (typeof v !== 'string' || v === '') issues.add(join(path, 'matrix'), 'must be the name of a JSON/YAML file holding the n×n matrix');
  return typeof v === 'string' ? v : undefined;
}

/** One problem: `path: message`; several: `collective: N problems` with each listed. */
export function throwIssues(issues: IssueList, what: string): void {
  if (issues.total === 1) throw new FairwayError('E_INPUT', `${issues.items[0].path}: ${issues.items[0].message}`, issues.items);
  issues.throwIfAny(`${what}: invalid`);
}
