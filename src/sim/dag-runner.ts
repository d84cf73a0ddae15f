// Runs a TransferDag on a flow engine over a topology. An operation becomes ready when its
// last dependency finishes; a transfer then starts on its route's resources (and the HBM of
// both ends, with a host) with delay α + route latency; a kernel on its accelerator's math
// units and HBM, a CPU task on its socket's cores, a hold on a share of the math units until
// the op it waits for ends; a delay operation is a zero-work activity on a private timer resource.
// Completions of one instant are handled together, so a whole ring step costs one solve.
// Result: start and finish time of every operation (seconds from the run's start).
import { FairwayError } from '../core/errors.js';
import type { FlowEngine } from '../engine/flow-engine.js';
import type { TransferDag } from '../collective/dag.js';
import { OP_COMPUTE, OP_CPU, OP_HOLD, OP_TRANSFER } from '../collective/dag.js';
import type { HostResources } from '../host/host-resources.js';
import type { NetworkResources } from '../topology/network-resources.js';
import type { Router } from '../topology/routing/router.js';
import type { ResourceMonitor } from './resource-monitor.js';

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
}

/** `host` is needed when the DAG has kernels or CPU work. */
export function runDag(dag: TransferDag, engine: FlowEngine, net: NetworkResources, router: Router, host?: HostResources, options: RunDagOptions = {}): DagRunResult {
  const { monitor, progress } = options;
  const n = dag.size;
  const t0 = engine.now;
  const before = engine.stats();
  const waiting = new Int32Array(n);
  for (const to of dag.depTo) waiting[to]++;
  // dependents of op i: CSR built from depFrom.
  const outStart = new Int32Array(n + 1);
  for (const from of dag.depFrom) outStart[from + 1]++;
  for (let i = 0; i < n; i++) outStart[i + 1] += outStart[i];
  const fill = outStart.slice(0, n);
  const outList = new Int32Array(dag.depFrom.length);
  for (let e = 0; e < dag.depFrom.length; e++) outList[fill[dag.depFrom[e]]++] = dag.depTo[e];

  const timer = engine.addResource(1);
  // holds: released when the op they wait for finishes (dst holds that op)
  const holdsOf = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    if (dag.kind[i] !== OP_HOLD) continue;
    const list = holdsOf.get(dag.dst[i]);
    if (list) list.push(i);
    else holdsOf.set(dag.dst[i], [i]);
  }
  const holdActivity = new Map<number, number>();
  const startSec = new Float64Array(n).fill(NaN);
  const finishSec = new Float64Array(n).fill(NaN);
  const opOfActivity = new Map<number, number>();
  let finished = 0;

  const launch = (op: number) => {
    startSec[op] = engine.now - t0;
    let act: number;
    const kind = dag.kind[op];
    if ((kind === OP_COMPUTE || kind === OP_CPU || kind === OP_HOLD) && !host) throw new FairwayError('E_ARGUMENT', 'runDag: kernels and CPU work need HostResources');
    if (kind === OP_HOLD && host && Number.isNaN(finishSec[dag.dst[op]])) {
      // until released: the share of the math units, reserved (a weight far above any kernel's
      // fills it to its bound first)
      const node = dag.src[op];
      const res = [host.math(node)];
      act = engine.startOn(1e300, res, undefined, { bound: dag.bytes[op] * host.peak(node), weight: 1e6 * host.holdWeight(node) });
      monitor?.started(act, res);
      holdActivity.set(op, act);
    } else if (kind === OP_COMPUTE && host && (dag.bytes[op] > 0 || dag.memBytes[op] > 0)) {
      const res: number[] = [];
      const coef: number[] = [];
      if (dag.bytes[op] > 0) res.push(host.math(dag.src[op])), coef.push(dag.bytes[op]);
      if (dag.memBytes[op] > 0) res.push(host.hbm(dag.src[op])), coef.push(dag.memBytes[op]);
      const weight = host.kernelWeight(dag.src[op], dag.bytes[op], dag.memBytes[op]);
      act = engine.startOn(1, res, coef, { delaySec: dag.delaySec[op], weight });
      monitor?.started(act, res, coef);
    } else if (kind === OP_CPU && host && dag.bytes[op] > 0) {
      const res = [host.cores(dag.src[op])];
      act = engine.startOn(dag.bytes[op], res, undefined, { bound: 1, delaySec: dag.delaySec[op] });
      monitor?.started(act, res);
    } else if (kind === OP_TRANSFER && dag.src[op] !== dag.dst[op]) {
      const route = router.route(dag.src[op], dag.dst[op], dag.label[op]);
      const resources = net.resourcesOf(route);
      if (host) {
        // the data is read from the sender's HBM and written to the receiver's
        for (const end of [dag.src[op], dag.dst[op]]) if (host.hbmIfAny(end) >= 0) resources.push(host.hbmIfAny(end));
      }
      act = engine.startOn(dag.bytes[op], resources, undefined, { delaySec: dag.delaySec[op] + route.latencySec * dag.latencyTimes[op] });
      monitor?.started(act, resources);
    } else act = engine.startOn(0, [timer], undefined, { delaySec: kind === OP_HOLD ? 0 : dag.delaySec[op] });
    opOfActivity.set(act, op);
  };
  for (let i = 0; i < n; i++) if (waiting[i] === 0) launch(i);
  monitor?.sample(0);
  while (opOfActivity.size > 0) {
    const done = engine.advance();
    if (done.length === 0 && engine.nextEventTime() === Infinity) {
      throw new FairwayError('E_STALLED', `collective stalled at t=${engine.now - t0}s with ${opOfActivity.size} transfers in flight (a link with zero capacity?)`);
    }
    const ready: number[] = [];
    const complete = (op: number) => {
      finishSec[op] = engine.now - t0;
      finished++;
      for (let e = outStart[op]; e < outStart[op + 1]; e++) if (--waiting[outList[e]] === 0) ready.push(outList[e]);
      // holds waiting for this op end now (those not started yet end as soon as they start)
      const holds = holdsOf.size > 0 ? holdsOf.get(op) : undefined;
      if (holds) for (const h of holds) {
        const act = holdActivity.get(h);
        if (act === undefined) continue;
        holdActivity.delete(h);
        engine.cancel(act);
        opOfActivity.delete(act);
        monitor?.finished(act);
        complete(h);
      }
    };
    for (const act of done) {
      const op = opOfActivity.get(act)!;
      opOfActivity.delete(act);
      monitor?.finished(act);
      complete(op);
    }
    for (const op of ready) launch(op);
    monitor?.sample(engine.now - t0);
    progress?.(finished, n, engine.now - t0);
  }
  if (finished !== n)
    throw new FairwayError('E_INPUT', `the operation graph has a cycle: ${n - finished} operations can never start (in a workload: sends and receives waiting for each other on one stream; give them separate streams)`);
  const after = engine.stats();
  let makespan = 0;
  for (let i = 0; i < n; i++) makespan = Math.max(makespan, finishSec[i]);
  return { startSec, finishSec, makespanSec: makespan, events: after.events - before.events, solves: after.solves - before.solves };
}
