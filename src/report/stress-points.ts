// Stress points of a run: every resource's average utilization over the run, from what the
// operations moved through it (bytes over each link direction and capacitated node, FLOPs on
// math units, bytes through HBM, core-seconds on CPU pools) divided by capacity × run time.
// The most utilized resources are where a faster part would pay off first.
import { OP_COMPUTE, OP_CPU, OP_TRANSFER, type TransferDag } from '../graph/index.js';
import { ACCELERATOR_SPECS, CPU_SPECS } from '../hardware/index.js';
import type { DagRunResult } from '../sim/dag-runner.js';
import type { ResourceMonitor } from '../sim/resource-monitor.js';
import type { WorkloadRun } from '../sim/workload-run.js';
import type { Topology } from '../topology/graph.js';
import type { Router } from '../topology/routing/router.js';

export interface StressPoint {
  resource: string;
  kind: 'link' | 'switch' | 'math' | 'hbm' | 'cores';
  utilization: number;
}

export function stressPoints(dag: TransferDag, run: DagRunResult, topo: Topology, router: Router, withHost: boolean, top = 8): StressPoint[] {
  const T = run.makespanSec;
  if (!(T > 0)) return [];
  const linkLoad = new Float64Array(topo.directedLinkCount);
  const nodeLoad = new Float64Array(topo.nodes.length);
  const hbm = new Float64Array(topo.nodes.length);
  const math = new Float64Array(topo.nodes.length);
  const cores = new Float64Array(topo.nodes.length);
  for (let i = 0; i < dag.size; i++) {
    const k = dag.kind[i];
    if (k === OP_TRANSFER && dag.src[i] !== dag.dst[i]) {
      const links = router.route(dag.src[i], dag.dst[i], dag.label[i]).links;
      for (let j = 0; j < links.length; j++) {
        linkLoad[links[j]] += dag.work[i];
        if (j > 0) nodeLoad[topo.from(links[j])] += dag.work[i];
      }
      if (withHost) for (const end of [dag.src[i], dag.dst[i]]) if (topo.nodes[end].kind === 'accelerator') hbm[end] += dag.work[i];
    } else if (k === OP_COMPUTE) {
      math[dag.src[i]] += dag.work[i];
      hbm[dag.src[i]] += dag.memBytes[i];
    } else if (k === OP_CPU) cores[dag.src[i]] += dag.work[i];
  }
  const out: StressPoint[] = [];
  topo.links.forEach((l, li) => {
    for (const dir of [0, 1]) {
      const load = linkLoad[2 * li + dir];
      if (load > 0) {
        const [a, b] = dir === 0 ? [l.a, l.b] : [l.b, l.a];
        out.push({ resource: `${topo.nodes[a].id} → ${topo.nodes[b].id}`, kind: 'link', utilization: load / (l.bytesPerSec * T) });
      }
    }
  });
  for (const n of topo.nodes) {
    if (nodeLoad[n.index] > 0 && n.capacityBytesPerSec > 0) out.push({ resource: n.id, kind: 'switch', utilization: nodeLoad[n.index] / (n.capacityBytesPerSec * T) });
    const acc = ACCELERATOR_SPECS.get(n.spec);
    if (acc && math[n.index] > 0) out.push({ resource: `${n.id} math`, kind: 'math', utilization: math[n.index] / (acc.flopsPerSec * T) });
    if (acc && hbm[n.index] > 0) out.push({ resource: `${n.id} HBM`, kind: 'hbm', utilization: hbm[n.index] / (acc.memoryBytesPerSec * T) });
    const cpu = CPU_SPECS.get(n.spec);
    if (cpu && cores[n.index] > 0) out.push({ resource: `${n.id} cores`, kind: 'cores', utilization: cores[n.index] / (cpu.cores * T) });
  }
  out.sort((x, y) => y.utilization - x.utilization || (x.resource < y.resource ? -1 : 1));
  return out.slice(0, top);
}

/** A resource watched during a run: average utilization and time spent saturated while in use (the bottleneck of someone). */
export interface MonitoredStressPoint extends StressPoint {
  bottleneckSec: number;
}

/**
 * The `top` resources by utilization and by bottleneck time, from a run's ResourceMonitor.
 * Utilization is ∫usage/(capacity × run time); bottleneck time is the time the resource was
 * saturated with at least one user.
 */
function monitoredStressPoints(
  monitor: ResourceMonitor,
  names: ReadonlyMap<number, { name: string; kind: StressPoint['kind'] }>,
  runSec: number,
  top = 5,
): { byUtilization: MonitoredStressPoint[]; byBottleneck: MonitoredStressPoint[] } {
  const all: MonitoredStressPoint[] = [];
  if (runSec > 0)
    for (const [r, { name, kind }] of names) {
      const used = monitor.usageIntegral[r] ?? 0;
      if (!(used > 0)) continue;
      all.push({ resource: name, kind, utilization: used / (monitor.capacityOf(r) * runSec), bottleneckSec: monitor.saturatedSec[r] ?? 0 });
    }
  const byName = (x: MonitoredStressPoint, y: MonitoredStressPoint) => (x.resource < y.resource ? -1 : x.resource > y.resource ? 1 : 0);
  const byUtilization = [...all].sort((x, y) => y.utilization - x.utilization || byName(x, y)).slice(0, top);
  const byBottleneck = all.filter((p) => p.bottleneckSec > 0).sort((x, y) => y.bottleneckSec - x.bottleneckSec || byName(x, y)).slice(0, top);
  return { byUtilization, byBottleneck };
}

/**
 * A workload run's stress points: from its resource monitor when it had one, else utilization
 * from the operations' totals (exact averages) and no bottleneck times (NaN, none listed).
 */
export function workloadStressPoints(w: WorkloadRun, topo: Topology, router: Router, top: number): { byUtilization: MonitoredStressPoint[]; byBottleneck: MonitoredStressPoint[] } {
  if (w.monitor) return monitoredStressPoints(w.monitor, w.resources, w.run.makespanSec, top);
  return { byUtilization: stressPoints(w.expanded.dag, w.run, topo, router, true, top).map((p) => ({ ...p, bottleneckSec: NaN })), byBottleneck: [] };
}
