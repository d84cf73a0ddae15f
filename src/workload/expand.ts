// Expands a workload for every rank and iteration into one operation DAG, and a timeline of
// what each rank does, in workload terms, for reports and traces:
//   - streams: an operation waits for the previous one on its stream (across iterations);
//   - kernels (compute, memcpy, send/recv and each rank's collective kernel) are launched in
//     program order by the rank's host thread (a CPU task of `launch` seconds on its socket);
//     in graph mode one launch per iteration covers all of them; `cpu` work runs on that thread
//     (host/: host-thread.ts, kernel-launches.ts, streams.ts);
//   - each op type expands as its expander in ops/ says (collectives per group of ranks,
//     send/recv matched into one transfer, input pipelines loading ahead, …).
// An operation skipped on a rank (`ranks:`, a group of one, a peer past the group's end) passes
// its dependencies on.
import { defaultCommunicator } from '../collective/communicator.js';
import { ALGORITHMS } from '../collective/index.js';
import type { TransferDag } from '../graph/index.js';
import type { Topology } from '../topology/graph.js';
import type { Router } from '../topology/routing/router.js';
import { Expansion, type AlgorithmChoice, type CollectiveInstance } from './expansion.js';
import { planOps } from './op-plan.js';
import { expanderOf } from './ops/index.js';
import { rankHosts } from '../host/rank-hosts.js';
import { programOrder } from './program-order.js';
import { estimatedOperations } from './size-estimate.js';
import type { WorkloadSpec } from './spec.js';
import type { Timeline } from './timeline.js';

export type { AlgorithmChoice } from './expansion.js';

export interface ExpandedWorkload {
  readonly dag: TransferDag;
  /** Accelerator node of each rank. */
  readonly accelerators: Int32Array;
  readonly timeline: Timeline;
  /** Each collective instance (one per group and iteration): its start gate and its end, the op it came from and its algorithm. */
  readonly collectives: CollectiveInstance[];
}

/** Without a tuner, `auto` is the operation's first algorithm. */
const FIRST_ALGORITHM: AlgorithmChoice = (op) => ALGORITHMS[op][0];

/** Whether the workload does any host work: launches that cost time, CPU tasks, host copies or input. */
function needsHost(spec: WorkloadSpec): boolean {
  return spec.launchSec > 0 || spec.ops.some((op) => op.type === 'cpu' || op.type === 'input' || (op.type === 'memcpy' && (op.direction === 'h2d' || op.direction === 'd2h')));
}

export function expandWorkload(spec: WorkloadSpec, topo: Topology, router: Router, choose: AlgorithmChoice = FIRST_ALGORITHM): ExpandedWorkload {
  const accs = defaultCommunicator(topo, spec.ranks, 1).nodes;
  const hosts = rankHosts(topo, router, accs, needsHost(spec));
  const expanders = spec.ops.map((op) => expanderOf(op.type));
  const x = new Expansion(spec, topo, accs, hosts, planOps(spec, accs.length, expanders), choose);
  const seq = programOrder(spec);
  // columns sized once: twice the estimate, which is low by up to 40% where rings cross servers
  // on two channels (capacity never written is never committed, so the spare costs no memory)
  x.dag.reserve(Math.ceil(2 * estimatedOperations(spec, accs.length) * spec.iterations));
  for (let it = 0; it < spec.iterations; it++) {
    x.beginIteration(it);
    for (const i of seq) {
      x.beginOp(i);
      expanders[i].expand(x);
    }
    x.endIteration();
  }
  return { dag: x.dag, accelerators: accs, timeline: x.timeline, collectives: x.collectives };
}
