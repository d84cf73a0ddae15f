// In-switch reduction all-reduce (NVLS) against its closed forms, its pipelining bound, and the
// 8×H100 curve it must keep smooth.
import { describe, expect, test } from 'vitest';
import { defaultCommunicator } from '../../src/collective/communicator.js';
import { DEFAULT_COLLECTIVE_OPTIONS, STANDALONE_LATENCIES } from '../../src/collective/index.js';
import { NVLS_CHUNKS_PER_SLICE } from '../../src/collective/nvls.js';
import { NVLINK_SHARP_EFFICIENCY } from '../../src/hardware/links.js';
import { runCollective } from '../../src/sim/collective-run.js';
import { Router } from '../../src/topology/routing/router.js';
import { topologyOf } from '../helpers/topologies.js';

// n accelerators on one reducing switch, B = 100 GB/s per direction, no link latency.
const B = 100e9;
const n = 8;
function reducingStar(reduction: boolean, efficiency?: number, reductionBandwidth?: number) {
  const nodes = [{ id: 'sw', kind: 'switch', reduction, ...(efficiency ? { reductionEfficiency: efficiency } : {}), ...(reductionBandwidth ? { reductionBandwidth } : {}) }, ...Array.from({ length: n }, (_, i) => ({ id: `g${i}`, kind: 'accelerator' }))];
  const links = Array.from({ length: n }, (_, i) => ({ a: `g${i}`, b: 'sw', bandwidth: B }));
  const topo = topologyOf({ nodes, links });
  return { topo, router: new Router(topo), comm: defaultCommunicator(topo) };
}
const alpha = 1e-6;
const S = 64 * 2 ** 20;
const o = { ...DEFAULT_COLLECTIVE_OPTIONS, alphaSec: alpha, algorithm: 'nvls' as const };

describe.each(['wasm', 'ts'] as const)('nvls, %s engine', (engine) => {
  test('one chunk: α + S/B + S/(nB) + S/(nB) + (n−1)S/(nB) + S/B', () => {
    // 1: each rank uploads its n shares (S) at B, after the step's barrier α; 2: the switch
    // returns share r (S/n) to r; 3: r uploads it (S/n); 4: the switch multicasts the other n−1
    // shares to each rank; 5: the rank's gather copies the chunk (S) out at the rate it came, B.
    const { topo, router, comm } = reducingStar(true);
    const r = runCollective(topo, router, comm, 'all_reduce', S, { ...o, chunkBytes: 2 ** 40 }, engine);
    expect(r.makespanSec).toBeCloseTo(alpha + S / B + (2 * S) / (n * B) + ((n - 1) * S) / (n * B) + S / B, 12);
  });

  test('the switch reduction efficiency e puts 1/e wire bytes on the links per payload byte', () => {
    // the same five stages at e = 0.5: every byte term doubles (the gather at e·B), α does not.
    const { topo, router, comm } = reducingStar(true, 0.5);
    const r = runCollective(topo, router, comm, 'all_reduce', S, { ...o, chunkBytes: 2 ** 40 }, engine);
    expect(r.makespanSec).toBeCloseTo(alpha + (2 * ((2 * n + 1) * S)) / (n * B) + (2 * S) / B, 12);
  });

  test("the switch's reduction units: making the n shares takes (n − 1)S operand bytes at R, so stage 2 lasts (n − 1)S/R", () => {
    // R = 140 GB/s: the n reduced shares (S/n each) are made at R / (n − 1) = 20 GB/s of output
    // in all, so stage 2 takes S / 20 GB/s instead of S/(nB); the other stages are as before.
    const R = 140e9;
    const { topo, router, comm } = reducingStar(true, undefined, R);
    const r = runCollective(topo, router, comm, 'all_reduce', S, { ...o, chunkBytes: 2 ** 40 }, engine);
    expect(r.makespanSec).toBeCloseTo(alpha + S / B + ((n - 1) * S) / R + S / (n * B) + ((n - 1) * S) / (n * B) + S / B, 12);
    // pipelined (64 chunks, 8 in flight), the reduction units bind throughout: about (n − 1)S/R
    const p = runCollective(topo, router, comm, 'all_reduce', S, { ...o, alphaSec: 0 }, engine);
    expect(p.makespanSec).toBeGreaterThan(((n - 1) * S) / R);
    expect(p.makespanSec / (((n - 1) * S) / R)).toBeLessThan(1.1);
  });

  test('window 1: chunks go one after another, cα + (2n+1)S/(nB) + S/B', () => {
    // c = 8 chunks of 8 MiB; a rank's next upload waits for the gather of the previous chunk
    // (its buffer slot), so nothing overlaps: c × (α + (2n+1)(S/c)/(nB) + (S/c)/B).
    const { topo, router, comm } = reducingStar(true);
    const r = runCollective(topo, router, comm, 'all_reduce', S, { ...o, chunkBytes: S / 8, window: 1 }, engine);
    expect(r.makespanSec).toBeCloseTo(8 * alpha + ((2 * n + 1) * S) / (n * B) + S / B, 12);
  });

  test('a simulated chunk standing for k steps pays the barrier k times: 64 chunks of 16 steps, 1024α + (2n+1)S/(nB) + S/B with window 1', () => {
    const { topo, router, comm } = reducingStar(true);
    const r = runCollective(topo, router, comm, 'all_reduce', S, { ...o, chunkBytes: S / 1024, window: 1 }, engine);
    expect(r.makespanSec).toBeCloseTo(1024 * alpha + ((2 * n + 1) * S) / (n * B) + S / B, 12);
  });

  test('pipelined over 64 chunks (16 slices): within one chunk\'s time of the uplink bound (n+1)S/(nB)', () => {
    // Each rank's uplink carries S (uploads) + S/n (its reduced share): T ≥ (n+1)S/(nB). The
    // stages overlap, so only filling and draining the pipeline (one chunk through its four
    // stages and its gather, (2n+1)C/(nB) + C/B with C = S/64) comes on top. α = 0 here.
    const { topo, router, comm } = reducingStar(true);
    const big = 2 ** 30;
    expect(NVLS_CHUNKS_PER_SLICE * o.maxSlices).toBe(64);
    const r = runCollective(topo, router, comm, 'all_reduce', big, { ...o, alphaSec: 0, chunkBytes: big / 64 }, engine);
    const bound = ((n + 1) * big) / (n * B);
    expect(r.makespanSec).toBeGreaterThanOrEqual(bound * (1 - 1e-12));
    expect(r.makespanSec).toBeLessThan(bound + ((2 * n + 1) * big) / 64 / (n * B) + big / 64 / B);
  });

  test('needs a reducing switch under every rank', () => {
    const { topo, router, comm } = reducingStar(false);
    expect(() => runCollective(topo, router, comm, 'all_reduce', 1e6, o, engine)).toThrow(/nvls needs every rank on one switch/);
  });
});

describe('nvls on one DGX H100 (the nccl-tests defaults)', () => {
  const topo = topologyOf({ servers: [{ template: 'dgx-h100', count: 1 }] });
  const router = new Router(topo);
  const comm = defaultCommunicator(topo);
  const run = (bytes: number) => runCollective(topo, router, comm, 'all_reduce', bytes, { ...o, ...STANDALONE_LATENCIES, alphaSec: 0 }, 'wasm').busbwBytesPerSec / 1e9;

  test('busbw rises with the size to a plateau below 2(n−1)/(n+1)·B·e and never drops', () => {
    // NVLink4 at 0.8 efficiency is B = 360 GB/s per direction; the switch's SHARP efficiency
    // e = 0.925: the uplink bound is 14/9 × 360 × 0.925 = 518 GB/s of busbw. The per-share
    // transfers of an earlier version jumped between 451 and 511 GB/s from size to size.
    // (No per-step barrier here: α = 0, the pipeline alone.)
    expect(NVLINK_SHARP_EFFICIENCY).toBe(0.925);
    const sizes = Array.from({ length: 9 }, (_, i) => 2 ** (25 + i)); // 32 MiB … 8 GiB
    const busbw = sizes.map(run);
    for (let i = 1; i < busbw.length; i++) expect(busbw[i]).toBeGreaterThanOrEqual(busbw[i - 1]);
    const bound = (14 / 9) * 360 * 0.925;
    expect(busbw[8]).toBeLessThan(bound);
    // 64 chunks of 128 MiB: the fill and drain, with the last chunk's gather (1/64 of the bound's
    // time), cost under 3.5% at 8 GiB
    expect(busbw[8]).toBeGreaterThan(0.965 * bound);
  });
});
