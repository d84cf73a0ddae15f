// Runs a workload on a topology: expands every rank's operations for every iteration into one
// operation DAG and runs it with the network and host resources together.
//   - streams: an operation waits for the previous one on its stream (across iterations);
//   - kernels (compute, memcpy, and each rank's collective kernel) are launched in program
//     order by the rank's host thread (a CPU task of `launch` seconds on its socket); in graph
//     mode one launch per iteration covers all of them; `cpu` work runs on the same thread;
//   - a collective starts when every rank has reached it (its dependencies and launch done) and
//     the ranks continue when all of its transfers are done: collectives synchronise, as NCCL's do.
import { defaultCommunicator, type Communicator } from '../collective/communicator.js';
import { TransferDag } from '../collective/dag.js';
import { ALGORITHMS, buildCollective, DEFAULT_COLLECTIVE_OPTIONS, type Algorithm, type CollectiveOp } from '../collective/index.js';
import { createEngine, type EngineKind } from '../engine/index.js';
import { HostResources } from '../host/host-resources.js';
import type { Topology } from '../topology/graph.js';
import { NetworkResources } from '../topology/network-resources.js';
import type { Router } from '../topology/routing/router.js';
import type { WorkloadSpec } from '../workload/spec.js';
import { runDag, type DagRunResult } from './dag-runner.js';
import { addInputPipeline } from '../host/input-pipeline.js';
import { FairwayError } from '../core/errors.js';

export interface WorkloadResult {
  readonly ranks: number;
  readonly iterations: number;
  readonly makespanSec: number;
  readonly stepSec: number;
  /** Per iteration: mean over ranks of the time kernels ran and the host thread was busy; total time collectives took. */
  readonly computeSec: number;
  readonly hostSec: number;
  readonly collectiveSec: number;
  readonly operations: number;
  readonly events: number;
  readonly solves: number;
}

/** The CPU socket an accelerator's host thread runs on (fewest hops), that socket's DRAM and the server's nearest drive. */
function hostOf(topo: Topology, router: Router, acc: number, cpusOf: Map<number, number[]>): { cpu: number; dram: number; storage: number } {
  const server = topo.nodes[acc].placement.server;
  let best = -1;
  for (const c of cpusOf.get(server) ?? []) if (best < 0 || router.distance(acc, c) < router.distance(acc, best)) best = c;
  if (best < 0)
    throw new FairwayError('E_INPUT', `${topo.nodes[acc].id} has no CPU in its server to launch kernels and run host work`, [{ path: topo.nodes[acc].id, message: 'add a cpu node to the server' }]);
  const { start, to } = topo.adjacency();
  let dram = -1;
  let storage = -1;
  if (best >= 0)
    for (let e = start[best]; e < start[best + 1]; e++) {
      if (topo.nodes[to[e]].kind === 'dram') dram = to[e];
      if (topo.nodes[to[e]].kind === 'storage' && storage < 0) storage = to[e];
    }
  if (storage < 0) storage = topo.nodes.find((x) => x.kind === 'storage' && x.placement.server === server)?.index ?? -1;
  if (dram < 0) dram = best;
  return { cpu: best, dram, storage };
}

/** Operations in dependency order (Kahn's algorithm; the file reader has ruled out cycles). */
function order(spec: WorkloadSpec): number[] {
  const index = new Map(spec.ops.map((o, i) => [o.id, i]));
  const waiting = spec.ops.map((o) => o.after.length);
  const dependents: number[][] = spec.ops.map(() => []);
  spec.ops.forEach((o, i) => o.after.forEach((a) => dependents[index.get(a)!].push(i)));
  const out: number[] = [];
  for (let i = 0; i < spec.ops.length; i++) if (waiting[i] === 0) out.push(i);
  for (let q = 0; q < out.length; q++) for (const j of dependents[out[q]]) if (--waiting[j] === 0) out.push(j);
  return out;
}

/** The summary, and the expanded graph with every operation's start and finish (for traces and reports). */
export interface WorkloadRun {
  readonly summary: WorkloadResult;
  readonly dag: TransferDag;
  readonly run: DagRunResult;
}

export function runWorkload(spec: WorkloadSpec, topo: Topology, router: Router, engineKind: EngineKind = 'wasm'): WorkloadRun {
  const comm: Communicator = defaultCommunicator(topo, spec.ranks, 1);
  const n = comm.nodes.length;
  const cpusOf = new Map<number, number[]>();
  for (const node of topo.nodes) if (node.kind === 'cpu') cpusOf.set(node.placement.server, [...(cpusOf.get(node.placement.server) ?? []), node.index]);
  const hosts = Array.from(comm.nodes, (acc) => hostOf(topo, router, acc, cpusOf));
  const dag = new TransferDag();
  const seq = order(spec);
  const index = new Map(spec.ops.map((o, i) => [o.id, i]));
  const lastOnStream = new Map<string, Int32Array>();
  const hostThread = new Int32Array(n).fill(-1);
  const kinds: ('compute' | 'host')[] = [];
  const note = (op: number, k: 'compute' | 'host') => (kinds[op] = k);
  const collectives: [ready: number, done: number][] = [];
  for (let it = 0; it < spec.iterations; it++) {
    const opOf = spec.ops.map(() => new Int32Array(n).fill(-1));
    if (spec.graph)
      for (let r = 0; r < n; r++) note((hostThread[r] = dag.cpu(r, hosts[r].cpu, spec.launchSec, [hostThread[r]])), 'host');
    for (const i of seq) {
      const op = spec.ops[i];
      const stream = lastOnStream.get(op.stream) ?? new Int32Array(n).fill(-1);
      lastOnStream.set(op.stream, stream);
      const depsOf = (r: number) => [stream[r], ...op.after.map((a) => opOf[index.get(a)!][r])];
      const launch = (r: number) => {
        if (!spec.graph && op.type !== 'cpu') note((hostThread[r] = dag.cpu(r, hosts[r].cpu, spec.launchSec, [hostThread[r]])), 'host');
        return hostThread[r];
      };
      if (op.type === 'collective') {
        const ready = dag.delay(-1, 0, Array.from({ length: n }, (_, r) => [...depsOf(r), launch(r)]).flat());
        const sub = new TransferDag();
        const kind = op.collective as CollectiveOp;
        buildCollective(topo, kind, op.bytes, comm, { ...DEFAULT_COLLECTIVE_OPTIONS, algorithm: (op.algorithm === 'auto' ? ALGORITHMS[kind][0] : op.algorithm) as Algorithm }, sub);
        const done = dag.append(sub, ready);
        collectives.push([ready, done]);
        for (let r = 0; r < n; r++) opOf[i][r] = stream[r] = done;
        continue;
      }
      for (let r = 0; r < n; r++) {
        const deps = depsOf(r);
        let id: number;
        if (op.type === 'cpu') {
          id = dag.cpu(r, hosts[r].cpu, op.coreSeconds, [...deps, hostThread[r]]);
          hostThread[r] = id;
          note(id, 'host');
        } else if (op.type === 'input') {
          if (hosts[r].storage < 0)
            throw new FairwayError('E_INPUT', `${op.id}: the input pipeline needs a storage drive in ${topo.nodes[comm.nodes[r]].id}'s server`, [{ path: `ops.${op.id}`, message: 'add storage: N to the server group of the topology' }]);
          const sub = new TransferDag();
          addInputPipeline(sub, { rank: r, workers: op.workers, samples: op.samples, sampleBytes: op.bytes, decodeCoreSec: op.coreSeconds, storage: hosts[r].storage, cpu: hosts[r].cpu, dram: hosts[r].dram, accelerator: comm.nodes[r] });
          id = dag.append(sub, dag.delay(r, 0, deps));
        } else if (op.type === 'compute') {
          id = dag.compute(r, comm.nodes[r], op.flops, op.bytes, [...deps, launch(r)]);
          note(id, 'compute');
        } else {
          const [from, to] = op.direction === 'h2d' ? [hosts[r].dram, comm.nodes[r]] : [comm.nodes[r], hosts[r].dram];
          id = dag.transfer(r, from, to, op.bytes, 0, 0, [...deps, launch(r)]);
        }
        opOf[i][r] = stream[r] = id;
      }
    }
  }
  const engine = createEngine(engineKind);
  const result = runDag(dag, engine, new NetworkResources(engine, topo), router, new HostResources(engine, topo));
  const per = (k: string) => {
    let sum = 0;
    for (let i = 0; i < dag.size; i++) if (kinds[i] === k) sum += result.finishSec[i] - result.startSec[i];
    return sum / spec.iterations / n;
  };
  const collectiveSec = collectives.reduce((s, [ready, done]) => s + result.finishSec[done] - result.finishSec[ready], 0) / spec.iterations;
  const summary: WorkloadResult = {
    ranks: n,
    iterations: spec.iterations,
    makespanSec: result.makespanSec,
    stepSec: result.makespanSec / spec.iterations,
    computeSec: per('compute'),
    hostSec: per('host'),
    collectiveSec,
    operations: dag.size,
    events: result.events,
    solves: result.solves,
  };
  return { summary, dag, run: result };
}
