// Watches every resource during a run: its usage (the sum of rate × coefficient of the
// activities on it) between events, integrated into average utilization, the time it spent
// saturated while in use (then it is the bottleneck of at least one of its users: in a max-min
// allocation the fastest user of a saturated resource is limited by it), and a log of usage
// changes for trace counters. Costs one pass over the live activities' incidences per event
// (not over all resources), so it is meant for workload runs, not million-flow benchmarks.
import { resized } from '../core/typed-arrays.js';
import type { FlowEngine } from '../engine/flow-engine.js';

/** Usage changes kept for counters; beyond this the log stops (counters end early, said in the trace). */
const MAX_LOG = 4_000_000;

export class ResourceMonitor {
  private readonly live = new Map<number, { res: ArrayLike<number>; coef?: ArrayLike<number> }>();
  private usage = new Float64Array(0);
  private capacity = new Float64Array(0);
  /** ∫ usage dt and time saturated-while-used, per resource. */
  usageIntegral = new Float64Array(0);
  saturatedSec = new Float64Array(0);
  private last = 0;
  /** Usage change log: time, resource, new usage (per second). */
  readonly logTime: number[] = [];
  readonly logResource: number[] = [];
  readonly logUsage: number[] = [];
  logTruncated = false;

  constructor(private readonly engine: FlowEngine) {}

  started(activity: number, resources: ArrayLike<number>, coefficients?: ArrayLike<number>): void {
    this.live.set(activity, { res: resources, coef: coefficients });
  }

  finished(activity: number): void {
    this.live.delete(activity);
  }

  /** Resources in use since the last sample, and a scratch array for the next usage. */
  private inUse: number[] = [];
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
      for (const r of this.inUse) {
        const u = this.usage[r];
        this.usageIntegral[r] += u * dt;
        if (u >= this.capacity[r] * (1 - 1e-9)) this.saturatedSec[r] += dt;
      }
    this.last = now;
    const touched: number[] = [];
    for (const [act, { res, coef }] of this.live) {
      const x = this.engine.rate(act);
      if (x === 0) continue;
      for (let j = 0; j < res.length; j++) {
        const r = res[j];
        if (!this.mark[r]) (this.mark[r] = 1), touched.push(r);
        this.next[r] += x * (coef ? coef[j] : 1);
      }
    }
    const log = (r: number, value: number) => {
      if (this.logTime.length < MAX_LOG) {
        this.logTime.push(now);
        this.logResource.push(r);
        this.logUsage.push(value);
      } else this.logTruncated = true;
    };
    for (const r of this.inUse) if (!this.mark[r]) log(r, 0), (this.usage[r] = 0); // no longer used
    for (const r of touched) {
      if (this.next[r] !== this.usage[r]) log(r, this.next[r]);
      this.usage[r] = this.next[r];
      this.next[r] = 0;
      this.mark[r] = 0;
    }
    this.inUse = touched;
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
