// One pipeline stage's operations in a training step (transformer.ts): its schedule of forward
// and backward passes becomes compute ops with, around each, the receive and send of the
// activations (or their gradients) from the neighbouring stage, ZeRO-3 parameter gathers, the
// TP and EP collectives of the pass's layers and, on the step's last backward, the gradient
// reductions per bucket; then the optimizer step on this rank's shard.
//
// Op ids are prefixed `s<stage>.`; an op lists the ids it waits for in `after`. A pass's
// dependencies: its receive, its parameter gather, and the previous pass's overlapped TP tail.
import type { TrainingPlan } from './transformer.js';

/** Kernels per layer per forward pass (norms, QKV, rotary, attention, projections, FFN GEMMs, activation, residuals); backward launches twice as many. */
const KERNELS_PER_LAYER = 14;
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

/** Per-rank quantities of one training step, the same on every pipeline stage. */
export interface TrainingStep {
  readonly plan: TrainingPlan;
  /** Layers per pipeline stage. */
  readonly perStage: number;
  /** Forward FLOPs per rank of the stage's GEMMs and attention (all chunks), and of the LM head. */
  readonly fwdGemm: number;
  readonly fwdAttn: number;
  readonly lmHead: number;
  /** The efficiency of `g` GEMM and `a` attention FLOPs run back to back (mixed by time). */
  readonly mixed: (g: number, a: number) => number;
  /** HBM bytes of `phases` passes over the stage (all chunks). */
  readonly hbm: (phases: number) => number;
  /** Bytes of one point-to-point activation transfer. */
  readonly act: number;
  /** TP bytes per forward pass over the stage, and EP all-to-all bytes (0 for a dense model). */
  readonly tpBytes: number;
  readonly a2aBytes: number;
  readonly groups: { readonly tp: RankGroup; readonly ep: RankGroup; readonly pp: RankGroup };
  readonly replicas: readonly ReplicaGroup[];
  /** TP communication overlapped with the GEMMs (tpOverlap with tp > 1). */
  readonly overlapped: boolean;
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
  readonly fwdFlops: number;
  readonly fwdEff: number;
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

  constructor(
    private readonly step: TrainingStep,
    private readonly stage: number,
    private readonly ops: Op[],
  ) {}

  /** The ops of `schedule` (pipelineSchedule's order), then the optimizer step. */
  emit(schedule: readonly ScheduledPass[]): void {
    const { dp, zero } = this.step.plan;
    const lastBackward = schedule.map(([phase]) => phase).lastIndexOf('B');
    schedule.forEach(([phase, j, c], index) => {
      const pass = this.pass(j, c);
      if (phase === 'F') this.forward(pass);
      // the step's last backward is split into buckets, each reduced while the next computes
      else this.backward(pass, index === lastBackward && (dp > 1 || zero > 0));
    });
    this.optimizer();
  }

  private on(op: Op): void {
    const { pp, tp, dp } = this.step.plan;
    const ranks = `${this.stage * tp * dp}-${(this.stage + 1) * tp * dp - 1}`;
    this.ops.push({ ...op, id: this.q(op.id as string), ...(pp > 1 ? { ranks } : {}) });
  }

  /** The full id of this stage's op `id`. */
  private q(id: string): string {
    return `s${this.stage}.${id}`;
  }

  /** Chunk c of this device is virtual stage c·pp + stage; the first and last virtual stages have no predecessor / successor. */
  private pass(j: number, c: number): Pass {
    const { plan, lmHead, fwdGemm, fwdAttn } = this.step;
    const v = plan.vpp;
    const lastVirtual = this.stage === plan.pp - 1 && c === v - 1;
    const head = lastVirtual ? lmHead : 0;
    return {
      tag: (x: string) => `${x}${j}${v > 1 ? `.c${c}` : ''}`,
      firstVirtual: this.stage === 0 && c === 0,
      lastVirtual,
      fwdFlops: (fwdGemm + fwdAttn) / v + head,
      fwdEff: this.step.mixed(fwdGemm / v + head, fwdAttn / v),
    };
  }

  /** Kernels of one forward pass over a chunk. */
  private kernels(): number {
    return (this.step.perStage / this.step.plan.vpp) * KERNELS_PER_LAYER;
  }

  private forward(pass: Pass): void {
    const { plan, hbm, overlapped } = this.step;
    const id = pass.tag('f');
    const after = this.inputs(id, !pass.firstVirtual, -1, false);
    const tpFirst = this.tpHead(id, after, 1);
    this.on({ id, type: 'compute', flops: pass.fwdFlops, bytes: hbm(1) / plan.vpp, efficiency: +pass.fwdEff.toFixed(6), kernels: this.kernels(), after: [...after, ...tpFirst] });
    this.computes.push(id);
    const done = this.comm(id, id, tpFirst);
    this.pending = overlapped ? done : [];
    if (!pass.lastVirtual) this.p2p(`${id}.send`, 'send', 1, false, done);
    this.lastOp = id;
  }

  private backward(pass: Pass, bucketed: boolean): void {
    const { plan, overlapped } = this.step;
    const id = pass.tag('b');
    const after = this.inputs(id, !pass.lastVirtual, 1, true);
    // a backward under full recomputation also redoes the forward's collectives
    const passes = plan.recompute ? 2 : 1;
    const tpFirst = this.tpHead(id, after, passes);
    after.push(...tpFirst);
    const last = this.backwardCompute(id, pass, after, bucketed);
    this.computes.push(last);
    // ZeRO-2/3 keep only a shard of the gradients: every backward's are reduce-scattered as it ends
    if (plan.zero >= 2 && !bucketed) this.reductions.push(...this.perReplica(`${id}.grads`, 'reduce_scatter', (b) => b / plan.vpp, { stream: 'dp', after: [this.q(last)] }));
    const done = this.comm(id, last, tpFirst, passes);
    this.pending = overlapped ? done : [];
    if (!pass.firstVirtual) this.p2p(`${id}.send`, 'send', -1, true, done);
    this.lastOp = last;
  }

  /** What a pass `id` waits for: its receive from `peer` (if `receives`), its ZeRO-3 gather, the previous overlapped TP tail. */
  private inputs(id: string, receives: boolean, peer: number, grads: boolean): string[] {
    const after: string[] = [];
    if (receives) this.p2p(`${id}.recv`, 'recv', peer, grads), after.push(this.q(`${id}.recv`));
    if (this.step.plan.zero === 3) after.push(...this.perReplica(`${id}.zero`, 'all_gather', (b) => b / this.step.plan.vpp, { stream: 'zero', ...this.prefetchAfter() }));
    after.push(...this.pending);
    return after;
  }

  /** The backward compute of `id` after `after`, in buckets when `bucketed`, each followed by its gradient reduction; the last part's id. */
  private backwardCompute(id: string, pass: Pass, after: string[], bucketed: boolean): string {
    const { plan, hbm } = this.step;
    const v = plan.vpp;
    const factor = plan.recompute ? 3 : 2;
    const flops = factor * pass.fwdFlops;
    const parts = bucketed ? plan.buckets : 1;
    let prev = '';
    for (let k = 0; k < parts; k++) {
      const part = parts > 1 ? `${id}.${k}` : id;
      this.on({ id: part, type: 'compute', flops: flops / parts, bytes: hbm(factor) / v / parts, efficiency: +pass.fwdEff.toFixed(6), kernels: Math.max(1, Math.round((factor * this.kernels()) / parts)), after: k === 0 ? after : [this.q(prev)] });
      prev = part;
      if (bucketed) {
        // this bucket's gradients: reduce-scatter under ZeRO (sharded optimizer), else all-reduce
        // ZeRO-2/3 reduce every backward's own gradients (a chunk's, with vpp); ZeRO-0/1 the whole step's here
        this.reductions.push(...this.perReplica(`${part}.grads`, plan.zero >= 1 ? 'reduce_scatter' : 'all_reduce', (b) => (plan.zero >= 2 ? b / v : b) / parts, { stream: 'dp', after: [this.q(part)] }));
      }
    }
    return prev;
  }

  /** ZeRO-3 gathers a pass's parameters while the previous pass computes (one pass of prefetch). */
  private prefetchAfter(): { after?: string[] } {
    const c = this.computes;
    return c.length >= 2 ? { after: [this.q(c[c.length - 2])] } : {};
  }

  /** A send or receive of activations (or, with `grads`, their gradients) with the stage `peer` away. */
  private p2p(id: string, type: 'send' | 'recv', peer: number, grads: boolean, after?: string[]): void {
    const { plan, act, groups } = this.step;
    this.on({ id, type, peer, wrap: plan.vpp > 1, tag: grads ? 1 : 0, bytes: act, group: groups.pp, ...(after ? { after } : {}) });
  }

  /** One collective per replica group, of `part(the group's gradient bytes)`, each with its own copy of `after`; their ids. */
  private perReplica(id: string, op: string, part: (bytes: number) => number, rest: { stream: string; after?: string[] }): string[] {
    return this.step.replicas.map((r) => {
      this.on({ id: `${id}${r.suffix}`, type: 'collective', op, bytes: part(r.bytes), slices: COARSE, group: r.group, ...rest, ...(rest.after ? { after: [...rest.after] } : {}) });
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
    return (passes * this.step.tpBytes) / this.step.plan.vpp;
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
      this.on({ id: `${id}.a2a`, type: 'collective', op: 'alltoall', bytes: (passes * a2aBytes) / plan.vpp, group: groups.ep, stream: 'compute', after: done });
      done = [this.q(`${id}.a2a`)];
    }
    return done;
  }

  /** The optimizer step on this rank's shard (Adam reads and writes weights, gradients and states), then ZeRO-1/2's parameter gathers. */
  private optimizer(): void {
    const { plan, optimizer, replicas } = this.step;
    const last = this.q(this.lastOp);
    // under ZeRO-3 the optimizer runs on the gathers' stream too, so the next step's gathers fetch updated weights
    this.on({ id: 'optimizer', type: 'compute', flops: optimizer.flops, bytes: optimizer.bytes, class: 'elementwise', kernels: 4, ...(plan.zero === 3 && replicas.length ? { stream: 'zero' } : {}), after: [...this.reductions, last, ...this.pending.filter((x) => x !== last)] });
    // ZeRO-1/2: the updated parameter shards are gathered after the step, before the next one's
    // forward (on the compute stream); ZeRO-3 gathers them per pass instead
    if (plan.zero === 1 || plan.zero === 2) this.perReplica('params', 'all_gather', (b) => b, { stream: 'compute', after: [this.q('optimizer')] });
  }
}
