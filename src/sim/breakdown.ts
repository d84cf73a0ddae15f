// Per-rank breakdown of a run: every instant of the run is attributed, per rank, to the first
// of these that holds, so the parts add up to the run time:
//   compute         a kernel of the rank runs;
//   exposed comm    a collective, send/recv or copy of the rank runs (and no kernel);
//   input stall     the rank is done with its previous batch and waits for the next one;
//   host-bound      the rank's next kernel (or collective, copy) has everything it waits for but
//                   its launch or a CPU task of the host thread, which is still running (a
//                   launch-bound step shows up here);
//   idle            none of these (waiting for other ranks at a collective, or done early).
// Busy times per category (communication overlapped with compute included) come alongside.
import { sortIndicesByKey } from '../core/sort-by-key.js';
import { OP_CPU, type TransferDag } from '../graph/index.js';
import type { DagRunResult } from './dag-runner.js';
import { CAT_COMM, CAT_COMPUTE, CAT_HOST, CAT_HOST_WAIT, CAT_INPUT, type Timeline } from '../workload/timeline.js';

export interface RankBreakdown {
  readonly rank: number;
  /** Seconds per iteration, adding up to the step time. */
  readonly computeSec: number;
  readonly exposedCommSec: number;
  readonly hostBoundSec: number;
  readonly inputStallSec: number;
  readonly idleSec: number;
  /** Seconds per iteration during which any communication (collectives, send/recv, copies) ran, and the host thread was busy. */
  readonly commBusySec: number;
  readonly hostBusySec: number;
}

/** Categories in order of precedence; an instant goes to the first one active. */
const ATTRIBUTED = [CAT_COMPUTE, CAT_COMM, CAT_INPUT, CAT_HOST_WAIT, CAT_HOST];
const COUNTED = ATTRIBUTED.length;

/** Category → its place in ATTRIBUTED (−1: not attributed). */
const SLOT = new Int8Array(256).fill(-1);
ATTRIBUTED.forEach((c, i) => (SLOT[c] = i));

/** Per op: the latest finish among its dependencies that are not host-thread tasks (0: none; NaN for ops not in `wanted`). */
function nonHostReady(dag: TransferDag, run: DagRunResult, wanted: Uint8Array): Float64Array {
  const out = new Float64Array(dag.size).fill(NaN);
  for (let op = 0; op < wanted.length; op++) if (wanted[op]) out[op] = 0;
  const { depFrom, depTo, kind } = dag.columns;
  const finish = run.finishSec;
  for (let e = 0; e < depTo.length; e++) {
    const to = depTo[e];
    if (!wanted[to]) continue;
    const from = depFrom[e];
    if (kind[from] !== OP_CPU && finish[from] > out[to]) out[to] = finish[from];
  }
  return out;
}

export function rankBreakdown(timeline: Timeline, run: DagRunResult, ranks: number, iterations: number, dag: TransferDag): RankBreakdown[] {
  const { category, rank, begin, end, beginAtFinish } = timeline;
  const waits = new Uint8Array(dag.size);
  for (let k = 0; k < category.length; k++) if (category[k] === CAT_HOST_WAIT) waits[begin[k]] = 1;
  const ready = nonHostReady(dag, run, waits);
  // interval indices per rank (counting sort)
  const start = new Int32Array(ranks + 1);
  for (let k = 0; k < category.length; k++) if (SLOT[category[k]] >= 0) start[rank[k] + 1]++;
  for (let r = 0; r < ranks; r++) start[r + 1] += start[r];
  const fill = start.slice(0, ranks);
  const byRank = new Int32Array(start[ranks]);
  for (let k = 0; k < category.length; k++) if (SLOT[category[k]] >= 0) byRank[fill[rank[k]]++] = k;

  const T = run.makespanSec;
  const out: RankBreakdown[] = [];
  for (let r = 0; r < ranks; r++) {
    const m = start[r + 1] - start[r];
    // events: time and (category, +1 / −1), sorted by time
    const time = new Float64Array(2 * m);
    const delta = new Int8Array(2 * m);
    const cat = new Int8Array(2 * m);
    for (let j = 0; j < m; j++) {
      const k = byRank[start[r] + j];
      const wait = category[k] === CAT_HOST_WAIT;
      const b = wait ? ready[begin[k]] : beginAtFinish[k] ? run.finishSec[begin[k]] : run.startSec[begin[k]];
      time[2 * j] = b;
      time[2 * j + 1] = wait ? run.startSec[end[k]] : run.finishSec[end[k]];
      delta[2 * j] = 1;
      delta[2 * j + 1] = -1;
      cat[2 * j] = cat[2 * j + 1] = SLOT[category[k]];
      if (time[2 * j + 1] <= time[2 * j]) delta[2 * j] = delta[2 * j + 1] = 0; // empty (a batch ready before it was awaited)
    }
    // (the order among events of one instant does not matter: the time between them is zero)
    const idx = new Int32Array(2 * m);
    for (let e = 0; e < 2 * m; e++) idx[e] = e;
    sortIndicesByKey(time, idx);
    const count = new Int32Array(COUNTED);
    const attributed = new Float64Array(5);
    const busy = new Float64Array(COUNTED);
    let t = 0;
    const spend = (until: number) => {
      const dt = until - t;
      if (dt <= 0) return;
      // host-thread busy time (CAT_HOST, last) is counted as busy, never attributed
      const top = count[0] > 0 ? 0 : count[1] > 0 ? 1 : count[2] > 0 ? 2 : count[3] > 0 ? 3 : 4;
      attributed[top] += dt;
      for (let c = 0; c < COUNTED; c++) if (count[c] > 0) busy[c] += dt;
      t = until;
    };
    for (const e of idx) {
      spend(time[e]);
      count[cat[e]] += delta[e];
    }
    spend(T);
    const per = (x: number) => x / iterations;
    out.push({
      rank: r,
      computeSec: per(attributed[0]),
      exposedCommSec: per(attributed[1]),
      hostBoundSec: per(attributed[3]),
      inputStallSec: per(attributed[2]),
      idleSec: per(attributed[4]),
      commBusySec: per(busy[1]),
      hostBusySec: per(busy[4]),
    });
  }
  return out;
}
