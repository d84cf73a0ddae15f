// Chakra execution traces as a workload: `PREFIX.<rank>.et` (or `.et.gz`, or Chakra's JSON
// form `.json`) for ranks 0..n−1,
// one trace per rank, turned into workload operations that keep every node's dependencies:
//   COMP_NODE       a kernel of its measured duration (duration_micros), or of num_ops FLOPs and
//                   tensor_size bytes through the roofline; with is_cpu_op, host-thread work;
//   COMM_COLL_NODE  the k-th collective of a process group (pg_name) on every rank that runs
//                   that group's collectives is one collective over those ranks; without
//                   pg_name, over all ranks (with is_cpu_op, the CPU call that enqueues it:
//                   host-thread work of its duration);
//   COMM_SEND/RECV  send/recv to comm_dst / from comm_src (comm_size bytes, matched by comm_tag),
//                   eager as in ASTRA-sim: a send leaves when its dependencies are done, a recv
//                   completes when its data has arrived;
//   MEM_LOAD/STORE  a host→device / device→host copy of tensor_size bytes;
//   others          (metadata) pass their dependencies on.
// Every node has its own stream: nodes run as soon as their data and control dependencies are
// done, as Chakra's feeder issues them. Kernel launches are part of the traces (their CPU
// nodes), so the workload's launch cost is 0.
import { existsSync, readdirSync } from 'node:fs';
import { readInputBytes, readInputText } from './read-text.js';
import { basename, dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { FairwayError } from '../core/errors.js';
import { CHAKRA_NODE_TYPES, chakraCollective, parseChakraTrace, type ChakraNode, type ChakraTrace } from './chakra-et.js';

/** Attributes this import uses; others are reported once as ignored. */
const USED = new Set(['comm_type', 'comm_size', 'comm_src', 'comm_dst', 'comm_tag', 'is_cpu_op', 'num_ops', 'tensor_size', 'pg_name']);

export interface ChakraImport {
  /** The workload document (docs/workload.md). */
  readonly doc: Record<string, unknown>;
  readonly ranks: number;
  readonly nodes: number;
  /** Attribute names present in the traces and not used, with how many nodes carry them. */
  readonly ignoredAttributes: ReadonlyMap<string, number>;
  /** Dependencies on nodes absent from the traces (taken as met). */
  readonly danglingDependencies: number;
  /** Control dependencies dropped because they contradict the data dependencies, and self-dependencies. */
  readonly droppedControlDependencies: number;
}

/** The trace files of a prefix: PREFIX.0.et[.gz], PREFIX.1.et[.gz], … (all ranks present, in order). */
function chakraFiles(prefix: string): string[] {
  const dir = dirname(prefix) || '.';
  const base = basename(prefix);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    throw new FairwayError('E_INPUT', `--chakra: no directory ${dir}`, [{ path: '--chakra', message: 'give PREFIX such that PREFIX.0.et exists' }]);
  }
  const ranks = new Map<number, string>();
  for (const n of names) {
    const m = /^(.*)\.(\d+)\.(?:et(?:\.gz)?|json)$/.exec(n);
    if (m && m[1] === base) ranks.set(Number(m[2]), join(dir, n));
  }
  if (ranks.size === 0) throw new FairwayError('E_INPUT', `--chakra: no ${prefix}.<rank>.et files`, [{ path: '--chakra', message: `expected ${prefix}.0.et (or .et.gz)` }]);
  const files: string[] = [];
  for (let r = 0; r < ranks.size; r++) {
    const f = ranks.get(r);
    if (!f) throw new FairwayError('E_INPUT', `--chakra: ${prefix}.${r}.et is missing (found ${ranks.size} rank files)`, [{ path: '--chakra', message: 'ranks must be numbered 0 … n−1' }]);
    files.push(f);
  }
  return files;
}

function readChakraTrace(file: string): ChakraTrace {
  if (!existsSync(file)) throw new FairwayError('E_INPUT', `${file}: no such file`, [{ path: file, message: 'missing' }]);
  if (file.endsWith('.json')) return chakraJson(readInputText(file, file), file);
  let buf: Uint8Array = readInputBytes(file, file);
  if (buf[0] === 0x1f && buf[1] === 0x8b) {
    try {
      buf = gunzipSync(buf);
    } catch (e) {
      throw new FairwayError('E_INPUT', `${file}: damaged gzip (${(e as Error).message})`, [{ path: file, message: 'gunzip failed' }]);
    }
  }
  return parseChakraTrace(buf, file);
}

/**
 * Chakra's JSON trace (the alternative input of its feeder): {"workload_graph": [{Id, Name,
 * NodeType, ctrlDeps, data_deps, runtime (µs), is_cpu_op, comm_* …}]}.
 */
function chakraJson(text: string, file: string): ChakraTrace {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new FairwayError('E_INPUT', `${file}: not valid JSON (${(e as Error).message})`, [{ path: file, message: 'not JSON' }]);
  }
  const d = (typeof doc === 'object' && doc !== null ? doc : {}) as { workload_graph?: unknown; schema?: unknown; nodes?: unknown };
  if (!Array.isArray(d.workload_graph)) {
    const why = typeof d.schema === 'string' && Array.isArray(d.nodes) ? `a PyTorch host execution trace (schema ${d.schema}), the input of chakra_trace_link/chakra_converter: convert it to Chakra first` : 'expected {"workload_graph": [...]}';
    throw new FairwayError('E_INPUT', `${file}: not a Chakra JSON trace: ${why}`, [{ path: file, message: why }]);
  }
  const nodes = d.workload_graph.map((raw, i) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new FairwayError('E_INPUT', `${file}: workload_graph[${i}] must be a node object`, [{ path: `workload_graph[${i}]`, message: 'not an object' }]);
    const n = raw as Record<string, unknown>;
    const num = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'boolean' ? (v ? 1 : 0) : NaN);
    if (typeof n.Id !== 'number') throw new FairwayError('E_INPUT', `${file}: workload_graph[${i}].Id must be a number`, [{ path: `workload_graph[${i}].Id`, message: 'missing id' }]);
    const attrs = new Map<string, number | string>();
    for (const [k, v] of Object.entries(n)) if (!['Id', 'Name', 'NodeType', 'ctrlDeps', 'data_deps', 'runtime'].includes(k)) attrs.set(k, typeof v === 'string' ? v : num(v));
    const deps = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : []);
    return { id: n.Id, name: String(n.Name ?? ''), type: CHAKRA_NODE_TYPES[num(n.NodeType)] ?? 'INVALID_NODE', ctrlDeps: deps(n.ctrlDeps), dataDeps: deps(n.data_deps), durationMicros: num(n.runtime) || 0, attrs } satisfies ChakraNode;
  });
  return { version: 'json', nodes };
}

/** A GPU collective node the trace names with its type and size (others run as kernels of their duration). */
const isCollective = (x: ChakraNode) => x.type === 'COMM_COLL_NODE' && x.attrs.get('is_cpu_op') !== 1 && x.attrs.get('comm_type') !== undefined && x.attrs.get('comm_size') !== undefined;

export function chakraWorkload(prefix: string): ChakraImport {
  const files = chakraFiles(prefix);
  const traces = files.map(readChakraTrace);
  const n = traces.length;
  const groups = processGroups(traces, files);
  const { idOf, slotOf } = nameNodes(traces, files, groups);
  const cv: Conversion = { files, n, ops: [], slotOf, ignored: new Map<string, number>(), dangling: 0, contradicting: 0 };
  traces.forEach((t, r) => convertRank(cv, t, r, idOf[r]));
  const ops = cv.ops;
  for (const g of groups.values())
    for (const c of g.slots) ops.push({ id: c.id, type: 'collective', op: c.op, bytes: c.bytes, stream: c.id, after: [...new Set(c.after)], ...(g.members.length < n ? { ranks: g.members } : {}) });
  const nodes = traces.reduce((s, t) => s + t.nodes.length, 0);
  return { doc: { name: basename(prefix), ranks: n, launch: 0, p2p: 'eager', ops }, ranks: n, nodes, ignoredAttributes: cv.ignored, danglingDependencies: cv.dangling, droppedControlDependencies: cv.contradicting };
}

/** The k-th collective of a process group on each of its members: one operation, whose dependencies are every member's own. */
interface CollectiveSlot {
  readonly id: string;
  readonly op: string;
  readonly bytes: number;
  readonly after: string[];
  /** The node that defined it, `file#id`, for errors. */
  readonly first: string;
}

/** The state of one import shared across ranks: the ops so far and the counts it reports. */
interface Conversion {
  readonly files: readonly string[];
  readonly n: number;
  readonly ops: Record<string, unknown>[];
  /** Per rank: its collective nodes' slots. */
  readonly slotOf: readonly Map<number, CollectiveSlot>[];
  readonly ignored: Map<string, number>;
  dangling: number;
  contradicting: number;
}

/**
 * A process group of the traces: the ranks whose traces run collectives of its `pg_name` (the
 * unnamed group: those without one), and its collectives in order. Op ids: `coll<k>` in the
 * unnamed group, `pg<name>.coll<k>` in a named one.
 */
interface ProcessGroup {
  readonly prefix: string;
  readonly members: number[];
  readonly slots: CollectiveSlot[];
}

const pgName = (node: ChakraNode): string => {
  const g = node.attrs.get('pg_name');
  return g === undefined ? '' : String(g);
};

/** How many GPU collectives of each process group each rank runs. */
function groupCounts(traces: readonly ChakraTrace[]): Map<string, Map<number, number>> {
  const counts = new Map<string, Map<number, number>>();
  traces.forEach((t, r) => {
    for (const node of t.nodes) {
      if (!isCollective(node)) continue;
      const key = pgName(node);
      if (!counts.has(key)) counts.set(key, new Map());
      counts.get(key)!.set(r, (counts.get(key)!.get(r) ?? 0) + 1);
    }
  });
  return counts;
}

/** The process groups the traces' GPU collectives name (`pg_name`), in order of first appearance, with their members; each member must run the same number of them. */
function processGroups(traces: readonly ChakraTrace[], files: readonly string[]): Map<string, ProcessGroup> {
  const groups = new Map<string, ProcessGroup>();
  const used = new Set<string>();
  for (const [key, perRank] of groupCounts(traces)) {
    const members = [...perRank.keys()].sort((a, b) => a - b);
    const [r0, c0] = [members[0], perRank.get(members[0])!];
    const odd = members.find((r) => perRank.get(r) !== c0);
    const what = key ? ` of process group ${key}` : '';
    if (odd !== undefined)
      throw new FairwayError('E_INPUT', `${files[odd]} has ${perRank.get(odd)} collectives${what} but ${files[r0]} has ${c0}: a group's collectives are matched by their order on each of its ranks`, [
        { path: files[odd], message: `every rank that runs collectives${what} must run the same ones` },
      ]);
    let prefix = key === '' ? '' : `pg${key.replace(/[^A-Za-z0-9_-]/g, '_')}.`;
    while (used.has(prefix)) prefix = `${prefix.slice(0, -1)}_.`;
    used.add(prefix);
    groups.set(key, { prefix, members, slots: [] });
  }
  return groups;
}

/** Each rank's workload op id per node id (its group's slot id for a collective, else `r<rank>.n<id>`), and its collectives' slots, checked to agree across the group's ranks. */
function nameNodes(traces: readonly ChakraTrace[], files: readonly string[], groups: ReadonlyMap<string, ProcessGroup>): { idOf: Map<number, string>[]; slotOf: Map<number, CollectiveSlot>[] } {
  const idOf = traces.map(() => new Map<number, string>());
  const slotOf = traces.map(() => new Map<number, CollectiveSlot>());
  traces.forEach((t, r) => {
    const next = new Map<string, number>();
    for (const node of t.nodes) {
      if (!isCollective(node)) {
        idOf[r].set(node.id, `r${r}.n${node.id}`);
        continue;
      }
      const key = pgName(node);
      const g = groups.get(key)!;
      const k = next.get(key) ?? 0;
      next.set(key, k + 1);
      const slot = collectiveSlot(g, k, node, files[r], key);
      idOf[r].set(node.id, slot.id);
      slotOf[r].set(node.id, slot);
    }
  });
  return { idOf, slotOf };
}

/** Group g's k-th collective, defined by the first rank that reaches it; the others must agree. */
function collectiveSlot(g: ProcessGroup, k: number, node: ChakraNode, file: string, key: string): CollectiveSlot {
  const c = chakraCollective(node, g.members.length, file);
  const slot = (g.slots[k] ??= { id: `${g.prefix}coll${k}`, op: c.op, bytes: c.bytes, after: [], first: `${file}#${node.id}` });
  if (slot.op !== c.op || slot.bytes !== c.bytes)
    throw new FairwayError('E_INPUT', `${file}: collective #${k}${key ? ` of process group ${key}` : ''} (node ${node.id}) is ${c.op} of ${c.bytes} bytes, but ${slot.first} is ${slot.op} of ${slot.bytes}`, [
      { path: `${file}#${node.id}`, message: "the k-th collective of a group's ranks must be the same" },
    ]);
  return slot;
}

/** Rank r's nodes as ops (its collectives only add their dependencies to the shared one). */
function convertRank(cv: Conversion, t: ChakraTrace, r: number, ids: ReadonlyMap<number, string>): void {
  // a dependency on a node the trace does not hold (recorders drop some) is taken as met; a
  // control dependency that closes a cycle (a CPU op "after" the kernel it launches, as some
  // PyTorch-derived traces have) is dropped; both are counted
  const dropped = cycleClosingControlDeps(t.nodes);
  cv.contradicting += dropped.size;
  const depsOf = (node: ChakraNode) =>
    [...node.dataDeps, ...node.ctrlDeps.filter((d) => !dropped.has(`${node.id}>${d}`))].flatMap((d) => {
      if (d === node.id) return (cv.contradicting++, []); // a node listing itself
      const id = ids.get(d);
      if (id === undefined) cv.dangling++;
      return id === undefined ? [] : [id];
    });
  for (const node of t.nodes) {
    for (const [name] of node.attrs) if (!USED.has(name)) cv.ignored.set(name, (cv.ignored.get(name) ?? 0) + 1);
    const after = [...new Set(depsOf(node))];
    if (isCollective(node)) {
      cv.slotOf[r].get(node.id)!.after.push(...after);
      continue;
    }
    const id = ids.get(node.id)!;
    cv.ops.push(nodeOp(cv, node, r, { id, ranks: [r], stream: id, after }));
  }
}

/** A node's numeric attribute by name (NaN when absent). */
const attrOf = (node: ChakraNode) => (name: string) => Number(node.attrs.get(name) ?? NaN);

/** The op of a node other than a GPU collective, on top of `base` (its id, rank, stream and dependencies). */
function nodeOp(cv: Conversion, node: ChakraNode, r: number, base: Record<string, unknown>): Record<string, unknown> {
  const attr = attrOf(node);
  switch (node.type) {
    case 'COMM_COLL_NODE': // the CPU side of a collective, or one without comm_type/comm_size: its recorded duration
    case 'COMP_NODE': {
      const seconds = node.durationMicros * 1e-6;
      if (attr('is_cpu_op') === 1) return { ...base, type: 'cpu', seconds };
      if (seconds > 0 || !(attr('num_ops') > 0 || attr('tensor_size') > 0)) return { ...base, type: 'compute', seconds };
      return { ...base, type: 'compute', flops: attr('num_ops') || 0, bytes: attr('tensor_size') || 0 };
    }
    case 'COMM_SEND_NODE':
    case 'COMM_RECV_NODE':
      return p2pOp(cv, node, r, base);
    case 'MEM_LOAD_NODE':
    case 'MEM_STORE_NODE':
      return { ...base, type: 'memcpy', direction: node.type === 'MEM_LOAD_NODE' ? 'h2d' : 'd2h', bytes: attr('tensor_size') || 0 };
    default:
      // metadata and unknown nodes: a zero-time host step that keeps the dependencies
      return { ...base, type: 'cpu', seconds: 0 };
  }
}

/** A send to comm_dst or a receive from comm_src, which must be another rank; the peer is relative. */
function p2pOp(cv: Conversion, node: ChakraNode, r: number, base: Record<string, unknown>): Record<string, unknown> {
  const attr = attrOf(node);
  const send = node.type === 'COMM_SEND_NODE';
  const peer = attr(send ? 'comm_dst' : 'comm_src');
  if (!Number.isInteger(peer) || peer < 0 || peer >= cv.n || peer === r)
    throw new FairwayError('E_INPUT', `${cv.files[r]}: node ${node.id} ${send ? 'sends to' : 'receives from'} rank ${String(node.attrs.get(send ? 'comm_dst' : 'comm_src'))}, not another of the ${cv.n} ranks`, [
      { path: `${cv.files[r]}#${node.id}`, message: `bad ${send ? 'comm_dst' : 'comm_src'}` },
    ]);
  return { ...base, type: send ? 'send' : 'recv', peer: peer - r, tag: attr('comm_tag') || 0, bytes: attr('comm_size') || 0 };
}

/**
 * Control dependencies (`node>dep`) that contradict the data dependencies: the nodes are put in
 * an order that respects every data dependency (and otherwise the file's order), and a control
 * dependency on a node that comes later is dropped. A cycle of data dependencies is an error.
 */
function cycleClosingControlDeps(nodes: readonly ChakraNode[]): Set<string> {
  const index = new Map(nodes.map((x, i) => [x.id, i]));
  const waiting = new Int32Array(nodes.length);
  const users: number[][] = nodes.map(() => []);
  nodes.forEach((x, i) => {
    for (const d of new Set(x.dataDeps)) {
      const j = index.get(d);
      if (j === undefined || j === i) continue;
      waiting[i]++;
      users[j].push(i);
    }
  });
  // Kahn's algorithm, always taking the earliest ready node in file order
  const ready = new MinHeap();
  for (let i = 0; i < nodes.length; i++) if (waiting[i] === 0) ready.push(i);
  const position = new Int32Array(nodes.length).fill(-1);
  let placed = 0;
  while (ready.size > 0) {
    const i = ready.pop();
    position[i] = placed++;
    for (const u of users[i]) if (--waiting[u] === 0) ready.push(u);
  }
  if (placed < nodes.length) {
    const stuck = nodes.find((_, i) => position[i] < 0)!;
    throw new FairwayError('E_INPUT', `node ${stuck.id} is on a cycle of data dependencies`, [{ path: `#${stuck.id}`, message: 'the trace has a dependency cycle' }]);
  }
  const dropped = new Set<string>();
  nodes.forEach((x, i) => {
    for (const d of x.ctrlDeps) {
      const j = index.get(d);
      if (j !== undefined && j !== i && position[j] > position[i]) dropped.add(`${x.id}>${d}`);
    }
  });
  return dropped;
}

/** A binary min-heap of indices. */
class MinHeap {
  private a: number[] = [];
  get size(): number {
    return this.a.length;
  }
  push(x: number): void {
    const a = this.a;
    a.push(x);
    for (let i = a.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (a[p] <= a[i]) break;
      [a[p], a[i]] = [a[i], a[p]];
      i = p;
    }
  }
  pop(): number {
    const a = this.a;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l] < a[m]) m = l;
        if (r < a.length && a[r] < a[m]) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }
}
