// Watches every resource during a run: its usage (the sum of rate × coefficient of the
// activities on it) between events, integrated into average utilization, the time it spent
// saturated while in use (then it is the bottleneck of at least one of its users: in a max-min
// allocation the fastest user of a saturated resource is limited by it) and, when asked (a
// trace's counters), a log of usage changes. Costs one pass over the live activities'
// incidences per event (not over all resources), so it is meant for workload runs, not
// million-flow benchmarks.
import { grownTo, resized } from '../core/typed-arrays.js';
import type { FlowEngine } from '../engine/flow-engine.js';

/** Usage changes kept for counters; beyond this the log stops (counters end early, said in the trace). */
const MAX_LOG = 4_000_000;
const NONE: ArrayLike<number> = [];

export interface ResourceMonitorOptions {
  /** Keep the log of usage changes that a trace's counters are drawn from (default true). */
  readonly log?: boolean;
}

export class ResourceMonitor {
  // Live activities in the order they started, the order usage is summed in: slot → activity
  // (−1 once finished), its resources and coefficients. Finished slots are compacted away.
  private acts = new Int32Array(64);
  private res: ArrayLike<number>[] = [];
  private coef: (ArrayLike<number> | undefined)[] = [];
  private readonly slotOf = new Map<number, number>();
  private top = 0;
  private dead = 0;
  private usage = new Float64Array(0);
  private capacity = new Float64Array(0);
  /** ∫ usage dt and time saturated-while-used, per resource. */
  usageIntegral = new Float64Array(0);
  saturatedSec = new Float64Array(0);
  private last = 0;
  private readonly keepLog: boolean;
  /** Usage change log, its first `logCount` entries: time, resource, new usage (per second). Empty unless `log`. */
  logTime = new Float64Array(0);
  logResource = new Int32Array(0);
  logUsage = new Float64Array(0);
  logCount = 0;
  logTruncated = false;

  constructor(
    private readonly engine: FlowEngine,
    options: ResourceMonitorOptions = {},
  ) {
    this.keepLog = options.log ?? true;
  }

  /** Whether the usage-change log is kept (a run made with `log: false` has no counters to draw). */
  get logged(): boolean {
    return this.keepLog;
  }

  started(activity: number, resources: ArrayLike<number>, coefficients?: ArrayLike<number>): void {
    const known = this.slotOf.get(activity);
    const s = known ?? this.top++;
    if (known === undefined) {
      this.acts = grownTo(this.acts, this.top);
      this.acts[s] = activity;
      this.slotOf.set(activity, s);
    }
    this.res[s] = resources;
    this.coef[s] = coefficients;
  }

  finished(activity: number): void {
    const s = this.slotOf.get(activity);
    if (s === undefined) return;
    this.slotOf.delete(activity);
    this.acts[s] = -1;
    this.res[s] = NONE;
    this.coef[s] = undefined;
    this.dead++;
  }

  /** Resources in use since the last sample (the first `inUseN`), and those of the sample being taken. */
  private inUse = new Int32Array(64);
  private inUseN = 0;
  private touched = new Int32Array(64);
  private next = new Float64Array(0);
  private mark = new Uint8Array(0);

  /**
   * Called after every event, once the new activities have started: closes the last interval
   * and reads the new rates. Touches only the resources of live activities.
   */
  sample(now: number): void {
    const dt = now - this.last;
    const n = this.engine.resourceCount;
    if (this.usage.length < n) this.grow(n);
    if (dt > 0)
      for (let k = 0; k < this.inUseN; k++) {
        const r = this.inUse[k];
        const u = this.usage[r];
        this.usageIntegral[r] += u * dt;
        if (u >= this.capacity[r] * (1 - 1e-9)) this.saturatedSec[r] += dt;
      }
    this.last = now;
    if (this.dead > 64 && 2 * this.dead > this.top) this.compact();
    const touchedN = this.sum();
    const { usage, next, mark, touched, inUse } = this;
    for (let k = 0; k < this.inUseN; k++) {
      const r = inUse[k];
      if (!mark[r]) this.log(now, r, 0), (usage[r] = 0); // no longer used
    }
    for (let k = 0; k < touchedN; k++) {
      const r = touched[k];
      if (next[r] !== usage[r]) this.log(now, r, next[r]);
      usage[r] = next[r];
      next[r] = 0;
      mark[r] = 0;
    }
    this.touched = inUse;
    this.inUse = touched;
    this.inUseN = touchedN;
  }

  /** Sums the live activities' usage into `next`, in start order; returns how many resources it touched (listed in `touched`). */
  private sum(): number {
    const { acts, next, mark, engine } = this;
    let touched = this.touched;
    let count = 0;
    for (let s = 0; s < this.top; s++) {
      const act = acts[s];
      if (act < 0) continue;
      const x = engine.rate(act);
      if (x === 0) continue;
      const res = this.res[s];
      const coef = this.coef[s];
      for (let j = 0; j < res.length; j++) {
        const r = res[j];
        if (!mark[r]) {
          mark[r] = 1;
          touched = grownTo(touched, count + 1);
          touched[count++] = r;
        }
        next[r] += x * (coef ? coef[j] : 1);
      }
    }
    this.touched = touched;
    this.inUse = grownTo(this.inUse, touched.length);
    return count;
  }

  private log(now: number, r: number, value: number): void {
    if (!this.keepLog) return;
    const j = this.logCount;
    if (j >= MAX_LOG) {
      this.logTruncated = true;
      return;
    }
    if (j === this.logTime.length) {
      const c = Math.min(MAX_LOG, Math.max(1024, 2 * j));
      this.logTime = resized(this.logTime, c);
      this.logResource = resized(this.logResource, c);
      this.logUsage = resized(this.logUsage, c);
    }
    this.logTime[j] = now;
    this.logResource[j] = r;
    this.logUsage[j] = value;
    this.logCount = j + 1;
  }

  /** Drops finished slots, keeping the live ones in start order. */
  private compact(): void {
    let w = 0;
    for (let s = 0; s < this.top; s++) {
      const act = this.acts[s];
      if (act < 0) continue;
      if (w !== s) {
        this.acts[w] = act;
        this.res[w] = this.res[s];
        this.coef[w] = this.coef[s];
        this.slotOf.set(act, w);
      }
      w++;
    }
    this.res.length = w;
    this.coef.length = w;
    this.top = w;
    this.dead = 0;
  }

  /** Capacity of resource r (read once per resource). */
  capacityOf(r: number): number {
    return this.capacity[r];
  }

  private grow(n: number): void {
    this.usage = resized(this.usage, n);
    this.next = resized(this.next, n);
    this.mark = resized(this.mark, n);
    this.usageIntegral = resized(this.usageIntegral, n);
    this.saturatedSec = resized(this.saturatedSec, n);
    const cap = resized(this.capacity, n);
    for (let r = this.capacity.length; r < n; r++) cap[r] = this.engine.capacity(r);
    this.capacity = cap;
  }
}
