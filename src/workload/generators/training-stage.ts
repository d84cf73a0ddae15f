// One pipeline stage's operations in a training step (transformer.ts): its schedule of forward
// and backward passes becomes compute ops with, around each, the receive and send of the
// activations (or their gradients) from the neighbouring stage, ZeRO-3 parameter gathers, the
// TP and EP collectives of the pass's layers and, on each model chunk's last backward, that
// chunk's gradient reductions per bucket; then the optimizer step on this rank's shard.
//
// Op ids are prefixed `s<stage>.`; an op lists the ids it waits for in `after`. A pass's
// dependencies: its receive, its parameter gather, and the previous pass's overlapped TP tail.
import { KERNEL_BOUNDARY_SEC } from '../../hardware/kernel-boundary.js';
import type { AcceleratorSpec } from '../../hardware/types.js';
import { addCost, elementwiseSeconds, mathEfficiency, ZERO_COST, type PassCost } from './layer-kernels.js';
import { symmetricBlock, symmetryIn } from './symmetry.js';
import type { StageMix } from './stage-layers.js';
import type { TrainingPlan } from './transformer.js';

/** Kernels per layer per forward pass: math (QKV, attention, projection, FC1, FC2) and memory-bound (two norms, rotary, two residual adds, activation, casts and the like); backward launches twice as many. */
const MATH_KERNELS_PER_LAYER = 5;
const MEMORY_KERNELS_PER_LAYER = 9;
/**
 * Pipelining slices of the generated collectives. They are aggregates of a stage's per-layer
 * collectives (hundreds of MB), for which ring steps are bandwidth-bound: on one DGX H100 a
 * 600 MB all-gather + reduce-scatter + 64 MB all-reduce takes 3.27 ms with 2 slices against
 * 3.46 ms with the default 16 (5.6% less per-piece latency), with a seventh of the transfers.
 */
const COARSE = 2;

/** A rank group as the workload document writes it (docs/workload.md). */
export interface RankGroup {
  readonly size: number;
  readonly stride?: number;
}

/** A group of ranks holding the same parameters, with the gradient bytes they share. */
export interface ReplicaGroup {
  readonly suffix: string;
  readonly bytes: number;
  readonly group: RankGroup;
}

/** Forward (F) and backward (B) costs of one rank's kernels. */
export interface PhaseCosts {
  readonly F: PassCost;
  readonly B: PassCost;
}

/** Per-rank quantities of one training step, the same on every pipeline stage. */
export interface TrainingStep {
  readonly plan: TrainingPlan;
  readonly accelerator: AcceleratorSpec;
  /** Layers on this pipeline stage: under the even split of one kind of layer the nominal count (its chunks' layers, plus one for the embedding or the loss where they count), else its chunks' layers of every kind. */
  readonly perStage: number;
  /** Of them, the layers with experts (their all-to-alls and expert gradients): perStage under the even split. */
  readonly moeStage: number;
  /** The layers of chunk c on pipeline stage `stage` by kind (transformer.ts, StageMix). */
  readonly mixOf: (stage: number, c: number) => StageMix;
  /** Kernels the router and the token dispatcher of one MoE layer launch in a forward pass (0 without experts; moe-kernels.ts). */
  readonly moeKernels: number;
  /** Kernel costs of one layer of the model's kind, of a dense-FFN layer of an MoE model (zero without), of an MTP layer (zero without), of the output layer (last stage) and of the embedding (first stage). */
  readonly costs: { readonly layer: PhaseCosts; readonly dense: PhaseCosts; readonly mtp: PhaseCosts; readonly head: PhaseCosts; readonly embedding: PhaseCosts };
  /** Bytes of one point-to-point activation transfer. */
  readonly act: number;
  /** TP bytes per forward pass over the stage, CP key/value all-gather bytes, and EP all-to-all bytes (0 when unused). */
  readonly tpBytes: number;
  readonly cpBytes: number;
  readonly a2aBytes: number;
  readonly groups: { readonly tp: RankGroup; readonly cp: RankGroup; readonly ep: RankGroup; readonly pp: RankGroup };
  readonly replicas: readonly ReplicaGroup[];
  /** Gradient bytes over parameter bytes (plan.gradReduceBytes / dtypeBytes): the replicas' bytes are parameters; their gradient reductions move this many times more. */
  readonly gradScale: number;
  /** TP communication overlapped with the GEMMs (tpOverlap with tp > 1). */
  readonly overlapped: boolean;
  /** Activation bytes a forward pass over the stage copies to host memory and its backward copies back (plan.offloadLayers; 0: none). */
  readonly offloadBytes: number;
  /** ZeRO-3 (FSDP): bytes the memory-bound passes over one backward's unsharded gradients move, for all of the stage's parameters (transformer.ts, fsdpGradientBytesPerParam); 0 otherwise. */
  readonly fsdpGradBytes: number;
  /** The optimizer step on this rank's shard. */
  readonly optimizer: { readonly flops: number; readonly bytes: number };
}

/** One entry of a pipeline schedule: phase, micro-batch, model chunk. */
export type ScheduledPass = ['F' | 'B', number, number];

/** What a scheduled pass of chunk c of micro-batch j computes and where it sits in the pipeline. */
interface Pass {
  readonly tag: (x: string) => string;
  readonly firstVirtual: boolean;
  readonly lastVirtual: boolean;
  /** The chunk's kernels in its forward and in its backward (with a recomputed forward under full recomputation). */
  readonly forward: PassCost;
  readonly backward: PassCost;
  /** The chunk's share of the stage's layers: its part of per-stage volumes (TP, CP traffic, ZeRO gathers, dense gradients). */
  readonly part: number;
  /** Its share of the stage's layers with experts: its part of the EP traffic and the expert gradients. */
  readonly moePart: number;
}

type Op = Record<string, unknown>;

/** Writes the operations of pipeline stage `stage` into `ops`. */
export class StageOps {
  private readonly reductions: string[] = [];
  /** The compute ops so far (ZeRO-3 gathers one pass ahead of them). */
  private readonly computes: string[] = [];
  /** An overlapped phase's TP tail: the next phase's compute waits for it (the layers' outputs). */
  private pending: string[] = [];
  private lastOp = '';
  /** The current pass's chunk share of per-stage volumes (Pass.part, Pass.moePart). */
  private part = 1;
  private moePart = 1;
  /** ZeRO-1/2: the step's parameter all-gathers, in buckets; the first forward waits for them (gathersFor). */
  private gathers: string[][] = [];
  /** The current pass's overlapped EP all-to-all (a2aOverlap): its send waits for it, the next compute does not. */
  private a2a: string[] = [];

  constructor(
    private readonly step: TrainingStep,
    private readonly stage: number,
    private readonly ops: Op[],
  ) {}

  /** The ops of `schedule` (pipelineSchedule's order), then the optimizer step. */
  emit(schedule: readonly ScheduledPass[]): void {
    const reduces = this.step.replicas.length > 0;
    // each model chunk's last backward: its gradients are complete once it ends
    const lastOfChunk = new Map<number, number>();
    schedule.forEach(([phase, , c], index) => phase === 'B' && lastOfChunk.set(c, index));
    this.paramGathers();
    schedule.forEach(([phase, j, c], index) => {
      const pass = this.pass(j, c);
      if (phase === 'F') this.forward(pass);
      // a chunk's last backward is split into buckets, each reducing that chunk's gradients
      // while the rest computes (Megatron-Core's overlapped gradient reduction, per model chunk)
      else this.backward(pass, reduces && index === lastOfChunk.get(c));
    });
    this.optimizer();
  }

  /** Adds `op` on this stage's ranks; with symmetric reduction, all but `replicas` ops only on the stage's first block. */
  private on(op: Op, replicas = false): void {
    const { pp, tp, dp, cp } = this.step.plan;
    const symmetric = symmetryIn(this.step.plan);
    const n = tp * cp * dp;
    const first = this.stage * n;
    const last = symmetric && !replicas ? first + symmetricBlock(this.step.plan) - 1 : first + n - 1;
    const ranks = `${first}-${last}`;
    this.ops.push({ ...op, id: this.q(op.id as string), ...(pp > 1 || last < first + n - 1 ? { ranks } : {}) });
  }

  /** The full id of this stage's op `id`. */
  private q(id: string): string {
    return `s${this.stage}.${id}`;
  }

  /** Chunk c of this device is virtual stage c·pp + stage; the first and last virtual stages have no predecessor / successor. */
  private pass(j: number, c: number): Pass {
    const { plan, costs, perStage, moeStage } = this.step;
    const v = plan.vpp;
    const firstVirtual = this.stage === 0 && c === 0;
    const lastVirtual = this.stage === plan.pp - 1 && c === v - 1;
    const mix = this.step.mixOf(this.stage, c);
    const ends = (ph: 'F' | 'B') => addCost(firstVirtual ? costs.embedding[ph] : ZERO_COST, lastVirtual ? costs.head[ph] : ZERO_COST);
    const layers = (ph: 'F' | 'B') => addCost(addCost(addCost(ends(ph), costs.layer[ph], mix.typical), costs.dense[ph], mix.dense), costs.mtp[ph], mix.mtp);
    const forward = layers('F');
    // a stage of only the embedding or the loss (a layout such as E|t*32|L) has no layers to share volumes over
    const part = perStage > 0 ? (mix.typical + mix.dense + mix.mtp) / perStage : 0;
    const moePart = moeStage > 0 ? (mix.typical + mix.mtp) / moeStage : 0;
    const backward = addCost(addCost(layers('B'), plan.recompute ? forward : ZERO_COST), this.gradientPasses(), part);
    return { tag: (x: string) => `${x}${j}${v > 1 ? `.c${c}` : ''}`, firstVirtual, lastVirtual, forward, backward, part, moePart };
  }

  /** ZeRO-3's passes over a backward's unsharded gradients (scaling, a cast to a wider reduce type), for the whole stage: a chunk takes its part. */
  private gradientPasses(): PassCost {
    const bytes = this.step.fsdpGradBytes;
    return bytes > 0 ? { mathFlops: 0, mathSeconds: 0, memoryBytes: bytes, memorySeconds: elementwiseSeconds(this.step.accelerator, bytes) } : ZERO_COST;
  }

  /** Kernels of one forward pass over a chunk: math and memory-bound (an MoE layer's router and dispatcher among the latter). */
  private kernels(): [number, number] {
    const layers = this.part * this.step.perStage;
    const moeLayers = this.moePart * this.step.moeStage;
    return [layers * MATH_KERNELS_PER_LAYER, layers * MEMORY_KERNELS_PER_LAYER + moeLayers * this.step.moeKernels];
  }

  /**
   * The compute ops of `cost` (a `share` of it, as op `id`): the math kernels, then the
   * memory-bound ones; `launches` is the pair of kernel counts. Returns the last op's id.
   */
  private compute(id: string, cost: PassCost, share: number, launches: [number, number], after: string[], memAfter: string[] = []): string {
    const { plan, accelerator } = this.step;
    // every kernel of the pass (math and memory-bound) costs a boundary on the GPU: the math op carries them
    const boundarySec = (launches[0] + launches[1]) * KERNEL_BOUNDARY_SEC;
    const eff = mathEfficiency(cost, accelerator, plan.precision, boundarySec / share);
    const dtype = plan.precision === 'fp8' ? { dtype: 'fp8' } : {};
    this.on({ id, type: 'compute', flops: cost.mathFlops * share, ...dtype, efficiency: +eff.toFixed(6), kernels: Math.max(1, Math.round(launches[0])), after });
    if (cost.memoryBytes <= 0) return id;
    this.on({ id: `${id}.mem`, type: 'compute', bytes: cost.memoryBytes * share, class: 'elementwise', kernels: Math.max(1, Math.round(launches[1])), after: [this.q(id), ...memAfter] });
    return `${id}.mem`;
  }

  private forward(pass: Pass): void {
    const { overlapped } = this.step;
    const id = pass.tag('f');
    this.part = pass.part;
    this.moePart = pass.moePart;
    const after = this.inputs(id, !pass.firstVirtual, -1, false);
    const tpFirst = this.tpHead(id, after, 1);
    const kv = this.cpExchange(id, after, 1);
    const [params, rest] = this.gathersFor();
    const inputs = [...after, ...tpFirst, ...kv, ...params];
    const last = this.compute(id, pass.forward, 1, this.kernels(), inputs, rest);
    this.computes.push(last);
    const done = this.comm(id, last, tpFirst);
    this.pending = [...(overlapped ? done : []), ...this.offload(id, 'd2h', inputs)];
    const a2a = this.takeA2a();
    if (!pass.lastVirtual) this.p2p(`${id}.send`, 'send', 1, false, [...done, ...a2a]);
    this.lastOp = last;
  }

  private backward(pass: Pass, bucketed: boolean): void {
    const { plan, overlapped } = this.step;
    const id = pass.tag('b');
    this.part = pass.part;
    this.moePart = pass.moePart;
    const after = this.inputs(id, !pass.lastVirtual, 1, true);
    // a backward under full recomputation also redoes the forward's collectives
    const passes = plan.recompute ? 2 : 1;
    const tpFirst = this.tpHead(id, after, passes);
    const kv = this.cpExchange(id, after, passes + 1);
    after.push(...tpFirst, ...kv);
    const reload = this.offload(id, 'h2d', after);
    const last = this.backwardCompute(id, pass, after, bucketed);
    this.computes.push(last);
    // ZeRO-2/3 keep only a shard of the gradients: every backward's are reduce-scattered as it ends
    if (plan.zero >= 2 && !bucketed) this.reductions.push(...this.perReplica(`${id}.grads`, 'reduce_scatter', (b, share) => b * share * this.step.gradScale, { stream: 'dp', after: [this.q(last)] }));
    const done = this.comm(id, last, tpFirst, passes);
    this.pending = [...(overlapped ? done : []), ...reload];
    const a2a = this.takeA2a();
    if (!pass.firstVirtual) this.p2p(`${id}.send`, 'send', -1, true, [...done, ...a2a]);
    this.lastOp = last;
  }

  /**
   * Context parallelism: the keys and values of the chunk's layers gathered from the other cp
   * ranks of the sequence (`volumes` times: 1 forward; backward, the gradients' reduce-scatter
   * and a recomputation's gather too), on its own stream while the pass's GEMMs run: the
   * pass waits for it (ring attention needs them), so only what outlasts nothing is hidden. [] without cp.
   */
  private cpExchange(id: string, after: readonly string[], volumes: number): string[] {
    const { cpBytes, groups, plan } = this.step;
    if (cpBytes <= 0) return [];
    this.on({ id: `${id}.kv`, type: 'collective', op: 'all_gather', bytes: volumes * cpBytes * this.part, slices: COARSE, group: groups.cp, stream: 'cp', after: [...after] });
    return [this.q(`${id}.kv`)];
  }

  /**
   * Activation offloading (Transformer Engine's CPU offload handler, as Megatron-Core drives it):
   * the offloaded layers' activations go to host memory on a copy stream while the forward runs
   * ('d2h', after the pass's inputs) and come back while the backward runs ('h2d', after its
   * inputs, so after the same micro-batch's offload). The handler spreads its synchronisations
   * over the pass's layers (one copy must end before a later layer commits), so a pass ends
   * when both its compute and its copy have: the next pass waits for the copy. The copy
   * shares the accelerator's host link and the host's memory with everything else that uses
   * them. [] without offloading.
   */
  private offload(id: string, direction: 'd2h' | 'h2d', after: readonly string[]): string[] {
    const bytes = this.step.offloadBytes * this.part;
    if (bytes <= 0) return [];
    const name = `${id}.${direction === 'd2h' ? 'offload' : 'reload'}`;
    this.on({ id: name, type: 'memcpy', direction, bytes, stream: direction === 'd2h' ? 'offload' : 'reload', after: [...after] });
    return [this.q(name)];
  }

  /** What a pass `id` waits for: its receive from `peer` (if `receives`), its ZeRO-3 gather, the previous overlapped TP tail. */
  private inputs(id: string, receives: boolean, peer: number, grads: boolean): string[] {
    const after: string[] = [];
    if (receives) this.p2p(`${id}.recv`, 'recv', peer, grads), after.push(this.q(`${id}.recv`));
    if (this.step.plan.zero === 3) after.push(...this.perReplica(`${id}.zero`, 'all_gather', (b, share) => b * share, { stream: 'zero', ...this.prefetchAfter() }));
    after.push(...this.pending);
    return after;
  }

  /** The backward compute of `id` after `after`, in buckets when `bucketed`, each followed by its gradient reduction; the last op's id. */
  private backwardCompute(id: string, pass: Pass, after: string[], bucketed: boolean): string {
    const { plan } = this.step;
    const v = plan.vpp;
    const parts = bucketed ? plan.buckets : 1;
    const factor = plan.recompute ? 3 : 2;
    const launches = this.kernels().map((k) => (factor * k) / parts) as [number, number];
    let prev = '';
    for (let k = 0; k < parts; k++) {
      const part = parts > 1 ? `${id}.${k}` : id;
      prev = this.compute(part, pass.backward, 1 / parts, launches, k === 0 ? after : [this.q(prev)]);
      if (bucketed) {
        // this bucket of the chunk's gradients: reduce-scatter under ZeRO (sharded optimizer), else all-reduce
        this.reductions.push(...this.perReplica(`${part}.grads`, plan.zero >= 1 ? 'reduce_scatter' : 'all_reduce', (b, share) => (b * share * this.step.gradScale) / parts, { stream: 'dp', after: [this.q(prev)] }));
      }
    }
    return prev;
  }

  /** ZeRO-3 gathers a pass's parameters while the previous pass computes (one pass of prefetch). */
  private prefetchAfter(): { after?: string[] } {
    const c = this.computes;
    return c.length >= 2 ? { after: [this.q(c[c.length - 2])] } : {};
  }

  /** The pending overlapped all-to-all's id (none without a2aOverlap), cleared. */
  private takeA2a(): string[] {
    const a = this.a2a;
    this.a2a = [];
    return a;
  }

  /** A send or receive of activations (or, with `grads`, their gradients) with the stage `peer` away. */
  private p2p(id: string, type: 'send' | 'recv', peer: number, grads: boolean, after?: string[]): void {
    const { plan, act, groups } = this.step;
    this.on({ id, type, peer, wrap: plan.vpp > 1, tag: grads ? 1 : 0, bytes: act, group: groups.pp, ...(after ? { after } : {}) });
  }

  /** One collective per replica group, of `part(the group's bytes, the current chunk's share of them)`, each with its own copy of `after`; their ids. Expert replicas take the chunk's share of the layers with experts. */
  private perReplica(id: string, op: string, part: (bytes: number, share: number) => number, rest: { stream: string; after?: string[] }): string[] {
    return this.step.replicas.map((r) => {
      this.on({ id: `${id}${r.suffix}`, type: 'collective', op, bytes: part(r.bytes, r.suffix === '.experts' ? this.moePart : this.part), slices: COARSE, group: r.group, ...rest, ...(rest.after ? { after: [...rest.after] } : {}) }, true);
      return this.q(`${id}${r.suffix}`);
    });
  }

  /** The TP collectives of `bytes` per layer pair (AG + RS with SP, else an all-reduce) on `stream` after `after`; the last one's id. */
  private tpCollectives(id: string, bytes: number, stream: string, after: string[]): string {
    const tp = this.step.groups.tp;
    if (this.step.plan.sequenceParallel) {
      // per layer two all-gathers and two reduce-scatters of the full t·h activation: the volume of two all-reduces
      this.on({ id: `${id}.ag`, type: 'collective', op: 'all_gather', bytes, slices: COARSE, group: tp, stream, after });
      this.on({ id: `${id}.rs`, type: 'collective', op: 'reduce_scatter', bytes, slices: COARSE, group: tp, stream, after: [this.q(`${id}.ag`)] });
      return `${id}.rs`;
    }
    this.on({ id: `${id}.ar`, type: 'collective', op: 'all_reduce', bytes, slices: COARSE, group: tp, stream, after });
    return `${id}.ar`;
  }

  /** TP bytes of a chunk's phase; `passes`: 1 for a forward, 2 for a backward under full recomputation. */
  private tpVolume(passes: number): number {
    return passes * this.step.tpBytes * this.part;
  }

  /**
   * The exposed head of an overlapped phase (ids the compute waits for). With tpOverlap the GEMMs
   * overlap their TP communication in tp chunks (Megatron/Transformer Engine userbuffers): the
   * first chunk, a tp-th, goes before the phase's compute; the rest runs on its own stream
   * alongside it. Without, the whole volume follows the compute.
   */
  private tpHead(id: string, after: readonly string[], passes: number): string[] {
    return this.step.overlapped ? [this.q(this.tpCollectives(`${id}.head`, this.tpVolume(passes) / this.step.plan.tp, 'compute', [...after]))] : [];
  }

  /** The phase's TP and EP communication after its compute `last`; the ids its successors wait for. */
  private comm(id: string, last: string, head: string[], passes = 1): string[] {
    const { plan, overlapped, a2aBytes, groups } = this.step;
    const { tp, ep } = plan;
    let done = [this.q(last)];
    if (tp > 1) {
      const tail = overlapped ? this.tpCollectives(id, (this.tpVolume(passes) * (tp - 1)) / tp, 'tp', head) : this.tpCollectives(id, this.tpVolume(passes), 'compute', done);
      done = overlapped ? [...done, this.q(tail)] : [this.q(tail)];
    }
    if (ep > 1 && a2aBytes > 0) {
      // overlapped (a2aOverlap): on its own stream beside the next pass's compute; only this pass's send waits for it
      const overlap = plan.a2aOverlap;
      this.on({ id: `${id}.a2a`, type: 'collective', op: 'alltoall', bytes: passes * a2aBytes * this.moePart, group: groups.ep, stream: overlap ? 'ep' : 'compute', after: done });
      if (overlap) this.a2a = [this.q(`${id}.a2a`)];
      else done = [this.q(`${id}.a2a`)];
    }
    return done;
  }

  /** The optimizer step on this rank's shard (Adam reads and writes weights, gradients and states), then ZeRO-1/2's parameter gathers. */
  /** ZeRO-1/2 keep the updated parameters sharded: they are gathered before the forward passes use them (distributed optimizer). */
  private sharded(): boolean {
    const { plan, replicas } = this.step;
    return (plan.zero === 1 || plan.zero === 2) && replicas.length > 0;
  }

  /**
   * ZeRO-1/2 (Megatron's distributed optimizer with overlapped parameter gathers): the updated
   * parameter shards are all-gathered at the start of the step in `buckets` pieces on stream
   * `params`, after the previous step's optimizer (which runs on that stream); the first
   * forward's math waits for the first piece, its memory-bound tail for all of them, so the
   * rest overlaps the first forward's GEMMs.
   */
  private paramGathers(): void {
    if (!this.sharded()) return;
    const k = this.step.plan.buckets;
    for (let i = 0; i < k; i++) this.gathers.push(this.perReplica(`params.${i}`, 'all_gather', (b) => b / k, { stream: 'params' }));
  }

  /** What the step's first forward waits for, before its math and before its memory-bound tail (then nothing more). */
  private gathersFor(): [string[], string[]] {
    const g = this.gathers;
    this.gathers = [];
    return g.length ? [g[0], g.slice(1).flat()] : [[], []];
  }

  /** The optimizer step on this rank's shard (Adam reads and writes weights, gradients and states). */
  private optimizer(): void {
    const { plan, optimizer, replicas } = this.step;
    const last = this.q(this.lastOp);
    // under ZeRO-3 the optimizer runs on the gathers' stream, ZeRO-1/2 on the parameter gathers'
    // one: the next step's gathers fetch updated weights
    const stream = plan.zero === 3 && replicas.length ? { stream: 'zero' } : this.sharded() ? { stream: 'params' } : {};
    this.on({ id: 'optimizer', type: 'compute', flops: optimizer.flops, bytes: optimizer.bytes, class: 'elementwise', kernels: 4, ...stream, after: [...this.reductions, last, ...this.pending.filter((x) => x !== last)] });
  }

}
