// All-to-all (S = bytes each rank sends in total, nccl-tests' size; n(n−1) pieces of S/n):
//   direct: every rank sends every piece at once; ideal switch with port bandwidth B:
//     α + (n−1)·S/(n·B);
//   pairwise: n−1 rounds, in round k rank r sends to r+k (and receives from r−k), each round
//     after the rank's previous one: (n−1)(α + S/(n·B)); one flow per rank at a time.
import type { Communicator } from './communicator.js';
import type { OpSink } from '../graph/index.js';
import { alphaOf, type RingOptions } from './ring.js';

/** α per send: alphaSec, or alphaCrossSec between NVLink domains (nccl-p2p.ts). */
type P2pLatency = Pick<RingOptions, 'alphaSec' | 'alphaCrossSec' | 'domainOfNode' | 'p2p'>;

/**
 * Every distinct start time is an event that re-solves all the transfers in flight, and a rank's
 * staggered start offsets (its peers taken up in turn, the proxy's turns) would give a 1,024-rank
 * alltoall thousands over a million transfers. Above P2P_OFFSET_PEERS peers the offsets are
 * floored to a grid of (the largest offset) / P2P_OFFSET_STEPS, each at most one step early
 * (1,024 ranks: 26 µs of a 1.7 ms small-size alltoall); where the transfers are also many and
 * large (P2P_COARSE_TRANSFERS, pieces of P2P_COARSE_PIECE_BYTES and up: the offsets are a few
 * percent of the time the bytes take), to P2P_COARSE_STEPS steps.
 */
export const P2P_OFFSET_PEERS = 64;
export const P2P_OFFSET_STEPS = 64;
export const P2P_COARSE_TRANSFERS = 2 ** 18;
export const P2P_COARSE_PIECE_BYTES = 65536;
export const P2P_COARSE_STEPS = 4;

/** The grid a rank's start offsets are floored to (0: exact). */
export function offsetGrid(n: number, parts: number, piece: number, o: P2pLatency): number {
  if (!o.p2p || n - 1 <= P2P_OFFSET_PEERS) return 0;
  const coarse = n * (n - 1) * parts >= P2P_COARSE_TRANSFERS && piece >= P2P_COARSE_PIECE_BYTES;
  return ((n - 1) * (o.p2p.perPeerSec + o.p2p.netPerRemotePeerSec)) / (coarse ? P2P_COARSE_STEPS : P2P_OFFSET_STEPS);
}

export function directAllToAll(dag: OpSink, comm: Communicator, bytes: number, o: P2pLatency, channels: number): void {
  const n = comm.nodes.length;
  const parts = o.p2p ? (o.p2p.mergeParts ? 1 : o.p2p.partsPerPeer) : channels;
  const piece = bytes / n / parts;
  const at = comm.nodes;
  const grid = offsetGrid(n, parts, piece, o);
  for (let c = 0; c < parts; c++)
    for (let r = 0; r < n; r++) {
      let remote = 0;
      for (let d = 1; d < n; d++) if (p2pSend(dag, r, at[r], at[(r + d) % n], piece, c, o, d, remote, grid)) remote++;
    }
}

/** Whether a send crosses the network (between NVLink domains). */
function acrossNetwork(o: P2pLatency, from: number, to: number): boolean {
  return o.domainOfNode !== undefined && o.domainOfNode[from] !== o.domainOfNode[to];
}

/**
 * One send of a point-to-point operation to the rank's `order`-th peer: NCCL's part where
 * planned (α, the set-up of the `order` peers up to this one, its last-chunk copy and, across
 * the network, the proxy's fixed cost and `remoteBefore` peers' turns; at most its CTA share),
 * else a plain send. Returns whether it crossed the network.
 */
function p2pSend(dag: OpSink, rank: number, from: number, to: number, bytes: number, channel: number, o: P2pLatency, order: number, remoteBefore = 0, grid = 0): boolean {
  const alpha = alphaOf(o, from, to);
  const net = acrossNetwork(o, from, to);
  if (!o.p2p) {
    dag.transfer(rank, from, to, bytes, channel, alpha);
    return net;
  }
  const turns = order * o.p2p.perPeerSec + (net ? remoteBefore * o.p2p.netPerRemotePeerSec : 0);
  const offset = grid > 0 ? Math.floor(turns / grid) * grid : turns;
  const bound = o.p2p.partBytesPerSec * (o.p2p.mergeParts ? o.p2p.partsPerPeer : 1);
  dag.transfer(rank, from, to, bytes, channel, alpha + offset + o.p2p.stageSec + (net ? o.p2p.netFixedSec : 0), [], 1, bound);
  return net;
}

export function pairwiseAllToAll(dag: OpSink, comm: Communicator, bytes: number, o: P2pLatency, channels: number): void {
  const n = comm.nodes.length;
  const piece = bytes / n / channels;
  const at = comm.nodes;
  for (let c = 0; c < channels; c++) {
    const last = new Int32Array(n).fill(-1);
    for (let k = 1; k < n; k++)
      for (let r = 0; r < n; r++) last[r] = dag.transfer(r, at[r], at[(r + k) % n], piece, c, alphaOf(o, at[r], at[(r + k) % n]), [last[r]]);
  }
}

/** All-to-all-v, direct: rank i sends matrix[i][j] bytes to rank j, all at once. */
export function directAllToAllV(dag: OpSink, comm: Communicator, matrix: readonly (readonly number[])[], o: P2pLatency): void {
  const n = comm.nodes.length;
  const at = comm.nodes;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j && matrix[i][j] > 0) dag.transfer(i, at[i], at[j], matrix[i][j], 0, alphaOf(o, at[i], at[j]));
}

/** sendrecv (nccl-tests): every rank sends S to r+1 while receiving S from r−1: α + S/B. */
export function sendRecv(dag: OpSink, comm: Communicator, bytes: number, o: P2pLatency): void {
  const n = comm.nodes.length;
  const at = comm.nodes;
  const parts = o.p2p && !o.p2p.mergeParts ? o.p2p.partsPerPeer : 1;
  for (let c = 0; c < parts; c++) for (let r = 0; r < n; r++) p2pSend(dag, r, at[r], at[(r + 1) % n], bytes / parts, c, o, 1);
}

/**
 * One-shot all-reduce: every rank sends its whole buffer to every other rank and reduces
 * locally: α + (n−1)S/B. Two-shot: direct reduce-scatter (S/n to each owner) then direct
 * all-gather: 2α + 2(n−1)S/(nB). Both suit small messages on full-bandwidth switches.
 */
export function directAllReduce(dag: OpSink, comm: Communicator, bytes: number, alphaSec: number, twoShot: boolean): void {
  const n = comm.nodes.length;
  if (!twoShot) {
    for (let r = 0; r < n; r++) for (let d = 1; d < n; d++) dag.transfer(r, comm.nodes[r], comm.nodes[(r + d) % n], bytes, 0, alphaSec);
    return;
  }
  const scattered: number[][] = Array.from({ length: n }, () => []);
  for (let r = 0; r < n; r++)
    for (let d = 1; d < n; d++) {
      const owner = (r + d) % n;
      scattered[owner].push(dag.transfer(r, comm.nodes[r], comm.nodes[owner], bytes / n, 0, alphaSec));
    }
  for (let owner = 0; owner < n; owner++) {
    const reduced = dag.delay(owner, 0, scattered[owner]); // one join instead of n² edges
    for (let d = 1; d < n; d++) dag.transfer(owner, comm.nodes[owner], comm.nodes[(owner + d) % n], bytes / n, 0, alphaSec, [reduced]);
  }
}
