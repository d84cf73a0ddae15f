// Building a large hierarchical all-reduce on the worker pool, identical to the single-threaded
// build op for op and edge for edge (test/parallel/parallel-build.test.ts):
//   1. plan: every group of every phase is measured with a counting sink (one count per group
//      shape: all servers, and all rails, look alike), which fixes where its operations and
//      edges go and which ops end each rank's phase, so later phases know their dependencies;
//   2. fill: the groups are split into runs, one task each, and the workers write them into
//      shared columns at the planned places, all phases at once;
//   3. the main thread adopts the columns as the graph (no copy).
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { Communicator } from '../collective/communicator.js';
import { TransferDag } from '../graph/index.js';
import { buildPhase, hierarchyOf, hierarchyPhases } from '../collective/hierarchical.js';
import type { RingOptions } from '../collective/ring.js';
import type { Topology } from '../topology/graph.js';
import type { FillTask } from './build-worker.js';
import { CountingSink, sharedColumns } from '../graph/shared-columns.js';

/** src/parallel and dist/parallel both sit two levels below the package root; workers run the built code. */
const WORKER = fileURLToPath(new URL('../../dist/parallel/build-worker.js', import.meta.url));

/** From this many ranks on, `fairway collective` builds hierarchical all-reduces on the pool. */
export const PARALLEL_BUILD_MIN_RANKS = 4096;

export function createBuildPool(workers: number): Piscina {
  return new Piscina({ filename: WORKER, minThreads: workers, maxThreads: workers, idleTimeout: 10_000 });
}

/** Stand-in ids for a previous phase's ends while counting (above any real id). */
const EXTERNAL = 2 ** 30;

interface GroupPlan {
  nodes: Int32Array;
  ranks: Int32Array;
  after: Int32Array;
  start: [number, number];
  end: [number, number];
}

/** The hierarchical all-reduce (`hier`; `hier-hd` with across = 'hd') built on `pool`, each phase in `parts` runs. */
export async function buildHierarchicalParallel(pool: Piscina, topo: Topology, comm: Communicator, bytes: number, o: RingOptions, across: 'ring' | 'hd', parts: number): Promise<TransferDag> {
  const { servers, rails } = hierarchyOf(topo, comm);
  const phaseDone = new Int32Array(comm.nodes.length).fill(-1);
  const phases: { kind: 'ring' | 'hd'; size: number; steps: number; plans: GroupPlan[] }[] = [];
  let ops = 0;
  let edges = 0;
  for (const [kind, groups, size, steps] of hierarchyPhases(servers, rails, bytes, across)) {
    if (kind === 'ring' && steps === 0) continue;
    const shapes = new Map<string, { ops: number; edges: number; last: Int32Array }>();
    const plans: GroupPlan[] = groups.map((g) => {
      const after = Int32Array.from(g, (r) => phaseDone[r]);
      const key = `${g.length}:${Array.from(after, (a) => (a >= 0 ? 1 : 0)).join('')}`;
      let shape = shapes.get(key);
      if (!shape) {
        const sink = new CountingSink();
        const last = buildPhase(sink, kind, [Int32Array.from(g, (r) => comm.nodes[r])], [Int32Array.from(g)], [after.map((a, i) => (a >= 0 ? EXTERNAL + i : -1))], size, steps, o)[0];
        shape = { ops: sink.ops, edges: sink.edges, last };
        shapes.set(key, shape);
      }
      const plan: GroupPlan = { nodes: Int32Array.from(g, (r) => comm.nodes[r]), ranks: Int32Array.from(g), after, start: [ops, edges], end: [ops + shape.ops, edges + shape.edges] };
      g.forEach((r, i) => {
        const l = shape!.last[i];
        phaseDone[r] = l >= EXTERNAL ? after[l - EXTERNAL] : l < 0 ? -1 : ops + l;
      });
      ops += shape.ops;
      edges += shape.edges;
      return plan;
    });
    phases.push({ kind, size, steps, plans });
  }
  const columns = sharedColumns(ops, edges);
  const tasks: Promise<number>[] = [];
  for (const { kind, size, steps, plans } of phases) {
    const per = Math.ceil(plans.length / parts);
    for (let i = 0; i < plans.length; i += per) {
      const run = plans.slice(i, i + per);
      const task: FillTask = {
        columns,
        kind,
        size,
        steps,
        options: o,
        groups: run.map((p) => p.nodes),
        ranks: run.map((p) => p.ranks),
        afters: run.map((p) => p.after),
        starts: Float64Array.from(run.flatMap((p) => p.start)),
        ends: Float64Array.from(run.flatMap((p) => p.end)),
      };
      tasks.push(pool.run(task, { name: 'fillPhase' }) as Promise<number>);
    }
  }
  await Promise.all(tasks);
  return TransferDag.adopt(columns, ops, edges);
}
