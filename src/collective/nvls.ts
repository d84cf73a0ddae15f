// In-switch reduction all-reduce (NVLink SHARP, NCCL's NVLS) for ranks that all hang off one
// reducing switch. The message is pipelined in chunks; per chunk of C bytes:
//   1. reduce-scatter: every rank j sends its C bytes (its copy of all n shares) into the switch;
//   2. once every rank's upload of the chunk is in, the switch sends reduced share r (C/n) to r
//      (multimem.ld_reduce);
//   3. r sends its reduced share up once (C/n);
//   4. once every owner's share is up, the switch multicasts to each rank the n−1 shares it does
//      not own, (n−1)C/n (multimem.st).
// A rank's next upload waits for its previous one, and at most `window` chunks are in flight
// (the upload of chunk k waits for the multicast of chunk k − window to that rank: NCCL's
// buffer slots). Per rank that is S + S/n up and S down instead of the ring's 2(n−1)S/n each
// way, so busbw approaches 2(n−1)/(n+1)·B·e, with e the switch's reduction efficiency (every
// transfer puts 1/e wire bytes per payload byte on the links). Making the n reduced shares
// takes the switch's reduction units (n − 1)·S operand bytes in all, at R (the topology node's
// reductionBytesPerSec), so algbw is also at most R/(n − 1): a 72-GPU rack's bound.
//
// Stages move one transfer per rank (not one per share and rank): the n² per-share transfers of
// an earlier version tied at every step, and the order in which ties broke decided the result
// (the 8×H100 plateau jumped between 451 and 511 GB/s from one size to the next).
// One chunk on an ideal switch: 4α + S/B + S/(nB) + S/(nB) + (n−1)S/(nB) = 4α + (2n+1)S/(nB).
import { FairwayError } from '../core/errors.js';
import type { Topology } from '../topology/graph.js';
import type { Communicator } from './communicator.js';
import type { OpSink } from '../graph/index.js';
import { routeTimes, wireBytes, type RingOptions } from './ring.js';

/**
 * NVLS chunks per ring slice (`maxSlices`): a chunk moves 4 transfers per rank where a ring
 * slice moves 2(n−1) (14 on 8 ranks), so 4 chunks a slice cost about the transfers of one ring
 * slice, and the default 16 slices give 64 chunks: filling and draining the pipeline then costs
 * under 3% (test/collective/nvls.test.ts).
 */
export const NVLS_CHUNKS_PER_SLICE = 4;

/** The reducing switch every rank links to directly, or −1. */
function reducingSwitch(topo: Topology, comm: Communicator): number {
  const { start, to } = topo.adjacency();
  const first = comm.nodes[0];
  for (let e = start[first]; e < start[first + 1]; e++) {
    const sw = to[e];
    if (!topo.nodes[sw].reduces) continue;
    const all = Array.from(comm.nodes).every((r) => to.subarray(start[r], start[r + 1]).includes(sw));
    if (all) return sw;
  }
  return -1;
}

export function nvlsAllReduce(dag: OpSink, topo: Topology, comm: Communicator, bytes: number, o: RingOptions): void {
  const sw = reducingSwitch(topo, comm);
  if (sw < 0)
    throw new FairwayError('E_INPUT', 'nvls needs every rank on one switch that reduces in the network', [
      { path: 'algo', message: 'use a topology whose scale-up switch has reduction: true (e.g. dgx-h100) and ranks inside it' },
    ]);
  const n = comm.nodes.length;
  const chunks = Math.max(1, Math.min(NVLS_CHUNKS_PER_SLICE * o.maxSlices, Math.ceil(bytes / o.chunkBytes)));
  const window = Math.max(1, o.window);
  // wire bytes of one share of one chunk
  const share = wireBytes(o, bytes / chunks / n / topo.nodes[sw].reductionEfficiency);
  const rt = routeTimes(o);
  // operand bytes the switch adds for one rank's reduced share of a chunk (a fan-in-n sum of C/n bytes)
  const operand = ((n - 1) * bytes) / chunks / n;
  // α is a step's barrier, paid by the upload that starts it; a simulated chunk that merges
  // several steps (at most 64 chunks are simulated) pays it once per step it stands for
  const α = o.alphaSec * Math.max(1, Math.ceil(bytes / o.chunkBytes) / chunks);
  // a chunk's gather on each rank: its payload copied out of the NVLS buffer at the rate it came
  // in through the switch (gatherSec; the slot is free once it is done)
  const gather = gatherSec(bytes / chunks, nvlsRate(topo, comm.nodes[0], sw) * topo.nodes[sw].reductionEfficiency);
  let uploads = new Int32Array(n).fill(-1);
  let gathers = new Int32Array(n).fill(-1);
  const casts: Int32Array[] = [];
  for (let k = 0; k < chunks; k++) {
    const freed = k >= window ? casts[k - window] : null;
    const next = new Int32Array(n);
    for (let j = 0; j < n; j++) next[j] = dag.transfer(j, comm.nodes[j], sw, share * n, j, α, freed ? [uploads[j], freed[j]] : [uploads[j]], rt);
    // every upload in: one barrier (a zero delay), so the graph has O(n) edges a chunk, not n²
    const uploaded = [dag.delay(-1, 0, Array.from(next))];
    const owned: number[] = [];
    for (let r = 0; r < n; r++) {
      // share r reduced by the switch: n operands added, (n − 1) × its payload
      const reduced = dag.reducedTransfer(r, sw, comm.nodes[r], share, operand, r, 0, uploaded, rt);
      owned.push(dag.transfer(r, comm.nodes[r], sw, share, r, 0, [reduced], rt));
    }
    const allUp = [dag.delay(-1, 0, owned)];
    const cast = new Int32Array(n);
    for (let j = 0; j < n; j++) cast[j] = dag.transfer(j, sw, comm.nodes[j], share * (n - 1), j, 0, allUp, rt);
    gathers = Int32Array.from(gathers, (prev, j) => dag.delay(j, gather, [prev, cast[j]]));
    casts.push(gathers);
    uploads = next;
  }
}

/**
 * The gather stage of NCCL's NVLS kernel (src/device/all_reduce.h: each CTA's warps are split
 * into scatter, reduce and gather groups, 6, 5 and 5 of 16 on 8 ranks, that pass every step
 * along through the NVLS buffer's slots): once a step's reduced shares are multicast into a
 * rank's buffer, its gather warps copy them into the output, about as fast as the step arrived.
 * In the steady state the copy overlaps the next steps; it adds one stage to the pipeline's
 * drain, which the sizes of few steps see (8–32 MiB on 8 H100: 14–19% short of three published
 * curves without it, within 8% with it; test/collective/nvls.test.ts). The scatter's copy into
 * the buffer is not added: fairway's upload, reduce and multicast are store-and-forward stages
 * of a whole chunk, where NCCL's reduce group streams them, and that already adds about a stage
 * (with both copies 2–8 MiB come out 17–28% slow). NVLS-tree across domains does not add it:
 * the published 2-node and 2-rack curves are at or below fairway's there already (with it their
 * large sizes go from 2–5% to 4–8% off).
 */
export function gatherSec(payloadBytes: number, bytesPerSec: number): number {
  return payloadBytes / bytesPerSec;
}

/** Bytes per second of node `r`'s links to switch `sw`, parallel links summed. */
export function nvlsRate(topo: Topology, r: number, sw: number): number {
  const { start, to, dlink } = topo.adjacency();
  let rate = 0;
  for (let e = start[r]; e < start[r + 1]; e++) if (to[e] === sw) rate += topo.links[dlink[e] >> 1].bytesPerSec;
  return rate;
}
