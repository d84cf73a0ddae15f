// `algo: auto` inside workloads: the algorithm a tuner would pick for a collective, as NCCL's
// tuner does: by the modelled time of the collective on its own (every algorithm that applies,
// the fastest kept), decided once per communicator shape. The shape is the operation, the size
// rounded to a power of two, the slices, the number of ranks, and how they spread over servers
// and over racks (ranks per server and per rack: an NVL72 domain is a rack), like the
// nRanks/nNodes NCCL's model looks at; the first group of a shape stands for all of them.
// Candidates whose graph exceeds TUNE_MAX_OPERATIONS are not run (a flat ring over 1,024 ranks
// would take seconds); when none is small enough, the one with the fewest operations is taken.
import { FairwayError } from '../core/errors.js';
import { ALGORITHMS, buildCollective, DEFAULT_COLLECTIVE_OPTIONS, type Algorithm, type CollectiveOp } from '../collective/index.js';
import type { EngineKind } from '../engine/index.js';
import type { Topology } from '../topology/graph.js';
import type { Router } from '../topology/routing/router.js';
import type { AlgorithmChoice } from '../workload/expand.js';
import { candidateAlgorithms, runCollective } from './collective-run.js';

/** Candidates with more operations than this are only built, not run. */
const TUNE_MAX_OPERATIONS = 250_000;

/** Ranks per server and per rack, sorted: groups alike in these are alike to the tuner. */
function spread(topo: Topology, nodes: Int32Array): string {
  const count = (of: (node: number) => number) => {
    const per = new Map<number, number>();
    for (const node of nodes) per.set(of(node), (per.get(of(node)) ?? 0) + 1);
    return [...per.values()].sort((a, b) => a - b).join(',');
  };
  return `${count((x) => topo.nodes[x].placement.server)}/${count((x) => topo.nodes[x].placement.rack)}`;
}

/** The fastest applicable algorithm for `op` of `bytes` on `nodes` alone; the smallest graph when every one is too big to run. */
function fastestAlone(topo: Topology, router: Router, op: CollectiveOp, bytes: number, nodes: Int32Array, slices: number, engine: EngineKind): Algorithm {
  let best: { algorithm: Algorithm; time: number } | null = null;
  let smallest: { algorithm: Algorithm; size: number } | null = null;
  for (const algorithm of candidateAlgorithms(op, nodes.length)) {
    const options = { ...DEFAULT_COLLECTIVE_OPTIONS, algorithm, maxSlices: slices };
    let dag;
    try {
      dag = buildCollective(topo, op, bytes, { nodes }, options);
    } catch (e) {
      if (e instanceof FairwayError && e.code === 'E_INPUT') continue; // does not apply here
      throw e;
    }
    if (smallest === null || dag.size < smallest.size) smallest = { algorithm, size: dag.size };
    if (dag.size > TUNE_MAX_OPERATIONS) continue;
    const time = runCollective(topo, router, { nodes }, op, bytes, options, engine, dag).makespanSec;
    if (best === null || time < best.time) best = { algorithm, time };
  }
  return best?.algorithm ?? smallest?.algorithm ?? ALGORITHMS[op][0];
}

export function algorithmTuner(topo: Topology, router: Router, engine: EngineKind = 'wasm'): AlgorithmChoice {
  const chosen = new Map<string, Algorithm>();
  return (op, bytes, nodes, slices, fresh = false) => {
    const candidates = ALGORITHMS[op];
    if (candidates.length === 1 || bytes <= 0) return candidates[0];
    if (fresh) return fastestAlone(topo, router, op, bytes, nodes, slices, engine);
    const key = `${op}|${Math.round(Math.log2(bytes))}|${slices}|${nodes.length}|${spread(topo, nodes)}`;
    let algorithm = chosen.get(key);
    if (algorithm === undefined) chosen.set(key, (algorithm = fastestAlone(topo, router, op, bytes, nodes, slices, engine)));
    return algorithm;
  };
}
