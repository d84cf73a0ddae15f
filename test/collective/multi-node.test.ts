// Two DGX H100 (16 GPUs, 8 × 400G NDR NICs each, rail-optimized) with default options land within
// 10% of the bound the catalogue gives: NVLink4 450 × 0.8 = 360 GB/s a GPU, NVLink SHARP 0.925,
// NDR 50 × 0.97 = 48.5 GB/s a NIC.
import { describe, expect, test } from 'vitest';
import { defaultCommunicator } from '../../src/collective/communicator.js';
import { DEFAULT_COLLECTIVE_OPTIONS } from '../../src/collective/index.js';
import { ncclPlan } from '../../src/collective/nccl-plan.js';
import { loadTopologySpec } from '../../src/io/topology-source.js';
import { runCollective } from '../../src/sim/collective-run.js';
import { buildTopology } from '../../src/topology/build.js';
import { Router } from '../../src/topology/routing/router.js';

const spec = loadTopologySpec('rail-optimized:template=dgx-h100,count=2,radix=64');
const topo = buildTopology(spec);
const router = new Router(topo, spec.seed);
const comm = defaultCommunicator(topo);
const S = 8 * 2 ** 30;
const NIC = 50e9 * 0.97;
const busbw = (over: object) => {
  const { options } = ncclPlan(topo, comm, 'all_reduce', S, DEFAULT_COLLECTIVE_OPTIONS, over);
  return { options, busbw: runCollective(topo, router, comm, 'all_reduce', S, options).busbwBytesPerSec };
};

describe('2 × DGX H100, 8 GiB all-reduce', () => {
  test("default options: NCCL picks NVLS-tree; its rails send at NCCL's per-channel cap, so within 10% of NCCL's 461.6 GB/s, under the NVLS and NIC bounds", () => {
    // NVLS: each GPU puts C + C/8 into the switch at 360 × 0.925; NICs: each carries S/8 each way.
    const nvls = ((360e9 * 0.925) / (1 + 1 / 8)) * (30 / 16);
    const nics = 8 * NIC * (30 / 16);
    // NCCL: 8 channels × min(40 × 0.85 × 7/8 × 2 = 59.5, 48 × 2, cap 57.7) = 461.6 GB/s busBw; a head
    // sends S/8 each way at 461.6 · 16 / (30 · 8) = 30.77 GB/s, so algbw ≤ 8 × 30.77 = 246.2 GB/s
    const ncclBusBw = 8 * 57.7e9;
    const r = busbw({});
    expect([r.options.algorithm, r.options.protocol, r.options.channels]).toEqual(['nvls-tree', 'Simple', 1]);
    expect(r.options.sendBound! / 1e9).toBeCloseTo((461.6 * 16) / (30 * 8), 9);
    expect(ncclBusBw).toBeLessThan(Math.min(nvls, nics));
    expect(r.busbw).toBeLessThanOrEqual(ncclBusBw * (1 + 1e-9));
    expect(r.busbw / ncclBusBw).toBeGreaterThan(0.9);
  });
  test("ring: NCCL's 16 channels leave each server through all 8 NICs; within 10% of 8 × 48.5 GB/s", () => {
    const r = busbw({ algorithm: 'ring' });
    expect(r.options.channels).toBe(16);
    expect(r.busbw).toBeLessThanOrEqual(8 * NIC * (1 + 1e-9));
    expect(r.busbw / (8 * NIC)).toBeGreaterThan(0.9);
  });
});

describe("2 × DGX H100, small all-reduces: NCCL's tree/LL", () => {
  const time = (bytes: number) => {
    const { options } = ncclPlan(topo, comm, 'all_reduce', bytes, DEFAULT_COLLECTIVE_OPTIONS, {});
    return { options, us: runCollective(topo, router, comm, 'all_reduce', bytes, options).makespanSec * 1e6 };
  };
  test("8 B: NCCL's tree latency, 6.8 + 2((8 − 1)·0.6 + 1·5.0) = 25.2 µs, the network path's own latency on the 2 crossings, and 16 hops of 8 wire bytes (4 B of data a tree) at half a CTA's LL rate", () => {
    // tree/LL across 2 nodes: busBw min(331.2 / 3.8, llMaxBw 39) = 39 GB/s over 16 CTAs → 4.875 GB/s of
    // wire per CTA, half of it for each direction (its threads split between reduce and broadcast).
    // A crossing (up to the other server's head, then down from it) also pays its path's latency:
    // GPU → PCIe switch → NIC (2 PCIe Gen5 links, 0.15 µs each), NIC → rail switch → NIC (2 NDR
    // links, 0.25 µs each), NIC → PCIe switch → GPU (0.3 µs): 1.1 µs each way.
    const r = time(8);
    expect([r.options.algorithm, r.options.protocol]).toEqual(['tree', 'LL']);
    expect(r.us).toBeCloseTo(25.2 + 2 * 1.1 + (16 * 8) / (4.875e3 / 2), 2);
  });
  test("128 KiB: a CTA reduces up and broadcasts down at once, each at half its LL rate with NCCL's size correction, one chunk after another; hops paid once, the last behind later copies", () => {
    // 16 CTAs, 8 KiB of data each = 16 KiB of LL wire, cut in 64 chunks of 256 B on a depth-8 tree.
    // CTA rate: busBw 39 × treeCorrection(LL, 128 KiB) 0.5 / 16 CTAs / wire efficiency 0.5 = 2.4375 GB/s
    // of wire, half for each direction (runTreeSplit): 256 B in 0.21005 µs. The reduce pipelines 64
    // chunks over 8 hops, (64 + 8 − 1) chunk times; the broadcast follows each chunk down 8 more
    // hops; the hops' α (NCCL's tree latency, 25.2 µs) and the two crossings' path latency (2 × 1.1
    // µs, as at 8 B) are paid by the first chunk only, and the
    // last hop's (0.6 µs, NVLink) passes while that hop copies the 63 chunks behind it: a CTA
    // copies chunk k + 1 while chunk k's flag travels.
    // NCCL's own estimate for this size is 25.2 + 131072 / (19.5 GB/s × 0.5) = 38.6 µs.
    const r = time(128 * 1024);
    expect(r.options.protocol).toBe('LL');
    const chunkUs = 256 / (2.4375e3 / 2);
    expect(r.us).toBeCloseTo(25.2 + 2 * 1.1 - 0.6 + (64 + 8 - 1 + 8) * chunkUs, 1);
  });

});

describe("2 × DGX H100, 1 GiB tree/Simple: NCCL's 512 KiB tree chunks", () => {
  test('each channel pipelines its 64 MiB in 128 chunks over 2 × 8 hops, (128 + 16 − 1) chunk times, not the pipeline fill of 16 chunks', () => {
    // 16 CTAs, 64 MiB each, in NCCL's tree chunks of one Simple step, 512 KiB (chunkSteps 1): 128
    // chunks. CTA rate: tree busBw min(8 × 48 × 0.92, 8 × 41.4) = 331.2 GB/s × treeCorrection 1
    // (1 GiB is past its table) / 16 CTAs = 20.7 GB/s, half for each direction: 10.35 GB/s, a
    // chunk in 50.66 µs. Store-and-forward over depth 8 up and 8 down: (128 + 16 − 1) chunk
    // times = 7244 µs, plus the first chunk's hop latencies (Simple: 4 µs an NVLink hop, 14 µs a
    // network hop; 14 and 2 of them, 84 µs) and the base 8.4 µs; chunks that wait for the window
    // (2 Simple steps in flight) add a little more. NCCL's own
    // estimate is 92.4 + 1 GiB / 165.6 GB/s = 6576 µs. Cut into 16 chunks a channel (the old
    // cap) the fill alone was (16 + 15) / 16 of the data time: 12.7 ms.
    const { options } = ncclPlan(topo, comm, 'all_reduce', 2 ** 30, DEFAULT_COLLECTIVE_OPTIONS, { algorithm: 'tree', protocol: 'Simple' });
    expect([options.channels, options.chunkBytes, options.sendBound]).toEqual([16, 512 * 1024, expect.closeTo(10.35e9, -6)]);
    const us = runCollective(topo, router, comm, 'all_reduce', 2 ** 30, options).makespanSec * 1e6;
    const chunkUs = (512 * 1024) / 10.35e3;
    const lower = 8.4 + 84 + (128 + 16 - 1) * chunkUs;
    expect(us).toBeGreaterThanOrEqual(lower - 1);
    expect(us).toBeLessThan(lower * 1.02);
  });
});
