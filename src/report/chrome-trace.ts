// Chrome trace JSON (opens in Perfetto / chrome://tracing) of a run operation graph. Collective
// view: each rank a group of tracks, each transfer a slice from its start (dependencies met) to
// its finish, named by destination, with bytes and channel in args. Transfers of one rank that
// overlap in time (channels, a window of sends in flight) go on separate lanes of the rank, so
// no slice is drawn across another (Perfetto nests overlapping slices of one track wrongly), and
// a flow arrow runs from each send to the receiving rank, binding to the next slice that rank
// starts once the data is in. (Workload runs: workload-trace.ts.)
import { OP_TRANSFER, type TransferDag } from '../graph/index.js';
import type { DagRunResult } from '../sim/dag-runner.js';
import type { Topology } from '../topology/graph.js';

/** Lanes per rank in the thread id: tid = rank × LANES + lane. */
const LANES = 1000;

/** Per op, its lane in its rank's group: the first lane whose last slice has ended (interval partitioning by start). */
function lanesOf(dag: TransferDag, run: DagRunResult): Int32Array {
  const byRank = new Map<number, number[]>();
  for (let i = 0; i < dag.size; i++) (byRank.get(dag.rank[i]) ?? byRank.set(dag.rank[i], []).get(dag.rank[i])!).push(i);
  const lane = new Int32Array(dag.size);
  for (const ops of byRank.values()) {
    ops.sort((a, b) => run.startSec[a] - run.startSec[b] || a - b);
    const ends: number[] = [];
    for (const i of ops) {
      let k = ends.findIndex((e) => e <= run.startSec[i]);
      if (k < 0 || k >= LANES - 1) k = Math.min(ends.length, LANES - 1);
      ends[k] = Math.max(ends[k] ?? 0, run.finishSec[i]);
      lane[i] = k;
    }
  }
  return lane;
}

function metadata(dag: TransferDag, topo: Topology, lane: Int32Array): { events: string[]; rankOfNode: Map<number, number> } {
  const events: string[] = [];
  const named = new Set<number>();
  const rankOfNode = new Map<number, number>();
  for (let i = 0; i < dag.size; i++) {
    const r = dag.rank[i];
    if (dag.src[i] >= 0 && r >= 0 && !rankOfNode.has(dag.src[i])) rankOfNode.set(dag.src[i], r);
    const tid = r * LANES + lane[i];
    if (named.has(tid)) continue;
    named.add(tid);
    const where = dag.src[i] >= 0 ? ` (${topo.nodes[dag.src[i]].id})` : '';
    events.push(JSON.stringify({ name: 'thread_name', ph: 'M', pid: 0, tid, args: { name: `rank ${r}${where}${lane[i] > 0 ? ` · ${lane[i] + 1}` : ''}` } }));
    events.push(JSON.stringify({ name: 'thread_sort_index', ph: 'M', pid: 0, tid, args: { sort_index: tid } }));
  }
  return { events, rankOfNode };
}

export function dagToChromeTrace(dag: TransferDag, run: DagRunResult, topo: Topology, title: string): string {
  const lane = lanesOf(dag, run);
  const { events: meta, rankOfNode } = metadata(dag, topo, lane);
  const events = [JSON.stringify({ name: 'process_name', ph: 'M', pid: 0, tid: 0, args: { name: title } }), ...meta];
  for (let i = 0; i < dag.size; i++) {
    const isTransfer = dag.kind[i] === OP_TRANSFER;
    const tid = dag.rank[i] * LANES + lane[i];
    const ts = run.startSec[i] * 1e6;
    const name = isTransfer ? `send → ${topo.nodes[dag.dst[i]].id}` : 'delay';
    events.push(JSON.stringify({ name, cat: isTransfer ? 'transfer' : 'delay', ph: 'X', pid: 0, tid, ts, dur: (run.finishSec[i] - run.startSec[i]) * 1e6, args: isTransfer ? { bytes: dag.work[i], channel: dag.label[i] } : {} }));
    const to = isTransfer ? rankOfNode.get(dag.dst[i]) : undefined;
    if (to === undefined || to === dag.rank[i]) continue;
    events.push(JSON.stringify({ name: 'data', cat: 'flow', ph: 's', id: i, pid: 0, tid, ts }));
    events.push(JSON.stringify({ name: 'data', cat: 'flow', ph: 'f', id: i, pid: 0, tid: to * LANES, ts: run.finishSec[i] * 1e6 }));
  }
  return `{"displayTimeUnit":"ns","traceEvents":[\n${events.join(',\n')}\n]}\n`;
}
