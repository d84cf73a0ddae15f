// One operation graph running on a simulation (simulation.ts), alone or among other graphs and
// processes. An operation becomes ready when its last dependency finishes and then starts the
// activity its kind asks for (op-activities.ts); a hold ends when the op releasing it finishes.
// Operations made ready in one instant start together at its end, so a whole ring step costs
// one solve. `done` fires when every operation has finished.
import { OP_KINDS } from '../graph/op-kinds.js';
import type { TransferDag } from '../graph/operation-graph.js';
import type { HostResources } from '../host/host-resources.js';
import type { NetworkResources } from '../topology/network-resources.js';
import type { Router } from '../topology/routing/router.js';
import { OP_ACTIVITY, type OpContext } from './op-activities.js';
import { SimEvent } from './sim-event.js';
import type { Simulation } from './simulation.js';

/** Where a graph's operations find their resources: links and routes, and (for kernels and CPU work) the host. */
export interface GraphResources {
  readonly net: NetworkResources;
  readonly router: Router;
  readonly host?: HostResources;
}

/** Dependents of every op as CSR (start offsets and the list), and each op's count of dependencies. */
function dependents(dag: TransferDag): { outStart: Int32Array; outList: Int32Array; waiting: Int32Array } {
  const n = dag.size;
  const { depFrom, depTo } = dag.columns;
  const waiting = new Int32Array(n);
  const edges = depTo.length;
  for (let e = 0; e < edges; e++) waiting[depTo[e]]++;
  const outStart = new Int32Array(n + 1);
  for (let e = 0; e < edges; e++) outStart[depFrom[e] + 1]++;
  for (let i = 0; i < n; i++) outStart[i + 1] += outStart[i];
  const fill = outStart.slice(0, n);
  const outList = new Int32Array(depFrom.length);
  for (let e = 0; e < depFrom.length; e++) outList[fill[depFrom[e]]++] = depTo[e];
  return { outStart, outList, waiting };
}

/** The holds each op releases, and the op releasing each hold (−1: none). */
function releases(dag: TransferDag): { holdsOf: Map<number, number[]>; releaserOf: Int32Array } {
  const holdsOf = new Map<number, number[]>();
  const releaserOf = new Int32Array(dag.size).fill(-1);
  const edges = dag.releaseEdges;
  for (let k = 0; k < edges.length; k += 2) {
    const by = edges[k], hold = edges[k + 1];
    releaserOf[hold] = by;
    const list = holdsOf.get(by);
    if (list) list.push(hold);
    else holdsOf.set(by, [hold]);
  }
  return { holdsOf, releaserOf };
}

export class GraphRun {
  /** Start and finish of every operation, seconds on the simulation's clock (NaN until then). */
  readonly startSec: Float64Array;
  readonly finishSec: Float64Array;
  /** Fires when every operation has finished. */
  readonly done = new SimEvent();
  private finishedOps = 0;
  private ready: number[] = [];
  /** The other buffer of `ready`, swapped at each instant's end. */
  private launching: number[] = [];
  private readonly outStart: Int32Array;
  private readonly outList: Int32Array;
  private readonly waiting: Int32Array;
  private readonly holdsOf: Map<number, number[]>;
  private readonly holdActivity = new Map<number, number>();
  private readonly ctx: OpContext;
  private readonly hook = (): void => this.launchReady();
  /** An op's activity ended: record it (and the holds it releases), then see whether the graph is done. */
  private readonly complete = (op: number): void => {
    this.completeOp(op);
    if (this.finishedOps === this.dag.size) this.finish();
  };

  /** Starts the graph now: operations without dependencies start at once. */
  constructor(
    private readonly sim: Simulation,
    private readonly dag: TransferDag,
    resources: GraphResources,
  ) {
    const n = dag.size;
    ({ outStart: this.outStart, outList: this.outList, waiting: this.waiting } = dependents(dag));
    const { holdsOf, releaserOf } = releases(dag);
    this.holdsOf = holdsOf;
    this.startSec = new Float64Array(n).fill(NaN);
    this.finishSec = new Float64Array(n).fill(NaN);
    this.ctx = { dag, cols: dag.columns, ...resources, finished: (op) => !Number.isNaN(this.finishSec[op]), releaserOf: (op) => releaserOf[op] };
    sim.onInstant(this.hook);
    for (let i = 0; i < n; i++) if (this.waiting[i] === 0) this.launch(i);
    if (n === 0) this.finish();
  }

  /** Operations finished so far. */
  get finished(): number {
    return this.finishedOps;
  }

  private completeOp(op: number): void {
    this.finishSec[op] = this.sim.now;
    this.finishedOps++;
    const { outStart, outList, waiting } = this;
    for (let e = outStart[op]; e < outStart[op + 1]; e++) if (--waiting[outList[e]] === 0) this.ready.push(outList[e]);
    // holds waiting for this op end now (those not started yet end as soon as they start)
    const holds = this.holdsOf.size > 0 ? this.holdsOf.get(op) : undefined;
    if (holds) for (const h of holds) {
      const act = this.holdActivity.get(h);
      if (act === undefined) continue;
      this.holdActivity.delete(h);
      this.sim.cancel(act);
      this.completeOp(h);
    }
  }

  private launch(op: number): void {
    this.startSec[op] = this.sim.now;
    const kind = this.ctx.cols.kind[op];
    const a = OP_ACTIVITY[kind](op, this.ctx);
    const act = a.resources ? this.sim.start(a.amount, a.resources, a.coefficients, a.options, this.complete, op) : this.sim.after(a.options.delaySec ?? 0, this.complete, op);
    if (a.resources && OP_KINDS[kind].released) this.holdActivity.set(op, act);
  }

  private launchReady(): void {
    const now = this.ready;
    this.ready = this.launching;
    for (let k = 0; k < now.length; k++) this.launch(now[k]);
    now.length = 0;
    this.launching = now;
  }

  private finish(): void {
    this.sim.offInstant(this.hook);
    this.done.fire();
  }
}
