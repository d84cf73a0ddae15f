// A serving deployment simulated request by request: the load's arrivals, a router that gives
// each request to an instance, and on every instance its continuous-batching scheduler as a
// process that forms a batch, holds the GPUs for the step's cost and applies it. Disaggregated:
// a prefill instance runs the prompt and samples the first token, then the request's KV cache
// moves to a decode instance as transfers between their ranks over the topology's routes
// (engine activities on its links, sharing them max-min with every other transfer), and the
// decode instance admits it with its context cached. All of it runs on one Simulation
// (sim/process.ts), so one clock orders every step, arrival and transfer.
import { SeededRandom } from '../../core/random.js';
import { createEngine, type EngineKind } from '../../engine/index.js';
import { KERNEL_BOUNDARY_SEC } from '../../hardware/kernel-boundary.js';
import { hostLaunchSec, kvBytesPerToken, stepCost } from '../../workload/serving/forward-cost.js';
import { dataParallelStepCost } from '../../workload/serving/data-parallel-cost.js';
import { draftSec } from '../../workload/serving/speculative.js';
import { dataParallel, type InstanceShape } from '../../workload/serving/instance-shape.js';
import { SAMPLING_KERNELS } from '../../workload/serving/layer-cost.js';
import type { KvCapacity } from '../../workload/serving/kv-capacity.js';
import type { LengthSpec, LoadSpec, RequestSpec, ServeSpec } from '../../workload/serving/serve-spec.js';
import { communicatorOf } from '../../collective/communicator.js';
import { buildCollective, DEFAULT_COLLECTIVE_OPTIONS } from '../../collective/index.js';
import { ncclPlan, ncclRuns } from '../../collective/nccl-plan.js';
import type { Topology } from '../../topology/graph.js';
import { NetworkResources } from '../../topology/network-resources.js';
import type { Router } from '../../topology/routing/router.js';
import { Processes, SimEvent, type Process } from '../process.js';
import { Simulation } from '../simulation.js';
import { batchSums, BatchScheduler, type Sequence } from './batch-scheduler.js';
import { RankSchedulers } from './rank-schedulers.js';
import { KvHandoff } from './kv-handoff.js';
import { ResourceMonitor } from '../resource-monitor.js';
import type { ResourceName } from '../workload-run.js';

export type InstanceRole = 'both' | 'prefill' | 'decode';

export interface ServingInstance {
  readonly shape: InstanceShape;
  readonly capacity: KvCapacity;
  /** Default 'both'. */
  readonly role?: InstanceRole;
  /** Topology node of each rank (needed for KV transfers). */
  readonly nodes?: readonly number[];
  /**
   * Swap preemption: the KV blocks the instance's host swap space holds, the rate of one rank's
   * path to host memory (bytes/s), and the ranks that swap side by side (data-parallel attention:
   * tp, each with a tp-th of the blocks and its own path; otherwise 1).
   */
  readonly swap?: { readonly blocks: number; readonly bytesPerSec: number; readonly ranks?: number };
  /** The most blocks one sequence may hold (default: the whole cache; data-parallel attention: one rank's). */
  readonly sequenceBlocks?: number;
}

/** The fabric KV transfers run on. */
export interface ServingFabric {
  readonly topo: Topology;
  readonly router: Router;
  /** Bytes of one token's KV cache over all layers and heads (the whole model's, not a rank's share). */
  readonly kvBytesPerToken: number;
}

export interface InstanceStats {
  readonly steps: number;
  readonly busySec: number;
  /** Time-weighted mean share of the KV blocks in use while busy, and the largest share. */
  readonly meanKvUse: number;
  readonly peakKvUse: number;
  readonly meanBatchTokens: number;
  readonly meanBatchSequences: number;
  readonly preemptions: number;
  /** Preemptions that swapped the KV cache to host memory, the blocks copied out and back, and the seconds steps spent copying them. */
  readonly swapOuts: number;
  readonly swapBlocks: number;
  readonly swapSec: number;
  /** Prompt tokens found in the prefix cache at admission (not computed). */
  readonly prefixHitTokens: number;
  readonly kvBlocks: number;
}

export interface ServingRun {
  readonly requests: readonly Sequence[];
  /** Requests refused because their prompt alone does not fit an instance's KV cache. */
  readonly rejected: readonly Sequence[];
  readonly instanceOf: Int32Array;
  readonly instances: readonly InstanceStats[];
  readonly makespanSec: number;
  /** When the last request arrived. */
  readonly lastArrivalSec: number;
  /** Requests waiting for admission (all instances) when half had arrived and when the last did. */
  readonly waitingAtHalf: number;
  readonly waitingAtEnd: number;
  readonly steps: number;
  /** Disaggregated: KV transfers (one per request that decodes), their bytes and seconds. */
  readonly kvTransfers: { readonly count: number; readonly bytes: number; readonly meanSec: number; readonly maxSec: number };
  /** With `record`: the steps and transfers. */
  readonly timeline?: ServingTimeline;
  /** The background collectives: how many ran, and their mean and largest time (s). */
  readonly background: { readonly runs: number; readonly meanSec: number; readonly maxSec: number };
  /** With a fabric (disaggregated, background traffic): its links as watched during the run, for stress points. */
  readonly fabricUse?: { readonly monitor: ResourceMonitor; readonly resources: ReadonlyMap<number, ResourceName> };
}

/** What `ServingOptions.record` keeps for a trace or a report: every step of every instance (with the share of its KV blocks in use) and every KV transfer. */
export interface ServingTimeline {
  /** Per step: instance, start and end (s), new tokens and sequences, in order. */
  /** Pipelined instances: `stageEndSec` is when the batch left the first stage (batches overlap in the later ones; endSec is when it left the last). */
  readonly steps: { instance: number; startSec: number; endSec: number; tokens: number; sequences: number; kvUse: number; stageEndSec?: number }[];
  readonly transfers: { request: number; from: number; to: number; startSec: number; endSec: number; bytes: number }[];
}

export interface ServingOptions {
  readonly engine?: EngineKind;
  /** Keep every step and KV transfer for a trace (memory grows with the steps). */
  readonly record?: boolean;
  /** Check the scheduler's invariants after every step (tests). */
  readonly check?: boolean;
  readonly onProgress?: (done: number, total: number) => void;
}

/** A length drawn from `l`. */
function draw(l: LengthSpec, rng: SeededRandom): number {
  if ('fixed' in l) return l.fixed;
  const [lo, hi] = l.uniform;
  return lo + Math.floor(rng.next() * (hi - lo + 1));
}

/** Each request's shared-prefix group in request order (uniform over load.prefixes' groups from its seed), or −1 for all without prefixes. */
function prefixGroups(spec: ServeSpec): () => number {
  const p = spec.prefixes;
  if (!p) return () => -1;
  const rng = new SeededRandom(p.seed);
  return () => Math.floor(rng.next() * p.groups);
}

/**
 * A Poisson gap (exponential, from the uniform draw `u`), or with burstiness b ≠ 1 a gamma gap
 * of shape b at the same mean, drawn by a generator seeded from `u`: every request takes one
 * draw of the load's generator either way, so its lengths do not change with the burstiness.
 */
function gap(rate: number, burstiness: number, u: number): number {
  if (burstiness === 1) return -Math.log(1 - u) / rate;
  return new SeededRandom(Math.floor(u * 4294967296)).gamma(burstiness, 1 / rate);
}

/** The open-loop requests of a load (Poisson or trace); a closed loop's lengths with arrival 0. */
export function loadRequests(load: LoadSpec): RequestSpec[] {
  if (load.kind === 'trace') return [...load.requests];
  const rng = new SeededRandom(load.seed);
  const out: RequestSpec[] = [];
  let t = 0;
  for (let i = 0; i < load.requests; i++) {
    if (load.kind === 'poisson') t += gap(load.rate, load.burstiness ?? 1, rng.next());
    out.push({ arrivalSec: load.kind === 'poisson' ? t : 0, input: draw(load.input, rng), output: draw(load.output, rng) });
  }
  return out;
}

interface InstanceState {
  /** One scheduler, or under data-parallel attention (no pipeline) one a rank. */
  readonly sched: BatchScheduler | RankSchedulers;
  readonly shape: InstanceShape;
  readonly role: InstanceRole;
  readonly nodes: readonly number[];
  /** Seconds to copy one KV block of a rank between GPU and host memory (0 without swap), and the ranks copying side by side. */
  readonly swapSecPerBlock: number;
  readonly swapRanks: number;
  wake: SimEvent | null;
  steps: number;
  busySec: number;
  kvTime: number;
  peakKv: number;
  tokens: number;
  sequences: number;
  swapSec: number;
  swapBlocks: number;
}

/** An instance's scheduler: one a rank under data-parallel attention without a pipeline (rank-schedulers.ts), else one. */
function schedulerOf(spec: ServeSpec, inst: ServingInstance): BatchScheduler | RankSchedulers {
  const hostBlocks = inst.swap?.blocks ?? 0;
  const prefixTokens = spec.prefixes?.tokens ?? 0;
  const layout = inst.capacity.layout;
  if (dataParallel(inst.shape) && (inst.shape.pp ?? 1) <= 1) return new RankSchedulers(spec.scheduler, inst.shape.tp, inst.capacity.blocks, hostBlocks, prefixTokens, layout);
  return new BatchScheduler(spec.scheduler, inst.capacity.blocks, hostBlocks, prefixTokens, inst.sequenceBlocks ?? inst.capacity.blocks, hostBlocks / (inst.swap?.ranks ?? 1), layout);
}

export function runServing(spec: ServeSpec, instances: readonly ServingInstance[], o: ServingOptions = {}, fabric?: ServingFabric): ServingRun {
  return new DeploymentRun(spec, instances, o, fabric).run();
}

/** One run of a deployment: its instances' processes, the load's, the router and the KV hand-offs. */
class DeploymentRun {
  private readonly p: Processes;
  private readonly net?: NetworkResources;
  private readonly seqs: Sequence[];
  private readonly doneOf: SimEvent[];
  private readonly instanceOf: Int32Array;
  private readonly state: InstanceState[];
  private readonly entry: InstanceState[];
  private readonly decoders: InstanceState[];
  /** A prefill instance's own sequence → the request it stands for. */
  private readonly prefillOf = new Map<Sequence, Sequence>();
  private readonly kv?: KvHandoff;
  private readonly monitor?: ResourceMonitor;
  private readonly rejected: Sequence[] = [];
  private readonly timeline?: ServingTimeline;
  private readonly background = { runs: 0, sumSec: 0, maxSec: 0 };
  private finished = 0;
  private rr = 0;
  private arrived = 0;
  private waitingAtHalf = 0;
  private waitingAtEnd = 0;

  constructor(
    private readonly spec: ServeSpec,
    instances: readonly ServingInstance[],
    private readonly o: ServingOptions,
    private readonly fabric?: ServingFabric,
  ) {
    const engine = createEngine(o.engine ?? 'wasm');
    // the fabric's links watched while KV transfers and background traffic cross them
    const monitor = fabric ? new ResourceMonitor(engine, { log: false }) : undefined;
    const sim = new Simulation(engine, monitor, 'serving', 'steps');
    if (monitor) {
      monitor.sample(0);
      sim.onInstant(() => monitor.sample(sim.now));
    }
    this.monitor = monitor;
    this.p = new Processes(sim);
    this.net = fabric ? new NetworkResources(engine, fabric.topo) : undefined;
    const groupOf = prefixGroups(spec);
    this.seqs = loadRequests(spec.load).map((r, id) => ({ id, arrivalSec: r.arrivalSec, prompt: r.input, output: r.output, generated: 0, cached: 0, blocks: 0, swapped: 0, group: groupOf(), admittedSec: -1, firstTokenSec: -1, finishedSec: -1, preemptions: 0 }));
    this.doneOf = this.seqs.map(() => new SimEvent());
    this.instanceOf = new Int32Array(this.seqs.length).fill(-1);
    this.state = instances.map((inst) => ({ sched: schedulerOf(spec, inst), shape: inst.shape, role: inst.role ?? 'both', nodes: inst.nodes ?? [], swapSecPerBlock: inst.swap ? inst.capacity.blockBytes / inst.swap.bytesPerSec : 0, swapRanks: inst.swap?.ranks ?? 1, wake: null, steps: 0, busySec: 0, kvTime: 0, peakKv: 0, tokens: 0, sequences: 0, swapSec: 0, swapBlocks: 0 }));
    this.entry = this.state.filter((st) => st.role !== 'decode');
    this.decoders = this.state.filter((st) => st.role === 'decode');
    if ((this.decoders.length > 0 || spec.background) && !this.net) throw new Error('serving: KV transfers and background traffic need the fabric');
    if (o.record) this.timeline = { steps: [], transfers: [] };
    if (fabric && this.net) this.kv = new KvHandoff(this.p, this.net, fabric.router, fabric.kvBytesPerToken, (request, from, to, startSec, endSec, bytes) => this.timeline?.transfers.push({ request, from: this.state.indexOf(from as InstanceState), to: this.state.indexOf(to as InstanceState), startSec, endSec, bytes }));
  }

  run(): ServingRun {
    const { p, spec, seqs } = this;
    for (const st of this.state) p.spawn(this.instance(st));
    if (spec.background) p.spawn(this.backgroundTraffic());
    if (spec.load.kind === 'concurrency') for (let c = 0; c < Math.min(spec.load.concurrency, seqs.length); c++) p.spawn(this.client(c, spec.load.concurrency));
    else p.spawn(this.openLoop());
    p.run();
    return this.result();
  }

  private waitingNow(): number {
    return this.state.reduce((a, s) => a + s.sched.waiting.length, 0);
  }

  private progress(): void {
    this.o.onProgress?.(this.finished + this.rejected.length, this.seqs.length);
  }

  /**
   * The instance of `pool` the router picks for `s`: the next in turn (round-robin), the least
   * outstanding tokens (least-loaded), or (kv-aware, as Dynamo's KV router with its default
   * overlap weight 1) the least prompt tokens `s` would compute there, less its group's cached
   * prefix, plus the outstanding tokens; decode pools pick the least loaded.
   */
  private pick(pool: InstanceState[], s: Sequence): InstanceState {
    let k = this.rr++ % pool.length;
    const policy = this.spec.router;
    if (policy === 'round-robin') return pool[k];
    const kv = policy === 'kv-aware' && pool[0].role !== 'decode';
    const cost = (st: InstanceState) => st.sched.outstandingTokens + (kv ? s.prompt - st.sched.cachedPrefix(s) : 0);
    let best = cost(pool[k]);
    for (let i = 0; i < pool.length; i++) {
      const c = cost(pool[i]);
      if (c < best) (k = i), (best = c);
    }
    return pool[k];
  }

  private give(st: InstanceState, s: Sequence): void {
    if (!st.sched.fits(s)) return this.refuse(this.prefillOf.get(s) ?? s);
    st.sched.enqueue(s);
    const w = st.wake;
    // a pipelined instance may wait on one event for an arrival or a landing: fire it once
    if (w) (st.wake = null), w.fired || w.fire();
  }

  private route(s: Sequence): void {
    const st = this.pick(this.entry, s);
    this.instanceOf[s.id] = this.state.indexOf(st);
    if (st.role === 'prefill' && s.output > 1) {
      // the prefill instance's own sequence ends with the first token
      const pre: Sequence = { ...s, output: 1 };
      this.prefillOf.set(pre, s);
      this.give(st, pre);
    } else this.give(st, s);
    if (++this.arrived === Math.ceil(this.seqs.length / 2)) this.waitingAtHalf = this.waitingNow();
    if (this.arrived === this.seqs.length) this.waitingAtEnd = this.waitingNow();
  }

  /** Layer-streamed KV: each request in a prefill step sends what the step computes as it goes (its decode instance picked on its first step). */
  private stream(st: InstanceState, batch: readonly { seq: Sequence; tokens: number }[], sec: number): void {
    for (const { seq, tokens } of batch) {
      const orig = this.prefillOf.get(seq);
      if (orig) this.kv!.stepStarted(orig.id, seq.cached, tokens, sec, st, () => this.pick(this.decoders, orig));
    }
  }

  /** A sequence of `st` finished: done, or (a prefill's) handed to a decode instance. */
  private stepDone(st: InstanceState, s: Sequence): void {
    const orig = this.prefillOf.get(s);
    if (orig === undefined) {
      this.finished++;
      this.progress();
      return this.doneOf[s.id].fire();
    }
    this.prefillOf.delete(s);
    orig.cached = orig.prompt;
    orig.generated = 1;
    orig.admittedSec = s.admittedSec;
    orig.firstTokenSec = s.firstTokenSec;
    orig.preemptions = s.preemptions;
    const kv = this.kv!;
    if (this.spec.disaggregated?.kvTransfer === 'layer') this.p.spawn(kv.prefillDone(orig.id, orig.prompt, (to) => this.give(to as InstanceState, orig)));
    else {
      const to = this.pick(this.decoders, orig);
      this.p.spawn(kv.whole(orig.id, orig.prompt, st, to, () => this.give(to, orig)));
    }
  }

  /** Refuses what the last step's forming found can never be admitted (a prompt larger than the KV cache with nothing running); whether it found any. */
  private rejectStuck(st: InstanceState): boolean {
    let any = false;
    for (let w = st.sched.takeStuck(); w; w = st.sched.takeStuck()) {
      this.refuse(this.prefillOf.get(w) ?? w);
      any = true;
    }
    return any;
  }

  /** A request that can never finish on its instance (its prompt and output exceed the KV cache): counted as rejected. */
  private refuse(s: Sequence): void {
    this.rejected.push(s);
    this.progress();
    this.doneOf[s.id].fire();
  }

  private *instance(st: InstanceState): Process {
    if ((st.shape.pp ?? 1) > 1) return yield* this.pipelinedInstance(st);
    const { sched } = st;
    const { p } = this;
    for (;;) {
      if (sched.load === 0) yield (st.wake = new SimEvent());
      const batch = sched.next(p.now);
      const refused = this.rejectStuck(st);
      if (batch.length === 0) {
        if (!refused) throw new Error('serving: a scheduler with running sequences formed an empty step');
        continue;
      }
      if (this.o.check) sched.check(batch);
      // blocks swapped out and in while forming the batch: each rank copies its share over its own path to host memory, the step waiting
      const swapSec = this.swapCopySec(st);
      const sums = batchSums(batch, sched.layout.windowTokens);
      const cost = sched instanceof RankSchedulers ? dataParallelStepCost(st.shape, sched.rankSums(batch)) : stepCost(st.shape, sums);
      const spec = this.spec.scheduler.speculative;
      const drafting = spec ? draftSec(st.shape, sums, spec) : 0;
      // the host launches the step beside the GPU's work: the longer of the two
      const sec = Math.max(cost.seconds + drafting, this.launchSec(st, batch, sums.sampled > 0)) + this.spec.scheduler.stepOverheadSec + swapSec;
      const use = sched.kv.used / Math.max(1, sched.kv.total);
      st.steps++;
      st.busySec += sec;
      st.kvTime += use * sec;
      st.peakKv = Math.max(st.peakKv, use);
      const tokens = batch.reduce((a, b) => a + b.tokens, 0);
      st.tokens += tokens;
      st.sequences += batch.length;
      this.timeline?.steps.push({ instance: this.state.indexOf(st), startSec: p.now, endSec: p.now + sec, tokens, sequences: batch.length, kvUse: use });
      if (st.role === 'prefill' && this.spec.disaggregated?.kvTransfer === 'layer') this.stream(st, batch, sec);
      yield p.timeout(sec);
      for (const s of sched.complete(batch, p.now)) this.stepDone(st, s);
    }
  }

  /**
   * A pipelined instance (pp stages): up to pp batches in flight, each passing the stages in turn
   * (a stage serves one batch at a time, in order), handing its hidden states on between stages;
   * the next batch is formed, from sequences not in flight, when the first stage frees.
   */
  private *pipelinedInstance(st: InstanceState): Process {
    const { sched, shape } = st;
    const { p } = this;
    const pp = shape.pp!;
    const stageFree = new Float64Array(pp);
    const flight = { count: 0, slot: null as SimEvent | null };
    for (;;) {
      if (sched.load === 0) yield (st.wake = new SimEvent());
      if (flight.count >= pp) {
        yield (flight.slot = new SimEvent());
        continue;
      }
      const batch = sched.next(p.now);
      if (this.rejectStuck(st) && batch.length === 0) continue;
      if (batch.length === 0) {
        if (flight.count > 0) {
          // a batch lands or a request arrives, whichever comes first
          const either = new SimEvent();
          flight.slot = either;
          st.wake = either;
          yield either;
          flight.slot = null;
          st.wake = null;
        } else throw new Error('serving: a scheduler with running sequences formed an empty step');
        continue;
      }
      if (this.o.check) sched.check(batch);
      sched.markInFlight(batch);
      const { firstStageEnd, doneSec } = this.passStages(st, batch, stageFree);
      if (st.role === 'prefill' && this.spec.disaggregated?.kvTransfer === 'layer') this.stream(st, batch, doneSec - p.now);
      flight.count++;
      p.spawn(this.landBatch(st, batch, doneSec, flight));
      yield p.timeout(firstStageEnd - p.now);
    }
  }

  /** Reserves each stage for `batch` in turn from now; the first stage's end and the last's. Records the step as the first stage's time. */
  private passStages(st: InstanceState, batch: readonly { seq: Sequence; tokens: number }[], stageFree: Float64Array): { firstStageEnd: number; doneSec: number } {
    const { shape, sched } = st;
    const sums = batchSums(batch, sched.layout.windowTokens);
    const cost = stepCost(shape, sums);
    const host = this.launchSec(st, batch, sums.sampled > 0);
    const swapSec = this.swapCopySec(st);
    // the stages before the last skip the LM head and sampling
    const inner = cost.seconds - cost.headSec - (cost.headSec > 0 ? SAMPLING_KERNELS * KERNEL_BOUNDARY_SEC : 0);
    const tokens = batch.reduce((a, b) => a + b.tokens, 0);
    const bytes = tokens * shape.model.hidden * 2;
    const pp = stageFree.length;
    let t = this.p.now, firstStageEnd = 0;
    for (let k = 0; k < pp; k++) {
      const start = Math.max(t, stageFree[k]);
      const end = start + Math.max(k === pp - 1 ? cost.seconds : inner, host) + (k === 0 ? this.spec.scheduler.stepOverheadSec + swapSec : 0);
      stageFree[k] = end;
      if (k === 0) firstStageEnd = end;
      t = k === pp - 1 ? end : end + shape.stageSendSec!(bytes, k);
    }
    this.recordStep(st, batch, tokens, firstStageEnd - this.p.now, t);
    return { firstStageEnd, doneSec: t };
  }

  /**
   * Seconds the step waits for the swaps made while forming it: the blocks copied out and in at
   * one rank's rate; ranks that swap side by side (data-parallel attention) share them, but no
   * less than the largest sequence's, which one rank copies alone.
   */
  private swapCopySec(st: InstanceState): number {
    const moved = st.sched.takeSwaps();
    const sec = Math.max(moved.largest, (moved.out + moved.in) / st.swapRanks) * st.swapSecPerBlock;
    st.swapSec += sec;
    st.swapBlocks += moved.out + moved.in;
    return sec;
  }

  /** Host seconds launching `batch`: a graph replay, or its kernels one by one (cudaGraphs: decode runs prefill and mixed steps eager; none, every step). */
  private launchSec(st: InstanceState, batch: readonly { seq: Sequence; tokens: number }[], samples: boolean): number {
    const c = this.spec.scheduler;
    const mode = c.cudaGraphs ?? 'all';
    // graphs are captured for decode batches: one new token a sequence, its prompt already cached
    const eager = mode === 'none' || (mode === 'decode' && batch.some((b) => b.tokens > 1 || b.seq.cached < b.seq.prompt));
    return hostLaunchSec(st.shape, samples, eager, c.launchSec ?? 5e-6);
  }

  /** Step statistics (busy time: the first stage's) and the timeline entry, from now to `endSec`. */
  private recordStep(st: InstanceState, batch: readonly { seq: Sequence }[], tokens: number, busySec: number, endSec: number): void {
    const use = st.sched.kv.used / Math.max(1, st.sched.kv.total);
    st.steps++;
    st.busySec += busySec;
    st.kvTime += use * busySec;
    st.peakKv = Math.max(st.peakKv, use);
    st.tokens += tokens;
    st.sequences += batch.length;
    this.timeline?.steps.push({ instance: this.state.indexOf(st), startSec: this.p.now, endSec, tokens, sequences: batch.length, kvUse: use, stageEndSec: this.p.now + busySec });
  }

  /** A batch leaves the last stage at `doneSec`: its sequences advance, and a slot frees. */
  private *landBatch(st: InstanceState, batch: readonly { seq: Sequence; tokens: number }[], doneSec: number, flight: { count: number; slot: SimEvent | null }): Process {
    yield this.p.timeout(doneSec - this.p.now);
    for (const s of st.sched.complete(batch, this.p.now)) this.stepDone(st, s);
    flight.count--;
    const w = flight.slot;
    if (w) (flight.slot = null), w.fired || w.fire();
  }

  /** The background collective, started every `everySec` (or when the previous one ends, if later), `count` times, on the same links. */
  private *backgroundTraffic(): Process {
    const b = this.spec.background!;
    const { topo, router } = this.fabric!;
    const comm = communicatorOf(topo, b.ranks);
    const base = { ...DEFAULT_COLLECTIVE_OPTIONS, algorithm: b.op === 'alltoall' ? ('direct' as const) : ('ring' as const) };
    const o = ncclRuns(topo, comm, b.op, 'auto') ? ncclPlan(topo, comm, b.op, b.bytes, base, {}).options : base;
    for (let i = 0; i < b.count; i++) {
      const t0 = i * b.everySec;
      if (t0 > this.p.now) yield this.p.timeout(t0 - this.p.now);
      const start = this.p.now;
      yield this.p.graph(buildCollective(topo, b.op, b.bytes, comm, o), { net: this.net!, router }).done;
      const sec = this.p.now - start;
      this.background.runs++;
      this.background.sumSec += sec;
      this.background.maxSec = Math.max(this.background.maxSec, sec);
    }
  }

  private *openLoop(): Process {
    for (const s of this.seqs) {
      if (s.arrivalSec > this.p.now) yield this.p.timeout(s.arrivalSec - this.p.now);
      this.route(s);
    }
  }

  private *client(first: number, stride: number): Process {
    for (let i = first; i < this.seqs.length; i += stride) {
      this.seqs[i].arrivalSec = this.p.now;
      this.route(this.seqs[i]);
      yield this.doneOf[i];
    }
  }

  private result(): ServingRun {
    const stats = this.state.map((st): InstanceStats => ({
      steps: st.steps,
      busySec: st.busySec,
      meanKvUse: st.busySec > 0 ? st.kvTime / st.busySec : 0,
      peakKvUse: st.peakKv,
      meanBatchTokens: st.steps ? st.tokens / st.steps : 0,
      meanBatchSequences: st.steps ? st.sequences / st.steps : 0,
      preemptions: st.sched.preemptions,
      swapOuts: st.sched.swapOuts,
      swapBlocks: st.swapBlocks,
      swapSec: st.swapSec,
      prefixHitTokens: st.sched.prefixHitTokens,
      kvBlocks: st.sched.kv.total,
    }));
    const t = this.kv?.stats ?? { count: 0, bytes: 0, sumSec: 0, maxSec: 0 };
    const kvTransfers = { count: t.count, bytes: t.bytes, meanSec: t.count ? t.sumSec / t.count : 0, maxSec: t.maxSec };
    const lastArrivalSec = this.seqs.reduce((a, s) => Math.max(a, s.arrivalSec), 0);
    const fabricUse = this.monitor && this.net ? { monitor: this.monitor, resources: new Map(this.net.describe().map((d) => [d.resource, { name: d.name, kind: d.kind, ...(d.linkType ? { linkType: d.linkType } : {}) }])) } : undefined;
    return { ...(fabricUse ? { fabricUse } : {}), requests: this.seqs, rejected: this.rejected, instanceOf: this.instanceOf, instances: stats, makespanSec: this.p.now, lastArrivalSec, waitingAtHalf: this.waitingAtHalf, waitingAtEnd: this.waitingAtEnd, steps: stats.reduce((a, s) => a + s.steps, 0), kvTransfers, timeline: this.timeline, background: { runs: this.background.runs, meanSec: this.background.runs ? this.background.sumSec / this.background.runs : 0, maxSec: this.background.maxSec } };
  }
}
