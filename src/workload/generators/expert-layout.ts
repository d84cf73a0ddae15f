// Where a training plan's experts live (MoE): the TP ranks an expert's FFN is split over (etp),
// the expert-parallel group that exchanges tokens in the all-to-alls and the expert
// data-parallel group that holds the same experts (their gradients are reduced over it).
// A stage's ranks are tp·cp·dp consecutive ones, rank = tp_rank + tp·cp_rank + tp·cp·dp_rank.
//   etp = tp (the default): experts split over TP like the dense layers; every TP rank runs the
//     expert GEMMs for all the micro-batch's tokens on its slice; EP groups are the ranks of one
//     TP position in ep consecutive DP replicas (stride tp); ep must divide dp.
//   etp = 1 with tp > 1 (Megatron-Core's MoE parallel folding, expert_tensor_parallel_size 1):
//     whole experts; each rank routes its own tp-th of the tokens (sequence parallelism); EP
//     groups are ep consecutive ranks across TP × DP (stride 1), so ep may exceed dp, and the
//     expert replicas are the tp·dp/ep ranks ep apart.
import { failInput } from '../../core/errors.js';
import type { RankGroup } from './training-stage.js';

/** What the plan says about experts (a part of TrainingPlan). */
export interface ExpertPlan {
  readonly tp: number;
  readonly cp: number;
  readonly dp: number;
  readonly ep: number;
  /** 0: tp. */
  readonly etp: number;
  readonly sequenceParallel: boolean;
}

export interface ExpertLayout {
  /** etp = 1 with tp > 1. */
  readonly folded: boolean;
  /** TP ranks an expert's FFN is split over. */
  readonly etp: number;
  /** The share of a micro-batch's tokens each rank routes to experts: 1, or 1/tp when folded. */
  readonly routedShare: number;
  readonly ep: RankGroup;
  /** Ranks holding the same experts (expert data parallelism). */
  readonly edp: RankGroup;
}

/** How an expert's work splits on a rank: etp, whether folded, and the share of the tokens it routes. */
export function expertSplit(p: { readonly tp: number; readonly etp: number }): Pick<ExpertLayout, 'folded' | 'etp' | 'routedShare'> {
  const etp = p.etp === 0 ? p.tp : p.etp;
  const folded = etp === 1 && p.tp > 1;
  return { folded, etp, routedShare: folded ? 1 / p.tp : 1 };
}

export function expertLayout(p: ExpertPlan): ExpertLayout {
  const { folded, etp } = expertSplit(p);
  if (folded) return { folded, etp, routedShare: 1 / p.tp, ep: { size: p.ep, stride: 1 }, edp: { size: (p.tp * p.dp) / p.ep, stride: p.ep } };
  return { folded, etp, routedShare: 1, ep: { size: p.ep, stride: p.tp }, edp: { size: p.dp / p.ep, stride: p.tp * p.ep } };
}

/** Refuses an expert layout Megatron-Core cannot form, naming the field and the fix. */
export function checkExperts(p: ExpertPlan): void {
  if (p.etp !== 0 && p.etp !== 1 && p.etp !== p.tp) failInput('training.etp', `etp (${p.etp}) must be 1 (whole experts, MoE parallel folding) or tp (${p.tp}, the default)`);
  if (!expertLayout(p).folded) {
    if (p.dp % p.ep !== 0) failInput('training.ep', `ep (${p.ep}) must divide dp (${p.dp}): expert-parallel groups are formed within data-parallel ones; with tp > 1, etp: 1 folds them across TP × DP instead`);
    return;
  }
  if (!p.sequenceParallel) failInput('training.etp', 'etp: 1 with tp > 1 needs sequence parallelism (each rank routes its tp-th of the tokens); set sequenceParallel: true');
  if ((p.tp * p.dp) % p.ep !== 0) failInput('training.ep', `ep (${p.ep}) must divide tp × dp (${p.tp} × ${p.dp}) with etp: 1`);
  if (p.ep % p.tp !== 0 && p.tp % p.ep !== 0) failInput('training.ep', `with etp: 1, ep (${p.ep}) and tp (${p.tp}) must divide one another, so that every TP group lies inside an EP group or holds whole ones`);
}

/** Parameters a rank keeps of `params` (of which `experts` are expert parameters) sharded over their replicas: dense ones over dp·cp, expert ones over the expert data-parallel group. */
export function shardedParams(params: number, experts: number, p: ExpertPlan): number {
  return (params - experts) / (p.dp * p.cp) + experts / expertLayout(p).edp.size;
}
