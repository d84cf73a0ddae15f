// Runs one operation graph to its end on a fresh simulation over a flow engine (graph-run.ts
// says how operations start and end), with an optional resource monitor sampled and a progress
// callback called at every instant. Result: start and finish time of every operation (seconds
// from the run's start), the makespan, and the engine's events and solves during the run.
import { FairwayError } from '../core/errors.js';
import type { FlowEngine } from '../engine/flow-engine.js';
import type { TransferDag } from '../graph/operation-graph.js';
import type { HostResources } from '../host/host-resources.js';
import type { NetworkResources } from '../topology/network-resources.js';
import type { Router } from '../topology/routing/router.js';
import { GraphRun } from './graph-run.js';
import type { ResourceMonitor } from './resource-monitor.js';
import { Simulation } from './simulation.js';

export interface DagRunResult {
  readonly startSec: Float64Array;
  readonly finishSec: Float64Array;
  readonly makespanSec: number;
  readonly events: number;
  readonly solves: number;
}

export interface RunDagOptions {
  /** Records resource usage and saturation between events. */
  readonly monitor?: ResourceMonitor;
  /** Called after every event with the operations finished so far. */
  readonly progress?: (finished: number, total: number, simSec: number) => void;
  /** Names the graph operations that never started (a cycle), for the error; default: their count only. */
  readonly describeStuck?: (neverStarted: readonly number[]) => string;
}

/** `host` is needed when the DAG has kernels or CPU work. */
export function runDag(dag: TransferDag, engine: FlowEngine, net: NetworkResources, router: Router, host?: HostResources, options: RunDagOptions = {}): DagRunResult {
  const { monitor, progress, describeStuck } = options;
  const n = dag.size;
  const before = engine.stats();
  const sim = new Simulation(engine, monitor, 'collective', 'transfers');
  const graph = new GraphRun(sim, dag, { net, router, host });
  monitor?.sample(0);
  sim.onInstant(() => {
    monitor?.sample(sim.now);
    progress?.(graph.finished, n, sim.now);
  });
  sim.run();
  if (graph.finished !== n) {
    const stuck: number[] = [];
    for (let i = 0; i < n; i++) if (Number.isNaN(graph.startSec[i])) stuck.push(i);
    const which = describeStuck ? `: ${describeStuck(stuck)}` : '';
    throw new FairwayError('E_INPUT', `the operation graph has a cycle: ${n - graph.finished} operations can never start${which} (in a workload: sends and receives waiting for each other on one stream; give them separate streams)`);
  }
  const after = engine.stats();
  let makespan = 0;
  for (let i = 0; i < n; i++) makespan = Math.max(makespan, graph.finishSec[i]);
  return { startSec: graph.startSec, finishSec: graph.finishSec, makespanSec: makespan, events: after.events - before.events, solves: after.solves - before.solves };
}
