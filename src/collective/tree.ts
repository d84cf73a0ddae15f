// Tree all-reduce: a reduce up a binary tree (heap order: the parent of position p is
// (p−1)/2) followed by a broadcast down it, pipelined in chunks. A node sends chunk k up when
// it has chunk k from all its children; it sends chunk k down when it has it from its parent
// (the root: when its reduce of chunk k is complete). Sends on a connection keep their order.
// The double binary tree (NCCL) runs two trees on half the data each, the second on the
// mirrored rank order, so that most ranks are a leaf in one tree and inner in the other.
// Ideal switch, one tree, one chunk, a complete tree of depth D: a parent receives from two
// children at once over its port, so each level costs α + 2S/B: total 2D(α + 2S/B).
import type { Communicator } from './communicator.js';
import type { TransferDag } from '../graph/index.js';
import type { RingOptions } from './ring.js';

export function treeAllReduce(dag: TransferDag, comm: Communicator, bytes: number, o: RingOptions, trees: 1 | 2): void {
  const n = comm.nodes.length;
  for (let t = 0; t < trees; t++) {
    const rankAt = (p: number) => (t === 0 ? p : n - 1 - p);
    const share = bytes / trees;
    const chunks = Math.max(1, Math.min(o.maxSlices, Math.ceil(share / o.chunkBytes)));
    const piece = share / chunks;
    const lastUp = new Int32Array(n).fill(-1);
    const lastDown = new Int32Array(2 * n).fill(-1);
    for (let k = 0; k < chunks; k++) {
      // up[p]: op sending chunk k from position p to its parent (−1 for the root).
      const up = new Int32Array(n).fill(-1);
      for (let p = n - 1; p >= 1; p--) {
        const parent = (p - 1) >> 1;
        const deps = [lastUp[p]];
        for (const c of [2 * p + 1, 2 * p + 2]) if (c < n) deps.push(up[c]);
        up[p] = dag.transfer(rankAt(p), comm.nodes[rankAt(p)], comm.nodes[rankAt(parent)], piece, t, o.alphaSec, deps);
        lastUp[p] = up[p];
      }
      // down[p]: op that delivered chunk k to position p (the root has it after its reduce).
      const down = new Int32Array(n).fill(-1);
      const rootReady = [1, 2].filter((c) => c < n).map((c) => up[c]);
      for (let p = 0; p < n; p++) {
        const have = p === 0 ? rootReady : [down[p]];
        for (const [j, c] of [2 * p + 1, 2 * p + 2].entries()) {
          if (c >= n) continue;
          down[c] = dag.transfer(rankAt(p), comm.nodes[rankAt(p)], comm.nodes[rankAt(c)], piece, t, o.alphaSec, [...have, lastDown[2 * p + j]]);
          lastDown[2 * p + j] = down[c];
        }
      }
    }
  }
}
