// Runs one collective of one size on a topology and reports it the way nccl-tests does.
import { FairwayError } from '../core/errors.js';
import { ALGORITHMS, busBandwidthFactor, buildCollective, type Algorithm, type CollectiveOp, type CollectiveOptions } from '../collective/index.js';
import type { Communicator } from '../collective/communicator.js';
import type { TransferDag } from '../graph/index.js';
import type { EngineKind } from '../engine/index.js';
import { createEngine } from '../engine/index.js';
import type { Topology } from '../topology/graph.js';
import { NetworkResources } from '../topology/network-resources.js';
import type { Router } from '../topology/routing/router.js';
import { runDag, type DagRunResult } from './dag-runner.js';

export interface CollectiveResult extends DagRunResult {
  readonly op: CollectiveOp;
  readonly sizeBytes: number;
  readonly ranks: number;
  readonly algbwBytesPerSec: number;
  readonly busbwBytesPerSec: number;
  readonly operations: number;
  readonly dag: TransferDag;
  readonly algorithm: Algorithm;
  /** NCCL protocol of the options, when planned as NCCL would run it. */
  readonly protocol?: string;
}

/**
 * `prebuilt`: the collective's graph when it was built elsewhere (e.g. on the worker pool);
 * `progress`: the operations finished so far, at every instant of the run.
 * Times count from the call: the first sends start after o.baseLatencySec (0 when absent), and
 * the time (makespanSec) includes it.
 */
export function runCollective(topo: Topology, router: Router, comm: Communicator, op: CollectiveOp, sizeBytes: number, o: CollectiveOptions, engineKind: EngineKind = 'wasm', prebuilt?: TransferDag, progress?: (finished: number, total: number) => void): CollectiveResult {
  const dag = prebuilt ?? buildCollective(topo, op, sizeBytes, comm, o);
  const engine = createEngine(engineKind);
  const net = new NetworkResources(engine, topo);
  const base = o.baseLatencySec ?? 0;
  if (!(base >= 0 && Number.isFinite(base))) throw new FairwayError('E_ARGUMENT', `runCollective: baseLatencySec must be a finite number ≥ 0, got ${base}`);
  const r = runDag(dag, engine, net, router, undefined, progress ? { progress: (finished, total) => progress(finished, total) } : {});
  if (base > 0) for (const times of [r.startSec, r.finishSec]) for (let i = 0; i < times.length; i++) times[i] += base;
  const n = comm.nodes.length;
  const makespanSec = base + r.makespanSec;
  const algbw = makespanSec > 0 ? sizeBytes / makespanSec : Infinity;
  return { ...r, makespanSec, op, sizeBytes, ranks: n, algbwBytesPerSec: algbw, busbwBytesPerSec: algbw * busBandwidthFactor(op, n), operations: dag.size, dag, algorithm: o.algorithm, protocol: o.protocol };
}

/** The algorithms worth trying for `op` on n ranks: all-pairs ones put n² flows in flight, so only on up to 64 ranks. */
export function candidateAlgorithms(op: CollectiveOp, n: number): Algorithm[] {
  return ALGORITHMS[op].filter((a) => !((a === 'one-shot' || a === 'two-shot') && n > 64));
}

/**
 * Runs every algorithm of `op` that applies to this communicator (others are skipped, e.g.
 * halving-doubling on a non-power-of-two) and returns the fastest.
 */
export function runFastestCollective(topo: Topology, router: Router, comm: Communicator, op: CollectiveOp, sizeBytes: number, o: CollectiveOptions, engineKind: EngineKind = 'wasm'): CollectiveResult {
  let best: CollectiveResult | null = null;
  let lastError: unknown = null;
  const n = comm.nodes.length;
  for (const algorithm of candidateAlgorithms(op, n)) {
    try {
      const r = runCollective(topo, router, comm, op, sizeBytes, { ...o, algorithm }, engineKind);
      if (best === null || r.makespanSec < best.makespanSec) best = r;
    } catch (e) {
      if (!(e instanceof FairwayError) || e.code !== 'E_INPUT') throw e;
      lastError = e;
    }
  }
  if (best === null) throw lastError;
  return best;
}
