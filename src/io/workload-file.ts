// Workload files (JSON/YAML): parse, validate every field with its path (unknown types,
// dangling or forward dependencies, cycles reported with their members), apply defaults.
// Fields are documented in docs/workload.md.
import { FairwayError, IssueList } from '../core/errors.js';
import { ALGORITHMS, COLLECTIVE_OPS, type CollectiveOp } from '../collective/index.js';
import { KERNEL_CLASSES } from '../hardware/kernel-efficiency.js';
import { WORKLOAD_OP_TYPES, type RankGrouping, type RankOverride, type WorkloadOp, type WorkloadOpType, type WorkloadSpec } from '../workload/spec.js';
import { FieldReader, isDoc, join, type Doc } from './fields.js';
import { readTrainingSection } from './training-section.js';
import { ACCELERATOR_SPECS, type AcceleratorSpec } from '../hardware/index.js';
import { DEFAULT_ACCELERATOR, trainingWorkload } from '../workload/generators/transformer.js';
import { parseDocumentText } from './topology-file.js';

const TYPES: readonly WorkloadOpType[] = WORKLOAD_OP_TYPES;
const DEFAULT_STREAM: Record<WorkloadOpType, string> = { compute: 'compute', collective: 'comm', memcpy: 'copy', cpu: 'host', input: 'input', send: 'send', recv: 'recv' };
const MAX_RANK = (1 << 20) - 1;

/**
 * The most one operation may ask for: beyond these a step's times overflow what a double holds
 * meaningfully (bytes: 1e300 made a graph whose operations finished out of order; issue 19).
 * Far above any real operation: 1 PiB moved, 10^24 FLOPs, a million seconds of CPU work.
 */
export const OP_BOUNDS = {
  bytes: { max: 2 ** 50, maxLabel: '1 PiB (1125899906842624 bytes)' },
  flops: { max: 1e24, maxLabel: '1e24 FLOPs' },
  seconds: { max: 1e6, maxLabel: '1e6 s' },
} as const;

export function parseWorkloadText(text: string, file: string): WorkloadSpec {
  return parseWorkload(parseDocumentText(text, file), file);
}

export function parseWorkload(doc: unknown, what = 'workload'): WorkloadSpec {
  const issues = new IssueList();
  const r = new FieldReader(issues);
  if (!isDoc(doc)) throw new FairwayError('E_INPUT', `${what}: the document must be an object with ops`, [{ path: '', message: 'not an object' }]);
  r.known(doc, '', ['name', 'topology', 'ranks', 'iterations', 'launch', 'graph', 'p2p', 'ops', 'training']);
  if (doc.training !== undefined) return trainingWorkloadSpec(doc, what, issues);
  const ops = readOps(r, doc);
  const spec: WorkloadSpec = {
    name: r.str(doc, 'name', '', what) ?? what,
    topology: r.str(doc, 'topology', ''),
    ranks: r.int(doc, 'ranks', '', 1, 1 << 20),
    iterations: r.int(doc, 'iterations', '', 1, 1_000_000, 1) ?? 1,
    launchSec: r.quantity(doc, 'launch', '', 'duration', { allowZero: true, max: 1, maxLabel: '1 s' }) ?? 5e-6,
    graph: r.bool(doc, 'graph', '', false),
    eager: r.oneOf(doc, 'p2p', '', ['rendezvous', 'eager'] as const, 'rendezvous') === 'eager',
    ops,
  };
  issues.throwIfAny(`${what}: invalid workload`);
  return spec;
}

/** The document's operations, each checked, then their dependencies: unknown ids and, when all else is valid, a cycle. */
function readOps(r: FieldReader, doc: Doc): WorkloadOp[] {
  const issues = r.issues;
  const ops: WorkloadOp[] = [];
  const ids = new Map<string, number>();
  r.list(doc, 'ops', '').forEach((o, i) => {
    const path = `ops[${i}]`;
    if (!isDoc(o)) return issues.add(path, 'must be an object such as {id: gemm, type: compute, flops: 2e12, bytes: 1GB}');
    const op = readOp(r, o, path, i, ids);
    ids.set(op.id, i);
    ops.push(op);
  });
  if (ops.length === 0) issues.add('ops', 'required: a non-empty list of operations');
  ops.forEach((op, i) => op.after.forEach((a, j) => {
    if (!ids.has(a)) issues.add(`ops[${i}].after[${j}]`, `unknown operation "${a}"`);
  }));
  if (issues.empty) {
    const cycle = findCycle(ops, ids);
    if (cycle) issues.add('ops', `dependency cycle: ${cycle.join(' → ')}; break it by removing one "after"`);
  }
  return ops;
}

/** Operation i (at `path`) with its defaults; `ids` holds the ids of the operations before it. */
function readOp(r: FieldReader, o: Doc, path: string, i: number, ids: ReadonlyMap<string, number>): WorkloadOp {
  const issues = r.issues;
  r.known(o, path, ['id', 'type', 'after', 'stream', 'ranks', 'group', 'flops', 'bytes', 'kernels', 'class', 'efficiency', 'dtype', 'op', 'algo', 'slices', 'sm', 'direction', 'peer', 'wrap', 'tag', 'seconds', 'workers', 'samples', 'decode', 'prefetch', 'overrides']);
  const id = r.str(o, 'id', path) ?? `#${i}`;
  if (o.id === undefined) issues.add(join(path, 'id'), 'required: a name other operations can refer to');
  if (ids.has(id)) issues.add(join(path, 'id'), `duplicate id "${id}"`);
  const type = r.oneOf(o, 'type', path, TYPES, 'compute');
  if (o.type === undefined) issues.add(join(path, 'type'), `required: one of ${TYPES.join(', ')}`);
  const after = (Array.isArray(o.after) ? o.after : o.after === undefined ? [] : [o.after]).map(String);
  const op: WorkloadOp = {
    id,
    type,
    after,
    stream: r.str(o, 'stream', path) ?? DEFAULT_STREAM[type],
    ranks: rankList(o.ranks, join(path, 'ranks'), issues),
    group: grouping(r, o, path),
    flops: r.quantity(o, 'flops', path, 'flop', { allowZero: true, ...OP_BOUNDS.flops }) ?? 0,
    bytes: r.quantity(o, 'bytes', path, 'bytes', { allowZero: true, ...OP_BOUNDS.bytes }) ?? 0,
    kernels: r.int(o, 'kernels', path, 1, 1 << 24, 1) ?? 1,
    kernelClass: r.oneOf(o, 'class', path, KERNEL_CLASSES, 'roofline'),
    efficiency: r.fraction(o, 'efficiency', path),
    dtype: r.oneOf(o, 'dtype', path, ['bf16', 'fp8'] as const, 'bf16'),
    collective: r.oneOf(o, 'op', path, COLLECTIVE_OPS, 'all_reduce'),
    algorithm: r.str(o, 'algo', path) ?? 'auto',
    slices: r.int(o, 'slices', path, 1, 1024),
    sm: r.fraction(o, 'sm', path),
    direction: r.oneOf(o, 'direction', path, ['h2d', 'd2h', 'd2d', 'peer'] as const, 'h2d'),
    peer: r.int(o, 'peer', path, -MAX_RANK, MAX_RANK, 0) ?? 0,
    wrap: r.bool(o, 'wrap', path, false),
    tag: r.int(o, 'tag', path, 0, Number.MAX_SAFE_INTEGER, 0) ?? 0,
    coreSeconds: r.quantity(o, type === 'input' ? 'decode' : 'seconds', path, 'duration', { allowZero: true, ...OP_BOUNDS.seconds }) ?? 0,
    workers: r.int(o, 'workers', path, 1, 4096, 1) ?? 1,
    samples: r.int(o, 'samples', path, 1, 1 << 24, 1) ?? 1,
    prefetch: r.int(o, 'prefetch', path, 0, 1024, 1) ?? 1,
    overrides: r.list(o, 'overrides', path).map((x, j) => override(r, x, `${join(path, 'overrides')}[${j}]`, type)),
  };
  checkOpFields(issues, o, op, path);
  return op;
}

/** The fields an operation's type requires, and those it may not have. */
function checkOpFields(issues: IssueList, o: Doc, op: WorkloadOp, path: string): void {
  const type = op.type;
  const algos: readonly string[] = ALGORITHMS[op.collective as CollectiveOp];
  if (type === 'collective' && op.algorithm !== 'auto' && !algos.includes(op.algorithm))
    issues.add(join(path, 'algo'), `${op.collective} supports ${algos.join(', ')} or auto, got "${op.algorithm}"`);
  if (type === 'input' && (o.bytes === undefined || o.decode === undefined || o.samples === undefined))
    issues.add(path, 'an input operation needs samples (per step), bytes (per sample) and decode (core-seconds per sample)');
  if (type === 'compute' && o.flops === undefined && o.bytes === undefined && o.seconds === undefined) issues.add(path, 'a compute operation needs flops, bytes (or both), or a measured duration in seconds');
  if ((type === 'collective' || type === 'memcpy') && o.bytes === undefined) issues.add(join(path, 'bytes'), 'required');
  if (type === 'cpu' && o.seconds === undefined) issues.add(join(path, 'seconds'), 'required: core-seconds of host work');
  const p2p = type === 'send' || type === 'recv' || (type === 'memcpy' && op.direction === 'peer');
  if (p2p && op.peer === 0) issues.add(join(path, 'peer'), 'required: the partner\'s offset within the group, e.g. 1 (next rank) or -1 (previous)');
  if ((type === 'send' || type === 'recv') && o.bytes === undefined) issues.add(join(path, 'bytes'), 'required');
  if (o.group !== undefined && type !== 'collective' && !p2p) issues.add(join(path, 'group'), 'only collectives, send, recv and peer copies run in groups');
  if (o.peer !== undefined && !p2p) issues.add(join(path, 'peer'), 'only send, recv and peer copies (direction: peer) have a peer');
  if ((o.sm !== undefined || o.slices !== undefined) && type !== 'collective') issues.add(join(path, o.sm !== undefined ? 'sm' : 'slices'), 'only collectives have sm and slices');
  if (o.prefetch !== undefined && type !== 'input') issues.add(join(path, 'prefetch'), 'only input operations prefetch');
}

/** A workload given as a model and a parallelism plan: its generated ops, with the file's other top-level fields. */
function trainingWorkloadSpec(doc: Doc, what: string, issues: IssueList): WorkloadSpec {
  if (doc.ops !== undefined) issues.add('ops', 'give either ops or training, not both');
  if (doc.ranks !== undefined) issues.add('ranks', 'a training workload has tp × pp × dp ranks; leave ranks out');
  const iterations = typeof doc.iterations === 'number' ? doc.iterations : 1;
  const training = readTrainingSection(doc.training, iterations, issues);
  issues.throwIfAny(`${what}: invalid workload`);
  // costed on the default accelerator until the system is known (trainingSpecOn)
  const generated = trainingWorkload(training!.model, training!.plan, ACCELERATOR_SPECS.get(DEFAULT_ACCELERATOR)!, false);
  const { training: _t, ...rest } = doc;
  const spec = parseWorkload({ ...generated, ...rest, name: typeof doc.name === 'string' ? doc.name : generated.name }, what);
  return { ...spec, training: { ...training!, accelerator: DEFAULT_ACCELERATOR } };
}

/** A generated training workload with its kernels costed on `acc` (the same spec when they already are). */
export function trainingSpecOn(spec: WorkloadSpec, acc: AcceleratorSpec): WorkloadSpec {
  const t = spec.training;
  if (!t || t.accelerator === acc.name) return spec;
  const generated = parseWorkload(trainingWorkload(t.model, t.plan, acc, false), spec.name);
  const { ops, ranks } = generated;
  return { ...spec, ops, ranks, training: { ...t, accelerator: acc.name } };
}

/** A rank list: whole numbers, or a string of numbers and ranges such as "0-3,8". */
function rankList(v: unknown, path: string, issues: IssueList): number[] | undefined {
  if (v === undefined) return undefined;
  const out: number[] = [];
  const bad = () => issues.add(path, `must be a list of ranks such as [0, 1, 2] or "0-3,8", got ${JSON.stringify(v)}`);
  const parts = Array.isArray(v) ? v : typeof v === 'string' ? v.split(',').map((x) => x.trim()) : typeof v === 'number' ? [v] : null;
  if (!parts || parts.length === 0) return bad(), undefined;
  for (const p of parts) {
    const m = typeof p === 'number' ? [String(p), String(p), undefined] : typeof p === 'string' ? /^(\d+)(?:-(\d+))?$/.exec(p) : null;
    const lo = m ? Number(m[1]) : NaN;
    const hi = m ? Number(m[2] ?? m[1]) : NaN;
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 0 || hi < lo || hi > MAX_RANK) return bad(), undefined;
    for (let x = lo; x <= hi; x++) out.push(x);
  }
  if (new Set(out).size !== out.length) return issues.add(path, 'a rank appears twice'), undefined;
  return out.sort((a, b) => a - b);
}

function grouping(r: FieldReader, o: Doc, path: string): RankGrouping | undefined {
  const g = r.object(o, 'group', path);
  if (!g) return undefined;
  const p = join(path, 'group');
  r.known(g, p, ['size', 'stride']);
  if (g.size === undefined) r.issues.add(join(p, 'size'), 'required: ranks per group');
  return { size: r.int(g, 'size', p, 1, MAX_RANK + 1, 1) ?? 1, stride: r.int(g, 'stride', p, 1, MAX_RANK + 1, 1) ?? 1 };
}

function override(r: FieldReader, x: unknown, path: string, type: WorkloadOpType): RankOverride {
  if (!isDoc(x)) {
    r.issues.add(path, 'must be an object such as {ranks: "0-3", flops: 2e12}');
    return { ranks: [] };
  }
  // the fields the operation's type has: overriding anything else would be silently ignored
  const fields: Record<WorkloadOpType, string[]> = { compute: ['flops', 'bytes', 'seconds'], input: ['bytes', 'decode', 'samples'], cpu: ['seconds'], memcpy: ['bytes'], send: ['bytes'], recv: ['bytes'], collective: [] };
  r.known(x, path, ['ranks', ...fields[type]]);
  const ranks = rankList(x.ranks, join(path, 'ranks'), r.issues) ?? [];
  if (x.ranks === undefined) r.issues.add(join(path, 'ranks'), 'required: the ranks these values apply to');
  return {
    ranks,
    flops: r.quantity(x, 'flops', path, 'flop', { allowZero: true, ...OP_BOUNDS.flops }),
    bytes: r.quantity(x, 'bytes', path, 'bytes', { allowZero: true, ...OP_BOUNDS.bytes }),
    coreSeconds: r.quantity(x, type === 'input' ? 'decode' : 'seconds', path, 'duration', { allowZero: true, ...OP_BOUNDS.seconds }),
    samples: r.int(x, 'samples', path, 1, 1 << 24),
  };
}

/** A dependency cycle as a list of ids (first repeated at the end), or null; iterative DFS. */
function findCycle(ops: readonly WorkloadOp[], ids: ReadonlyMap<string, number>): string[] | null {
  const state = new Uint8Array(ops.length); // 0 new, 1 on the path, 2 done
  const next = new Int32Array(ops.length); // which dependency of each node on the path to try next
  for (let root = 0; root < ops.length; root++) {
    if (state[root] !== 0) continue;
    const path = [root];
    state[root] = 1;
    while (path.length) {
      const i = path[path.length - 1];
      if (next[i] < ops[i].after.length) {
        const j = ids.get(ops[i].after[next[i]++])!;
        if (state[j] === 1) return [...path.slice(path.indexOf(j)), j].map((k) => ops[k].id);
        if (state[j] === 0) {
          state[j] = 1;
          path.push(j);
        }
      } else {
        state[i] = 2;
        path.pop();
      }
    }
  }
  return null;
}
