// Direct algorithms: every rank sends its piece straight to every other rank at once.
//   all-to-all: n(n−1) transfers of S/n (S = bytes each rank sends in total, nccl-tests' size);
//   on an ideal switch with port bandwidth B: α + (n−1)·S/(n·B).
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
