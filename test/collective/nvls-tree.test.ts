// NVLS-tree all-reduce across NVLink domains against its closed forms: one chunk goes through
// upload, reduced share, exchange over the rails, put back and multicast in turn; many chunks
// overlap those stages, so the time falls to the busiest link's.
import { describe, expect, test } from 'vitest';
import { defaultCommunicator } from '../../src/collective/communicator.js';
import { DEFAULT_COLLECTIVE_OPTIONS } from '../../src/collective/index.js';
import { runCollective } from '../../src/sim/collective-run.js';
import { Router } from '../../src/topology/routing/router.js';
import { topologyOf } from '../helpers/topologies.js';

// D domains of n GPUs, each domain's GPUs on its own reducing switch at B; every GPU also links
// at Bs to one fabric switch (its rail). No latencies.
const B = 100e9;
const Bs = 25e9;
const n = 4;
function domains(D: number) {
  const nodes: object[] = [{ id: 'fabric', kind: 'switch' }];
  const links: object[] = [];
  for (let d = 0; d < D; d++) {
    nodes.push({ id: `d${d}/sw`, kind: 'switch', server: `d${d}`, reduction: true, reductionEfficiency: 1 });
    for (let i = 0; i < n; i++) {
      nodes.push({ id: `d${d}/g${i}`, kind: 'accelerator', server: `d${d}` });
      links.push({ a: `d${d}/g${i}`, b: `d${d}/sw`, bandwidth: B }, { a: `d${d}/g${i}`, b: 'fabric', bandwidth: Bs });
    }
  }
  const topo = topologyOf({ nodes, links });
  return { topo, router: new Router(topo), comm: defaultCommunicator(topo) };
}
const S = 64 * 2 ** 20;
const o = { ...DEFAULT_COLLECTIVE_OPTIONS, alphaSec: 0, algorithm: 'nvls-tree' as const };

describe.each(['wasm', 'ts'] as const)('nvls-tree, %s engine', (engine) => {
  test('2 domains, one chunk: S/B + S/(nB) + S/(n·Bs) + S/(nB) + (n−1)S/(nB)', () => {
    const { topo, router, comm } = domains(2);
    const r = runCollective(topo, router, comm, 'all_reduce', S, { ...o, chunkBytes: 2 ** 40 }, engine);
    expect(r.makespanSec).toBeCloseTo(S / B + (2 * S) / (n * B) + ((n - 1) * S) / (n * B) + S / (n * Bs), 12);
  });
  test("4 domains, one chunk: NCCL's double binary tree of domains, half the share on each tree", () => {
    // Rail i = 0, h = S/(2n): tree 0 is d0 ← d1, d2; d1 ← d3; tree 1 its mirror d3 ← d2, d1; d2 ← d0.
    // Up: the leaves' sends (d3→d1, d2→d0 | d0→d2, d1→d3) each on their own rail links (h), then
    // d1→d0 | d2→d3 (h). Down: each root sends to two at once on its rail link (2h), then
    // d1→d3 | d2→d0 (h). 5h at Bs in all.
    const { topo, router, comm } = domains(4);
    const r = runCollective(topo, router, comm, 'all_reduce', S, { ...o, chunkBytes: 2 ** 40 }, engine);
    const h = S / n / 2;
    expect(r.makespanSec).toBeCloseTo(S / B + (2 * S) / (n * B) + ((n - 1) * S) / (n * B) + (5 * h) / Bs, 12);
  });
  test('one domain: NVLS-tree is NVLS (NCCL runs NVLS-tree only across domains), the same time to the bit', () => {
    // 4 ranks on one reducing switch: the NVLS chunk's five stages (nvls.ts), one chunk:
    // S/B + S/(nB) + S/(nB) + (n−1)S/(nB) + the gather S/B
    const { topo, router, comm } = domains(1);
    const tree = runCollective(topo, router, comm, 'all_reduce', S, { ...o, chunkBytes: 2 ** 40 }, engine);
    const nvls = runCollective(topo, router, comm, 'all_reduce', S, { ...o, chunkBytes: 2 ** 40, algorithm: 'nvls' }, engine);
    expect(tree.makespanSec).toBe(nvls.makespanSec);
    expect(tree.makespanSec).toBeCloseTo(S / B + (2 * S) / (n * B) + ((n - 1) * S) / (n * B) + S / B, 12);
  });
  test.each([2, 4])('pipelined: 64 chunks over %i domains finish within 5%% of the busiest link', (D) => {
    // NVLink: (n+1)S/n up and S down a GPU; rails: with 2 domains S/n each way; with the double
    // tree over 4, every domain's rail link carries 3 half-shares each way per chunk (inner in
    // one tree, leaf in the other).
    const { topo, router, comm } = domains(D);
    const r = runCollective(topo, router, comm, 'all_reduce', S, { ...o, chunkBytes: S / 64 }, engine);
    const bound = Math.max(((n + 1) * S) / (n * B), S / B, ((D === 2 ? 1 : 1.5) * S) / (n * Bs));
    expect(r.makespanSec).toBeGreaterThanOrEqual(bound);
    expect(r.makespanSec).toBeLessThan(bound * 1.05);
  });
});
