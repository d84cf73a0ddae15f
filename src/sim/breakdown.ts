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

/** Per op: the latest finish among its dependencies that are not host-thread tasks (−1: none). */
function nonHostReady(dag: TransferDag, run: DagRunResult, ops: Set<number>): Map<number, number> {
  const out = new Map<number, number>();
  for (const op of ops) out.set(op, 0);
  for (let e = 0; e < dag.depTo.length; e++) {
    const to = dag.depTo[e];
    const t = out.get(to);
    if (t === undefined || dag.kind[dag.depFrom[e]] === OP_CPU) continue;
    out.set(to, Math.max(t, run.finishSec[dag.depFrom[e]]));
  }
  return out;
}

export function rankBreakdown(timeline: Timeline, run: DagRunResult, ranks: number, iterations: number, dag: TransferDag): RankBreakdown[] {
  const waits = new Set<number>();
  for (let k = 0; k < timeline.size; k++) if (timeline.category[k] === CAT_HOST_WAIT) waits.add(timeline.begin[k]);
  const ready = nonHostReady(dag, run, waits);
  // interval indices per rank (counting sort)
  const start = new Int32Array(ranks + 1);
  for (let k = 0; k < timeline.size; k++) if (ATTRIBUTED.includes(timeline.category[k])) start[timeline.rank[k] + 1]++;
  for (let r = 0; r < ranks; r++) start[r + 1] += start[r];
  const fill = start.slice(0, ranks);
  const byRank = new Int32Array(start[ranks]);
  for (let k = 0; k < timeline.size; k++) if (ATTRIBUTED.includes(timeline.category[k])) byRank[fill[timeline.rank[k]]++] = k;

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
      const wait = timeline.category[k] === CAT_HOST_WAIT;
      const b = wait ? ready.get(timeline.begin[k])! : timeline.beginAtFinish[k] ? run.finishSec[timeline.begin[k]] : run.startSec[timeline.begin[k]];
      time[2 * j] = b;
      time[2 * j + 1] = wait ? run.startSec[timeline.end[k]] : run.finishSec[timeline.end[k]];
      delta[2 * j] = 1;
      delta[2 * j + 1] = -1;
      cat[2 * j] = cat[2 * j + 1] = ATTRIBUTED.indexOf(timeline.category[k]);
      if (time[2 * j + 1] <= time[2 * j]) delta[2 * j] = delta[2 * j + 1] = 0; // empty (a batch ready before it was awaited)
    }
    const idx = Array.from({ length: 2 * m }, (_, e) => e).sort((a, b) => time[a] - time[b]);
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
