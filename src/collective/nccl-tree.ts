// NCCL's tree all-reduce across NVLink domains: inside each domain a chain (its head first),
// across domains a binary tree of heads, and two such trees on mirrored domain orders (the
// double binary tree), channel c on tree c mod 2 with its chain rotated so channels leave
// through different GPUs and NICs. Each channel's share is pipelined in chunks: a rank sends
// chunk k up when it has chunk k from all its children (reduce), and down to its children when
// it has the reduced chunk from its parent (broadcast), both at once: NCCL's runTreeSplit gives
// each a share of the CTA's threads (its plan halves the CTA's rate for each direction). With α
// per hop and one chunk, the time is
// 2((ppn − 1)·α_intra + ⌊log2 N⌋·α_inter) plus the bytes, which is NCCL's tree latency.
import type { Communicator } from './communicator.js';
import type { OpSink } from '../graph/index.js';
import { alphaOf, routeTimes, wireBytes, type RingOptions } from './ring.js';

/** Ranks of each domain, in rank order. */
function membersOf(nodeOf: Int32Array): number[][] {
  const groups: number[][] = [];
  nodeOf.forEach((d, r) => (groups[d] ??= []).push(r));
  return groups;
}

/** Parent of every rank (−1 for the root) and a root-first order, for channel c. */
export function ncclTreeShape(nodeOf: Int32Array, c: number): { parent: Int32Array; order: Int32Array } {
  const groups = membersOf(nodeOf);
  const N = groups.length;
  const parent = new Int32Array(nodeOf.length).fill(-1);
  const mirrored = c % 2 === 1;
  const heads: number[] = [];
  const chains: number[][] = [];
  for (let q = 0; q < N; q++) {
    const m = groups[mirrored ? N - 1 - q : q];
    const h = (c >> 1) % m.length;
    const chain = m.map((_, i) => m[(h + i) % m.length]);
    for (let i = 1; i < chain.length; i++) parent[chain[i]] = chain[i - 1];
    heads.push(chain[0]);
    chains.push(chain);
    if (q > 0) parent[chain[0]] = heads[(q - 1) >> 1];
  }
  // root first: heads in heap order (parents before children), then each chain in order
  const order = [...heads, ...chains.flatMap((chain) => chain.slice(1))];
  return { parent, order: Int32Array.from(order) };
}

/** Hops from the root to the deepest rank. */
function treeDepth(parent: Int32Array, order: Int32Array): number {
  const depth = new Int32Array(parent.length);
  let max = 0;
  for (const r of order) if (parent[r] >= 0) max = Math.max(max, (depth[r] = depth[parent[r]] + 1));
  return max;
}

/** How many chunks a channel's share is cut into: NCCL's own (Simple), or enough to stream (LL, LL128), within the graph budget. */
function treeChunks(bytes: number, n: number, depth: number, o: RingOptions): number {
  // Simple stores and forwards whole chunks of one FIFO step (512 KiB): NCCL's chunk count, so
  // the pipeline's fill, 2 × depth − 1 chunk times, weighs what it weighs in NCCL (fewer, larger
  // chunks would make it a larger share of the time), up to 32 × depth chunks (beyond, the fill
  // is under 1/16 of the time either way). LL and LL128 stream line by line, so their pipeline
  // is cut 8 × depth times whatever their step size. All within the graph budget
  // (maxSendsPerChunk).
  const budget = Math.max(1, Math.floor(o.maxSendsPerChunk / (2 * n * Math.max(1, o.channels))));
  const want = o.fineGrained ? Math.max(o.maxSlices, 8 * depth) : Math.min(Math.ceil(bytes / o.chunkBytes), Math.max(o.maxSlices, 32 * depth));
  return Math.max(1, Math.min(want, budget, Math.ceil(bytes / 64)));
}

/** One channel's tree over `bytes`, in chunks of at most o.chunkBytes. */
function treeChannel(dag: OpSink, comm: Communicator, bytes: number, c: number, shape: { parent: Int32Array; order: Int32Array }, o: RingOptions): void {
  const n = comm.nodes.length;
  const { parent, order } = shape;
  const children: number[][] = Array.from({ length: n }, () => []);
  for (let r = 0; r < n; r++) if (parent[r] >= 0) children[parent[r]].push(r);
  const chunks = treeChunks(bytes, n, treeDepth(parent, order), o);
  const piece = wireBytes(o, bytes / chunks);
  // α is the hop's latency: Simple pays it on every chunk (a flag handshake per slice); LL and
  // LL128 stream behind the first chunk, so only a connection's first chunk pays it
  // (the route's own latency likewise)
  const alpha = (k: number, from: number, to: number) => (o.fineGrained && k > 0 ? 0 : alphaOf(o, comm.nodes[from], comm.nodes[to]));
  const route = (k: number, from: number, to: number) => (o.fineGrained && k > 0 ? 0 : routeTimes(o, 1, comm.nodes[from], comm.nodes[to]));
  // each connection (up from r, down to r) holds `window` chunks in flight (NCCL's FIFO slots):
  // chunk k waits for the same connection's chunk k − window. Where one CTA's throughput bounds
  // its sends (sendBound), it copies one chunk after another (its threads copy chunk k − 1
  // before chunk k, so the bound is the CTA's, not each chunk's) while the flag of a chunk
  // already copied travels to the receiver: the copy of chunk k follows the copy of k − 1, its
  // arrival is α later, and the window still holds (k waits for the arrival of k − window)
  const w = Math.max(1, o.window);
  const serial = (o.sendBound ?? 0) > 0;
  const lastCopy = new Int32Array(2 * n).fill(-1);
  const send = (k: number, from: number, to: number, deps: number[], conn: number): number => {
    if (!serial) return dag.transfer(from, comm.nodes[from], comm.nodes[to], piece, c, alpha(k, from, to), deps, route(k, from, to), 0);
    const copy = dag.transfer(from, comm.nodes[from], comm.nodes[to], piece, c, 0, [...deps, lastCopy[conn]], route(k, from, to), o.sendBound);
    lastCopy[conn] = copy;
    const a = alpha(k, from, to);
    return a > 0 ? dag.delay(from, a, [copy]) : copy;
  };
  const upHistory = new Int32Array(n * w).fill(-1);
  const downHistory = new Int32Array(n * w).fill(-1);
  const reduce = (k: number): number[] => {
    const up = new Int32Array(n).fill(-1);
    for (let i = n - 1; i >= 1; i--) {
      const r = order[i];
      up[r] = upHistory[r * w + (k % w)] = send(k, r, parent[r], [upHistory[r * w + (k % w)], ...children[r].map((x) => up[x])], r);
    }
    return children[order[0]].map((x) => up[x]);
  };
  const broadcast = (k: number, atRoot: number[]): void => {
    const down = new Int32Array(n).fill(-1);
    for (let i = 0; i < n; i++) {
      const r = order[i];
      const have = i === 0 ? atRoot : [down[r]];
      for (const x of children[r]) down[x] = downHistory[x * w + (k % w)] = send(k, r, x, [...have, downHistory[x * w + (k % w)]], n + x);
    }
  };
  for (let k = 0; k < chunks; k++) broadcast(k, reduce(k));
}

/** The double binary tree over `channels` channels, the bytes split evenly between them. */
export function ncclTreeAllReduce(dag: OpSink, comm: Communicator, bytes: number, nodeOf: Int32Array, o: RingOptions): void {
  for (let c = 0; c < o.channels; c++) treeChannel(dag, comm, bytes / o.channels, c, ncclTreeShape(nodeOf, c), o);
}
