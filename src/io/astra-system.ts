// ASTRA-sim's system configuration (the `--system-configuration` JSON: per collective an
// implementation per network dimension, `endpoint-delay` in cycles of 1 ns, `local-mem-bw` in
// GB/s, the scheduler's settings) read as the fields of a fairway collective: the algorithm,
// the latency per send step (α) and the memory bandwidth reductions are priced at. What fairway
// does not model (the scheduling policy, chunk splitting and concurrency, boost mode, the
// roofline) is reported in notes, not silently dropped; custom (MSCCL-IR) collectives are
// refused.
import { FairwayError } from '../core/errors.js';
import type { CollectiveOp } from '../collective/index.js';
import { readInputText } from './read-text.js';
import { parseDocumentText } from './topology-file.js';

/** The implementation key of each collective ASTRA-sim configures. */
const IMPLEMENTATION_KEY: Partial<Record<CollectiveOp, string>> = {
  all_reduce: 'all-reduce-implementation',
  all_gather: 'all-gather-implementation',
  reduce_scatter: 'reduce-scatter-implementation',
  alltoall: 'all-to-all-implementation',
};

/**
 * ASTRA-sim's implementation names (their "one…" forms run the same algorithm over every
 * dimension at once) → fairway's algorithm, per collective. ASTRA-sim's direct all-reduce is a
 * direct reduce-scatter then a direct all-gather: fairway's two-shot.
 */
const ALGORITHM_OF: Record<string, Partial<Record<CollectiveOp, string>>> = {
  ring: { all_reduce: 'ring', all_gather: 'ring', reduce_scatter: 'ring', alltoall: 'pairwise' },
  direct: { all_reduce: 'two-shot', alltoall: 'direct' },
  halvingdoubling: { all_reduce: 'hd' },
  doublebinarytree: { all_reduce: 'tree' },
};

/** Fields fairway reads, and those it notes as not modelled. */
const USED = ['endpoint-delay', 'local-mem-bw', ...Object.values(IMPLEMENTATION_KEY)];
const NOT_MODELLED = ['scheduling-policy', 'active-chunks-per-dimension', 'preferred-dataset-splits', 'collective-optimization', 'boost-mode', 'roofline-enabled', 'peak-perf', 'intra-dimension-scheduling', 'inter-dimension-scheduling', 'replay-only', 'track-local-mem', 'local-reduction-delay', 'model-shared-bus', 'L', 'o', 'g', 'G', 'trace-enabled'];

export interface AstraSystemFields {
  /** Collective document fields (algo, alpha, reduceBw) the config sets for this operation. */
  readonly fields: Record<string, string>;
  /** What was used and what was left out, one line each. */
  readonly notes: string[];
}

/** The fairway algorithm of the config's implementation list for `op`, with a note when it has several dimensions. */
function algorithmOf(doc: Record<string, unknown>, op: CollectiveOp, label: string, notes: string[]): string | undefined {
  const key = IMPLEMENTATION_KEY[op];
  if (key === undefined || doc[key] === undefined) return undefined;
  const list = doc[key];
  if (!Array.isArray(list) || list.length === 0 || !list.every((x) => typeof x === 'string')) throw new FairwayError('E_INPUT', `${label}: ${key} must be a list of implementation names, one per dimension, e.g. ["ring"]`, [{ path: key, message: 'a list of names' }]);
  const names = [...new Set((list as string[]).map((x) => x.toLowerCase().replace(/^one(?=[a-z])/, '')))];
  if (names.length > 1) throw new FairwayError('E_INPUT', `${label}: ${key} mixes implementations across dimensions (${list.join(', ')}); fairway runs one algorithm over all ranks: give one name`, [{ path: key, message: 'one implementation for every dimension' }]);
  const algo = ALGORITHM_OF[names[0]]?.[op];
  if (algo === undefined) throw new FairwayError('E_INPUT', `${label}: ${key}: ${list[0]} is not an implementation fairway has for ${op} (${Object.entries(ALGORITHM_OF).filter(([, a]) => a[op]).map(([n]) => n).join(', ')})`, [{ path: key, message: `unknown for ${op}` }]);
  if (list.length > 1) notes.push(`${key}: ${list.join(', ')} runs dimension by dimension in ASTRA-sim; fairway runs one ${algo} over all ranks`);
  return algo;
}

/** A non-negative number field, or undefined when absent. */
function numberField(doc: Record<string, unknown>, key: string, label: string): number | undefined {
  const v = doc[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new FairwayError('E_INPUT', `${label}: ${key} must be a number ≥ 0, got ${JSON.stringify(v)}`, [{ path: key, message: 'a number ≥ 0' }]);
  return v;
}

/** The collective fields an ASTRA-sim system config gives `op`, from its parsed document. */
export function astraSystemFields(doc: unknown, op: CollectiveOp, label: string): AstraSystemFields {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new FairwayError('E_INPUT', `${label}: an ASTRA-sim system config is a JSON object such as {"all-reduce-implementation": ["ring"], "endpoint-delay": 10}`, [{ path: label, message: 'not an object' }]);
  const d = doc as Record<string, unknown>;
  const custom = Object.keys(d).filter((k) => k.endsWith('-implementation-custom'));
  if (custom.length) throw new FairwayError('E_INPUT', `${label}: ${custom[0]}: custom (MSCCL-IR) collectives are not supported; give the native implementations (ring, direct, halvingDoubling, doubleBinaryTree)`, [{ path: custom[0], message: 'not supported' }]);
  const unknown = Object.keys(d).filter((k) => !USED.includes(k) && !NOT_MODELLED.includes(k));
  if (unknown.length) throw new FairwayError('E_INPUT', `${label}: unknown field${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} of an ASTRA-sim system config`, unknown.map((k) => ({ path: k, message: 'unknown field' })));
  const notes: string[] = [];
  const fields: Record<string, string> = {};
  const algo = algorithmOf(d, op, label, notes);
  if (algo !== undefined) fields.algo = algo;
  const delay = numberField(d, 'endpoint-delay', label);
  if (delay !== undefined) fields.alpha = `${delay}ns`;
  const mem = numberField(d, 'local-mem-bw', label);
  if (mem !== undefined && mem > 0) fields.reduceBw = `${mem}GB/s`;
  const left = Object.keys(d).filter((k) => NOT_MODELLED.includes(k));
  const used = [algo && `${IMPLEMENTATION_KEY[op]} as --algo ${algo}`, delay !== undefined && `endpoint-delay as --alpha ${delay}ns`, fields.reduceBw && `local-mem-bw as --reduce-bw ${fields.reduceBw}`].filter(Boolean);
  notes.unshift(`${label}: used ${used.length ? used.join(', ') : 'nothing for ' + op}${left.length ? `; not modelled: ${left.join(', ')}` : ''}`);
  return { fields, notes };
}

/** The operations a system config may set an implementation for. */
export const ASTRA_SYSTEM_OPS = Object.keys(IMPLEMENTATION_KEY) as CollectiveOp[];

/**
 * The ASTRA-sim system config in `file` as the algorithm of each collective operation of a
 * workload (those it names an implementation for), with notes: what was used and what a
 * workload leaves out (its collectives keep NCCL's per-hop latencies and free reductions, so
 * endpoint-delay and local-mem-bw are not applied).
 */
export function readAstraSystemAlgorithms(file: string, option = '--astra-system'): { algorithms: Partial<Record<CollectiveOp, string>>; notes: string[] } {
  const doc = parseDocumentText(readInputText(file, option), file);
  const algorithms: Partial<Record<CollectiveOp, string>> = {};
  const notes: string[] = [];
  for (const op of ASTRA_SYSTEM_OPS) {
    const { fields, notes: n } = astraSystemFields(doc, op, file);
    if (fields.algo !== undefined) algorithms[op] = fields.algo;
    notes.push(...n.slice(1));
  }
  const d = doc as Record<string, unknown>;
  const used = Object.entries(algorithms).map(([op, a]) => `${op} ${a}`);
  const left = ['endpoint-delay', 'local-mem-bw', ...NOT_MODELLED].filter((k) => d[k] !== undefined);
  notes.unshift(`${file}: used ${used.length ? used.join(', ') : 'nothing'} for the workload's collectives whose algo is auto${left.length ? `; not applied in workloads: ${left.join(', ')}` : ''}`);
  return { algorithms, notes };
}

/** The ASTRA-sim system config in `file` (JSON or YAML), as collective fields for `op`. */
export function readAstraSystem(file: string, op: CollectiveOp, option = '--astra-system'): AstraSystemFields {
  return astraSystemFields(parseDocumentText(readInputText(file, option), file), op, file);
}
