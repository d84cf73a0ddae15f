// `algo: auto` inside workloads: the algorithm a tuner would pick for a collective, as NCCL's
// tuner does: by the modelled time of the collective on its own (every algorithm that applies,
// the fastest kept), decided once per communicator shape. The shape is the operation, the size,
// the slices, the number of ranks and how they spread over servers (ranks per server), like
// the nRanks/nNodes NCCL's model looks at; the first group of a shape stands for all of them.
import { FairwayError } from '../core/errors.js';
import { ALGORITHMS, DEFAULT_COLLECTIVE_OPTIONS, type Algorithm } from '../collective/index.js';
import type { Topology } from '../topology/graph.js';
import type { Router } from '../topology/routing/router.js';
import type { AlgorithmChoice } from '../workload/expand.js';
import { runFastestCollective } from './collective-run.js';

export function algorithmTuner(topo: Topology, router: Router): AlgorithmChoice {
  const chosen = new Map<string, Algorithm>();
  return (op, bytes, nodes, slices) => {
    const candidates = ALGORITHMS[op];
    if (candidates.length === 1 || bytes <= 0) return candidates[0];
    const perServer = new Map<number, number>();
    for (const node of nodes) {
      const server = topo.nodes[node].placement.server;
      perServer.set(server, (perServer.get(server) ?? 0) + 1);
    }
    const spread = [...perServer.values()].sort((a, b) => a - b).join(',');
    const key = `${op}|${bytes}|${slices}|${nodes.length}|${spread}`;
    let algorithm = chosen.get(key);
    if (algorithm === undefined) {
      try {
        algorithm = runFastestCollective(topo, router, { nodes }, op, bytes, { ...DEFAULT_COLLECTIVE_OPTIONS, maxSlices: slices }).algorithm;
      } catch (e) {
        if (!(e instanceof FairwayError) || e.code !== 'E_INPUT') throw e;
        algorithm = candidates[0];
      }
      chosen.set(key, algorithm);
    }
    return algorithm;
  };
}
