// Where each rank's host side lives: the CPU socket its host thread runs on (the socket
// nearest its accelerator), that socket's DRAM (pinned buffers for copies) and the server's
// nearest storage drive (the data loader's source). A workload with no host work at all (no
// launch cost, no CPU task, host copy or input) may run on accelerators without a CPU (an
// ASTRA-sim network of NPUs): their host is then none (−1).
import { FairwayError } from '../core/errors.js';
import type { Topology } from '../topology/graph.js';
import type { Router } from '../topology/routing/router.js';

export interface RankHost {
  /** −1 when the workload needs no host and the server has no CPU. */
  readonly cpu: number;
  readonly dram: number;
  /** −1 when the server has no drive. */
  readonly storage: number;
}

const NO_HOST: RankHost = { cpu: -1, dram: -1, storage: -1 };

/** Each rank's host; `needed` false: a rank whose server has no CPU gets none instead of an error. */
export function rankHosts(topo: Topology, router: Router, accelerators: Int32Array, needed = true): RankHost[] {
  const cpusOf = new Map<number, number[]>();
  const firstDrive = new Map<number, number>();
  for (const node of topo.nodes) {
    const server = node.placement.server;
    if (node.kind === 'cpu') cpusOf.set(server, [...(cpusOf.get(server) ?? []), node.index]);
    if (node.kind === 'storage' && !firstDrive.has(server)) firstDrive.set(server, node.index);
  }
  return Array.from(accelerators, (acc) => (!needed && !cpusOf.has(topo.nodes[acc].placement.server) ? NO_HOST : hostOf(topo, router, acc, cpusOf, firstDrive)));
}

function hostOf(topo: Topology, router: Router, acc: number, cpusOf: Map<number, number[]>, firstDrive: Map<number, number>): RankHost {
  const server = topo.nodes[acc].placement.server;
  // the nearest CPU the accelerator reaches (distance −1: no path, e.g. the other Grace of a GB200 tray)
  let best = -1;
  let bestHops = Infinity;
  for (const c of cpusOf.get(server) ?? []) {
    const hops = router.distance(acc, c);
    if (hops >= 0 && hops < bestHops) (best = c), (bestHops = hops);
  }
  if (best < 0 && cpusOf.has(server))
    throw new FairwayError('E_INPUT', `${topo.nodes[acc].id} reaches none of its server's CPUs to launch kernels and run host work`, [{ path: topo.nodes[acc].id, message: 'link it to a cpu node of its server' }]);
  if (best < 0)
    throw new FairwayError('E_INPUT', `${topo.nodes[acc].id} has no CPU in its server to launch kernels and run host work`, [{ path: topo.nodes[acc].id, message: 'add a cpu node to the server' }]);
  const { start, to } = topo.adjacency();
  let dram = -1;
  let storage = -1;
  for (let e = start[best]; e < start[best + 1]; e++) {
    if (topo.nodes[to[e]].kind === 'dram') dram = to[e];
    if (topo.nodes[to[e]].kind === 'storage' && storage < 0) storage = to[e];
  }
  if (storage < 0) storage = firstDrive.get(server) ?? -1;
  return { cpu: best, dram: dram < 0 ? best : dram, storage };
}
