// In-switch reduction all-reduce (NVLink SHARP, NCCL's NVLS) for ranks that all hang off one
// reducing switch. Per chunk, for every owner rank r of a 1/n share:
//   reduce-scatter: every rank sends its copy of share r into the switch, which reduces and
//     sends the result to r (multimem.ld_reduce);
//   all-gather: r sends the reduced share up once and the switch multicasts it to the other
//     n−1 ranks (multimem.st).
// Per rank that is S + S/n up and S down instead of the ring's 2(n−1)S/n each way, so with
// chunks pipelined busbw approaches 2(n−1)/(n+1)·B. One chunk on an ideal switch, where the four
// stages cannot overlap: 4α + S/B + S/(nB) + S/(nB) + (n−1)S/(nB) = 4α + (2n+1)S/(nB).
import { FairwayError } from '../core/errors.js';
import type { Topology } from '../topology/graph.js';
import type { Communicator } from './communicator.js';
import type { TransferDag } from './dag.js';
import type { RingOptions } from './ring.js';

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

export function nvlsAllReduce(dag: TransferDag, topo: Topology, comm: Communicator, bytes: number, o: RingOptions): void {
  const sw = reducingSwitch(topo, comm);
  if (sw < 0)
    throw new FairwayError('E_INPUT', 'nvls needs every rank on one switch that reduces in the network', [
      { path: '--algo', message: 'use a topology whose scale-up switch has reduction: true (e.g. dgx-h100) and ranks inside it' },
    ]);
  const n = comm.nodes.length;
  const chunks = Math.max(1, Math.min(o.maxSlices, Math.ceil(bytes / o.chunkBytes)));
  const piece = bytes / chunks / n;
  // prevUp[r * n + j]: rank j's upload of share r in the previous chunk (uploads of one share
  // by one rank go in order, so chunks pipeline through the four stages).
  let prevUp = new Int32Array(n * n).fill(-1);
  for (let k = 0; k < chunks; k++) {
    const ups = new Int32Array(n * n);
    for (let r = 0; r < n; r++) {
      for (let j = 0; j < n; j++) ups[r * n + j] = dag.transfer(j, comm.nodes[j], sw, piece, r, o.alphaSec, [prevUp[r * n + j]]);
      const reduced = dag.transfer(r, sw, comm.nodes[r], piece, r, o.alphaSec, Array.from(ups.subarray(r * n, (r + 1) * n)));
      const up = dag.transfer(r, comm.nodes[r], sw, piece, r, o.alphaSec, [reduced]);
      for (let j = 0; j < n; j++) if (j !== r) dag.transfer(j, sw, comm.nodes[j], piece, r, o.alphaSec, [up]);
    }
    prevUp = ups;
  }
}
