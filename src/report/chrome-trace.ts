// Chrome trace JSON (opens in Perfetto / chrome://tracing) of a run operation graph. Collective
// view: one track per rank, each transfer a slice from its start (dependencies met) to its
// finish, named by destination, with bytes and channel in args. Workload view (`byKind`): one
// process per rank with a host-thread track, a kernel track and a transfer track.
import { OP_COMPUTE, OP_CPU, OP_DELAY, OP_TRANSFER, type TransferDag } from '../collective/dag.js';
import type { DagRunResult } from '../sim/dag-runner.js';
import type { Topology } from '../topology/graph.js';

const TRACKS = ['host thread', 'kernels', 'transfers'];

export function dagToChromeTrace(dag: TransferDag, run: DagRunResult, topo: Topology, title: string, byKind = false): string {
  if (byKind) return workloadTrace(dag, run, topo);
  const events: string[] = [];
  events.push(JSON.stringify({ name: 'process_name', ph: 'M', pid: 0, tid: 0, args: { name: title } }));
  const ranks = new Set<number>();
  for (let i = 0; i < dag.size; i++) {
    const r = dag.rank[i];
    if (!ranks.has(r)) {
      ranks.add(r);
      const where = dag.src[i] >= 0 ? ` (${topo.nodes[dag.src[i]].id})` : '';
      events.push(JSON.stringify({ name: 'thread_name', ph: 'M', pid: 0, tid: r, args: { name: `rank ${r}${where}` } }));
    }
    const isTransfer = dag.kind[i] === OP_TRANSFER;
    events.push(
      JSON.stringify({
        name: isTransfer ? `send → ${topo.nodes[dag.dst[i]].id}` : 'delay',
        cat: isTransfer ? 'transfer' : 'delay',
        ph: 'X',
        pid: 0,
        tid: r,
        ts: run.startSec[i] * 1e6,
        dur: (run.finishSec[i] - run.startSec[i]) * 1e6,
        args: isTransfer ? { bytes: dag.bytes[i], channel: dag.label[i] } : {},
      }),
    );
  }
  return `{"displayTimeUnit":"ns","traceEvents":[\n${events.join(',\n')}\n]}\n`;
}

function workloadTrace(dag: TransferDag, run: DagRunResult, topo: Topology): string {
  const events: string[] = [];
  const named = new Set<number>();
  for (let i = 0; i < dag.size; i++) {
    const r = dag.rank[i];
    if (dag.kind[i] === OP_DELAY || r < 0) continue;
    if (!named.has(r)) {
      named.add(r);
      events.push(JSON.stringify({ name: 'process_name', ph: 'M', pid: r, tid: 0, args: { name: `rank ${r}` } }));
      TRACKS.forEach((t, tid) => events.push(JSON.stringify({ name: 'thread_name', ph: 'M', pid: r, tid, args: { name: t } })));
    }
    const kind = dag.kind[i];
    const tid = kind === OP_CPU ? 0 : kind === OP_COMPUTE ? 1 : 2;
    const name = kind === OP_CPU ? 'host work' : kind === OP_COMPUTE ? 'kernel' : `${topo.nodes[dag.src[i]].id} → ${topo.nodes[dag.dst[i]].id}`;
    const args = kind === OP_COMPUTE ? { flops: dag.bytes[i], hbmBytes: dag.memBytes[i] } : kind === OP_CPU ? { coreSeconds: dag.bytes[i] } : { bytes: dag.bytes[i] };
    events.push(JSON.stringify({ name, ph: 'X', pid: r, tid, ts: run.startSec[i] * 1e6, dur: (run.finishSec[i] - run.startSec[i]) * 1e6, args }));
  }
  return `{"displayTimeUnit":"ns","traceEvents":[\n${events.join(',\n')}\n]}\n`;
}
