// Workload files (JSON/YAML): parse, validate every field with its path (unknown types,
// dangling or forward dependencies, cycles reported with their members), apply defaults.
// Fields are documented in docs/workload.md.
import { FairwayError, IssueList } from '../core/errors.js';
import { ALGORITHMS, COLLECTIVE_OPS, type CollectiveOp } from '../collective/index.js';
import type { WorkloadOp, WorkloadOpType, WorkloadSpec } from '../workload/spec.js';
import { FieldReader, isDoc, join } from './fields.js';
import { parseDocumentText } from './topology-file.js';

const TYPES: readonly WorkloadOpType[] = ['compute', 'collective', 'memcpy', 'cpu', 'input'];
const DEFAULT_STREAM: Record<WorkloadOpType, string> = { compute: 'compute', collective: 'comm', memcpy: 'copy', cpu: 'host', input: 'input' };

export function parseWorkloadText(text: string, file: string): WorkloadSpec {
  return parseWorkload(parseDocumentText(text, file), file);
}

export function parseWorkload(doc: unknown, what = 'workload'): WorkloadSpec {
  const issues = new IssueList();
  const r = new FieldReader(issues);
  if (!isDoc(doc)) throw new FairwayError('E_INPUT', `${what}: the document must be an object with ops`, [{ path: '', message: 'not an object' }]);
  r.known(doc, '', ['name', 'topology', 'ranks', 'iterations', 'launch', 'graph', 'ops']);
  const ops: WorkloadOp[] = [];
  const ids = new Map<string, number>();
  r.list(doc, 'ops', '').forEach((o, i) => {
    const path = `ops[${i}]`;
    if (!isDoc(o)) return issues.add(path, 'must be an object such as {id: gemm, type: compute, flops: 2e12, bytes: 1GB}');
    r.known(o, path, ['id', 'type', 'after', 'stream', 'flops', 'bytes', 'op', 'algo', 'direction', 'seconds', 'workers', 'samples', 'decode']);
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
      flops: r.quantity(o, 'flops', path, 'flop', { allowZero: true }) ?? 0,
      bytes: r.quantity(o, 'bytes', path, 'bytes', { allowZero: true }) ?? 0,
      collective: r.oneOf(o, 'op', path, COLLECTIVE_OPS, 'all_reduce'),
      algorithm: r.str(o, 'algo', path) ?? 'auto',
      direction: r.oneOf(o, 'direction', path, ['h2d', 'd2h'] as const, 'h2d'),
      coreSeconds: r.quantity(o, type === 'input' ? 'decode' : 'seconds', path, 'duration', { allowZero: true }) ?? 0,
      workers: r.int(o, 'workers', path, 1, 4096, 1) ?? 1,
      samples: r.int(o, 'samples', path, 1, 1 << 24, 1) ?? 1,
    };
    const algos: readonly string[] = ALGORITHMS[op.collective as CollectiveOp];
    if (type === 'collective' && op.algorithm !== 'auto' && !algos.includes(op.algorithm))
      issues.add(join(path, 'algo'), `${op.collective} supports ${algos.join(', ')} or auto, got "${op.algorithm}"`);
    if (type === 'input' && (o.bytes === undefined || o.decode === undefined || o.samples === undefined))
      issues.add(path, 'an input operation needs samples (per step), bytes (per sample) and decode (core-seconds per sample)');
    if (type === 'compute' && op.flops === 0 && op.bytes === 0) issues.add(path, 'a compute operation needs flops, bytes or both');
    if ((type === 'collective' || type === 'memcpy') && o.bytes === undefined) issues.add(join(path, 'bytes'), 'required');
    if (type === 'cpu' && o.seconds === undefined) issues.add(join(path, 'seconds'), 'required: core-seconds of host work');
    ids.set(id, i);
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
  const spec: WorkloadSpec = {
    name: r.str(doc, 'name', '', what) ?? what,
    topology: r.str(doc, 'topology', ''),
    ranks: r.int(doc, 'ranks', '', 1, 1 << 20),
    iterations: r.int(doc, 'iterations', '', 1, 1_000_000, 1) ?? 1,
    launchSec: r.quantity(doc, 'launch', '', 'duration', { allowZero: true }) ?? 5e-6,
    graph: r.bool(doc, 'graph', '', false),
    ops,
  };
  issues.throwIfAny(`${what}: invalid workload`);
  return spec;
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
