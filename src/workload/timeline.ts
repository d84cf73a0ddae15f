// What each rank did when, in workload terms: one interval per operation instance (a kernel, a
// collective as seen by one member, a copy, a launch, a loader worker's step), on a named track
// (a stream, the host thread, a loader worker), with the category the per-rank breakdown
// attributes its time to. Interval ends are operations of the expanded DAG; their times come
// from the run. Stored as columns: large workloads have millions of intervals.

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

export class Timeline {
  readonly tracks: { rank: number; name: string }[] = [];
  private readonly trackIndex = new Map<string, number>();
  rank: number[] = [];
  track: number[] = [];
  category: number[] = [];
  /** Workload op index, or −1 for kernel launches. */
  op: number[] = [];
  iteration: number[] = [];
  /** The interval begins at this DAG op's start, or at its finish when beginAtFinish is 1. */
  begin: number[] = [];
  beginAtFinish: number[] = [];
  /** The interval ends at this DAG op's finish. */
  end: number[] = [];

  get size(): number {
    return this.rank.length;
  }

  trackOf(rank: number, name: string): number {
    const key = `${rank}\u0000${name}`;
    let t = this.trackIndex.get(key);
    if (t === undefined) {
      t = this.tracks.length;
      this.tracks.push({ rank, name });
      this.trackIndex.set(key, t);
    }
    return t;
  }

  add(rank: number, track: string, category: number, op: number, iteration: number, begin: number, beginAtFinish: boolean, end: number): void {
    this.rank.push(rank);
    this.track.push(this.trackOf(rank, track));
    this.category.push(category);
    this.op.push(op);
    this.iteration.push(iteration);
    this.begin.push(begin);
    this.beginAtFinish.push(beginAtFinish ? 1 : 0);
    this.end.push(end);
  }
}
