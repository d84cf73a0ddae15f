// Ring algorithms, NCCL-style. The buffer of S bytes is split over C channels (parallel rings
// with their own flow label, so they may take different ECMP paths/NICs), and each channel's
// share into chunks that go round the ring one after another. In every step each rank sends
// one n-th of a chunk to its successor:
//   reduce-scatter, all-gather: n−1 steps;  all-reduce: 2(n−1) steps (reduce-scatter then all-gather).
// A send waits for the receive of the previous step from the predecessor, and for the rank's
// send `window` places earlier on the channel (a connection is a FIFO of NCCL_STEPS slots, in
// chunk-major, step-minor order as NCCL loops), so up to `window` sends overlap their latency.
// Each send pays α. On an ideal switch with port bandwidth B, one channel and K chunks sent
// strictly in turn (window 1), all-reduce takes 2(n−1)(K·α + S/(nB)); all-gather and
// reduce-scatter (n−1)(K·α + S/(nB)).
import type { Communicator } from './communicator.js';
import type { OpSink, TransferDag } from '../graph/index.js';

export interface RingOptions {
  channels: number;
  /** Slice size per channel; a channel's share is cut into slices of at most this size. */
  chunkBytes: number;
  /** Software latency per step (α). */
  alphaSec: number;
  /** Upper bound on slices per channel (bounds the DAG size for huge messages). */
  maxSlices: number;
  /** Sends a connection may have in flight (NCCL_STEPS = 8); 1 = strictly one after another. */
  window: number;
  /**
   * Local memory bandwidth for reductions (bytes/s); 0 = free. Reducing a received piece of
   * m bytes reads two buffers and writes one: 3m / reduceBytesPerSec before it is forwarded.
   */
  reduceBytesPerSec: number;
  /**
   * A chunk's ring with more sends than this (steps × ranks) merges consecutive steps into one
   * send (every step of a rank goes to the same neighbour): g = ⌈steps·n / maxSendsPerChunk⌉
   * pieces per send, paying α, the route latency and the reductions once per merged step, so a
   * 16,384-rank ring stays a few million sends. Exact when all ranks advance in lockstep; it
   * coarsens the overlap of neighbouring steps otherwise. Rings up to ~1,000 ranks are not merged.
   */
  maxSendsPerChunk: number;
  /** Smallest piece a ring step moves when cutting chunks (0 = cut as chunkBytes says). */
  minPieceBytes: number;
  /** Payload bytes per wire byte of the protocol (NCCL LL 0.5, LL128 120/128; default 1). */
  wireEfficiency?: number;
  /** NCCL's point-to-point plan (sendrecv, alltoall): parts per peer, their CTA-bound rate, last-chunk copy and network proxy costs (nccl-p2p.ts). */
  p2p?: { readonly partsPerPeer: number; readonly partBytesPerSec: number; readonly stageSec: number; readonly netFixedSec: number; readonly netPerRemotePeerSec: number; readonly perPeerSec: number; readonly mergeParts?: boolean };
  /** α of a send between NVLink domains (`domainOfNode` differs), when it differs from alphaSec. */
  alphaCrossSec?: number;
  /** NVLink domain of each topology node (with alphaCrossSec). */
  domainOfNode?: Int32Array;
  /**
   * The protocol forwards data line by line (NCCL's LL and LL128: a flag per line), not a
   * whole chunk at a time (Simple), so a deep pipeline (a tree's chains) fills at a fine grain:
   * builders cut more, smaller chunks for it.
   */
  fineGrained?: boolean;
  /**
   * The most wire bytes per second one send may move (one CTA's throughput for the protocol);
   * 0 or absent: only the links limit it.
   */
  sendBound?: number;
  /**
   * Pay the route's own latency (the links' and switches' latencies along its path) on each send:
   * true (default) on every send; false on none, where α already holds the hop's whole latency;
   * 'cross' only on sends between NVLink domains (`domainOfNode`), as NCCL plans run: its
   * per-hop figures are the GPU's and proxy's share, while the path through PCIe, NICs and the
   * fabric's switches depends on the system and its tiers.
   */
  routeLatency?: boolean | 'cross';
}

/** α of one send from node `src` to `dst`. */
export function alphaOf(o: Pick<RingOptions, 'alphaSec' | 'alphaCrossSec' | 'domainOfNode'>, src: number, dst: number): number {
  const d = o.domainOfNode;
  return o.alphaCrossSec !== undefined && d !== undefined && d[src] !== d[dst] ? o.alphaCrossSec : o.alphaSec;
}

/** Wire bytes of a payload, and how many times a send pays its route's latency. */
export function wireBytes(o: RingOptions, payload: number): number {
  return payload / (o.wireEfficiency ?? 1);
}
/** How many times a send from topology node `src` to `dst` pays its route's latency (see routeLatency; without the nodes, as a send inside a domain). */
export function routeTimes(o: RingOptions, times = 1, src = -1, dst = -1): number {
  if (o.routeLatency === 'cross') return o.domainOfNode !== undefined && src >= 0 && o.domainOfNode[src] !== o.domainOfNode[dst] ? times : 0;
  return o.routeLatency === false ? 0 : times;
}

/**
 * The ring order of channel c over ranks that fill whole servers alike (as NCCL builds its
 * rings on rail-optimized systems): channel c enters each server at its c-th accelerator and
 * leaves from `partner[c]`, an accelerator on the same PCIe switch (so the hop out reaches the
 * rail-c NIC through that switch), or from the one before it when there is none; the others go
 * in rotated order between. Every channel then crosses through its own accelerator uplink and
 * NIC instead of all crossing at the same pair. Undefined when the ranks do not fill servers
 * evenly. `partner` is by local index (the first server's layout; servers are alike).
 */
export function serverRotatedOrders(serverOf: ArrayLike<number>, partner?: ArrayLike<number>): ((channel: number) => Int32Array) | undefined {
  const n = serverOf.length;
  let local = 0;
  while (local < n && serverOf[local] === serverOf[0]) local++;
  if (local < 2 || local === n || n % local !== 0) return undefined;
  for (let r = 0; r < n; r++) if (serverOf[r] !== serverOf[r - (r % local)] || (r % local === 0 && r > 0 && serverOf[r] === serverOf[r - 1])) return undefined;
  return (c) => {
    const entry = c % local;
    const p = partner?.[entry] ?? -1;
    const exit = p >= 0 && p !== entry ? p : (entry + local - 1) % local;
    const seq = [entry];
    for (let k = 1; k < local; k++) if ((entry + k) % local !== exit) seq.push((entry + k) % local);
    seq.push(exit);
    const out = new Int32Array(n);
    for (let s = 0; s < n; s += local) for (let j = 0; j < local; j++) out[s + j] = s + seq[j];
    return out;
  };
}

/**
 * Ring orders for ranks fully meshed by direct peer links (no switch, e.g. 8 MI300X on Infinity
 * Fabric): channel c steps through the ranks with the c-th stride coprime to n (1, 3, 5, 7 on 8
 * ranks), so the channels' rings use different peer links instead of all sharing one
 * cycle's links, as RCCL/NCCL build their rings over a mesh.
 */
export function meshStrideOrders(n: number): (channel: number) => Int32Array {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const strides = Array.from({ length: n }, (_, k) => k).filter((k) => k > 0 && gcd(k, n) === 1);
  return (c) => {
    const k = strides[c % strides.length];
    return Int32Array.from({ length: n }, (_, p) => (p * k) % n);
  };
}

/**
 * Adds the ring's sends to `dag`. `after[r]` (optional) is an operation rank r must finish
 * before its first sends (the previous phase of a hierarchical algorithm). `orders(c)`
 * (optional) gives channel c's ring as ranks by position (default: rank order); `rankIds`
 * (optional) the rank to record on each rank's ops (default: its index here). The pieces received
 * in the first `reduceSteps` steps are reduced (see reduceBytesPerSec) before being forwarded.
 * Returns, per rank, an operation that completes when the rank's part is done on every channel
 * (its own last send and the last piece it receives), for the next phase to wait on.
 */
export function ringSteps(dag: OpSink, comm: Communicator, bytes: number, steps: number, o: RingOptions, after?: Int32Array, reduceSteps = 0, orders?: (channel: number) => Int32Array, rankIds?: Int32Array): Int32Array {
  const n = comm.nodes.length;
  const identity = Int32Array.from({ length: n }, (_, i) => i);
  // the rank recorded on each op (the communicator's, when this ring is a sub-group of it)
  const R = rankIds ?? identity;
  const last = after ? after.slice() : new Int32Array(n).fill(-1);
  if (steps === 0) return last;
  const ends: number[][] = Array.from({ length: n }, () => []);
  const perChannel = bytes / o.channels;
  // Chunks are never cut so fine that a ring step moves less than minPieceBytes (with
  // thousands of ranks a chunk's n-th is already small; this also bounds the DAG's size).
  const byPiece = o.minPieceBytes > 0 ? Math.floor(perChannel / (n * o.minPieceBytes)) : Infinity;
  const slices = Math.max(1, Math.min(o.maxSlices, Math.ceil(perChannel / o.chunkBytes), byPiece));
  const piece = perChannel / slices / n;
  // consecutive steps merged into one send (huge rings), and the window of sends in flight
  const g = Math.max(1, Math.ceil((steps * n) / Math.max(1, o.maxSendsPerChunk)));
  const supers = Math.ceil(steps / g);
  // (a ring's steps already follow one another on each rank: step s forwards what step s − 1
  // received, so the CTA bound of sendBound is not exceeded by pieces in flight at once)
  const w = Math.max(1, o.window);
  const sends = o.channels * slices * supers * n;
  dag.reserve(sends + n, 3 * sends + 2 * o.channels * n);
  for (let c = 0; c < o.channels; c++) {
    // this channel's ring: position p holds rank at[p]; it sends to the rank at p + 1
    const at = orders ? orders(c) : identity;
    // history[r * w + (count % w)]: rank r's sends, the last `window` of them.
    const history = new Int32Array(n * w).fill(-1);
    let count = 0;
    for (let k = 0; k < slices; k++) {
      const cur = new Int32Array(supers * n);
      for (let q = 0; q < supers; q++, count++) {
        const s0 = q * g;
        const len = Math.min(g, steps - s0);
        // pieces received in the previous merged step that must be reduced before forwarding
        const reduced = q > 0 ? Math.max(0, Math.min(reduceSteps, s0) - (s0 - g)) : 0;
        for (let p = 0; p < n; p++) {
          const r = at[p];
          let recv = q > 0 ? cur[(q - 1) * n + ((p - 1 + n) % n)] : -1;
          if (reduced > 0 && o.reduceBytesPerSec > 0) recv = dag.delay(R[r], (3 * piece * reduced) / o.reduceBytesPerSec, [recv]);
          const slot = r * w + (count % w);
          const first = after && count < w ? after[r] : -1;
          const src = comm.nodes[r], dst = comm.nodes[at[(p + 1) % n]];
          const op = dag.transfer(R[r], src, dst, wireBytes(o, piece * len), c, alphaOf(o, src, dst) * len, [history[slot], recv, first], routeTimes(o, len, src, dst), o.sendBound ?? 0);
          cur[q * n + p] = op;
          history[slot] = op;
          last[r] = op;
        }
      }
      // Pieces received in the last merged step that still need reducing (a reduce-scatter's
      // final step): reduce them before the rank's next chunk or phase.
      const tail = Math.max(0, Math.min(reduceSteps, steps) - (supers - 1) * g);
      if (tail > 0 && o.reduceBytesPerSec > 0)
        for (let p = 0; p < n; p++) {
          const r = at[p];
          const done = dag.delay(R[r], (3 * piece * tail) / o.reduceBytesPerSec, [cur[(supers - 1) * n + ((p - 1 + n) % n)], last[r]]);
          history[r * w + (count % w)] = done;
          last[r] = done;
        }
    }
    for (let p = 0; p < n; p++) ends[at[p]].push(last[at[p]], last[at[(p - 1 + n) % n]]);
  }
  for (let r = 0; r < n; r++) last[r] = dag.delay(R[r], 0, ends[r]);
  return last;
}
