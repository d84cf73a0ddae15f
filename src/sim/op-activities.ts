// What each kind of graph operation asks of the engine: its amount of work, the resources it
// uses (with coefficients), its rate bound, weight and start delay. One entry per kind
// (graph/op-kinds.ts), so the runner never switches on kinds and a new kind is one entry.
//   transfer: its bytes over the route's links (and the HBM of both ends, with a host), after
//             α + the route's latency × latencyTimes, at most at its bound; to itself a delay;
//             out of a reducing switch, also memBytes of that switch's reduction units;
//   compute, cpu, hold: the host's kernel → resource mapping (host/kernel-activities.ts); a
//             hold lasts until the op that releases it finishes;
//   delay:    nothing, after its delay. An op with no work is a delay.
import { FairwayError } from '../core/errors.js';
import type { StartOptions } from '../engine/flow-engine.js';
import { OP_COMPUTE, OP_CPU, OP_DELAY, OP_HOLD, OP_TRANSFER } from '../graph/op-kinds.js';
import type { TransferDag } from '../graph/operation-graph.js';
import type { DagColumns } from '../graph/columns.js';
import type { HostResources } from '../host/host-resources.js';
import { cpuActivity, holdActivity, kernelActivity } from '../host/kernel-activities.js';
import type { NetworkResources } from '../topology/network-resources.js';
import type { Route, Router } from '../topology/routing/router.js';

/** An engine activity: null resources means a zero-work delay on the runner's timer. */
export interface ActivitySpec {
  readonly amount: number;
  readonly resources: number[] | null;
  readonly coefficients?: number[];
  readonly options: StartOptions;
}

export interface OpContext {
  readonly dag: TransferDag;
  /** The graph's columns (dag.columns), read once for the run. */
  readonly cols: Readonly<DagColumns>;
  readonly net: NetworkResources;
  readonly router: Router;
  readonly host?: HostResources;
  /** Whether op `op` has finished (a hold released before it starts is a zero delay). */
  readonly finished: (op: number) => boolean;
  /** The op that releases hold `op`. */
  readonly releaserOf: (op: number) => number;
}

type ActivityOf = (op: number, c: OpContext) => ActivitySpec;

const delayOf = (delaySec: number): ActivitySpec => ({ amount: 0, resources: null, options: { delaySec } });

function needHost(c: OpContext): HostResources {
  if (!c.host) throw new FairwayError('E_ARGUMENT', 'runDag: kernels and CPU work need HostResources');
  return c.host;
}

/**
 * The route's links and switches and, with a host, the HBM the data is read from and written
 * to, made once per route and run (kept on the route with the run's host or network resources
 * as owner: a run starts millions of transfers over a few thousand routes); shared, never
 * modified.
 */
function routeResources(route: Route, c: OpContext): number[] {
  const owner: object = c.host ?? c.net;
  const kept = route.resourcesOf;
  if (kept !== undefined && kept.owner === owner) return kept.resources;
  const resources = c.net.resourcesOf(route);
  // the data is read from the sender's HBM and written to the receiver's
  if (c.host) {
    const from = c.host.hbmIfAny(route.src), to = c.host.hbmIfAny(route.dst);
    if (from >= 0) resources.push(from);
    if (to >= 0) resources.push(to);
  }
  route.resourcesOf = { owner, resources };
  return resources;
}

function transfer(op: number, c: OpContext): ActivitySpec {
  const dag = c.cols;
  if (dag.src[op] === dag.dst[op]) return delayOf(dag.delaySec[op]);
  const route = c.router.route(dag.src[op], dag.dst[op], dag.label[op]);
  let resources = routeResources(route, c);
  const bound = dag.bound[op] > 0 ? dag.bound[op] : undefined;
  const options = { delaySec: dag.delaySec[op] + route.latencySec * dag.latencyTimes[op], bound };
  // the result of an in-network reduction also takes the sending switch's reduction units, memBytes per work
  const reducer = dag.memBytes[op] > 0 ? c.net.reductionResource[dag.src[op]] : -1;
  if (reducer < 0) return { amount: dag.work[op], resources, options };
  const coefficients = resources.map(() => 1);
  resources = [...resources, reducer];
  coefficients.push(dag.memBytes[op] / dag.work[op]);
  return { amount: dag.work[op], resources, coefficients, options };
}

function compute(op: number, c: OpContext): ActivitySpec {
  const host = needHost(c);
  const dag = c.cols;
  if (!(dag.work[op] > 0 || dag.memBytes[op] > 0)) return delayOf(dag.delaySec[op]);
  return kernelActivity(host, dag.src[op], dag.work[op], dag.memBytes[op], dag.delaySec[op]);
}

function cpu(op: number, c: OpContext): ActivitySpec {
  const host = needHost(c);
  const dag = c.cols;
  if (!(dag.work[op] > 0)) return delayOf(dag.delaySec[op]);
  return cpuActivity(host, dag.src[op], dag.work[op], dag.delaySec[op]);
}

function hold(op: number, c: OpContext): ActivitySpec {
  const host = needHost(c);
  if (c.finished(c.releaserOf(op))) return delayOf(0);
  return holdActivity(host, c.cols.src[op], c.cols.work[op]);
}

/** Indexed by op kind. */
export const OP_ACTIVITY: readonly ActivityOf[] = (() => {
  const table: ActivityOf[] = [];
  table[OP_TRANSFER] = transfer;
  table[OP_DELAY] = (op, c) => delayOf(c.cols.delaySec[op]);
  table[OP_COMPUTE] = compute;
  table[OP_CPU] = cpu;
  table[OP_HOLD] = hold;
  return table;
})();
