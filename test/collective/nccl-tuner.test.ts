// NCCL's view of the topology and its tuner against the hand-traced values of
// docs/research/nccl-tuning-model.md (§3.4 channel graphs, §6 worked example: NCCL 2.30.7's
// estimates for all-reduce on 1 and 2 DGX H100).
import { describe, expect, test } from 'vitest';
import { defaultCommunicator } from '../../src/collective/communicator.js';
import { ncclSystem } from '../../src/collective/nccl-topology.js';
import { chooseNccl, estimate, launchedChannels } from '../../src/collective/nccl-tuner.js';
import { ncclPlan } from '../../src/collective/nccl-plan.js';
import { DEFAULT_COLLECTIVE_OPTIONS } from '../../src/collective/index.js';
import { nvlsChunk, nvlsTreeChunk, NVLS_STEP_SYNC_US } from '../../src/hardware/nccl-tuning.js';
import { loadTopologySpec } from '../../src/io/topology-source.js';
import { buildTopology } from '../../src/topology/build.js';

const systemOf = (spec: string) => {
  const topo = buildTopology(loadTopologySpec(spec));
  const comm = defaultCommunicator(topo);
  return { topo, comm, sys: ncclSystem(topo, comm) };
};
const MiB = 2 ** 20;

describe('channel graphs (search.cc, simplified)', () => {
  test('one DGX H100: ring 6 × 60 GB/s duplicated to 12 × 30; 24 CTAs; NVLS 8 channels at 40 (9 × 40 ≤ 360)', () => {
    const { sys } = systemOf('dgx-h100');
    expect([sys.arch, sys.nodes, sys.ranksPerNode, sys.nvlink, sys.nvls]).toEqual(['hopper', 1, 8, true, true]);
    expect(sys.ring).toEqual({ channels: 12, bwIntra: 30, bwInter: 30 });
    expect(sys.commChannels).toBe(24);
    expect(sys.nvlsGraph).toEqual({ channels: 8, bwIntra: 40, bwInter: 60 });
  });
  test('two DGX H100 on a rail fabric: one channel per NIC at 48 GB/s (8 × 48 ≥ 360), not duplicated; 16 CTAs', () => {
    const { sys } = systemOf('rail-optimized:template=dgx-h100,count=2,radix=64');
    expect([sys.nodes, sys.ranksPerNode]).toEqual([2, 8]);
    expect(sys.ring).toEqual({ channels: 8, bwIntra: 48, bwInter: 48 });
    expect(sys.commChannels).toBe(16);
    expect(sys.nvlsGraph.bwInter).toBe(48);
  });
  test('HGX A100: 6 × 40 duplicated to 12 × 20 (240 GB/s of NVLink3); no NVLS', () => {
    const { sys } = systemOf('hgx-a100');
    expect([sys.arch, sys.ring.channels, sys.ring.bwIntra, sys.commChannels, sys.nvls]).toEqual(['ampere', 12, 20, 24, false]);
  });
  test('a GB200 NVL72 rack is one NVLink domain (NCCL node) of 72 ranks, not 18 trays', () => {
    const { sys } = systemOf('gb200-nvl72-rack');
    expect([sys.arch, sys.nodes, sys.ranksPerNode, sys.nvls]).toEqual(['blackwell', 1, 72, true]);
  });
});

describe("the tuner's estimates (tuning.cc), §6.1: one DGX H100", () => {
  const { sys } = systemOf('dgx-h100');
  test.each([
    ['ring', 'LL', 15.0, 80.57],
    ['ring', 'LL128', 40.6, 189.26],
    ['ring', 'Simple', 56.0, 205.71],
    ['tree', 'LL', 15.2, 43.58],
    ['tree', 'Simple', 64.4, 165.6],
    ['nvls', 'Simple', 25.0, 272.0],
  ] as const)('%s/%s: latency %f µs, algbw %f GB/s', (a, p, lat, algbw) => {
    // a size whose tree correction is 1 (LL, LL128: 512 KiB index 13 is .4/.6, so use 256 MiB)
    const e = estimate(sys, 'all_reduce', a, p, 256 * MiB);
    expect(e.latencyUs).toBeCloseTo(lat, 6);
    expect(e.algbw / (a === 'tree' ? (p === 'Simple' ? 0.9 : 1) : 1)).toBeCloseTo(algbw, 1);
  });
  test.each([
    [8, 'ring', 'LL', 15.0],
    [64 * 1024, 'ring', 'LL', 15.8],
    [MiB, 'ring', 'LL', 28.0],
    [16 * MiB, 'nvls', 'Simple', 86.7],
    [2 ** 30, 'nvls', 'Simple', 3973],
  ] as const)('%i B: %s/%s, about %f µs', (bytes, a, p, us) => {
    const c = chooseNccl(sys, 'all_reduce', bytes)!;
    expect([c.algorithm, c.protocol]).toEqual([a, p]);
    expect(c.timeUs).toBeCloseTo(us, us > 1000 ? -1 : 0);
  });
  test('CTAs launched shrink with the size: 8 B ring/LL one; 64 KiB ring/LL two; 1 MiB all 24; NVLS 16', () => {
    expect(launchedChannels(sys, 'all_reduce', 'ring', 'LL', 8)).toBe(1);
    expect(launchedChannels(sys, 'all_reduce', 'ring', 'LL', 64 * 1024)).toBe(2);
    expect(launchedChannels(sys, 'all_reduce', 'ring', 'LL', MiB)).toBe(24);
    expect(launchedChannels(sys, 'all_reduce', 'nvls', 'Simple', 2 ** 30)).toBe(16);
  });
  test("a ring CTA's LL/LL128 bound: NCCL's per-channel term, at most the communicator's total over the CTAs launched", () => {
    const { topo, comm } = systemOf('dgx-h100');
    // ring 12 search channels × 30 GB/s, duplicated into 24 CTAs. LL: the per-channel term
    // 30 · 0.5 = 15 GB/s bus a search channel, 7.5 a CTA; the total llMaxBw 141 over the CTAs
    // launched: 1 at 32 KiB → 7.5; 16 at 512 KiB → min(7.5, 8.81) = 7.5 (120 in all); 24 at 1 MiB
    // → 141/24 = 5.875. Wire bytes: / 0.5.
    const bound = (bytes: number, p: 'LL' | 'LL128') => ncclPlan(topo, comm, 'all_reduce', bytes, DEFAULT_COLLECTIVE_OPTIONS, { algorithm: 'ring', protocol: p }).options.sendBound! / 1e9;
    expect(bound(32 * 1024, 'LL')).toBeCloseTo(7.5 / 0.5, 9);
    expect(bound(512 * 1024, 'LL')).toBeCloseTo(7.5 / 0.5, 9);
    expect(bound(MiB, 'LL')).toBeCloseTo(141 / 24 / 0.5, 9);
    // LL128: min(30 · 0.92, 36.7) = 27.6 a search channel, 13.8 a CTA; the total 24 · 13.8 =
    // 331.2 over 24 CTAs is the same 13.8: at full launch both agree. Wire: / (120/128).
    expect(bound(16 * MiB, 'LL128')).toBeCloseTo(13.8 / (120 / 128), 9);
  });
});

describe("§6.2: two DGX H100, 8 × 400G NICs each", () => {
  const { sys } = systemOf('rail-optimized:template=dgx-h100,count=2,radix=64');
  test.each([
    [8, 'tree', 'LL', 25.2],
    [64 * 1024, 'tree', 'LL', 30.8],
    [MiB, 'tree', 'LL128', 60.4],
    [16 * MiB, 'nvls-tree', 'Simple', 135.0],
    [2 ** 30, 'nvls-tree', 'Simple', 4428],
  ] as const)('%i B: %s/%s, about %f µs', (bytes, a, p, us) => {
    const c = chooseNccl(sys, 'all_reduce', bytes)!;
    expect([c.algorithm, c.protocol]).toEqual([a, p]);
    expect(c.timeUs).toBeCloseTo(us, us > 1000 ? -1 : 0);
  });
  test("the plan carries the protocol: ring/LL128 sends α 1.9 µs inside a server, 4.0 µs between, 120/128 of the wire, 576,000 B steps", () => {
    const { topo, comm } = systemOf('rail-optimized:template=dgx-h100,count=2,radix=64');
    const { options } = ncclPlan(topo, comm, 'all_reduce', 64 * MiB, DEFAULT_COLLECTIVE_OPTIONS, { algorithm: 'ring', protocol: 'LL128' });
    expect([options.algorithm, options.protocol, options.wireEfficiency, options.chunkBytes, options.window]).toEqual(['ring', 'LL128', 120 / 128, 16 * 576_000, 8]);
    expect([options.alphaSec * 1e6, options.alphaCrossSec! * 1e6, options.baseLatencySec * 1e6].map((x) => +x.toFixed(9))).toEqual([1.9, 4.0, 14]);
    expect(options.channels).toBe(16);
  });
});

describe('host CPU: NCCL charges AMD hosts more across nodes (llMaxBws row 1, getNetOverhead 2 µs)', () => {
  // 2 × HGX A100 (EPYC hosts): 8 channels × 24 GB/s (PCIe Gen4 x16 to the NIC); tree busBw
  // min(192 × 0.92, 8 × 23.6) = 176.6; tree/LL min(176.6 / 3.8, llMaxBw) → 22.5 on AMD, 39 on Intel
  const amd = systemOf('rail-optimized:template=hgx-a100,count=2,radix=64').sys;
  const intel = systemOf('rail-optimized:template=dgx-h100,count=2,radix=64').sys;
  test('the hosts are told apart from the catalogue: EPYC amd, Xeon intel', () => {
    expect([amd.hostCpu, intel.hostCpu]).toEqual(['amd', 'intel']);
  });
  test('64 KiB tree/LL on AMD: 25.2 + 65,536 B / (22.5 × 0.5 × correction 0.6 GB/s) = 34.9 µs', () => {
    expect(estimate(amd, 'all_reduce', 'tree', 'LL', 64 * 1024).timeUs).toBeCloseTo(25.2 + 65536 / (22.5 * 0.5 * 0.6 * 1e3), 6);
  });
  test('ring/LL latency on AMD: 6.6 + 28 × max(0.6, 2.0) + 2 × 2.7 = 68.0 µs (Intel: 40.0)', () => {
    expect(estimate(amd, 'all_reduce', 'ring', 'LL', 8).latencyUs).toBeCloseTo(68.0, 9);
    expect(estimate(intel, 'all_reduce', 'ring', 'LL', 8).latencyUs).toBeCloseTo(40.0, 9);
  });
});

describe('NVLS-tree on Blackwell with x86 hosts: NCCL scales its bandwidth by the tree correction (tuning.cc:643-646) in its choice only', () => {
  const plan = (spec: string, bytes: number) => {
    const { topo, comm } = systemOf(spec);
    return ncclPlan(topo, comm, 'all_reduce', bytes, DEFAULT_COLLECTIVE_OPTIONS, { algorithm: 'nvls-tree' });
  };
  test('2 × HGX B200 (Xeon): the estimate at 16 MiB (index log2(16 MiB / 64) = 18) has 0.7 of the bandwidth of 1 GiB (index 24, past the table); the graph keeps its wire', () => {
    const b200 = 'rail-optimized:template=hgx-b200,count=2,radix=64';
    const at16M = plan(b200, 16 * MiB), at1G = plan(b200, 2 ** 30);
    expect(at16M.choice!.algbw / at1G.choice!.algbw).toBeCloseTo(0.7, 12);
    // the simulated graph makes the shortfall itself (fill, reduction units, rail sends): no factor on the links
    expect([at16M.options.wireEfficiency, at1G.options.wireEfficiency]).toEqual([1, 1]);
  });
  test('Hopper has no correction: 2 × DGX H100 at 16 MiB and 1 GiB estimate the same bandwidth', () => {
    const h100 = 'rail-optimized:template=dgx-h100,count=2,radix=64';
    expect(plan(h100, 16 * MiB).choice!.algbw).toBeCloseTo(plan(h100, 2 ** 30).choice!.algbw, 12);
  });
});

describe("NVLS steps (enqueue.cc's chunk rule, the per-step barrier): one DGX H100", () => {
  test('a step moves 16 CTAs × 8 heads × a chunk of 16, 32, 64 or 128 KiB by size; each pays 3.7 µs', () => {
    // concurrent operations 128: 128 KiB from 64 × 128 × 128 KiB = 1 GiB, 64 KiB from 8 × 128 ×
    // 64 KiB = 64 MiB, 32 KiB from 2 × 128 × 32 KiB = 8 MiB, 16 KiB below
    expect([1, 8, 63, 64, 1023, 1024].map((m) => nvlsChunk(m * MiB - 1, 128) / 1024)).toEqual([16, 16, 32, 32, 64, 64]);
    expect(nvlsChunk(8 * MiB, 128) / 1024).toBe(32);
    expect(nvlsChunk(1024 * MiB, 128) / 1024).toBe(128);
    const { topo, comm } = systemOf('dgx-h100');
    const plan = (bytes: number) => ncclPlan(topo, comm, 'all_reduce', bytes, DEFAULT_COLLECTIVE_OPTIONS, { algorithm: 'nvls' }).options;
    expect([plan(16 * MiB).chunkBytes, plan(16 * MiB).alphaSec]).toEqual([128 * 32 * 1024, NVLS_STEP_SYNC_US * 1e-6]);
    expect(plan(2 * 1024 * MiB).chunkBytes).toBe(128 * 128 * 1024);
  });
});

describe('NVLS-tree steps: two DGX H100', () => {
  test('the chunk is 128 KiB at most, 64 KiB below 4 steps of all 128 CTA-heads (64 MiB), then 32 KiB below one step of those (8 MiB); the plan pays the barrier per step', () => {
    expect([1, 7, 8, 63, 64].map((m) => nvlsTreeChunk(m * MiB, 128) / 1024)).toEqual([32, 32, 64, 64, 128]);
    const { topo, comm } = systemOf('rail-optimized:template=dgx-h100,count=2,radix=64');
    const o = ncclPlan(topo, comm, 'all_reduce', 8 * 1024 * MiB, DEFAULT_COLLECTIVE_OPTIONS, { algorithm: 'nvls-tree' }).options;
    expect([o.chunkBytes, o.alphaSec]).toEqual([16 * 8 * 128 * 1024, NVLS_STEP_SYNC_US * 1e-6]);
  });
});
