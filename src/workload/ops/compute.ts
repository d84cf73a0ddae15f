// A compute operation: a kernel on the rank's accelerator, launched by its host thread, taking
// its FLOPs on the math units and its bytes through HBM (roofline), both divided by the kernel's
// efficiency. A measured duration (no FLOPs or bytes given) holds the math units that long.
// FP8 operations (dtype: fp8) run their FLOPs at the accelerator's FP8 peak.
import { FairwayError } from '../../core/errors.js';
import { ACCELERATOR_SPECS, type AcceleratorSpec } from '../../hardware/index.js';
import type { Topology } from '../../topology/graph.js';
import type { Expansion, RankExpander } from '../expansion.js';
import { CAT_COMPUTE } from '../timeline.js';
import type { OpExpander } from './op-expander.js';

/** The catalogued spec of accelerator node `acc`; `why` says what needs it. */
function specOf(topo: Topology, acc: number, why: string): AcceleratorSpec {
  const a = ACCELERATOR_SPECS.get(topo.nodes[acc].spec);
  if (!a) throw new FairwayError('E_INPUT', `${topo.nodes[acc].id} is not a catalogued accelerator: ${why}`, [{ path: topo.nodes[acc].id, message: 'unknown accelerator' }]);
  return a;
}

/** The math units count FLOPs at the BF16 rate: an FP8 FLOP costs bf16 peak / fp8 peak of one. */
function dtypeScale(x: Parameters<RankExpander>[0], r: number): number {
  if (x.op.dtype !== 'fp8') return 1;
  const a = specOf(x.topo, x.accs[r], 'an FP8 compute operation needs its FP8 peak');
  if (a.fp8FlopsPerSec === null) throw new FairwayError('E_INPUT', `${x.op.id}: ${a.name} has no FP8 math units; use dtype: bf16`, [{ path: `${x.op.id}.dtype`, message: `no FP8 on ${a.name}` }]);
  return a.flopsPerSec / a.fp8FlopsPerSec;
}

const computeOn: RankExpander = (x, r, o, bytes) => {
  const e = x.plan.efficiency[x.i];
  const seconds = o?.coreSeconds ?? x.op.coreSeconds;
  const flops = (o?.flops ?? x.op.flops) * dtypeScale(x, r) || (bytes === 0 ? seconds * specOf(x.topo, x.accs[r], 'a compute operation with a duration needs its peak').flopsPerSec : 0);
  const id = x.dag.compute(r, x.accs[r], flops / e, bytes / e, x.kernelDeps(r));
  x.interval(r, CAT_COMPUTE, id);
  x.kernelDone(r, id);
};

export const computeExpander: OpExpander = {
  expand: (x: Expansion) => x.eachRank(computeOn),
};
