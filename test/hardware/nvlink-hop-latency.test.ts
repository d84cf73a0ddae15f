// A Blackwell NVLink hop of an NCCL step costs 0.63 µs above NCCL's table
// (src/hardware/nvlink-hop-latency.ts): the simulated steps pay it and the tuner does not see it.
import { describe, expect, test } from 'vitest';
import { defaultCommunicator } from '../../src/collective/communicator.js';
import { DEFAULT_COLLECTIVE_OPTIONS } from '../../src/collective/index.js';
import { ncclPlan } from '../../src/collective/nccl-plan.js';
import { ncclSystem } from '../../src/collective/nccl-topology.js';
import { deviceHopUs } from '../../src/collective/nccl-tuner.js';
import { ACCELERATOR_SPECS } from '../../src/hardware/index.js';
import { BLACKWELL_NVLINK_HOP_EXTRA_SEC } from '../../src/hardware/nvlink-hop-latency.js';
import { loadTopologySpec } from '../../src/io/topology-source.js';
import { runCollective } from '../../src/sim/collective-run.js';
import { buildTopology } from '../../src/topology/build.js';
import { Router } from '../../src/topology/routing/router.js';

function system(spec: string) {
  const s = loadTopologySpec(spec);
  const topo = buildTopology(s);
  return { topo, router: new Router(topo, s.seed), comm: defaultCommunicator(topo, 8) };
}

describe('the Blackwell NVLink hop', () => {
  test('is catalogued on the four Blackwell GPUs (0.63 µs) and on no earlier one', () => {
    for (const name of ['b200', 'gb200', 'b300', 'gb300']) expect(ACCELERATOR_SPECS.get(name)?.nvlinkHopExtraSec).toBe(0.63e-6);
    for (const name of ['a100-sxm', 'h100-sxm', 'h200']) expect(ACCELERATOR_SPECS.get(name)?.nvlinkHopExtraSec).toBeUndefined();
  });

  test("a ring/LL step on 8 B200 pays 0.6 + 0.63 µs where 8 H100 pay NCCL's 0.6; the tuner's choice and estimate are the same on both", () => {
    const b200 = system('hgx-b200');
    const h100 = system('dgx-h100');
    const planB = ncclPlan(b200.topo, b200.comm, 'all_gather', 1024, DEFAULT_COLLECTIVE_OPTIONS, {});
    const planH = ncclPlan(h100.topo, h100.comm, 'all_gather', 1024, DEFAULT_COLLECTIVE_OPTIONS, {});
    expect([planB.options.algorithm, planB.options.protocol]).toEqual(['ring', 'LL']);
    expect(planB.options.alphaSec).toBeCloseTo(0.6e-6 + BLACKWELL_NVLINK_HOP_EXTRA_SEC, 15);
    expect(planH.options.alphaSec).toBeCloseTo(0.6e-6, 15);
    // NCCL's estimate (base 6.6 + 7 hops × 0.6 = 10.8 µs, plus the bytes) does not know the device
    expect(planB.choice!.latencyUs).toBe(planH.choice!.latencyUs);
  });

  test('all_gather of 128 B on 8 B200: 6.6 + 7 × 1.23 = 15.2 µs (the HGX B200 log with NCCL 2.28.9 measures 16.1), on 8 H100 6.6 + 7 × 0.6 = 10.8', () => {
    const run = (spec: string) => {
      const { topo, router, comm } = system(spec);
      const { options } = ncclPlan(topo, comm, 'all_gather', 128, DEFAULT_COLLECTIVE_OPTIONS, {});
      return runCollective(topo, router, comm, 'all_gather', 128, options).makespanSec * 1e6;
    };
    expect(run('hgx-b200')).toBeCloseTo(6.6 + 7 * 1.23, 1);
    expect(run('dgx-h100')).toBeCloseTo(6.6 + 7 * 0.6, 1);
  });

  test("the analytical fidelity's closed form adds the same hops: ring all_gather on 8 B200 7 × 0.63 µs, all_reduce 14 ×, NCCL's tree over two servers 2 × 7 ×; NVLS and H100 none", () => {
    const b200 = system('hgx-b200');
    const sys = ncclSystem(b200.topo, b200.comm);
    expect(deviceHopUs(sys, 'all_gather', 'ring', 'LL')).toBeCloseTo(7 * 0.63, 9);
    expect(deviceHopUs(sys, 'all_reduce', 'ring', 'Simple')).toBeCloseTo(14 * 0.63, 9);
    expect(deviceHopUs(sys, 'all_reduce', 'nvls', 'Simple')).toBe(0);
    const two = system('rail-optimized:template=hgx-b200,count=2,radix=64');
    const sys2 = ncclSystem(two.topo, defaultCommunicator(two.topo, 16));
    expect(deviceHopUs(sys2, 'all_reduce', 'tree', 'LL')).toBeCloseTo(2 * 7 * 0.63, 9);
    const h100 = system('dgx-h100');
    expect(deviceHopUs(ncclSystem(h100.topo, h100.comm), 'all_gather', 'ring', 'LL')).toBe(0);
    // the plan carries it for the analytical level: 10.8 µs of NCCL's estimate + 4.41 = the simulated 15.2
    const plan = ncclPlan(b200.topo, b200.comm, 'all_gather', 128, DEFAULT_COLLECTIVE_OPTIONS, {});
    expect(plan.choice!.deviceHopUs).toBeCloseTo(7 * 0.63, 9);
    expect(plan.choice!.timeUs + plan.choice!.deviceHopUs!).toBeCloseTo(6.6 + 7 * 1.23, 1);
  });
});
