// Chrome trace JSON (opens in Perfetto / chrome://tracing) of a workload run. One process per
// rank with a track per stream (kernels, collectives as each member sees them, copies,
// send/recv, the input batch), the host thread (launches, CPU work) and each loader worker
// (reads, decodes, copies); a collective's transfers as async slices of the rank that sends
// them; and a "resources" process with usage counters of the busiest resources.
import { OP_TRANSFER } from '../graph/index.js';
import { CAT_HOST_WAIT, CAT_INPUT } from '../workload/timeline.js';
import type { WorkloadRun } from '../sim/workload-run.js';
import type { Topology } from '../topology/graph.js';
import type { WorkloadSpec } from '../workload/spec.js';

const CATEGORY = ['compute', 'comm', 'host', 'input', 'input'];
/** Collective transfers beyond this many are left out of the trace (said in its metadata). */
const MAX_TRANSFERS = 200_000;
const UNIT: Record<string, [string, number]> = { link: ['GB/s', 1e9], switch: ['GB/s', 1e9], hbm: ['GB/s', 1e9], math: ['TFLOP/s', 1e12], cores: ['cores', 1] };

export function workloadTrace(spec: WorkloadSpec, w: WorkloadRun, topo: Topology, counters = 8): string {
  const { timeline, dag, accelerators, collectives } = w.expanded;
  const { startSec, finishSec } = w.run;
  const us = (s: number) => +(s * 1e6).toFixed(6);
  const ev: string[] = [];
  const meta = (name: string, pid: number, tid: number, value: string) => ev.push(JSON.stringify({ name, ph: 'M', pid, tid, args: { name: value } }));
  accelerators.forEach((acc, r) => meta('process_name', r, 0, `rank ${r} (${topo.nodes[acc].id})`));
  timeline.tracks.forEach((t, i) => meta('thread_name', t.rank, i + 1, t.name));
  for (let k = 0; k < timeline.size; k++) {
    if (timeline.category[k] === CAT_INPUT || timeline.category[k] === CAT_HOST_WAIT) continue; // shown otherwise: the whole load, the host thread's tasks
    const op = timeline.op[k];
    const b = timeline.beginAtFinish[k] ? finishSec[timeline.begin[k]] : startSec[timeline.begin[k]];
    const e = finishSec[timeline.end[k]];
    const name = op < 0 ? 'launch' : spec.ops[op].id;
    ev.push(JSON.stringify({ name, cat: CATEGORY[timeline.category[k]], ph: 'X', pid: timeline.rank[k], tid: timeline.track[k] + 1, ts: us(b), dur: us(e - b), args: { iteration: timeline.iteration[k] } }));
  }
  let transfers = 0;
  for (const c of collectives)
    for (let i = c.firstOp; i < c.lastOp && transfers < MAX_TRANSFERS; i++) {
      if (dag.kind[i] !== OP_TRANSFER || dag.rank[i] < 0) continue;
      transfers++;
      const common = { name: `→ ${topo.nodes[dag.dst[i]].id}`, cat: 'transfer', id: i, pid: dag.rank[i], tid: 0 };
      ev.push(JSON.stringify({ ...common, ph: 'b', ts: us(startSec[i]), args: { bytes: dag.work[i], channel: dag.label[i] } }));
      ev.push(JSON.stringify({ ...common, ph: 'e', ts: us(finishSec[i]) }));
    }
  if (w.monitor?.logged) {
    const pid = accelerators.length;
    meta('process_name', pid, 0, 'resources (busiest, usage)');
    const T = w.run.makespanSec;
    const busiest = [...w.resources.keys()]
      .filter((r) => (w.monitor!.usageIntegral[r] ?? 0) > 0)
      .sort((a, b) => w.monitor!.usageIntegral[b] / w.monitor!.capacityOf(b) - w.monitor!.usageIntegral[a] / w.monitor!.capacityOf(a) || a - b)
      .slice(0, counters);
    const chosen = new Set(busiest);
    const m = w.monitor;
    for (let j = 0; j < m.logCount; j++) {
      const r = m.logResource[j];
      if (!chosen.has(r)) continue;
      const { name, kind } = w.resources.get(r)!;
      const [unit, scale] = UNIT[kind];
      ev.push(JSON.stringify({ name, ph: 'C', pid, ts: us(m.logTime[j]), args: { [unit]: +(m.logUsage[j] / scale).toPrecision(6) } }));
    }
    for (const r of busiest) {
      const { name, kind } = w.resources.get(r)!;
      ev.push(JSON.stringify({ name, ph: 'C', pid, ts: us(T), args: { [UNIT[kind][0]]: 0 } }));
    }
  }
  const unlogged = w.monitor !== undefined && !w.monitor.logged;
  const notes = { transfersShown: transfers, countersTruncated: w.monitor?.logTruncated ?? false, ...(unlogged ? { counters: 'none: the run kept no usage log (counters: false)' } : {}) };
  return `{"displayTimeUnit":"ns","metadata":${JSON.stringify({ workload: spec.name, topology: topo.name, ...notes })},"traceEvents":[\n${ev.join(',\n')}\n]}\n`;
}
