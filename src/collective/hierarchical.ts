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
import type { OpSink } from '../graph/index.js';
import { halvingDoublingAllReduce } from './halving-doubling.js';
import { ringSteps, type RingOptions } from './ring.js';

/** The ranks of each server (in rank order), and of each rail (same local index across servers). */
export function hierarchyOf(topo: Topology, comm: Communicator): { servers: number[][]; rails: number[][] } {
  const byServer = new Map<number, number[]>();
  comm.nodes.forEach((node, r) => {
    const s = topo.nodes[node].placement.server;
    if (!byServer.has(s)) byServer.set(s, []);
    byServer.get(s)!.push(r);
  });
  const servers = [...byServer.values()];
  const nl = servers[0].length;
  if (servers.some((g) => g.length !== nl) || byServer.has(-1))
    throw new FairwayError('E_INPUT', 'hierarchical all-reduce needs the same number of ranks in every server', [{ path: 'algo', message: 'use ring, or a rank count that fills whole servers' }]);
  return { servers, rails: Array.from({ length: nl }, (_, i) => servers.map((g) => g[i])) };
}

/**
 * One phase over some groups (their accelerators, and the communicator ranks recorded on their
 * ops), each rank after `after[g][i]`; returns each group's ranks' last ops.
 */
export function buildPhase(dag: OpSink, kind: 'ring' | 'hd', groups: readonly Int32Array[], ranks: readonly Int32Array[], after: readonly Int32Array[], size: number, steps: number, o: RingOptions): Int32Array[] {
  return groups.map((nodes, g) =>
    kind === 'hd' ? halvingDoublingAllReduce(dag, { nodes }, size, o.alphaSec, after[g], ranks[g]) : ringSteps(dag, { nodes }, size, steps, o, after[g], 0, undefined, ranks[g]),
  );
}

export function hierarchicalAllReduce(dag: OpSink, topo: Topology, comm: Communicator, bytes: number, o: RingOptions, across: 'ring' | 'hd' = 'ring'): void {
  const { servers, rails } = hierarchyOf(topo, comm);
  const phaseDone = new Int32Array(comm.nodes.length).fill(-1);
  const runPhase = (kind: 'ring' | 'hd', groups: number[][], size: number, steps: number) => {
    if (kind === 'ring' && steps === 0) return;
    const last = buildPhase(dag, kind, groups.map((g) => Int32Array.from(g, (r) => comm.nodes[r])), groups.map((g) => Int32Array.from(g)), groups.map((g) => Int32Array.from(g, (r) => phaseDone[r])), size, steps, o);
    groups.forEach((g, k) => g.forEach((r, i) => (phaseDone[r] = last[k][i])));
  };
  for (const [kind, groups, size, steps] of hierarchyPhases(servers, rails, bytes, across)) runPhase(kind, groups, size, steps);
}

/** The three phases: reduce-scatter in servers, all-reduce across (ring or hd), all-gather in servers. */
export function hierarchyPhases(servers: number[][], rails: number[][], bytes: number, across: 'ring' | 'hd'): ['ring' | 'hd', number[][], number, number][] {
  const nl = servers[0].length;
  const ns = servers.length;
  return [
    ['ring', servers, bytes, nl - 1],
    [across, rails, bytes / nl, 2 * (ns - 1)],
    ['ring', servers, bytes, nl - 1],
  ];
}
