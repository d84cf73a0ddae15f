// A collective as a workload runs it on NVIDIA GPUs: NCCL's plan for a workload
// (collective/nccl-plan.ts, channels cut to distinct paths) run alone, with its base latency;
// sendrecv and all-to-all as NCCL's grouped sends with its point-to-point plan (nccl-p2p.ts).
import { p2pNetworkOptions } from '../../src/collective/nccl-p2p.js';
import type { Communicator } from '../../src/collective/communicator.js';
import { DEFAULT_COLLECTIVE_OPTIONS, type CollectiveOp } from '../../src/collective/index.js';
import { ncclWorkloadPlan } from '../../src/collective/nccl-plan.js';
import { runCollective, runFastestCollective } from '../../src/sim/collective-run.js';
import type { Topology } from '../../src/topology/graph.js';
import type { Router } from '../../src/topology/routing/router.js';

export function ncclAlone(topo: Topology, router: Router, comm: Communicator, op: CollectiveOp, bytes: number, engine: 'wasm' | 'ts' = 'wasm'): { algorithm: string; channels: number; makespanSec: number } {
  const plan = ncclWorkloadPlan(topo, comm, op, bytes, DEFAULT_COLLECTIVE_OPTIONS, 'auto');
  if (!plan) {
    // NCCL's point-to-point (sendrecv, all-to-all): grouped sends with its part plan
    const p2p = p2pNetworkOptions(topo, comm, op, bytes, { ...DEFAULT_COLLECTIVE_OPTIONS, algorithm: 'direct' });
    if (p2p.p2p) return { algorithm: 'direct', channels: 0, makespanSec: runCollective(topo, router, comm, op, bytes, p2p, engine).makespanSec };
    // otherwise auto is fairway's fastest algorithm alone
    const r = runFastestCollective(topo, router, comm, op, bytes, DEFAULT_COLLECTIVE_OPTIONS, engine);
    return { algorithm: r.algorithm, channels: 0, makespanSec: r.makespanSec };
  }
  return { algorithm: plan.options.algorithm, channels: plan.choice!.channels, makespanSec: runCollective(topo, router, comm, op, bytes, plan.options, engine).makespanSec };
}
