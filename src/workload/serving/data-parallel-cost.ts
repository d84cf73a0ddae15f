// A step of an instance under data-parallel attention (SGLang's --enable-dp-attention,
// TensorRT-LLM's enable_attention_dp), from each rank's own batch. Each rank runs attention for
// its own sequences with the whole attention weights and their whole KV cache; the FFNs need
// every rank's tokens, so the ranks meet in every layer and each layer's attention side lasts
// as long as the busiest rank's (a rank with nothing to run waits). Then the FFN side:
//   - with expert parallelism, each MoE layer dispatches the tokens to the ranks of their
//     experts and combines them back (two all-to-alls, the rank with the most tokens setting
//     their size); a rank's experts run over the busiest rank's share of all the step's visits,
//     its router and shared experts over its own tokens; the dense layers run whole on each
//     rank's own tokens, with no all-to-all;
//   - without it, the batch is gathered and every FFN (dense, or the router and every expert)
//     runs tensor-parallel over all the step's tokens: two all-reduces of the whole batch a
//     layer (SGLang gathers by an all-reduce of the zero-padded batch).
// The LM head runs on each rank's own sampled rows with the whole vocabulary.
import { KERNEL_BOUNDARY_SEC } from '../../hardware/kernel-boundary.js';
import { gemmSeconds, weightGemmSeconds, type WeightDtype } from '../../hardware/gemm-efficiency.js';
import { busiestRankVisits } from './expert-load.js';
import type { BatchSums, InstanceShape, StepCost } from './instance-shape.js';
import { attentionGemmSec, attentionSideBytes, ffnGemmSec, ffnTerms, kernelsPerStep, layerAttentionSec, layerCommSec, layerKinds, layerMemoryBytes, memSec, sharedExpertSec, touchedExperts } from './layer-cost.js';

type LayerCost = Pick<StepCost, 'gemmSec' | 'attentionSec' | 'memorySec' | 'commSec'>;

/** `b` split evenly over `ranks` ranks (a step costed without knowing each rank's own batch). */
export function evenShares(b: BatchSums, ranks: number): BatchSums[] {
  const share = (x: number) => x / ranks;
  const mine: BatchSums = { sequences: share(b.sequences), tokens: share(b.tokens), sampled: share(b.sampled), attentionPairs: share(b.attentionPairs), kvTokensRead: share(b.kvTokensRead), decodes: share(b.decodes ?? 0), decodeKvTokens: share(b.decodeKvTokens ?? 0), ...(b.decodeTokens !== undefined ? { decodeTokens: share(b.decodeTokens) } : {}), ...(b.decodePairs !== undefined ? { decodePairs: share(b.decodePairs) } : {}), ...(b.windowPairs !== undefined ? { windowPairs: share(b.windowPairs), windowKvTokensRead: share(b.windowKvTokensRead ?? 0) } : {}) };
  return Array.from({ length: ranks }, () => mine);
}

/** The ranks' batches summed. */
function totalOf(ranks: readonly BatchSums[]): BatchSums {
  const sum = (f: (r: BatchSums) => number) => ranks.reduce((a, r) => a + f(r), 0);
  return { sequences: sum((r) => r.sequences), tokens: sum((r) => r.tokens), sampled: sum((r) => r.sampled), attentionPairs: sum((r) => r.attentionPairs), kvTokensRead: sum((r) => r.kvTokensRead), decodes: sum((r) => r.decodes ?? 0), decodeKvTokens: sum((r) => r.decodeKvTokens ?? 0), decodeTokens: sum((r) => r.decodeTokens ?? r.decodes ?? 0), decodePairs: sum((r) => r.decodePairs ?? r.decodeKvTokens ?? 0), ...(ranks.some((r) => r.windowPairs !== undefined) ? { windowPairs: sum((r) => r.windowPairs ?? 0), windowKvTokensRead: sum((r) => r.windowKvTokensRead ?? 0) } : {}) };
}

/** The cost of one step of a data-parallel-attention instance whose rank k runs `ranks[k]` (one entry a rank). */
export function dataParallelStepCost(s: InstanceShape, ranks: readonly BatchSums[]): StepCost {
  const { model: m, accelerator: acc } = s;
  const b = totalOf(ranks);
  const most = (f: (r: BatchSums) => number) => ranks.reduce((a, r) => Math.max(a, f(r)), 0);
  let gemmSec = 0, attentionSec = 0, memorySec = 0, commSec = 0;
  for (const [view, count] of layerKinds(m)) {
    const l = dataParallelLayer({ ...s, model: view }, b, ranks);
    gemmSec += count * l.gemmSec;
    attentionSec += count * l.attentionSec;
    memorySec += count * l.memorySec;
    commSec += count * l.commSec;
  }
  memorySec += memSec(most((r) => r.tokens) * m.hidden * 2 * 2, acc);
  const sampled = most((r) => r.sampled);
  const headSec = sampled > 0 ? gemmSeconds(acc, sampled, m.vocab, m.hidden, 'bf16') + memSec(sampled * m.vocab * 4 * 2, acc) : 0;
  const boundarySec = kernelsPerStep(m, b.sampled > 0) * KERNEL_BOUNDARY_SEC;
  return { seconds: gemmSec + attentionSec + memorySec + commSec + headSec + boundarySec, gemmSec, attentionSec, memorySec, commSec, headSec, boundarySec };
}

/** One layer: the busiest rank's attention side, then the FFN side over the step (see the header). */
function dataParallelLayer(s: InstanceShape, b: BatchSums, ranks: readonly BatchSums[]): LayerCost {
  const { model: m, tp, accelerator: acc } = s;
  const whole: InstanceShape = { ...s, tp: 1, expertParallel: false, dataParallelAttention: false };
  const ep = s.expertParallel === true;
  let side = { gemmSec: 0, attentionSec: 0, bytes: 0, tokens: 0 }, worst = -1;
  for (const r of ranks) {
    if (r.tokens <= 0) continue;
    const c = attentionSide(whole, r, ep);
    const sec = c.gemmSec + c.attentionSec + memSec(c.bytes, acc);
    if (sec > worst) (worst = sec), (side = c);
  }
  if (!ep) {
    // the gathered batch through tensor-parallel FFNs
    const sharded: InstanceShape = { ...s, dataParallelAttention: false };
    const f = ffnTerms(sharded, b.tokens);
    return { gemmSec: ffnGemmSec(sharded, b.tokens, side.gemmSec), attentionSec: side.attentionSec, memorySec: memSec(side.bytes + f.activation + f.permute, acc), commSec: layerCommSec(sharded, b.tokens) };
  }
  if (m.experts <= 1) return { gemmSec: side.gemmSec, attentionSec: side.attentionSec, memorySec: memSec(side.bytes, acc), commSec: 0 };
  const dt: WeightDtype = s.weights;
  const up = (m.gated ? 2 : 1) * m.ffn;
  const visits = busiestRankVisits(b.tokens * m.topK, tp);
  const groups = Math.max(1, touchedExperts(m.experts / tp, m.experts, b.tokens * m.topK));
  const rows = Math.max(1, visits / groups);
  const gemmSec = side.gemmSec + weightGemmSeconds(acc, rows, up, m.hidden, dt, groups) + weightGemmSeconds(acc, rows, m.hidden, m.ffn, dt, groups);
  // the experts' activation over the busiest rank's visits and the permutation of its tokens to them and back
  const experts = (m.gated ? 3 : 2) * visits * m.ffn * 2 + 2 * (side.tokens + visits) * m.hidden * 2;
  const sent = ranks.reduce((a, r) => Math.max(a, r.tokens), 0);
  return { gemmSec, attentionSec: side.attentionSec, memorySec: memSec(side.bytes + experts, acc), commSec: 2 * s.allToAllSec!(sent * m.topK * m.hidden * 2) };
}

/**
 * One rank's attention side of a layer over its own batch `r`, whole weights (`whole`): the
 * attention projections, the attention kernel and its memory-bound kernels; with expert
 * parallelism also what runs on the rank's own tokens: a dense layer's whole FFN, an MoE
 * layer's router and shared experts.
 */
function attentionSide(whole: InstanceShape, r: BatchSums, ep: boolean): { gemmSec: number; attentionSec: number; bytes: number; tokens: number } {
  const { model: m, accelerator: acc } = whole;
  const t = r.tokens;
  const attentionSec = layerAttentionSec(whole, r);
  if (ep && m.experts <= 1) return { gemmSec: ffnGemmSec(whole, t, attentionGemmSec(whole, t)), attentionSec, bytes: layerMemoryBytes(whole, t), tokens: t };
  let gemmSec = attentionGemmSec(whole, t);
  let bytes = attentionSideBytes(whole, t);
  if (ep) {
    gemmSec += gemmSeconds(acc, t, m.experts, m.hidden, 'bf16') + sharedExpertSec(whole, t, 1);
    const shared = m.sharedExperts ?? 0;
    if (shared > 0) bytes += (m.gated ? 3 : 2) * t * shared * m.ffn * 2;
  }
  return { gemmSec, attentionSec, bytes, tokens: t };
}
