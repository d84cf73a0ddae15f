// Recursive halving-doubling all-reduce (Rabenseifner) for a power-of-two number of ranks:
// reduce-scatter by recursive halving (step k: exchange S/2^(k+1) with the rank at distance
// n/2^(k+1)), then all-gather by recursive doubling (the same exchanges in reverse order).
// Each exchange waits for the rank's and its partner's previous step. On an ideal switch with
// port bandwidth B: 2·log2(n)·α + 2(n−1)·S/(nB).
import { FairwayError } from '../core/errors.js';
import type { Communicator } from './communicator.js';
import type { OpSink, TransferDag } from '../graph/index.js';

/**
 * `after[r]`: an operation rank r finishes first (a previous phase); `rankIds[r]`: the rank to
 * record on its ops (default r). Returns each rank's last op.
 */
export function halvingDoublingAllReduce(dag: OpSink, comm: Communicator, bytes: number, alphaSec: number, after?: Int32Array, rankIds?: Int32Array): Int32Array {
  const n = comm.nodes.length;
  const rounds = Math.log2(n);
  if (!Number.isInteger(rounds)) throw new FairwayError('E_INPUT', `halving-doubling needs a power-of-two number of ranks, got ${n}`, [{ path: 'ranks', message: 'use 2, 4, 8, ... ranks or another algorithm' }]);
  let prev = after ? after.slice() : new Int32Array(n).fill(-1);
  const distances: number[] = [];
  for (let k = 0; k < rounds; k++) distances.push(n >> (k + 1));
  const plan = [...distances.map((d, k) => [d, bytes / 2 ** (k + 1)]), ...distances.map((d, k) => [d, bytes / 2 ** (k + 1)]).reverse()];
  for (const [d, piece] of plan) {
    const cur = new Int32Array(n);
    for (let r = 0; r < n; r++) {
      const partner = r ^ d;
      cur[r] = dag.transfer(rankIds ? rankIds[r] : r, comm.nodes[r], comm.nodes[partner], piece, 0, alphaSec, [prev[r], prev[partner]]);
    }
    prev = cur;
  }
  return prev;
}
