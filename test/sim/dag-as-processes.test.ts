// A static operation graph is expressible as processes: one process per operation that waits
// for all its dependencies, runs its kind's activity (a hold until its releaser finishes) and
// then fires its own event. On every shipped workload small enough for the suite it gives exactly the
// graph runner's start and finish times.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/index.js';
import { OP_KINDS } from '../../src/graph/op-kinds.js';
import type { TransferDag } from '../../src/graph/operation-graph.js';
import { HostResources } from '../../src/host/host-resources.js';
import { loadTopologySpec } from '../../src/io/topology-source.js';
import { parseWorkloadText } from '../../src/io/workload-file.js';
import { algorithmTuner } from '../../src/sim/algorithm-tuner.js';
import { runDag } from '../../src/sim/dag-runner.js';
import { OP_ACTIVITY, type OpContext } from '../../src/sim/op-activities.js';
import { Processes, SimEvent, type Process } from '../../src/sim/process.js';
import { Simulation } from '../../src/sim/simulation.js';
import { buildTopology } from '../../src/topology/build.js';
import type { Topology } from '../../src/topology/graph.js';
import { NetworkResources } from '../../src/topology/network-resources.js';
import { Router } from '../../src/topology/routing/router.js';
import { expandWorkload } from '../../src/workload/expand.js';

const SHIPPED = ['dp-step-overlap', 'launch-bound-inference', 'input-bound-vision', 'mixtral-8x7b-ep', 'llama2-13b-128gpu'];

/** Every op a process; returns start and finish times. */
function runAsProcesses(dag: TransferDag, topo: Topology, router: Router): { start: Float64Array; finish: Float64Array } {
  const engine = createEngine('wasm');
  const net = new NetworkResources(engine, topo);
  const host = new HostResources(engine, topo);
  const sim = new Simulation(engine);
  const p = new Processes(sim);
  const n = dag.size;
  const done = Array.from({ length: n }, () => new SimEvent());
  const deps: number[][] = Array.from({ length: n }, () => []);
  for (let e = 0; e < dag.depTo.length; e++) deps[dag.depTo[e]].push(dag.depFrom[e]);
  const releaser = new Map<number, number>();
  for (let k = 0; k < dag.releaseEdges.length; k += 2) releaser.set(dag.releaseEdges[k + 1], dag.releaseEdges[k]);
  const start = new Float64Array(n).fill(NaN), finish = new Float64Array(n).fill(NaN);
  const ctx: OpContext = { dag, cols: dag.columns, net, router, host, finished: (op) => done[op].fired, releaserOf: (op) => releaser.get(op) ?? -1 };
  function* op(i: number): Process {
    yield p.allOf(deps[i].map((d) => done[d]));
    start[i] = p.now;
    const a = OP_ACTIVITY[dag.kind[i]](i, ctx);
    if (!a.resources) yield p.timeout(a.options.delaySec ?? 0);
    else if (OP_KINDS[dag.kind[i]].released) {
      const act = sim.start(a.amount, a.resources, a.coefficients, a.options, () => {});
      yield done[releaser.get(i)!];
      sim.cancel(act);
    } else yield p.activity(a.amount, a.resources, a.coefficients, a.options);
    finish[i] = p.now;
    done[i].fire();
  }
  for (let i = 0; i < n; i++) p.spawn(op(i));
  p.run();
  return { start, finish };
}

describe('a static graph as processes', () => {
  for (const name of SHIPPED) {
    it(`${name}: the same start and finish times as the graph runner`, () => {
      const spec = parseWorkloadText(readFileSync(`workloads/${name}.yaml`, 'utf8'), `${name}.yaml`);
      const topo = buildTopology(loadTopologySpec(join('workloads', spec.topology!)));
      const router = new Router(topo, 0);
      const { dag } = expandWorkload(spec, topo, router, algorithmTuner(topo, router));
      const engine = createEngine('wasm');
      const ref = runDag(dag, engine, new NetworkResources(engine, topo), router, new HostResources(engine, topo));
      const got = runAsProcesses(dag, topo, router);
      let worst = 0;
      for (let i = 0; i < dag.size; i++) {
        expect(Number.isFinite(got.finish[i])).toBe(true);
        worst = Math.max(worst, Math.abs(got.finish[i] - ref.finishSec[i]) / Math.max(ref.makespanSec, 1e-30), Math.abs(got.start[i] - ref.startSec[i]) / Math.max(ref.makespanSec, 1e-30));
      }
      expect(worst).toBe(0);
    }, 60_000);
  }
});
