// Rooted collectives. Broadcast and reduce run as NCCL does, on a chain (the ring order starting
// at the root) pipelined in chunks: a rank forwards chunk k once it has it (reduce: once it has
// reduced it with its own), and sends on a connection keep their order. Ideal switch, K chunks:
//   (n − 1 + K − 1)(α + S/(K·B))   (one chunk: (n−1)(α + S/B)).
// Gather and scatter are direct: every rank sends its S/n to the root (or the root to every
// rank) at once: α + (n−1)S/(nB), the root's port being the bottleneck.
// A chain's send pays the protocol's wire bytes, α inside or between NVLink domains and the
// route's latency as a ring's send does (ring.ts), one chain per channel at the CTA's rate.
import type { Communicator } from './communicator.js';
import type { OpSink } from '../graph/index.js';
import { alphaOf, routeTimes, wireBytes, type RingOptions } from './ring.js';

/** Ranks in chain order from the root: root, root+1, ..., root−1. */
function chain(comm: Communicator, root: number): number[] {
  const n = comm.nodes.length;
  return Array.from({ length: n }, (_, i) => (root + i) % n);
}

/**
 * Broadcast from the root down the chain, or (reduce) up the chain into the root: the buffer
 * split over the channels (one chain each, with its own flow label, at most the CTA's rate).
 */
export function chainBroadcast(dag: OpSink, comm: Communicator, bytes: number, root: number, o: RingOptions, reduce: boolean): void {
  const order = chain(comm, root);
  // broadcast: root → root+1 → … → root−1; reduce: root+1 → … → root−1 → root.
  const hops = reduce ? [...order.slice(1), root] : order;
  const channels = Math.max(1, o.channels);
  // the chunks of all channels' chains together stay within maxSendsPerChunk sends (a chain on
  // thousands of ranks is thousands of hops: cut as finely as a short one, it would be millions)
  const budget = Math.max(1, Math.floor(o.maxSendsPerChunk / (hops.length * channels)));
  for (let c = 0; c < channels; c++) chainChannel(dag, comm, bytes / channels, hops, o, reduce, c, budget);
}

/**
 * One channel's chain: its share cut into chunks, each forwarded hop by hop once it arrived
 * (reduce: reduced). LL and LL128 forward line by line (fineGrained): cut finer, as a tree's
 * chains are (nccl-tree.ts), a connection's later chunks streaming behind its first without α;
 * at most `budget` chunks.
 */
function chainChannel(dag: OpSink, comm: Communicator, bytes: number, hops: number[], o: RingOptions, reduce: boolean, channel: number, budget: number): void {
  const want = o.fineGrained ? Math.max(o.maxSlices, 8 * (hops.length - 1)) : Math.min(o.maxSlices, Math.ceil(bytes / o.chunkBytes));
  const chunks = Math.max(1, Math.min(want, budget, Math.ceil(bytes / 64)));
  const piece = bytes / chunks;
  const prevOnLink = new Int32Array(hops.length).fill(-1);
  for (let k = 0; k < chunks; k++) {
    let arrived = -1;
    for (let h = 0; h + 1 < hops.length; h++) {
      const from = hops[h];
      let ready = arrived;
      if (reduce && h > 0 && o.reduceBytesPerSec > 0) ready = dag.delay(from, (3 * piece) / o.reduceBytesPerSec, [arrived]);
      const src = comm.nodes[from], dst = comm.nodes[hops[h + 1]];
      const first = !o.fineGrained || k === 0;
      arrived = dag.transfer(from, src, dst, wireBytes(o, piece), channel, first ? alphaOf(o, src, dst) : 0, [ready, prevOnLink[h]], first ? routeTimes(o, 1, src, dst) : 0, o.sendBound ?? 0);
      prevOnLink[h] = arrived;
    }
  }
}

export function directGather(dag: OpSink, comm: Communicator, bytes: number, root: number, alphaSec: number, scatter: boolean): void {
  const n = comm.nodes.length;
  for (let r = 0; r < n; r++) {
    if (r === root) continue;
    if (scatter) dag.transfer(root, comm.nodes[root], comm.nodes[r], bytes / n, 0, alphaSec);
    else dag.transfer(r, comm.nodes[r], comm.nodes[root], bytes / n, 0, alphaSec);
  }
}
