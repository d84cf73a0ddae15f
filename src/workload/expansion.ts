// The state of one workload's expansion into an operation graph, shared by the op expanders
// (workload/ops/): the graph and timeline being written, the collectives placed, each op's
// graph op per rank in this and the last few iterations (what `after` and the input prefetch
// refer to), the ranks' host threads, kernel launches and streams (host/), and send/recv
// matching. The expansion walks iteration by iteration and, within one, op by op in program
// order: `beginIteration`, `beginOp` for each op (the current op: `i`, `op`), `endIteration`.
import type { Algorithm, CollectiveOp } from '../collective/index.js';
import { TransferDag } from '../graph/index.js';
import { HostThreads } from '../host/host-thread.js';
import { KernelLaunches } from '../host/kernel-launches.js';
import { Streams, type Stream } from '../host/streams.js';
import type { Topology } from '../topology/graph.js';
import type { OpPlan } from './op-plan.js';
import type { RankHost } from '../host/rank-hosts.js';
import { SendRecvMatching } from './send-recv-matching.js';
import type { RankOverride, WorkloadOp, WorkloadSpec } from './spec.js';
import { CAT_HOST, CAT_HOST_WAIT, Timeline } from './timeline.js';

/**
 * Picks an algorithm for `op` of `bytes` over the accelerators `nodes`, pipelined in `slices`
 * (`algo: auto`); `fresh`: for exactly this group, when the choice made for a group of the same
 * shape does not apply to it.
 */
export type AlgorithmChoice = (op: CollectiveOp, bytes: number, nodes: Int32Array, slices: number, fresh?: boolean) => Algorithm;

/** A collective instance (one per group and iteration): its start gate and its end, the op it came from and its algorithm. */
export interface CollectiveInstance {
  ready: number;
  done: number;
  firstOp: number;
  lastOp: number;
  op: number;
  algorithm: Algorithm;
}

/** The timeline track of a rank's host thread. */
export const HOST_THREAD_TRACK = 'host thread';

/** Expands the current op on one rank, given the rank's override and bytes. */
export type RankExpander = (x: Expansion, r: number, override: RankOverride | undefined, bytes: number) => void;

export class Expansion {
  readonly dag = new TransferDag();
  readonly timeline = new Timeline();
  readonly collectives: CollectiveInstance[] = [];
  readonly n: number;
  readonly thread: HostThreads;
  private readonly launches: KernelLaunches;
  private readonly streams: Streams;
  /** Per iteration kept (the last maxPrefetch + 2), per op: its graph op on each rank (−1: none). */
  private readonly history: Int32Array[][] = [];
  matching = new SendRecvMatching();
  /** The current iteration, op index and op. */
  it = -1;
  i = -1;
  op!: WorkloadOp;
  private opOf: Int32Array[] = [];
  private stream!: Stream;

  constructor(
    readonly spec: WorkloadSpec,
    readonly topo: Topology,
    /** Accelerator node of each rank. */
    readonly accs: Int32Array,
    readonly hosts: readonly RankHost[],
    readonly plan: OpPlan,
    readonly choose: AlgorithmChoice,
  ) {
    this.n = accs.length;
    const onTask = (r: number, id: number, op: number, it: number) => this.timeline.add(r, HOST_THREAD_TRACK, CAT_HOST, op, it, id, false, id);
    this.thread = new HostThreads(this.dag, hosts.map((h) => h.cpu), onTask);
    this.launches = new KernelLaunches(this.thread, spec.launchSec, spec.graph);
    this.streams = new Streams(this.n);
  }

  beginIteration(it: number): void {
    this.it = it;
    this.opOf = this.spec.ops.map(() => new Int32Array(this.n).fill(-1));
    this.history.push(this.opOf);
    if (this.history.length > this.plan.maxPrefetch + 2) this.history.shift();
    this.launches.beginIteration(this.n, it);
    this.matching = new SendRecvMatching();
  }

  beginOp(i: number): void {
    this.i = i;
    this.op = this.spec.ops[i];
    this.stream = this.streams.of(this.op.stream);
  }

  endIteration(): void {
    this.matching.checkAllMatched(this.it, this.plan.paths);
  }

  /** The current op's path in the workload, for errors. */
  get path(): string {
    return this.plan.paths[this.i];
  }

  /** Per op, the graph op of each rank `back` iterations ago (0: this one). */
  past(back: number): Int32Array[] {
    return this.history[this.history.length - 1 - back];
  }

  /** Runs `expand` on every rank the current op runs on; skips the others. */
  eachRank(expand: RankExpander): void {
    const runsOn = this.plan.runsOn[this.i];
    const overrides = this.plan.overrides[this.i];
    for (let r = 0; r < this.n; r++) {
      if (runsOn && !runsOn.has(r)) {
        this.skip(r);
        continue;
      }
      const o = overrides.get(r);
      expand(this, r, o, o?.bytes ?? this.op.bytes);
    }
  }

  /** The graph ops (≥ 0) that the current op waits for on rank r (its `after`, this iteration). */
  afterOf(r: number): number[] {
    const out: number[] = [];
    for (const a of this.plan.after[this.i]) {
      const d = this.opOf[a][r];
      if (d >= 0) out.push(d);
    }
    return out;
  }

  /** What the current op waits for on rank r: the previous op on its stream, then its `after`. */
  depsOf(r: number): number[] {
    return [this.stream.last(r), ...this.afterOf(r)];
  }

  /** The launch of the current op's kernels on rank r (may add it to the host thread first; −1: free). */
  launch(r: number): number {
    return this.launches.launch(r, this.op.kernels, this.it);
  }

  /** What a kernel of the current op waits for on rank r: its dependencies, then its launch. */
  kernelDeps(r: number): number[] {
    return [...this.depsOf(r), this.launch(r)];
  }

  /** Host work of the current op on rank r's host thread, after `deps`. */
  hostTask(r: number, coreSeconds: number, deps: readonly number[]): number {
    return this.thread.run(r, coreSeconds, deps, this.i, this.it);
  }

  /** The current op does not run on rank r: it passes its dependencies on. */
  skip(r: number): void {
    const a = this.afterOf(r);
    this.opOf[this.i][r] = a.length === 0 ? -1 : a.length === 1 ? a[0] : this.dag.delay(r, 0, a);
  }

  /** The current op ends with graph op `id` on rank r (host work: no launch). */
  done(r: number, id: number): void {
    this.opOf[this.i][r] = id;
    this.stream.append(r, id);
  }

  /** The current op's kernel ends with `id` on rank r; the time its host thread held it back counts as such. */
  kernelDone(r: number, id: number): void {
    this.done(r, id);
    this.interval(r, CAT_HOST_WAIT, id, HOST_THREAD_TRACK);
  }

  /** A timeline interval of the current op on rank r: graph op `id` from start to finish. */
  interval(r: number, category: number, id: number, track = this.op.stream): void {
    this.timeline.add(r, track, category, this.i, this.it, id, false, id);
  }

  /** A timeline interval of the current op on rank r, on its stream: from `begin`'s finish to `end`'s. */
  span(r: number, category: number, begin: number, end: number): void {
    this.timeline.add(r, this.op.stream, category, this.i, this.it, begin, true, end);
  }
}
