// Training step of a decoder-only transformer (dense or MoE) under a parallelism plan, as a
// workload document (docs/workload.md): tensor parallelism (with sequence parallelism),
// pipeline parallelism with the 1F1B schedule (bubbles emerge from send/recv dependencies),
// data parallelism with gradient buckets overlapped with the last backward pass, expert
// parallelism (all-to-all dispatch and combine), ZeRO-1/2/3 and full activation recomputation.
//
// Rank layout (Megatron-LM): tensor-parallel rank innermost, then data-parallel, then pipeline
// stage: rank = tp_rank + tp·dp_rank + tp·dp·stage. TP groups {size tp}, DP groups
// {size dp, stride tp}, EP groups (within DP) {size ep, stride tp}, PP groups {size pp, stride tp·dp}.
//
// Per micro-batch and stage each phase (forward, backward) is one fused compute operation for
// the stage's layers (its FLOPs, HBM bytes and kernel count), followed by the TP and EP
// collectives of those layers aggregated into one each: the volumes are exact, per-layer
// latencies are paid once per phase instead of once per layer.
//
// FLOPs per layer and micro-batch (t = b·s tokens, d = h/heads; Narayanan et al. 2021, eq. 2,
// generalised to grouped-query attention, gated FFNs and top-k experts):
//   QKV 2·t·h·(h + 2·kv·d), scores and context 4·t·s·h, output 2·t·h², FFN topK·2·t·h·f·(3 gated | 2)
// backward = 2 × forward; full recomputation adds one forward. LM head: 2·t·h·V forward.
import { FairwayError } from '../../core/errors.js';
import { KERNEL_EFFICIENCY } from '../../hardware/kernel-efficiency.js';
import type { AcceleratorSpec } from '../../hardware/types.js';
import type { TransformerModel } from './models.js';

export interface TrainingPlan {
  readonly seq: number;
  readonly globalBatch: number;
  readonly microBatch: number;
  /** Bytes per element of weights, activations and gradients (2: BF16). */
  readonly dtypeBytes: number;
  readonly tp: number;
  readonly pp: number;
  readonly dp: number;
  readonly ep: number;
  readonly zero: 0 | 1 | 2 | 3;
  readonly recompute: boolean;
  readonly sequenceParallel: boolean;
  /** Gradient buckets: the last backward pass is split in this many parts, each followed by its bucket's reduction. */
  readonly buckets: number;
  readonly iterations: number;
}

export const DEFAULT_PLAN: TrainingPlan = { seq: 2048, globalBatch: 8, microBatch: 1, dtypeBytes: 2, tp: 1, pp: 1, dp: 1, ep: 1, zero: 0, recompute: false, sequenceParallel: true, buckets: 4, iterations: 1 };

/** Kernels per layer per forward pass (norms, QKV, rotary, attention, projections, FFN GEMMs, activation, residuals); backward launches twice as many. */
const KERNELS_PER_LAYER = 14;
/**
 * Pipelining slices of the generated collectives. They are aggregates of a stage's per-layer
 * collectives (hundreds of MB), for which ring steps are bandwidth-bound: on one DGX H100 a
 * 600 MB all-gather + reduce-scatter + 64 MB all-reduce takes 3.27 ms with 2 slices against
 * 3.46 ms with the default 16 (5.6% less per-piece latency), with a seventh of the transfers.
 */
const COARSE = 2;
/** Adam with FP32 master weights: 4 (master) + 4 (m) + 4 (v) bytes per parameter; BF16 weights and gradients on top. */
const OPTIMIZER_BYTES_PER_PARAM = 12;

export interface LayerShape {
  readonly attentionParams: number;
  readonly expertParams: number;
  readonly layerParams: number;
  /** Forward FLOPs of one layer for one micro-batch, whole layer (all TP ranks together). */
  readonly gemmFlops: number;
  readonly attentionFlops: number;
  readonly lmHeadFlops: number;
  readonly tokens: number;
}

export function layerShape(m: TransformerModel, p: TrainingPlan): LayerShape {
  const t = p.microBatch * p.seq;
  const h = m.hidden;
  const d = h / m.heads;
  const qkv = h * (h + 2 * m.kvHeads * d);
  const attentionParams = qkv + h * h;
  const expertParams = (m.gated ? 3 : 2) * h * m.ffn;
  const gemmFlops = 2 * t * attentionParams + m.topK * 2 * t * expertParams;
  return { attentionParams, expertParams, layerParams: attentionParams + m.experts * expertParams, gemmFlops, attentionFlops: 4 * t * p.seq * h, lmHeadFlops: 2 * t * h * m.vocab, tokens: t };
}

/** Parameters of the whole model (layers and the embedding; the LM head shares it). */
export function modelParams(m: TransformerModel): number {
  const h = m.hidden;
  const d = h / m.heads;
  const attention = h * (h + 2 * m.kvHeads * d) + h * h;
  return m.layers * (attention + m.experts * (m.gated ? 3 : 2) * h * m.ffn) + m.vocab * h;
}

/** FLOPs of one training step on all ranks together (forward + backward [+ recompute]). */
export function stepFlops(m: TransformerModel, p: TrainingPlan): number {
  const s = layerShape(m, p);
  const microBatches = p.globalBatch / p.microBatch;
  const fwd = m.layers * (s.gemmFlops + s.attentionFlops) + s.lmHeadFlops;
  return microBatches * fwd * (p.recompute ? 4 : 3);
}

/** Bytes each rank holds at the peak of a step: weights, gradients, optimizer state (ZeRO-sharded) and activations. */
export function memoryPerRank(m: TransformerModel, p: TrainingPlan): { params: number; bytes: number; parts: Record<string, number> } {
  const s = layerShape(m, p);
  const perStage = m.layers / p.pp;
  const params = (perStage * (s.attentionParams + (m.experts / p.ep) * s.expertParams)) / p.tp + (m.vocab * m.hidden) / p.tp;
  const shard = (zero: number) => (p.zero >= zero ? p.dp : 1);
  const weights = (params * p.dtypeBytes) / shard(3);
  const grads = (params * p.dtypeBytes) / shard(2);
  const optimizer = (params * OPTIMIZER_BYTES_PER_PARAM) / shard(1);
  // activations per layer per micro-batch: s·b·h·(34 + 5·a·s/h) bytes (Korthikanti et al. 2022,
  // 16-bit), divided by tp with sequence parallelism; with full recomputation only the layer
  // input (2·s·b·h) is kept. The first stage holds pp micro-batches in flight under 1F1B.
  const sbh = s.tokens * m.hidden;
  const perLayer = p.recompute ? 2 * sbh : sbh * (34 + (5 * m.heads * p.seq) / m.hidden);
  const activations = ((perLayer / (p.sequenceParallel ? p.tp : 1)) * perStage * Math.min(p.pp, p.globalBatch / (p.microBatch * p.dp)) * p.dtypeBytes) / 2;
  return { params, bytes: weights + grads + optimizer + activations, parts: { weights, grads, optimizer, activations } };
}

const fail = (path: string, message: string): never => {
  throw new FairwayError('E_INPUT', `${path}: ${message}`, [{ path, message }]);
};

function checkPlan(m: TransformerModel, p: TrainingPlan): number {
  if (m.layers % p.pp !== 0) fail('training.pp', `${m.name} has ${m.layers} layers, which do not split into ${p.pp} equal stages`);
  if (m.heads % p.tp !== 0) fail('training.tp', `${m.name} has ${m.heads} attention heads, which do not split over tp = ${p.tp}`);
  if (p.dp % p.ep !== 0) fail('training.ep', `ep (${p.ep}) must divide dp (${p.dp}): expert-parallel groups are formed within data-parallel ones`);
  if (m.experts % p.ep !== 0) fail('training.ep', `${m.name} has ${m.experts} experts, which do not split over ep = ${p.ep}`);
  const micro = p.globalBatch / (p.microBatch * p.dp);
  if (!Number.isInteger(micro) || micro < 1) fail('training.globalBatch', `the global batch (${p.globalBatch}) must be a multiple of micro-batch × dp (${p.microBatch} × ${p.dp})`);
  return micro;
}

/**
 * The workload document of `plan.iterations` training steps. With `accelerator`, a plan whose
 * memory per rank exceeds the accelerator's HBM is refused with the breakdown.
 */
export function trainingWorkload(m: TransformerModel, p: TrainingPlan, accelerator?: AcceleratorSpec): Record<string, unknown> {
  const micro = checkPlan(m, p);
  const { tp, pp, dp, ep } = p;
  const n = tp * pp * dp;
  if (accelerator) {
    const mem = memoryPerRank(m, p);
    if (mem.bytes > accelerator.memoryBytes) {
      const gb = (x: number) => `${(x / 1e9).toFixed(1)} GB`;
      fail('training', `${m.name} needs ${gb(mem.bytes)} per rank (${Object.entries(mem.parts).map(([k, v]) => `${k} ${gb(v)}`).join(', ')}), more than the ${gb(accelerator.memoryBytes)} of an ${accelerator.name}; raise tp, pp or the ZeRO stage, or turn on recompute`);
    }
  }
  const s = layerShape(m, p);
  const perStage = m.layers / pp;
  const bytes = p.dtypeBytes;
  const gemm = KERNEL_EFFICIENCY.get('gemm')!.efficiency;
  const attn = KERNEL_EFFICIENCY.get('attention')!.efficiency;
  // one fused op per phase: FLOPs per rank, and an efficiency mixing GEMMs and attention by time
  const fwdGemm = (perStage * s.gemmFlops) / tp;
  const fwdAttn = (perStage * s.attentionFlops) / tp;
  const lmHead = s.lmHeadFlops / tp;
  const mixed = (g: number, a: number) => (g + a) / (g / gemm + a / attn);
  const paramsPerRank = (perStage * (s.attentionParams + (m.experts / ep) * s.expertParams)) / tp;
  // HBM traffic per phase: the stage's weights once, plus ~10 activation-sized tensors per layer read and written
  const hbm = (phases: number) => phases * (paramsPerRank * bytes + (perStage * 20 * s.tokens * m.hidden * bytes) / (p.sequenceParallel ? tp : 1));
  const act = (s.tokens * m.hidden * bytes) / tp; // p2p activations: scattered over the TP ranks
  const tpBytes = 2 * perStage * s.tokens * m.hidden * bytes; // two all-reduces (or AG+RS pairs) per layer, per phase
  const a2aBytes = m.experts > 1 ? 2 * perStage * s.tokens * m.hidden * m.topK * bytes : 0; // dispatch + combine per MoE layer
  const groups = { tp: { size: tp }, dp: { size: dp, stride: tp }, ep: { size: ep, stride: tp }, pp: { size: pp, stride: tp * dp } };
  const gradBytes = paramsPerRank * bytes;

  const ops: Record<string, unknown>[] = [];
  for (let stage = 0; stage < pp; stage++) {
    const ranks = `${stage * tp * dp}-${(stage + 1) * tp * dp - 1}`;
    const last = stage === pp - 1;
    const head = last ? lmHead : 0;
    const fwdFlops = fwdGemm + fwdAttn + head;
    const fwdEff = mixed(fwdGemm + head, fwdAttn);
    const on = (op: Record<string, unknown>) => ops.push({ ...op, id: `s${stage}.${op.id as string}`, ...(pp > 1 ? { ranks } : {}) });
    const comm = (id: string, after: string) => {
      let prev = after;
      if (tp > 1) {
        if (p.sequenceParallel) {
          on({ id: `${id}.ag`, type: 'collective', op: 'all_gather', bytes: tpBytes / 2, slices: COARSE, group: groups.tp, stream: 'compute', after: [`s${stage}.${prev}`] });
          on({ id: `${id}.rs`, type: 'collective', op: 'reduce_scatter', bytes: tpBytes / 2, slices: COARSE, group: groups.tp, stream: 'compute', after: [`s${stage}.${id}.ag`] });
          prev = `${id}.rs`;
        } else {
          on({ id: `${id}.ar`, type: 'collective', op: 'all_reduce', bytes: tpBytes, slices: COARSE, group: groups.tp, stream: 'compute', after: [`s${stage}.${prev}`] });
          prev = `${id}.ar`;
        }
      }
      if (ep > 1 && a2aBytes > 0) {
        on({ id: `${id}.a2a`, type: 'collective', op: 'alltoall', bytes: a2aBytes, group: groups.ep, stream: 'compute', after: [`s${stage}.${prev}`] });
        prev = `${id}.a2a`;
      }
      return prev;
    };
    // 1F1B: warm-up forwards, then one forward and one backward in turn, then the remaining backwards
    const warm = Math.min(pp - stage - 1, micro);
    const schedule: ['F' | 'B', number][] = [];
    for (let j = 0; j < warm; j++) schedule.push(['F', j]);
    for (let j = 0; j < micro - warm; j++) schedule.push(['F', warm + j], ['B', j]);
    for (let j = micro - warm; j < micro; j++) schedule.push(['B', j]);
    const reductions: string[] = [];
    for (const [phase, j] of schedule) {
      if (phase === 'F') {
        const after: string[] = [];
        if (stage > 0) on({ id: `f${j}.recv`, type: 'recv', peer: -1, bytes: act, group: groups.pp }), after.push(`s${stage}.f${j}.recv`);
        if (p.zero === 3 && dp > 1) on({ id: `f${j}.zero`, type: 'collective', op: 'all_gather', bytes: gradBytes, slices: COARSE, group: groups.dp, stream: 'zero' }), after.push(`s${stage}.f${j}.zero`);
        on({ id: `f${j}`, type: 'compute', flops: fwdFlops, bytes: hbm(1), efficiency: +fwdEff.toFixed(6), kernels: perStage * KERNELS_PER_LAYER, after });
        const done = comm(`f${j}`, `f${j}`);
        if (!last) on({ id: `f${j}.send`, type: 'send', peer: 1, bytes: act, group: groups.pp, after: [`s${stage}.${done}`] });
      } else {
        const after: string[] = [];
        if (!last) on({ id: `b${j}.recv`, type: 'recv', peer: 1, bytes: act, group: groups.pp }), after.push(`s${stage}.b${j}.recv`);
        if (p.zero === 3 && dp > 1) on({ id: `b${j}.zero`, type: 'collective', op: 'all_gather', bytes: gradBytes, slices: COARSE, group: groups.dp, stream: 'zero' }), after.push(`s${stage}.b${j}.zero`);
        const factor = p.recompute ? 3 : 2;
        const flops = factor * fwdFlops;
        const lastMicro = j === micro - 1 && (dp > 1 || p.zero > 0);
        const parts = lastMicro ? p.buckets : 1;
        let prev = '';
        for (let k = 0; k < parts; k++) {
          const id = parts > 1 ? `b${j}.${k}` : `b${j}`;
          on({ id, type: 'compute', flops: flops / parts, bytes: hbm(factor) / parts, efficiency: +fwdEff.toFixed(6), kernels: Math.max(1, Math.round((factor * perStage * KERNELS_PER_LAYER) / parts)), after: k === 0 ? after : [`s${stage}.${prev}`] });
          prev = id;
          if (lastMicro && dp > 1) {
            // this bucket's gradients: reduce-scatter under ZeRO (sharded optimizer), else all-reduce
            on({ id: `${id}.grads`, type: 'collective', op: p.zero >= 1 ? 'reduce_scatter' : 'all_reduce', bytes: gradBytes / parts, slices: COARSE, group: groups.dp, stream: 'dp', after: [`s${stage}.${id}`] });
            reductions.push(`s${stage}.${id}.grads`);
          }
        }
        const done = comm(`b${j}`, prev);
        if (stage > 0) on({ id: `b${j}.send`, type: 'send', peer: -1, bytes: act, group: groups.pp, after: [`s${stage}.${done}`] });
      }
    }
    // optimizer step on this rank's shard: Adam reads and writes weights, gradients and states
    const shard = p.zero >= 1 ? dp : 1;
    on({ id: 'optimizer', type: 'compute', flops: (paramsPerRank / shard) * 10, bytes: ((paramsPerRank / shard) * 2 * (OPTIMIZER_BYTES_PER_PARAM + 2 * bytes)), class: 'elementwise', kernels: 4, after: [...reductions, `s${stage}.b${micro - 1}${p.buckets > 1 && (dp > 1 || p.zero > 0) ? `.${p.buckets - 1}` : ''}`] });
    if (p.zero >= 1 && dp > 1) on({ id: 'params', type: 'collective', op: 'all_gather', bytes: gradBytes, slices: COARSE, group: groups.dp, stream: 'dp', after: [`s${stage}.optimizer`] });
  }
  return {
    name: `${m.name} tp${tp} pp${pp} dp${dp}${ep > 1 ? ` ep${ep}` : ''}${p.zero ? ` zero${p.zero}` : ''}: global batch ${p.globalBatch}, micro-batch ${p.microBatch}, seq ${p.seq}`,
    ranks: n,
    iterations: p.iterations,
    ops,
  };
}
