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
  test('default options: NCCL picks NVLS-tree; within 10% of min(NVLS bound, NIC bound)', () => {
    // NVLS: each GPU puts C + C/8 into the switch at 360 × 0.925; NICs: each carries S/8 each way.
    const nvls = ((360e9 * 0.925) / (1 + 1 / 8)) * (30 / 16);
    const nics = 8 * NIC * (30 / 16);
    const r = busbw({});
    expect([r.options.algorithm, r.options.protocol, r.options.channels]).toEqual(['nvls-tree', 'Simple', 1]);
    const bound = Math.min(nvls, nics);
    expect(r.busbw).toBeLessThanOrEqual(bound * (1 + 1e-9));
    expect(r.busbw / bound).toBeGreaterThan(0.9);
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
  test("8 B: NCCL's tree latency, 6.8 + 2((8 − 1)·0.6 + 1·5.0) = 25.2 µs, and 16 hops of 8 wire bytes (4 B of data a tree) at one CTA's LL rate", () => {
    // tree/LL across 2 nodes: busBw min(331.2 / 3.8, llMaxBw 39) = 39 GB/s over 16 CTAs → 4.875 GB/s of wire per CTA
    const r = time(8);
    expect([r.options.algorithm, r.options.protocol]).toEqual(['tree', 'LL']);
    expect(r.us).toBeCloseTo(25.2 + (16 * 8) / 4.875e3, 2);
  });
  test('128 KiB: LL streams behind its first chunk, so the hops are paid once, not once per chunk', () => {
    // 64 chunks per channel on a depth-8 tree; paying 0.6–5 µs a chunk would add tens of µs
    const r = time(128 * 1024);
    expect(r.options.protocol).toBe('LL');
    expect(r.us).toBeGreaterThan(25.2);
    expect(r.us).toBeLessThan(27);
  });
});
