// All-to-all (S = bytes each rank sends in total, nccl-tests' size; n(n−1) pieces of S/n):
//   direct: every rank sends every piece at once; ideal switch with port bandwidth B:
//     α + (n−1)·S/(n·B);
//   pairwise: n−1 rounds, in round k rank r sends to r+k (and receives from r−k), each round
//     after the rank's previous one: (n−1)(α + S/(n·B)); one flow per rank at a time.
import type { Communicator } from './communicator.js';
import type { TransferDag } from './dag.js';

export function directAllToAll(dag: TransferDag, comm: Communicator, bytes: number, alphaSec: number, channels: number): void {
  const n = comm.nodes.length;
  const piece = bytes / n / channels;
  for (let c = 0; c < channels; c++)
    for (let r = 0; r < n; r++)
      for (let d = 1; d < n; d++) {
        const to = (r + d) % n;
        dag.transfer(r, comm.nodes[r], comm.nodes[to], piece, c, alphaSec);
      }
}

export function pairwiseAllToAll(dag: TransferDag, comm: Communicator, bytes: number, alphaSec: number, channels: number): void {
  const n = comm.nodes.length;
  const piece = bytes / n / channels;
  for (let c = 0; c < channels; c++) {
    const last = new Int32Array(n).fill(-1);
    for (let k = 1; k < n; k++)
      for (let r = 0; r < n; r++) last[r] = dag.transfer(r, comm.nodes[r], comm.nodes[(r + k) % n], piece, c, alphaSec, [last[r]]);
  }
}
