// Training step of a decoder-only transformer (dense or MoE) under a parallelism plan, as a
// workload document (docs/workload.md): tensor parallelism (with sequence parallelism),
// pipeline parallelism with the 1F1B schedule, plain or interleaved over virtual stages (bubbles
// emerge from send/recv dependencies),
// data parallelism with gradient buckets overlapped with the last backward pass, expert
// parallelism (all-to-all dispatch and combine), ZeRO-1/2/3 and full activation recomputation.
//
// Rank layout (Megatron-LM): tensor-parallel rank innermost, then data-parallel, then pipeline
// stage: rank = tp_rank + tp·dp_rank + tp·dp·stage. TP groups {size tp}, DP groups
// {size dp, stride tp}, EP groups (within DP) {size ep, stride tp}, PP groups {size pp, stride tp·dp};
// with ep > 1 expert gradients and ZeRO shards go over the expert-data-parallel group (the
// ranks holding the same experts) {size dp/ep, stride tp·ep}, dense ones over DP.
//
// Per micro-batch and stage each phase (forward, backward) is one fused compute operation for
// the stage's layers (its FLOPs, HBM bytes and kernel count), followed by the TP and EP
// collectives of those layers aggregated into one each: the volumes are exact, per-layer
// latencies are paid once per phase instead of once per layer. With tpOverlap the TP volume is
// split: a tp-th (the first chunk) before the compute, the rest on stream `tp` alongside it.
//
// FLOPs per layer and micro-batch (t = b·s tokens, d = h/heads; Narayanan et al. 2021, eq. 2,
// generalised to grouped-query attention, gated FFNs and top-k experts):
//   QKV 2·t·h·(h + 2·kv·d), scores and context 4·t·s·h, output 2·t·h², FFN topK·2·t·h·f·(3 gated | 2)
// backward = 2 × forward; full recomputation adds one forward. LM head: 2·t·h·V forward.
import { failInput } from '../../core/errors.js';
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
  /** Virtual pipeline stages (model chunks) per device: the interleaved schedule when > 1. */
  readonly vpp: number;
  readonly dp: number;
  readonly ep: number;
  readonly zero: 0 | 1 | 2 | 3;
  readonly recompute: boolean;
  readonly sequenceParallel: boolean;
  /** Gradient buckets: the last backward pass is split in this many parts, each followed by its bucket's reduction. */
  readonly buckets: number;
  /** TP communication overlapped with the GEMMs in tp chunks (Megatron's --tp-comm-overlap): only the first chunk is exposed. */
  readonly tpOverlap: boolean;
  readonly iterations: number;
}

export const DEFAULT_PLAN: TrainingPlan = { seq: 2048, globalBatch: 8, microBatch: 1, dtypeBytes: 2, tp: 1, pp: 1, vpp: 1, dp: 1, ep: 1, zero: 0, recompute: false, sequenceParallel: true, buckets: 4, tpOverlap: false, iterations: 1 };

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

function layerShape(m: TransformerModel, p: TrainingPlan): LayerShape {
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
  const experts = p.ep > 1 ? (perStage * (m.experts / p.ep) * s.expertParams) / p.tp : 0;
  // from ZeRO stage `zero` on, a rank keeps a dp-th of the dense and a (dp/ep)-th of its expert parameters
  const kept = (zero: number) => (p.zero >= zero ? shardedParams(params, experts, p.dp, p.ep) : params);
  const weights = kept(3) * p.dtypeBytes;
  const grads = kept(2) * p.dtypeBytes;
  const optimizer = kept(1) * OPTIMIZER_BYTES_PER_PARAM;
  // activations per layer per micro-batch (Korthikanti et al. 2022, 16-bit, eq. 2 and 4):
  // s·b·h·(34 + 5·a·s/h)/t with sequence parallelism, s·b·h·(10 + 24/t + 5·a·s/(h·t)) without
  // (layer norms and dropouts are then replicated on every TP rank); with full recomputation
  // only the layer input is kept, 2·s·b·h/t (or 2·s·b·h without SP). The first stage holds pp
  // micro-batches in flight under 1F1B.
  const sbh = s.tokens * m.hidden;
  const t = p.tp;
  const attention = (5 * m.heads * p.seq) / m.hidden;
  const perLayer = p.sequenceParallel ? (p.recompute ? 2 * sbh : sbh * (34 + attention)) / t : p.recompute ? 2 * sbh : sbh * (10 + 24 / t + attention / t);
  // micro-batches in flight on the first stage: pp under 1F1B; with v chunks, its warm-up passes over v
  const micro = p.globalBatch / (p.microBatch * p.dp);
  const inFlight = p.vpp > 1 ? Math.min(micro * p.vpp, 2 * (p.pp - 1) + (p.vpp - 1) * p.pp + 1) / p.vpp : Math.min(p.pp, micro);
  const activations = (perLayer * perStage * inFlight * p.dtypeBytes) / 2;
  return { params, bytes: weights + grads + optimizer + activations, parts: { weights, grads, optimizer, activations } };
}

/** Parameters a rank keeps of `params` (of which `experts` are expert parameters) when sharded over their replicas: dense ones over dp, expert ones over dp/ep. */
function shardedParams(params: number, experts: number, dp: number, ep: number): number {
  return (params - experts) / dp + experts / (dp / ep);
}

function checkPlan(m: TransformerModel, p: TrainingPlan): number {
  if (m.layers % p.pp !== 0) failInput('training.pp', `${m.name} has ${m.layers} layers, which do not split into ${p.pp} equal stages`);
  if (m.layers % (p.pp * p.vpp) !== 0) failInput('training.vpp', `${m.name} has ${m.layers} layers, which do not split into ${p.pp} × ${p.vpp} equal model chunks`);
  if (m.heads % p.tp !== 0) failInput('training.tp', `${m.name} has ${m.heads} attention heads, which do not split over tp = ${p.tp}`);
  if (p.dp % p.ep !== 0) failInput('training.ep', `ep (${p.ep}) must divide dp (${p.dp}): expert-parallel groups are formed within data-parallel ones`);
  if (m.experts % p.ep !== 0) failInput('training.ep', `${m.name} has ${m.experts} experts, which do not split over ep = ${p.ep}`);
  const micro = p.globalBatch / (p.microBatch * p.dp);
  if (!Number.isInteger(micro) || micro < 1) failInput('training.globalBatch', `the global batch (${p.globalBatch}) must be a multiple of micro-batch × dp (${p.microBatch} × ${p.dp})`);
  const opsPerStage = micro * p.vpp * 12;
  if (opsPerStage * p.pp > 5_000_000)
    failInput('training.globalBatch', `${micro} micro-batches × ${p.vpp} chunks on ${p.pp} stages is about ${Math.round((opsPerStage * p.pp) / 1e6)} M operations to describe; use fewer micro-batches (a larger microBatch) or fewer stages`);
  if (p.vpp > 1 && p.pp < 2) failInput('training.vpp', 'the interleaved schedule needs pp ≥ 2');
  if (p.tpOverlap && p.tp > 1 && !p.sequenceParallel) failInput('training.tpOverlap', 'overlapping TP communication with the GEMMs needs sequence parallelism (as in Megatron-LM); set sequenceParallel: true or leave tpOverlap out');
  if (p.vpp > 1 && micro % p.pp !== 0) failInput('training.vpp', `the interleaved schedule needs the micro-batches per pipeline (${micro}) to be a multiple of pp (${p.pp})`);
  return micro;
}

/** Refuses a plan whose memory per rank exceeds the accelerator's HBM, with the breakdown. */
export function checkMemory(m: TransformerModel, p: TrainingPlan, accelerator: AcceleratorSpec): void {
  const mem = memoryPerRank(m, p);
  if (mem.bytes <= accelerator.memoryBytes) return;
  const gb = (x: number) => `${(x / 1e9).toFixed(1)} GB`;
  failInput('training', `${m.name} needs ${gb(mem.bytes)} per rank (${Object.entries(mem.parts).map(([k, v]) => `${k} ${gb(v)}`).join(', ')}), more than the ${gb(accelerator.memoryBytes)} of an ${accelerator.name}; raise tp, pp or the ZeRO stage, or turn on recompute`);
}

/**
 * The workload document of `plan.iterations` training steps. With `accelerator`, a plan whose
 * memory per rank exceeds the accelerator's HBM is refused with the breakdown.
 */
export function trainingWorkload(m: TransformerModel, p: TrainingPlan, accelerator?: AcceleratorSpec): Record<string, unknown> {
  const micro = checkPlan(m, p);
  const { tp, pp, dp, ep } = p;
  const n = tp * pp * dp;
  if (accelerator) checkMemory(m, p, accelerator);
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
  // dispatch + combine per MoE layer, of the tokens this rank holds (a tp-th of them with sequence parallelism)
  const a2aBytes = m.experts > 1 ? (2 * perStage * s.tokens * m.hidden * m.topK * bytes) / (p.sequenceParallel ? tp : 1) : 0;
  const groups = { tp: { size: tp }, dp: { size: dp, stride: tp }, ep: { size: ep, stride: tp }, pp: { size: pp, stride: tp * dp } };
  const gradBytes = paramsPerRank * bytes;
  // Gradients and ZeRO shards travel per replica group: dense parameters are replicated over the
  // DP group; with ep > 1 an expert shard only over the dp/ep ranks that hold it (expert data
  // parallelism: same TP rank, DP ranks ep apart).
  const expertBytes = ep > 1 ? ((perStage * (m.experts / ep) * s.expertParams) / tp) * bytes : 0;
  const replicas: { suffix: string; bytes: number; group: { size: number; stride?: number } }[] = [];
  if (dp > 1) replicas.push({ suffix: '', bytes: gradBytes - expertBytes, group: groups.dp });
  if (dp / ep > 1 && expertBytes > 0) replicas.push({ suffix: '.experts', bytes: expertBytes, group: { size: dp / ep, stride: tp * ep } });

  const ops: Record<string, unknown>[] = [];
  const v = p.vpp;
  for (let stage = 0; stage < pp; stage++) {
    const ranks = `${stage * tp * dp}-${(stage + 1) * tp * dp - 1}`;
    const on = (op: Record<string, unknown>) => ops.push({ ...op, id: `s${stage}.${op.id as string}`, ...(pp > 1 ? { ranks } : {}) });
    /** One collective per replica group, of `part(the group's gradient bytes)`, each with its own copy of `after`; their ids. */
    const perReplica = (id: string, op: string, part: (bytes: number) => number, rest: { stream: string; after?: string[] }) =>
      replicas.map((r) => {
        on({ id: `${id}${r.suffix}`, type: 'collective', op, bytes: part(r.bytes), slices: COARSE, group: r.group, ...rest, ...(rest.after ? { after: [...rest.after] } : {}) });
        return `s${stage}.${id}${r.suffix}`;
      });
    const q = (id: string) => `s${stage}.${id}`;
    /** The TP collectives of `bytes` per layer pair (AG + RS with SP, else an all-reduce) on `stream` after `after`; the last one's id. */
    const tpCollectives = (id: string, bytes: number, stream: string, after: string[]) => {
      if (p.sequenceParallel) {
        // per layer two all-gathers and two reduce-scatters of the full t·h activation: the volume of two all-reduces
        on({ id: `${id}.ag`, type: 'collective', op: 'all_gather', bytes, slices: COARSE, group: groups.tp, stream, after });
        on({ id: `${id}.rs`, type: 'collective', op: 'reduce_scatter', bytes, slices: COARSE, group: groups.tp, stream, after: [q(`${id}.ag`)] });
        return `${id}.rs`;
      }
      on({ id: `${id}.ar`, type: 'collective', op: 'all_reduce', bytes, slices: COARSE, group: groups.tp, stream, after });
      return `${id}.ar`;
    };
    // `passes`: 1 for a forward; a backward under full recomputation also redoes the forward's collectives
    const tpVolume = (passes: number) => (passes * tpBytes) / v;
    // With tpOverlap the GEMMs overlap their TP communication in tp chunks (Megatron/Transformer
    // Engine userbuffers): the first chunk, a tp-th, goes before the phase's compute; the rest runs
    // on its own stream alongside it. Without, the whole volume follows the compute.
    const overlapped = p.tpOverlap && tp > 1;
    /** The exposed head of an overlapped phase (ids the compute waits for). */
    const tpHead = (id: string, after: readonly string[], passes: number) => (overlapped ? [q(tpCollectives(`${id}.head`, tpVolume(passes) / tp, 'compute', [...after]))] : []);
    /** The phase's TP and EP communication after its compute `last`; the ids its successors wait for. */
    const comm = (id: string, last: string, head: string[], passes = 1): string[] => {
      let done = [q(last)];
      if (tp > 1) {
        const tail = overlapped ? tpCollectives(id, (tpVolume(passes) * (tp - 1)) / tp, 'tp', head) : tpCollectives(id, tpVolume(passes), 'compute', done);
        done = overlapped ? [...done, q(tail)] : [q(tail)];
      }
      if (ep > 1 && a2aBytes > 0) {
        on({ id: `${id}.a2a`, type: 'collective', op: 'alltoall', bytes: (passes * a2aBytes) / v, group: groups.ep, stream: 'compute', after: done });
        done = [q(`${id}.a2a`)];
      }
      return done;
    };
    const schedule = pipelineSchedule(stage, pp, micro, v);
    const lastBackward = schedule.map(([phase]) => phase).lastIndexOf('B');
    const reductions: string[] = [];
    let lastOp = '';
    // ZeRO-3 gathers a pass's parameters while the previous pass computes (one pass of prefetch)
    const computes: string[] = [];
    const prefetchAfter = () => (computes.length >= 2 ? { after: [`s${stage}.${computes[computes.length - 2]}`] } : {});
    // an overlapped phase's TP tail: the next phase's compute waits for it (the layers' outputs)
    let pending: string[] = [];
    schedule.forEach(([phase, j, c], index) => {
      // chunk c of this device is virtual stage c·pp + stage; the first and last virtual stages
      // have no predecessor / successor; between chunks the pipeline wraps from the last device to the first
      const firstVirtual = stage === 0 && c === 0;
      const lastVirtual = stage === pp - 1 && c === v - 1;
      const head = lastVirtual ? lmHead : 0;
      const fwdFlops = (fwdGemm + fwdAttn) / v + head;
      const fwdEff = mixed(fwdGemm / v + head, fwdAttn / v);
      const kernels = (perStage / v) * KERNELS_PER_LAYER;
      const tag = (x: string) => `${x}${j}${v > 1 ? `.c${c}` : ''}`;
      const p2p = (id: string, type: 'send' | 'recv', peer: number, grads: boolean, after?: string[]) =>
        on({ id, type, peer, wrap: v > 1, tag: grads ? 1 : 0, bytes: act, group: groups.pp, ...(after ? { after } : {}) });
      if (phase === 'F') {
        const after: string[] = [];
        if (!firstVirtual) p2p(`${tag('f')}.recv`, 'recv', -1, false), after.push(`s${stage}.${tag('f')}.recv`);
        if (p.zero === 3) after.push(...perReplica(`${tag('f')}.zero`, 'all_gather', (b) => b / v, { stream: 'zero', ...prefetchAfter() }));
        after.push(...pending);
        const tpFirst = tpHead(tag('f'), after, 1);
        on({ id: tag('f'), type: 'compute', flops: fwdFlops, bytes: hbm(1) / v, efficiency: +fwdEff.toFixed(6), kernels, after: [...after, ...tpFirst] });
        computes.push(tag('f'));
        const done = comm(tag('f'), tag('f'), tpFirst);
        pending = overlapped ? done : [];
        if (!lastVirtual) p2p(`${tag('f')}.send`, 'send', 1, false, done);
        lastOp = tag('f');
      } else {
        const after: string[] = [];
        if (!lastVirtual) p2p(`${tag('b')}.recv`, 'recv', 1, true), after.push(`s${stage}.${tag('b')}.recv`);
        if (p.zero === 3) after.push(...perReplica(`${tag('b')}.zero`, 'all_gather', (b) => b / v, { stream: 'zero', ...prefetchAfter() }));
        after.push(...pending);
        const passes = p.recompute ? 2 : 1;
        const tpFirst = tpHead(tag('b'), after, passes);
        after.push(...tpFirst);
        const factor = p.recompute ? 3 : 2;
        const flops = factor * fwdFlops;
        // the step's last backward is split into buckets, each reduced while the next computes
        const bucketed = index === lastBackward && (dp > 1 || p.zero > 0);
        const parts = bucketed ? p.buckets : 1;
        let prev = '';
        for (let k = 0; k < parts; k++) {
          const id = parts > 1 ? `${tag('b')}.${k}` : tag('b');
          on({ id, type: 'compute', flops: flops / parts, bytes: hbm(factor) / v / parts, efficiency: +fwdEff.toFixed(6), kernels: Math.max(1, Math.round((factor * kernels) / parts)), after: k === 0 ? after : [`s${stage}.${prev}`] });
          prev = id;
          if (bucketed) {
            // this bucket's gradients: reduce-scatter under ZeRO (sharded optimizer), else all-reduce
            // ZeRO-2/3 reduce every backward's own gradients (a chunk's, with vpp); ZeRO-0/1 the whole step's here
            reductions.push(...perReplica(`${id}.grads`, p.zero >= 1 ? 'reduce_scatter' : 'all_reduce', (b) => (p.zero >= 2 ? b / v : b) / parts, { stream: 'dp', after: [`s${stage}.${id}`] }));
          }
        }
        computes.push(prev);
        // ZeRO-2/3 keep only a shard of the gradients: every backward's are reduce-scattered as it ends
        if (p.zero >= 2 && !bucketed) reductions.push(...perReplica(`${tag('b')}.grads`, 'reduce_scatter', (b) => b / v, { stream: 'dp', after: [`s${stage}.${prev}`] }));
        const done = comm(tag('b'), prev, tpFirst, passes);
        pending = overlapped ? done : [];
        if (!firstVirtual) p2p(`${tag('b')}.send`, 'send', -1, true, done);
        lastOp = prev;
      }
    });
    // optimizer step on this rank's shard: Adam reads and writes weights, gradients and states
    const shardParams = p.zero >= 1 ? shardedParams(paramsPerRank, expertBytes / bytes, dp, ep) : paramsPerRank;
    // under ZeRO-3 the optimizer runs on the gathers' stream too, so the next step's gathers fetch updated weights
    on({ id: 'optimizer', type: 'compute', flops: shardParams * 10, bytes: shardParams * 2 * (OPTIMIZER_BYTES_PER_PARAM + 2 * bytes), class: 'elementwise', kernels: 4, ...(p.zero === 3 && replicas.length ? { stream: 'zero' } : {}), after: [...reductions, `s${stage}.${lastOp}`, ...pending.filter((x) => x !== `s${stage}.${lastOp}`)] });
    // ZeRO-1/2: the updated parameter shards are gathered after the step, before the next one's
    // forward (on the compute stream); ZeRO-3 gathers them per pass instead
    if (p.zero === 1 || p.zero === 2) perReplica('params', 'all_gather', (b) => b, { stream: 'compute', after: [`s${stage}.optimizer`] });
  }
  return {
    name: `${m.name} tp${tp} pp${pp}${p.vpp > 1 ? ` vpp${p.vpp}` : ''} dp${dp}${ep > 1 ? ` ep${ep}` : ''}${p.zero ? ` zero${p.zero}` : ''}: global batch ${p.globalBatch}, micro-batch ${p.microBatch}, seq ${p.seq}`,
    ranks: n,
    iterations: p.iterations,
    ops,
  };
}

/**
 * The order in which pipeline device `stage` (of pp) runs forward (F) and backward (B) passes
 * of micro-batch j on its model chunk c (of v; v > 1 is the interleaved schedule of Narayanan
 * et al. 2021, as Megatron-LM orders it): warm-up forwards, then one forward and one backward
 * in turn, then the remaining backwards. With v = 1 this is plain 1F1B (warm-up pp − stage − 1).
 */
export function pipelineSchedule(stage: number, pp: number, micro: number, v: number): ['F' | 'B', number, number][] {
  const total = micro * v;
  const at = (k: number, forward: boolean): [number, number] => {
    if (v === 1) return [k, 0];
    const group = pp * v;
    const c = Math.floor((k % group) / pp);
    return [Math.floor(k / group) * pp + (k % pp), forward ? c : v - 1 - c];
  };
  const warm = v === 1 ? Math.min(pp - stage - 1, micro) : Math.min(total, (pp - stage - 1) * 2 + (v - 1) * pp);
  const out: ['F' | 'B', number, number][] = [];
  for (let k = 0; k < warm; k++) out.push(['F', ...at(k, true)]);
  for (let k = 0; k < total - warm; k++) out.push(['F', ...at(warm + k, true)], ['B', ...at(k, false)]);
  for (let k = total - warm; k < total; k++) out.push(['B', ...at(k, false)]);
  return out;
}
