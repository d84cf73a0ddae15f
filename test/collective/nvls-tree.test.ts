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
  // Known defect, open (issue 14 note): with exactly 2 domains, one upload of domain 0 (the last
  // rank's) is reported done one stage late (when domain 1's reduced shares finish), in both
  // engines, so the run is S/(nB) slower than this closed form; 4 domains match exactly.
  // test.fails keeps the reproduction: it starts failing (and must become test) once fixed.
  test.fails('2 domains, one chunk: S/B + S/(nB) + S/(n·Bs) + S/(nB) + (n−1)S/(nB)', () => {
    const { topo, router, comm } = domains(2);
    const r = runCollective(topo, router, comm, 'all_reduce', S, { ...o, chunkBytes: 2 ** 40 }, engine);
    expect(r.makespanSec).toBeCloseTo(S / B + (2 * S) / (n * B) + ((n - 1) * S) / (n * B) + S / (n * Bs), 12);
  });
  test('4 domains, one chunk: the exchange becomes a reduce up and broadcast down a depth-2 tree of domains', () => {
    // domain tree 0 ← 1, 2; 1 ← 3, for each rail. Up: 3 → 1 and 2 → 0 at once (different rail
    // links), then 1 → 0: 2 shares at Bs. Down: 0 → 1 and 0 → 2 share 0's rail link (2 shares),
    // then 1 → 3 (1 share): 5 shares at Bs in all.
    const { topo, router, comm } = domains(4);
    const r = runCollective(topo, router, comm, 'all_reduce', S, { ...o, chunkBytes: 2 ** 40 }, engine);
    const share = S / n;
    const across = (5 * share) / Bs;
    expect(r.makespanSec).toBeCloseTo(S / B + (2 * S) / (n * B) + ((n - 1) * S) / (n * B) + across, 12);
  });
  test('pipelined: 64 chunks of 4 domains stay within 30% of the busiest link (the rail link of a root: 2 shares in, 2 out per chunk)', () => {
    const { topo, router, comm } = domains(4);
    const r = runCollective(topo, router, comm, 'all_reduce', S, { ...o, chunkBytes: S / 64 }, engine);
    // per rail: the root domain's rail link carries 2 shares in (reduce) and 2 out (broadcast)
    const bound = Math.max(((n + 1) * S) / (n * B), S / B, (2 * S) / (n * Bs));
    expect(r.makespanSec).toBeGreaterThanOrEqual(bound);
    // Not closer: each domain's multicast of a chunk waits for all its rails' exchanges, whose
    // trees are rooted in different domains, so the slowest rail gates every chunk (27% here).
    expect(r.makespanSec).toBeLessThan(bound * 1.3);
  });
});
