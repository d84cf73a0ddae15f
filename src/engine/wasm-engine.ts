// FlowEngine backed by the AssemblyScript module (assembly/: the rate solver in solver.ts and
// store.ts, the clock in clock.ts, batch replay in replay.ts). All hot state stays in Wasm
// memory; a start writes its incidences straight into a staging area of that memory through
// typed-array views (no per-call copies of whole arrays), and completed ids are read back from
// a view onto the module's batch buffer. Its declared batch replay runs inside the module.
import { FairwayError } from '../core/errors.js';
import type { BatchReplay, ReleaseSchedule, ScheduleProgress, ScheduleResult } from './batch-replay.js';
import type { ActivityId, EngineStats, FlowEngine, ResourceId, StartOptions, Use } from './flow-engine.js';
import { checkCapacity, checkResource, checkSchedule, checkStart } from './validate-args.js';
import { instantiateFlowModule, type FlowModuleExports } from './wasm-module.js';
import { runScheduleInWasm } from './wasm-schedule.js';

const STATE_PENDING = 1;
const STATE_ACTIVE = 2;

export interface WasmEngineOptions {
  /** Above this fraction of the active activities a region solve becomes a full solve (default 0.5). */
  readonly fullFraction?: number;
  /** Fills of more resources than this use a heap instead of the candidate list (default 1024; 0 forces the heap, for tests). */
  readonly linearMax?: number;
  /** Fills of the candidate list with at most this many candidates or activities scan it; larger ones keep a tournament tree (default 80; 0 forces the tree, for tests). */
  readonly scanMax?: number;
}

export class WasmFlowEngine implements FlowEngine {
  readonly kind = 'wasm' as const;
  /** Batch replay inside the module: the schedule is checked, then runSchedule runs it. */
  readonly replay: BatchReplay = {
    run: (schedule, progress, every) => {
      checkSchedule(schedule, this.nResources, this.liveCount);
      return this.runSchedule(schedule, progress, every);
    },
  };
  private readonly m: FlowModuleExports;
  private nResources = 0;
  /** Views of the whole module memory, made again only when it grows (not one pair per start). */
  private heap: ArrayBuffer | null = null;
  private i32 = new Int32Array(0);
  private f64 = new Float64Array(0);

  constructor(options: WasmEngineOptions = {}) {
    this.m = instantiateFlowModule();
    if (options.fullFraction !== undefined) this.m.setFullFraction(options.fullFraction);
    if (options.linearMax !== undefined) this.m.setLinearMax(options.linearMax);
    if (options.scanMax !== undefined) this.m.setScanMax(options.scanMax);
  }

  get now(): number {
    return this.m.getNow();
  }

  get liveCount(): number {
    return this.m.liveCount();
  }

  get resourceCount(): number {
    return this.nResources;
  }

  addResource(capacityPerSec: number): ResourceId {
    checkCapacity(capacityPerSec, 'addResource.capacityPerSec');
    this.nResources++;
    return this.m.addResource(capacityPerSec);
  }

  /** Pre-sizes the resource columns (optional; they also grow on demand). */
  reserveResources(n: number): void {
    this.m.reserveResources(n);
  }

  setCapacity(resource: ResourceId, capacityPerSec: number): void {
    checkResource(resource, this.nResources, 'setCapacity.resource');
    checkCapacity(capacityPerSec, 'setCapacity.capacityPerSec');
    this.m.setCapacity(resource, capacityPerSec);
  }

  capacity(resource: ResourceId): number {
    checkResource(resource, this.nResources, 'capacity.resource');
    return this.m.capacity(resource);
  }

  start(amount: number, uses: readonly Use[], options?: StartOptions): ActivityId {
    const n = uses.length;
    const res = new Array<number>(n), coef = new Array<number>(n);
    for (let k = 0; k < n; k++) {
      res[k] = uses[k][0];
      coef[k] = uses[k][1];
    }
    return this.startOn(amount, res, coef, options);
  }

  startOn(amount: number, resources: ArrayLike<number>, coefficients?: ArrayLike<number>, options?: StartOptions): ActivityId {
    const o = checkStart(amount, resources, coefficients, options, this.nResources);
    const n = resources.length;
    const m = this.m;
    const resPtr = m.stageReserve(n), coefPtr = m.stageCoefPtr();
    // the module's allocator aligns blocks to 16 bytes, so the columns index the whole-memory views
    if ((resPtr & 3) !== 0 || (coefPtr & 7) !== 0) throw new FairwayError('E_INTERNAL', 'flow engine (wasm): staging area not aligned');
    const res = resPtr >>> 2, coef = coefPtr >>> 3;
    if (m.memory.buffer !== this.heap) {
      this.heap = m.memory.buffer;
      this.i32 = new Int32Array(this.heap);
      this.f64 = new Float64Array(this.heap);
    }
    const i32 = this.i32, f64 = this.f64;
    for (let k = 0; k < n; k++) {
      i32[res + k] = resources[k];
      f64[coef + k] = coefficients === undefined ? 1 : coefficients[k];
    }
    const id = m.start(amount, n, o.bound, o.weight, o.delaySec);
    if (id < 0) throw new FairwayError('E_INTERNAL', `flow engine (wasm) rejected a checked start (code ${id})`);
    return id;
  }

  cancel(id: ActivityId): boolean {
    return this.m.cancel(id) === 1;
  }

  isLive(id: ActivityId): boolean {
    const s = this.m.state(id);
    return s === STATE_PENDING || s === STATE_ACTIVE;
  }

  private checkLive(id: ActivityId, what: string): void {
    if (!this.isLive(id)) throw new FairwayError('E_ARGUMENT', `${what}: activity ${id} is not live (completed, cancelled or never started)`);
  }

  rate(id: ActivityId): number {
    this.checkLive(id, 'rate');
    return this.m.rate(id);
  }

  remaining(id: ActivityId): number {
    this.checkLive(id, 'remaining');
    return this.m.remaining(id);
  }

  nextEventTime(): number {
    return this.m.nextEventTime();
  }

  advance(untilSec: number = Infinity): Int32Array {
    if (Number.isNaN(untilSec)) throw new FairwayError('E_ARGUMENT', 'advance.untilSec: must be a number');
    const n = this.m.advance(untilSec);
    return n === 0 ? new Int32Array(0) : new Int32Array(this.m.memory.buffer, this.m.donePtr(), n).slice();
  }

  stalled(): Int32Array {
    const n = this.m.listStalled();
    return n === 0 ? new Int32Array(0) : new Int32Array(this.m.memory.buffer, this.m.donePtr(), n).slice();
  }

  /**
   * The in-module loop behind `replay`, without its checks: the caller vouches for the schedule
   * (amounts finite >= 0, resources known, at least one per activity, an idle engine). A release
   * time that is not a number never comes and ends the run as stalled. Prefer `replay.run`.
   */
  runSchedule(schedule: ReleaseSchedule, progress?: ScheduleProgress, every?: number): ScheduleResult {
    return runScheduleInWasm(this.m, schedule, progress, every);
  }

  stats(): EngineStats {
    const m = this.m;
    return {
      events: m.statEvents(),
      solves: m.statSolves(),
      fullSolves: m.statFullSolves(),
      rounds: m.statRounds(),
      regionActivities: m.statRegionActivities(),
      incidenceUpdates: m.statRegionIncidences(),
      completed: m.statCompleted(),
    };
  }
}
