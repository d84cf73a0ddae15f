// Runs a workload on a topology: expands every rank's operations for every iteration into one
// operation DAG (src/workload/expand.ts) and runs it with the network and host resources
// together, then breaks each rank's time down and, when monitored, records every resource's
// utilization and time as a bottleneck.
import type { LinkType } from '../hardware/types.js';
import { createEngine, type EngineKind } from '../engine/index.js';
import { HostResources } from '../host/host-resources.js';
import type { Topology } from '../topology/graph.js';
import { NetworkResources } from '../topology/network-resources.js';
import type { Router } from '../topology/routing/router.js';
import { rankBreakdown, type RankBreakdown } from './breakdown.js';
import { expandWorkload, type ExpandedWorkload } from '../workload/expand.js';
import type { WorkloadSpec } from '../workload/spec.js';
import { representativeOf, symmetryIn } from '../workload/generators/symmetry.js';
import type { Timeline } from '../workload/timeline.js';
import { algorithmTuner } from './algorithm-tuner.js';
import { runDag, type DagRunResult } from './dag-runner.js';
import { ResourceMonitor } from './resource-monitor.js';

/** Above this many operations `monitor: 'auto'` leaves the monitor off (it would dominate the run time). */
export const MONITOR_AUTO_LIMIT = 1_000_000;

export interface WorkloadResult {
  readonly ranks: number;
  readonly iterations: number;
  readonly makespanSec: number;
  readonly stepSec: number;
  /** Per step, mean over ranks: the breakdown (adds up to stepSec) … */
  readonly computeSec: number;
  readonly exposedCommSec: number;
  readonly hostBoundSec: number;
  readonly inputStallSec: number;
  readonly idleSec: number;
  /** … and busy times: communication (overlapped or not) and the host thread. */
  readonly commSec: number;
  readonly hostSec: number;
  readonly operations: number;
  readonly events: number;
  readonly solves: number;
}

/** Name and kind of an engine resource, for reports. */
export interface ResourceName {
  readonly name: string;
  readonly kind: 'link' | 'switch' | 'math' | 'hbm' | 'cores';
  /** A link's type (NVLink, PCIe, Ethernet, ...). */
  readonly linkType?: LinkType;
}

/** The summary, the per-rank breakdown, and everything traces and reports need. */
export interface WorkloadRun {
  readonly summary: WorkloadResult;
  readonly perRank: RankBreakdown[];
  readonly expanded: ExpandedWorkload;
  readonly run: DagRunResult;
  readonly monitor?: ResourceMonitor;
  readonly resources: ReadonlyMap<number, ResourceName>;
  /** Wall seconds of the run's phases: building the graph, running it, breaking the ranks' time down (for benchmarks). */
  readonly phaseSec: { readonly expand: number; readonly run: number; readonly breakdown: number };
}

export interface WorkloadRunOptions {
  readonly engine?: EngineKind;
  /**
   * Record utilization and bottleneck time of every resource (one pass over live activities per
   * event): true, false, or 'auto' (on up to MONITOR_AUTO_LIMIT operations).
   */
  readonly monitor?: boolean | 'auto';
  /** Keep the monitor's log of usage changes, for a trace's counters (default true). */
  readonly counters?: boolean;
  readonly progress?: (finished: number, total: number, simSec: number) => void;
}

/** The workload operations (id on rank, first iteration) whose graph operations never started; the first 6. */
function stuckOps(spec: WorkloadSpec, t: Timeline, stuck: readonly number[]): string {
  const never = new Set(stuck);
  const names: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < t.size && names.length < 6; i++) {
    if (t.op[i] < 0 || !never.has(t.end[i])) continue;
    const name = `${spec.ops[t.op[i]].id} on rank ${t.rank[i]}`;
    if (!seen.has(name)) seen.add(name), names.push(name);
  }
  return names.join(', ') + (names.length === 6 ? ', …' : '');
}

/** With symmetric reduction, every rank that was not simulated takes its block's breakdown (generators/symmetry.ts). */
function mirrored(spec: WorkloadSpec, perRank: RankBreakdown[]): RankBreakdown[] {
  const plan = spec.training?.plan;
  if (!plan || !symmetryIn(plan)) return perRank;
  return perRank.map((b, r) => {
    const rep = representativeOf(plan, r);
    return rep === r ? b : { ...perRank[rep], rank: r };
  });
}

export function runWorkload(spec: WorkloadSpec, topo: Topology, router: Router, options: WorkloadRunOptions = {}): WorkloadRun {
  const t0 = performance.now();
  const expanded = expandWorkload(spec, topo, router, algorithmTuner(topo, router, options.engine ?? 'wasm'));
  const t1 = performance.now();
  const engine = createEngine(options.engine ?? 'wasm');
  const net = new NetworkResources(engine, topo);
  const host = new HostResources(engine, topo);
  const on = options.monitor === 'auto' ? expanded.dag.size <= MONITOR_AUTO_LIMIT : options.monitor === true;
  const monitor = on ? new ResourceMonitor(engine, { log: options.counters ?? true }) : undefined;
  const run = runDag(expanded.dag, engine, net, router, host, { monitor, progress: options.progress, describeStuck: (ids) => stuckOps(spec, expanded.timeline, ids) });
  const t2 = performance.now();
  const n = expanded.accelerators.length;
  const perRank = mirrored(spec, rankBreakdown(expanded.timeline, run, n, spec.iterations, expanded.dag));
  const phaseSec = { expand: (t1 - t0) / 1000, run: (t2 - t1) / 1000, breakdown: (performance.now() - t2) / 1000 };
  const mean = (f: (b: RankBreakdown) => number) => perRank.reduce((s, b) => s + f(b), 0) / n;
  const summary: WorkloadResult = {
    ranks: n,
    iterations: spec.iterations,
    makespanSec: run.makespanSec,
    stepSec: run.makespanSec / spec.iterations,
    computeSec: mean((b) => b.computeSec),
    exposedCommSec: mean((b) => b.exposedCommSec),
    hostBoundSec: mean((b) => b.hostBoundSec),
    inputStallSec: mean((b) => b.inputStallSec),
    idleSec: mean((b) => b.idleSec),
    commSec: mean((b) => b.commBusySec),
    hostSec: mean((b) => b.hostBusySec),
    operations: expanded.dag.size,
    events: run.events,
    solves: run.solves,
  };
  const resources = new Map<number, ResourceName>();
  for (const d of [...net.describe(), ...host.describe()]) resources.set(d.resource, 'linkType' in d && d.linkType ? { name: d.name, kind: d.kind, linkType: d.linkType } : { name: d.name, kind: d.kind });
  return { summary, perRank, expanded, run, monitor, resources, phaseSec };
}
