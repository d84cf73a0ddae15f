// Hierarchical all-reduce, as NCCL does across servers: (1) reduce-scatter on a ring inside
// each server (n_l ranks), (2) all-reduce of the S/n_l shard among the ranks with the same
// local index across servers (n_s of them side by side, one per local index, e.g. one per
// rail), on a ring or — for thousands of servers — by halving-doubling (2·log2 n_s steps
// instead of 2(n_s−1)), (3) all-gather inside each server. Each phase of a rank starts when its previous phase
// is done. With no overlap between phases and ideal links (B_l inside, B_s across):
//   2(n_l−1)(α + S/(n_l·B_l)) + 2(n_s−1)(α + S/(n_l·n_s·B_s)).
import { FairwayError } from '../core/errors.js';
import type { Topology } from '../topology/graph.js';
import type { Communicator } from './communicator.js';
import type { TransferDag } from './dag.js';
import { halvingDoublingAllReduce } from './halving-doubling.js';
import { ringSteps, type RingOptions } from './ring.js';

export function hierarchicalAllReduce(dag: TransferDag, topo: Topology, comm: Communicator, bytes: number, o: RingOptions, across: 'ring' | 'hd' = 'ring'): void {
  const byServer = new Map<number, number[]>();
  comm.nodes.forEach((node, r) => {
    const s = topo.nodes[node].placement.server;
    if (!byServer.has(s)) byServer.set(s, []);
    byServer.get(s)!.push(r);
  });
  const servers = [...byServer.values()];
  const nl = servers[0].length;
  if (servers.some((g) => g.length !== nl) || byServer.has(-1))
    throw new FairwayError('E_INPUT', 'hierarchical all-reduce needs the same number of ranks in every server', [{ path: '--algo', message: 'use ring, or a rank count that fills whole servers' }]);
  const ns = servers.length;
  const phaseDone = new Int32Array(comm.nodes.length).fill(-1);
  const local = (g: number[]) => ({ nodes: Int32Array.from(g, (r) => comm.nodes[r]) });
  const runPhase = (groups: number[][], size: number, steps: number) => {
    if (steps === 0) return;
    for (const g of groups) {
      const last = ringSteps(dag, local(g), size, steps, o, Int32Array.from(g, (r) => phaseDone[r]));
      g.forEach((r, i) => (phaseDone[r] = last[i]));
    }
  };
  runPhase(servers, bytes, nl - 1);
  const rails = Array.from({ length: nl }, (_, i) => servers.map((g) => g[i]));
  if (across === 'hd')
    for (const g of rails) {
      const last = halvingDoublingAllReduce(dag, local(g), bytes / nl, o.alphaSec, Int32Array.from(g, (r) => phaseDone[r]));
      g.forEach((r, i) => (phaseDone[r] = last[i]));
    }
  else runPhase(rails, bytes / nl, 2 * (ns - 1));
  runPhase(servers, bytes, nl - 1);
}
