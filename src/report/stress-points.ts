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
import type { LinkType } from '../hardware/types.js';

export interface StressPoint {
  resource: string;
  kind: 'link' | 'switch' | 'math' | 'hbm' | 'cores';
  /** A link's type (nvlink, pcie, ethernet, infiniband, ...); absent for other kinds. */
  linkType?: LinkType;
  utilization: number;
}

/** Report classes of resources, in the order reports list them. */
export const RESOURCE_CLASSES = ['network links', 'scale-up links', 'PCIe', 'memory and chip links', 'switches', 'math', 'HBM', 'CPU cores'] as const;
export type ResourceClass = (typeof RESOURCE_CLASSES)[number];

const LINK_CLASS: Partial<Record<LinkType, ResourceClass>> = { ethernet: 'network links', infiniband: 'network links', nvlink: 'scale-up links', 'infinity-fabric': 'scale-up links', pcie: 'PCIe' };
const KIND_CLASS: Record<Exclude<StressPoint['kind'], 'link'>, ResourceClass> = { switch: 'switches', math: 'math', hbm: 'HBM', cores: 'CPU cores' };

/** The class of a stress point: a link by its type (the network, scale-up, PCIe, or memory and chip-to-chip links), else by its kind. */
export function resourceClass(p: StressPoint): ResourceClass {
  return p.kind === 'link' ? (p.linkType && LINK_CLASS[p.linkType]) || 'memory and chip links' : KIND_CLASS[p.kind];
}

/** The `perClass` most utilized points of every class that has some, classes in RESOURCE_CLASSES order. */
export function byResourceClass<T extends StressPoint>(points: readonly T[], perClass = 3): T[] {
  const byName = (x: T, y: T) => (x.resource < y.resource ? -1 : x.resource > y.resource ? 1 : 0);
  return RESOURCE_CLASSES.flatMap((c) => points.filter((p) => resourceClass(p) === c).sort((x, y) => y.utilization - x.utilization || byName(x, y)).slice(0, perClass));
}

/** Bytes every directed link carried over the run: each transfer's bytes on every link of its route. */
export function linkLoads(dag: TransferDag, topo: Topology, router: Router): Float64Array {
  const load = new Float64Array(topo.directedLinkCount);
  const { kind, src, dst, label, work } = dag.columns;
  for (let i = 0; i < kind.length; i++) {
    if (kind[i] !== OP_TRANSFER || src[i] === dst[i]) continue;
    for (const l of router.route(src[i], dst[i], label[i]).links) load[l] += work[i];
  }
  return load;
}

export function stressPoints(dag: TransferDag, run: DagRunResult, topo: Topology, router: Router, withHost: boolean, top = 8): StressPoint[] {
  const T = run.makespanSec;
  if (!(T > 0)) return [];
  const linkLoad = new Float64Array(topo.directedLinkCount);
  const nodeLoad = new Float64Array(topo.nodes.length);
  const hbm = new Float64Array(topo.nodes.length);
  const math = new Float64Array(topo.nodes.length);
  const cores = new Float64Array(topo.nodes.length);
  const { kind, src, dst, label, work, memBytes } = dag.columns;
  const isAcc = Uint8Array.from(topo.nodes, (n) => (n.kind === 'accelerator' ? 1 : 0));
  for (let i = 0; i < kind.length; i++) {
    const k = kind[i];
    if (k === OP_TRANSFER && src[i] !== dst[i]) {
      const links = router.route(src[i], dst[i], label[i]).links;
      for (let j = 0; j < links.length; j++) {
        linkLoad[links[j]] += work[i];
        if (j > 0) nodeLoad[topo.from(links[j])] += work[i];
      }
      if (withHost) {
        if (isAcc[src[i]]) hbm[src[i]] += work[i];
        if (isAcc[dst[i]]) hbm[dst[i]] += work[i];
      }
    } else if (k === OP_COMPUTE) {
      math[src[i]] += work[i];
      hbm[src[i]] += memBytes[i];
    } else if (k === OP_CPU) cores[src[i]] += work[i];
  }
  const out: StressPoint[] = [];
  topo.links.forEach((l, li) => {
    for (const dir of [0, 1]) {
      const load = linkLoad[2 * li + dir];
      if (load > 0) {
        const [a, b] = dir === 0 ? [l.a, l.b] : [l.b, l.a];
        out.push({ resource: `${topo.nodes[a].id} → ${topo.nodes[b].id}`, kind: 'link', linkType: l.type, utilization: load / (l.bytesPerSec * T) });
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
export function monitoredStressPoints(
  monitor: ResourceMonitor,
  names: ReadonlyMap<number, { name: string; kind: StressPoint['kind']; linkType?: LinkType }>,
  runSec: number,
  top = 5,
): WorkloadStressPoints {
  const all: MonitoredStressPoint[] = [];
  if (runSec > 0)
    for (const [r, { name, kind, linkType }] of names) {
      const used = monitor.usageIntegral[r] ?? 0;
      if (!(used > 0)) continue;
      all.push({ resource: name, kind, ...(linkType ? { linkType } : {}), utilization: used / (monitor.capacityOf(r) * runSec), bottleneckSec: monitor.saturatedSec[r] ?? 0 });
    }
  const byName = (x: MonitoredStressPoint, y: MonitoredStressPoint) => (x.resource < y.resource ? -1 : x.resource > y.resource ? 1 : 0);
  const byUtilization = [...all].sort((x, y) => y.utilization - x.utilization || byName(x, y)).slice(0, top);
  const byBottleneck = all.filter((p) => p.bottleneckSec > 0).sort((x, y) => y.bottleneckSec - x.bottleneckSec || byName(x, y)).slice(0, top);
  return { byUtilization, byBottleneck, byClass: byResourceClass(all) };
}

/** A workload run's stress points: the most utilized, the longest bottlenecks, and the most utilized of each resource class (3 each). */
export interface WorkloadStressPoints {
  byUtilization: MonitoredStressPoint[];
  byBottleneck: MonitoredStressPoint[];
  byClass: MonitoredStressPoint[];
}

/**
 * A workload run's stress points: from its resource monitor when it had one, else utilization
 * from the operations' totals (exact averages) and no bottleneck times (NaN, none listed).
 */
export function workloadStressPoints(w: WorkloadRun, topo: Topology, router: Router, top: number): WorkloadStressPoints {
  if (w.monitor) return monitoredStressPoints(w.monitor, w.resources, w.run.makespanSec, top);
  const all = stressPoints(w.expanded.dag, w.run, topo, router, true, Infinity).map((p) => ({ ...p, bottleneckSec: NaN }));
  return { byUtilization: all.slice(0, top), byBottleneck: [], byClass: byResourceClass(all) };
}
