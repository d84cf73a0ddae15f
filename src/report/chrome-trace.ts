// Chrome trace JSON (opens in Perfetto / chrome://tracing) of a run operation graph. Collective
// view: one track per rank, each transfer a slice from its start (dependencies met) to its
// finish, named by destination, with bytes and channel in args. (Workload runs: workload-trace.ts.)
import { OP_TRANSFER, type TransferDag } from '../graph/index.js';
import type { DagRunResult } from '../sim/dag-runner.js';
import type { Topology } from '../topology/graph.js';

export function dagToChromeTrace(dag: TransferDag, run: DagRunResult, topo: Topology, title: string): string {
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
        args: isTransfer ? { bytes: dag.work[i], channel: dag.label[i] } : {},
      }),
    );
  }
  return `{"displayTimeUnit":"ns","traceEvents":[\n${events.join(',\n')}\n]}\n`;
}
