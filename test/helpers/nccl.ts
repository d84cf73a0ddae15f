// A collective as a workload runs it on NVIDIA GPUs: NCCL's plan for a workload
// (collective/nccl-plan.ts, channels cut to distinct paths) run alone, with its base latency;
// operations NCCL does not plan (all-to-all) as fairway's fastest algorithm alone.
import type { Communicator } from '../../src/collective/communicator.js';
import { DEFAULT_COLLECTIVE_OPTIONS, type CollectiveOp } from '../../src/collective/index.js';
import { ncclWorkloadPlan } from '../../src/collective/nccl-plan.js';
import { runCollective, runFastestCollective } from '../../src/sim/collective-run.js';
import type { Topology } from '../../src/topology/graph.js';
import type { Router } from '../../src/topology/routing/router.js';

export function ncclAlone(topo: Topology, router: Router, comm: Communicator, op: CollectiveOp, bytes: number, engine: 'wasm' | 'ts' = 'wasm'): { algorithm: string; channels: number; makespanSec: number } {
  const plan = ncclWorkloadPlan(topo, comm, op, bytes, DEFAULT_COLLECTIVE_OPTIONS, 'auto');
  if (!plan) {
    // not an NCCL-planned operation (all-to-all): auto is fairway's fastest algorithm alone
    const r = runFastestCollective(topo, router, comm, op, bytes, DEFAULT_COLLECTIVE_OPTIONS, engine);
    return { algorithm: r.algorithm, channels: 0, makespanSec: r.makespanSec };
  }
  return { algorithm: plan.options.algorithm, channels: plan.choice!.channels, makespanSec: runCollective(topo, router, comm, op, bytes, plan.options, engine).makespanSec };
}
