// What each rank did when, in workload terms: one interval per operation instance (a kernel, a
// collective as seen by one member, a copy, a launch, a loader worker's step), on a named track
// (a stream, the host thread, a loader worker), with the category the per-rank breakdown
// attributes its time to. Interval ends are operations of the expanded DAG; their times come
// from the run. Stored as columns: large workloads have millions of intervals.
import { resized } from '../core/typed-arrays.js';

export const CAT_COMPUTE = 0;
export const CAT_COMM = 1;
export const CAT_HOST = 2;
export const CAT_INPUT = 3;
/** Shown in traces only (e.g. a loader worker's reads and decodes; the input op covers them). */
export const CAT_TRACE = 4;
/**
 * A kernel held back by its host thread: from when its other dependencies were done to its
 * start, if a launch or CPU task on the host thread was the last thing it waited for. Such an
 * interval is given by its kernel alone (`begin` = `end` = the kernel op); not traced.
 */
export const CAT_HOST_WAIT = 5;

/** Growable columns (capacity doubles), read through the getters as views of exactly `size` entries. */
export class Timeline {
  readonly tracks: { rank: number; name: string }[] = [];
  /** Track index by name, then by rank (no string key per interval). */
  private readonly trackIndex = new Map<string, number[]>();
  private n = 0;
  private cap = 0;
  private ranks = new Int32Array(0);
  private tracksOf = new Int32Array(0);
  private categories = new Uint8Array(0);
  private ops = new Int32Array(0);
  private iterations = new Int32Array(0);
  private begins = new Int32Array(0);
  private atFinish = new Uint8Array(0);
  private ends = new Int32Array(0);

  get size(): number {
    return this.n;
  }

  get rank(): Int32Array {
    return this.ranks.subarray(0, this.n);
  }
  get track(): Int32Array {
    return this.tracksOf.subarray(0, this.n);
  }
  get category(): Uint8Array {
    return this.categories.subarray(0, this.n);
  }
  /** Workload op index, or −1 for kernel launches. */
  get op(): Int32Array {
    return this.ops.subarray(0, this.n);
  }
  get iteration(): Int32Array {
    return this.iterations.subarray(0, this.n);
  }
  /** The interval begins at this DAG op's start, or at its finish when beginAtFinish is 1. */
  get begin(): Int32Array {
    return this.begins.subarray(0, this.n);
  }
  get beginAtFinish(): Uint8Array {
    return this.atFinish.subarray(0, this.n);
  }
  /** The interval ends at this DAG op's finish. */
  get end(): Int32Array {
    return this.ends.subarray(0, this.n);
  }

  trackOf(rank: number, name: string): number {
    let byRank = this.trackIndex.get(name);
    if (byRank === undefined) this.trackIndex.set(name, (byRank = []));
    let t = byRank[rank];
    if (t === undefined) {
      t = this.tracks.length;
      this.tracks.push({ rank, name });
      byRank[rank] = t;
    }
    return t;
  }

  add(rank: number, track: string, category: number, op: number, iteration: number, begin: number, beginAtFinish: boolean, end: number): void {
    const k = this.n;
    if (k === this.cap) this.grow(Math.max(1024, 2 * this.cap));
    this.ranks[k] = rank;
    this.tracksOf[k] = this.trackOf(rank, track);
    this.categories[k] = category;
    this.ops[k] = op;
    this.iterations[k] = iteration;
    this.begins[k] = begin;
    this.atFinish[k] = beginAtFinish ? 1 : 0;
    this.ends[k] = end;
    this.n++;
  }

  private grow(capacity: number): void {
    this.cap = capacity;
    this.ranks = resized(this.ranks, capacity);
    this.tracksOf = resized(this.tracksOf, capacity);
    this.categories = resized(this.categories, capacity);
    this.ops = resized(this.ops, capacity);
    this.iterations = resized(this.iterations, capacity);
    this.begins = resized(this.begins, capacity);
    this.atFinish = resized(this.atFinish, capacity);
    this.ends = resized(this.ends, capacity);
  }
}
