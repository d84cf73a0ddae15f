// `algo: auto` in workloads: the algorithm fastest when the collective runs alone, decided once
// per communicator shape (operation, size, slices, ranks and their spread over servers).
import { describe, expect, test } from 'vitest';
import { ncclWorkloadPlan } from '../../src/collective/nccl-plan.js';
import { DEFAULT_COLLECTIVE_OPTIONS } from '../../src/collective/index.js';
import { parseWorkload } from '../../src/io/workload-file.js';
import { algorithmTuner } from '../../src/sim/algorithm-tuner.js';
import { runCollective, runFastestCollective } from '../../src/sim/collective-run.js';
import { runWorkload } from '../../src/sim/workload-run.js';
import { Router } from '../../src/topology/routing/router.js';
import { topologyOf } from '../helpers/topologies.js';

describe('algorithm tuner', () => {
  // 2 DGX H100 on a non-blocking leaf-spine
  const topo = topologyOf({ servers: [{ template: 'dgx-h100', count: 2 }], fabric: { type: 'leaf-spine', radix: 64 } });
  const router = new Router(topo);
  const acc = (s: number, g: number) => topo.node(`dgx${s}/acc${g}`).index;
  const within = Int32Array.from({ length: 8 }, (_, g) => acc(0, g));
  const across = Int32Array.from({ length: 8 }, (_, i) => acc(i % 2, Math.floor(i / 2)));
  const fastest = (nodes: Int32Array, bytes: number) => runFastestCollective(topo, router, { nodes }, 'all_reduce', bytes, DEFAULT_COLLECTIVE_OPTIONS).algorithm;

  test('picks what runs fastest alone: one-shot for 8 bytes, NVLS for 1 GiB inside a server, not NVLS across servers', () => {
    const choose = algorithmTuner(topo, router);
    // 8 bytes: one α and the two NVLink hops; 1 GiB in one NVSwitch: the in-switch reduction
    expect(choose('all_reduce', 8, within, 16)).toBe('one-shot');
    expect(choose('all_reduce', 2 ** 30, within, 16)).toBe('nvls');
    expect(fastest(within, 2 ** 30)).toBe('nvls');
    // 4 + 4 ranks over two servers: no switch under every rank, NVLS does not apply
    const a = choose('all_reduce', 2 ** 30, across, 16);
    expect(a).toBe(fastest(across, 2 ** 30));
    expect(a).not.toBe('nvls');
    // operations with one algorithm are not tried
    expect(choose('all_gather', 2 ** 30, across, 16)).toBe('ring');
  });

  test('groups alike in ranks per server but not per scale-up domain get their own choice', () => {
    // 18 GB200 trays of 4 GPUs in two NVLink domains of 9 trays (racks 0 and 1): TP groups of 8
    // are 2 trays each; group 4 (ranks 32–39: trays 8 and 9) straddles the two domains, so no
    // reducing switch is under all its ranks and NVLS does not apply to it.
    const nvl = topologyOf({ servers: [{ template: 'gb200-nvl72', name: 'tray', count: 18, scaleUp: { type: 'switch', serversPerDomain: 9, reduction: true } }], fabric: { type: 'rail-optimized', tiers: 2, radix: 64, spines: 8 } });
    const nvlRouter = new Router(nvl);
    const w = runWorkload(parseWorkload({ ops: [{ id: 'ar', type: 'collective', op: 'all_reduce', bytes: '256MiB', group: { size: 8 } }] }, 'tp8'), nvl, nvlRouter);
    const algorithms = w.expanded.collectives.map((c) => c.algorithm);
    expect(algorithms.filter((a) => a === 'nvls')).toHaveLength(8);
    const straddling = Int32Array.from({ length: 8 }, (_, i) => w.expanded.accelerators[32 + i]);
    expect(algorithms[4]).toBe(runFastestCollective(nvl, nvlRouter, { nodes: straddling }, 'all_reduce', 2 ** 28, DEFAULT_COLLECTIVE_OPTIONS).algorithm);
    expect(algorithms[4]).not.toBe('nvls');
  });

  test('a named algorithm that does not apply is an error naming the operation', () => {
    const doc = { ranks: 16, ops: [{ id: 'ar', type: 'collective', op: 'all_reduce', bytes: '1MiB', algo: 'nvls' }] };
    expect(() => runWorkload(parseWorkload(doc, 'nvls'), topo, router)).toThrow(/ops\.ar: nvls needs every rank on one switch/);
  });

  test("a workload's auto all-reduce on NVIDIA GPUs is NCCL's pick, run as NCCL's plan; a named one is kept", () => {
    const doc = (algo?: string) => ({ ranks: 8, ops: [{ id: 'ar', type: 'collective', op: 'all_reduce', bytes: '1GiB', ...(algo ? { algo } : {}) }] });
    const auto = runWorkload(parseWorkload(doc(), 'auto'), topo, router);
    expect(auto.expanded.collectives.map((c) => c.algorithm)).toEqual(['nvls']);
    const ring = runWorkload(parseWorkload(doc('ring'), 'ring'), topo, router);
    expect(ring.expanded.collectives.map((c) => c.algorithm)).toEqual(['ring']);
    // alone on the system, the step is the collective's kernel launch (5 µs by default) and the
    // collective as it runs alone under NCCL's plan (base latency included); NVLS beats the ring
    const plan = ncclWorkloadPlan(topo, { nodes: within }, 'all_reduce', 2 ** 30, DEFAULT_COLLECTIVE_OPTIONS, 'auto')!;
    expect([plan.options.algorithm, plan.options.protocol]).toEqual(['nvls', 'Simple']);
    expect(auto.summary.stepSec).toBeCloseTo(5e-6 + runCollective(topo, router, { nodes: within }, 'all_reduce', 2 ** 30, plan.options).makespanSec, 12);
    expect(auto.summary.stepSec).toBeLessThan(ring.summary.stepSec);
  });
});
