// Per-rank breakdown of a run: every instant of the run is attributed, per rank, to the first
// of these that holds, so the parts add up to the run time:
//   compute         a kernel of the rank runs;
//   exposed comm    a collective, send/recv or copy of the rank runs (and no kernel);
//   input stall     the rank is done with its previous batch and waits for the next one;
//   host-bound      the rank's host thread is busy launching kernels or doing CPU work, nothing
//                   runs on the accelerator (a launch-bound step shows up here);
//   idle            none of these (waiting for other ranks at a collective, or done early).
// Busy times per category (communication overlapped with compute included) come alongside.
import type { DagRunResult } from '../sim/dag-runner.js';
import { CAT_COMM, CAT_COMPUTE, CAT_HOST, CAT_INPUT, type Timeline } from './timeline.js';

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
const ATTRIBUTED = [CAT_COMPUTE, CAT_COMM, CAT_INPUT, CAT_HOST];

export function rankBreakdown(timeline: Timeline, run: DagRunResult, ranks: number, iterations: number): RankBreakdown[] {
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
      const b = timeline.beginAtFinish[k] ? run.finishSec[timeline.begin[k]] : run.startSec[timeline.begin[k]];
      time[2 * j] = b;
      time[2 * j + 1] = run.finishSec[timeline.end[k]];
      delta[2 * j] = 1;
      delta[2 * j + 1] = -1;
      cat[2 * j] = cat[2 * j + 1] = ATTRIBUTED.indexOf(timeline.category[k]);
      if (time[2 * j + 1] <= time[2 * j]) delta[2 * j] = delta[2 * j + 1] = 0; // empty (a batch ready before it was awaited)
    }
    const idx = Array.from({ length: 2 * m }, (_, e) => e).sort((a, b) => time[a] - time[b]);
    const count = new Int32Array(4);
    const attributed = new Float64Array(5);
    const busy = new Float64Array(4);
    let t = 0;
    const spend = (until: number) => {
      const dt = until - t;
      if (dt <= 0) return;
      const top = count[0] > 0 ? 0 : count[1] > 0 ? 1 : count[2] > 0 ? 2 : count[3] > 0 ? 3 : 4;
      attributed[top] += dt;
      for (let c = 0; c < 4; c++) if (count[c] > 0) busy[c] += dt;
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
      hostBusySec: per(busy[3]),
    });
  }
  return out;
}
