// GB200 NVL72: GPUs of one compute tray talk over the rack's NVLink switch, not through their
// Grace CPU's C2C links, and an NVL72 rack (not a 4-GPU tray) is NCCL's node: reduction stays
// inside the 72-GPU NVLink domain. Expected rates come from the catalogue: NVLink5 900 GB/s × 0.8
// = 720 GB/s per direction (hardware/links.ts), NVLink SHARP on NVLink5 at 0.82.
import { describe, expect, test } from 'vitest';
import { communicatorOf, defaultCommunicator } from '../../src/collective/communicator.js';
import { DEFAULT_COLLECTIVE_OPTIONS } from '../../src/collective/index.js';
import { ncclPlan } from '../../src/collective/nccl-plan.js';
import { ncclSystem } from '../../src/collective/nccl-topology.js';
import { loadTopologySpec } from '../../src/io/topology-source.js';
import { runCollective } from '../../src/sim/collective-run.js';
import { buildTopology } from '../../src/topology/build.js';
import { Router } from '../../src/topology/routing/router.js';

const NVLINK5 = 900e9 * 0.8;
const C2C = 450e9 * 0.85;
const GiB = 2 ** 30;

function system(spec: string) {
  const s = loadTopologySpec(spec);
  const topo = buildTopology(s);
  return { topo, router: new Router(topo, s.seed) };
}

describe('one GB200 NVL72 rack', () => {
  const { topo, router } = system('gb200-nvl72-rack');
  test('two GPUs of one tray send at the NVLink5 rate (720 GB/s), not the Grace C2C rate (383 GB/s)', () => {
    const comm = communicatorOf(topo, ['tray0/acc0', 'tray0/acc1']);
    const r = runCollective(topo, router, comm, 'sendrecv', GiB, { ...DEFAULT_COLLECTIVE_OPTIONS, algorithm: 'direct' });
    expect(r.busbwBytesPerSec / NVLINK5).toBeGreaterThan(0.99);
    expect(r.busbwBytesPerSec).toBeLessThanOrEqual(NVLINK5 * (1 + 1e-9));
    expect(r.busbwBytesPerSec).toBeGreaterThan(1.8 * C2C);
  });
  test("a ring all-reduce over one tray's 4 GPUs plateaus near the NVLink5 rate", () => {
    const comm = defaultCommunicator(topo, 4);
    const { options } = ncclPlan(topo, comm, 'all_reduce', 8 * GiB, DEFAULT_COLLECTIVE_OPTIONS, { algorithm: 'ring' });
    const r = runCollective(topo, router, comm, 'all_reduce', 8 * GiB, options);
    expect(r.busbwBytesPerSec / NVLINK5).toBeGreaterThan(0.95);
    expect(r.busbwBytesPerSec).toBeLessThanOrEqual(NVLINK5 * (1 + 1e-9));
  });
});

describe("NVLS on NVLink 5: the switches' reduction units (hardware/nvswitch.ts, 1,740 GB/s of operands a chip)", () => {
  test('the templates carry their chips: an NVL72 rack 18, an HGX B200 board 2, HGX H100 none bound (generation 3)', () => {
    const sw = (spec: string) => system(spec).topo.nodes.find((x) => x.reduces)!;
    expect(sw('gb200-nvl72-rack').reductionBytesPerSec).toBe(18 * 1740e9);
    expect(sw('hgx-b200').reductionBytesPerSec).toBe(2 * 1740e9);
    expect(sw('dgx-h100').reductionBytesPerSec).toBe(0);
  });
  test('8 GiB on one rack (72 GPUs): bound by the reduction units, algbw ≤ 18 × 1740 / 71 = 441 GB/s, where the links would allow 582', () => {
    const { topo, router } = system('gb200-nvl72-rack');
    const comm = defaultCommunicator(topo);
    const { options } = ncclPlan(topo, comm, 'all_reduce', 8 * GiB, DEFAULT_COLLECTIVE_OPTIONS, {});
    expect(options.algorithm).toBe('nvls');
    const r = runCollective(topo, router, comm, 'all_reduce', 8 * GiB, options);
    const reduction = (18 * 1740e9) / 71;
    const links = (NVLINK5 * 0.82) / (1 + 1 / 72);
    expect(reduction).toBeLessThan(links);
    expect(r.algbwBytesPerSec).toBeLessThanOrEqual(reduction * (1 + 1e-9));
    // the pipeline's per-step barriers cost a few percent (CoreWeave measured 423-429 GB/s)
    expect(r.algbwBytesPerSec / reduction).toBeGreaterThan(0.93);
  });
  test('6 B200 GPUs of one board are link-bound: algbw near 720 × 0.82 × 6/7, far below the chips\' 2 × 1740 / 5 = 696', () => {
    const { topo, router } = system('hgx-b200');
    const comm = defaultCommunicator(topo, 6);
    const { options } = ncclPlan(topo, comm, 'all_reduce', 8 * GiB, DEFAULT_COLLECTIVE_OPTIONS, { algorithm: 'nvls' });
    const r = runCollective(topo, router, comm, 'all_reduce', 8 * GiB, options);
    const links = NVLINK5 * 0.82 * (6 / 7);
    expect(r.algbwBytesPerSec).toBeLessThanOrEqual(links * (1 + 1e-9));
    expect(r.algbwBytesPerSec / links).toBeGreaterThan(0.85);
  });
});

describe('two GB200 NVL72 racks (144 GPUs)', () => {
  const { topo, router } = system('rail-optimized:template=gb200-nvl72,count=36,radix=64');
  const comm = defaultCommunicator(topo);
  test('NCCL sees 2 nodes of 72 ranks (the NVLink domains), not 36 trays', () => {
    const sys = ncclSystem(topo, comm);
    expect([sys.nodes, sys.ranksPerNode, sys.nvls]).toEqual([2, 72, true]);
  });
  test("8 GiB all-reduce: NVLS-tree, bound by the racks' switch reduction units (below NCCL's estimate and the links)", () => {
    // Link bound: each GPU puts C + C/72 per chunk into the switch at 720 × 0.82 GB/s (its upload,
    // then its reduced share back); the rails carry only C/72 each way: algbw ≤ 590.4 / (1 + 1/72).
    // NCCL: 32 heads × min(20 × 0.74 × 31/32 × 2 = 28.675 (its search's 20 GB/s: 33 × 20 ≤ 721.8),
    // 48 × 2, cap 96) = 917.6 GB/s busBw, which the heads' rail sends are held to.
    // Switch bound: a rack's 18 NVSwitch gen-4 chips add (72 − 1) operand bytes per byte of
    // reduced share at 1,740 GB/s each (hardware/nvswitch.ts): algbw ≤ 18 × 1740 / 71 = 441 GB/s,
    // busbw ≤ 876 GB/s, the least of the three (CoreWeave measured 794-811 at 8-16 GiB).
    const { options } = ncclPlan(topo, comm, 'all_reduce', 8 * GiB, DEFAULT_COLLECTIVE_OPTIONS, {});
    expect([options.algorithm, options.protocol]).toEqual(['nvls-tree', 'Simple']);
    const r = runCollective(topo, router, comm, 'all_reduce', 8 * GiB, options);
    const links = ((NVLINK5 * 0.82) / (1 + 1 / 72)) * ((2 * 143) / 144);
    const nccl = 32 * 20e9 * 0.74 * (31 / 32) * 2;
    const reduction = ((18 * 1740e9) / 71) * ((2 * 143) / 144);
    expect(reduction).toBeLessThan(Math.min(nccl, links));
    expect(r.busbwBytesPerSec).toBeLessThanOrEqual(reduction * (1 + 1e-9));
    expect(r.busbwBytesPerSec / reduction).toBeGreaterThan(0.9);
  });
  test("ring: channels leave a rack through different trays' NICs, not all through one tray's 4", () => {
    // Rotating entry and exit GPUs per NVLink domain (not per 4-GPU tray) spreads the rack-to-rack
    // hops over as many NICs as channels. NCCL would run 30; 8 (one slice each) keep the graph
    // small and still show it: 8 NICs' 8 × 48.5 GB/s, twice what one tray's 4 NICs could carry.
    const { options } = ncclPlan(topo, comm, 'all_reduce', 8 * GiB, DEFAULT_COLLECTIVE_OPTIONS, { algorithm: 'ring' });
    expect(options.channels).toBe(30);
    const r = runCollective(topo, router, comm, 'all_reduce', 8 * GiB, { ...options, channels: 8, maxSlices: 1 });
    const nics = 8 * 50e9 * 0.97;
    expect(r.busbwBytesPerSec).toBeLessThanOrEqual(nics * (1 + 1e-9));
    expect(r.busbwBytesPerSec / nics).toBeGreaterThan(0.9);
  });
});
