// A compute operation: a kernel on the rank's accelerator, launched by its host thread, taking
// its FLOPs on the math units and its bytes through HBM (roofline), both divided by the kernel's
// efficiency. A measured duration (no FLOPs or bytes given) holds the math units that long.
import { FairwayError } from '../../core/errors.js';
import { ACCELERATOR_SPECS } from '../../hardware/index.js';
import type { Topology } from '../../topology/graph.js';
import type { Expansion, RankExpander } from '../expansion.js';
import { CAT_COMPUTE } from '../timeline.js';
import type { OpExpander } from './op-expander.js';

/** The catalogued peak FLOP/s of accelerator node `acc`. */
function peakOf(topo: Topology, acc: number): number {
  const a = ACCELERATOR_SPECS.get(topo.nodes[acc].spec);
  if (!a) throw new FairwayError('E_INPUT', `${topo.nodes[acc].id} is not a catalogued accelerator: a compute operation with a duration needs its peak`, [{ path: topo.nodes[acc].id, message: 'unknown accelerator' }]);
  return a.flopsPerSec;
}

const computeOn: RankExpander = (x, r, o, bytes) => {
  const e = x.plan.efficiency[x.i];
  const seconds = o?.coreSeconds ?? x.op.coreSeconds;
  const flops = (o?.flops ?? x.op.flops) || (bytes === 0 ? seconds * peakOf(x.topo, x.accs[r]) : 0);
  const id = x.dag.compute(r, x.accs[r], flops / e, bytes / e, x.kernelDeps(r));
  x.interval(r, CAT_COMPUTE, id);
  x.kernelDone(r, id);
};

export const computeExpander: OpExpander = {
  expand: (x: Expansion) => x.eachRank(computeOn),
};
