// Ring and direct collectives on an ideal switch against their closed forms (both engines).
import { describe, expect, test } from 'vitest';
import { defaultCommunicator } from '../../src/collective/communicator.js';
import { DEFAULT_COLLECTIVE_OPTIONS } from '../../src/collective/index.js';
import { serverRotatedOrders } from '../../src/collective/ring.js';
import { runCollective } from '../../src/sim/collective-run.js';
import { Router } from '../../src/topology/routing/router.js';
import { topologyOf } from '../helpers/topologies.js';
import { OP_TRANSFER } from '../../src/graph/index.js';

// n accelerators on one switch, every link B = 100 GB/s per direction, no link latency: the
// "ideal switch" of the closed forms.
const B = 100e9;
function star(n: number) {
  const nodes = [{ id: 'sw', kind: 'switch' }, ...Array.from({ length: n }, (_, i) => ({ id: `g${i}`, kind: 'accelerator' }))];
  const links = Array.from({ length: n }, (_, i) => ({ a: `g${i}`, b: 'sw', bandwidth: B }));
  const topo = topologyOf({ nodes, links });
  return { topo, router: new Router(topo), comm: defaultCommunicator(topo) };
}

describe.each(['wasm', 'ts'] as const)('%s engine', (engine) => {
  const alpha = 5e-6;
  const o = { ...DEFAULT_COLLECTIVE_OPTIONS, alphaSec: alpha, chunkBytes: 2 ** 40 };

  test('ring all-reduce: 2(n−1)(α + S/(nB))', () => {
    // n = 8, S = 64 MiB: each of the 14 steps moves S/8 = 8 MiB over a dedicated port pair:
    // 14 × (5 µs + 8 MiB / 100 GB/s = 83.886 µs) = 1244.4 µs.
    const { topo, router, comm } = star(8);
    const S = 64 * 2 ** 20;
    const r = runCollective(topo, router, comm, 'all_reduce', S, o, engine);
    expect(r.makespanSec).toBeCloseTo(2 * 7 * (alpha + S / (8 * B)), 12);
    expect(r.operations).toBe(14 * 8 + 8); // 14 sends per rank, and one "rank done" join each
  });

  test('merged steps (huge rings) keep the lockstep time: 14 steps as 2 sends of 7', () => {
    // with 1 µs link latency (2 µs per route) and a reduction cost, merging steps pays α, the
    // route latency and the reductions once per merged step, so the total is unchanged:
    // 14 (α + 2 µs + S/(8B)) + 7 × 3(S/8)/M.
    const nodes = [{ id: 'sw', kind: 'switch' }, ...Array.from({ length: 8 }, (_, i) => ({ id: `g${i}`, kind: 'accelerator' }))];
    const links = Array.from({ length: 8 }, (_, i) => ({ a: `g${i}`, b: 'sw', bandwidth: B, latency: '1us' }));
    const topo = topologyOf({ nodes, links });
    const router = new Router(topo);
    const comm = defaultCommunicator(topo);
    const S = 64 * 2 ** 20;
    const M = 200e9;
    const want = 14 * (alpha + 2e-6 + S / (8 * B)) + (7 * 3 * S) / 8 / M;
    // 14 steps × 8 ranks = 112 sends; a cap of 16 merges g = 7 steps per send: 2 sends per rank.
    for (const maxSendsPerChunk of [2 ** 21, 16])
      expect(runCollective(topo, router, comm, 'all_reduce', S, { ...o, maxSendsPerChunk, reduceBytesPerSec: M }, engine).makespanSec).toBeCloseTo(want, 12);
    expect(runCollective(topo, router, comm, 'all_reduce', S, { ...o, maxSendsPerChunk: 16 }, engine).operations).toBe(2 * 8 + 8);
  });

  test.each(['all_gather', 'reduce_scatter'] as const)('ring %s: (n−1)(α + S/(nB))', (op) => {
    const { topo, router, comm } = star(4);
    const S = 2 ** 30;
    const r = runCollective(topo, router, comm, op, S, o, engine);
    expect(r.makespanSec).toBeCloseTo(3 * (alpha + S / (4 * B)), 12);
  });

  test('ring all-reduce busbw tends to B for large messages', () => {
    // busbw = S/t × 2(n−1)/n = B · (S/(nB)) / (α + S/(nB)): at 8 GiB a step moves 1 GiB in
    // 10.74 ms, so α = 5 µs costs 0.047% and busbw = 0.99953 B.
    const { topo, router, comm } = star(8);
    const S = 8 * 2 ** 30;
    const r = runCollective(topo, router, comm, 'all_reduce', S, o, engine);
    const step = S / (8 * B);
    expect(r.busbwBytesPerSec / B).toBeCloseTo(step / (alpha + step), 12);
    expect(r.busbwBytesPerSec / B).toBeGreaterThan(0.999);
  });

  test('chunks go round the ring one after another: 2(n−1)(K·α + S/(nB))', () => {
    // 4 chunks: every rank sends 4 × 14 pieces of S/32 back to back, each paying α.
    const { topo, router, comm } = star(8);
    const S = 64 * 2 ** 20;
    const r = runCollective(topo, router, comm, 'all_reduce', S, { ...o, chunkBytes: S / 4, window: 1 }, engine);
    expect(r.makespanSec).toBeCloseTo(14 * (4 * alpha + S / (8 * B)), 12);
  });

  test('a window of in-flight sends hides α behind the transfers of other chunks', () => {
    // window 64 ≥ the 4 × 14 sends of a rank: nothing waits for its own earlier sends, so step s
    // of all 4 chunks runs at once, sharing the port (4 × S/32 at B) with their α overlapped:
    // each of the 14 steps costs α + S/(8B), as with a single chunk.
    const { topo, router, comm } = star(8);
    const S = 64 * 2 ** 20;
    const r = runCollective(topo, router, comm, 'all_reduce', S, { ...o, chunkBytes: S / 4, window: 64 }, engine);
    expect(r.makespanSec).toBeCloseTo(14 * (alpha + S / (8 * B)), 12);
  });

  test('channels share a port: C rings on one switch take the same time as one, plus α per send', () => {
    // 2 channels of S/2 each run side by side on the same ports (half the bandwidth each):
    // 14 steps × (α + (S/16)/(B/2)) = 14 (α + S/(8B)).
    const { topo, router, comm } = star(8);
    const S = 64 * 2 ** 20;
    const r = runCollective(topo, router, comm, 'all_reduce', S, { ...o, channels: 2 }, engine);
    expect(r.makespanSec).toBeCloseTo(14 * (alpha + S / (8 * B)), 12);
  });

  test('pairwise all-to-all: (n−1)(α + S/(nB))', () => {
    // round k: every rank sends S/n to r+k; each port carries one piece out and one in.
    const { topo, router, comm } = star(8);
    const S = 2 ** 26;
    const r = runCollective(topo, router, comm, 'alltoall', S, { ...o, algorithm: 'pairwise' }, engine);
    expect(r.makespanSec).toBeCloseTo(7 * (alpha + S / 8 / B), 12);
  });

  test('broadcast and reduce on a chain: (n − 1 + K − 1)(α + S/(KB))', () => {
    // 8 ranks, 4 chunks: the last chunk leaves the root in slot 4 and needs 7 hops: 10 slots.
    const { topo, router, comm } = star(8);
    const S = 2 ** 28;
    for (const op of ['broadcast', 'reduce'] as const) {
      const r = runCollective(topo, router, comm, op, S, { ...o, algorithm: 'chain', chunkBytes: S / 4, root: 3 }, engine);
      expect(r.makespanSec).toBeCloseTo(10 * (alpha + S / 4 / B), 12);
    }
  });

  test('a chain on C channels: each carries S/C in its own chunks, all sharing the ports', () => {
    // 2 channels of 4 chunks each, S/8 a chunk: both chains use the same ports, so each chunk
    // moves at B/2: 10 slots of (α + (S/8) / (B/2)).
    const { topo, router, comm } = star(8);
    const S = 2 ** 28;
    const r = runCollective(topo, router, comm, 'broadcast', S, { ...o, algorithm: 'chain', channels: 2, chunkBytes: S / 8, root: 0 }, engine);
    expect(r.makespanSec).toBeCloseTo(10 * (alpha + S / 8 / (B / 2)), 12);
  });

  test('gather and scatter: α + (n−1)S/(nB) through the root port; sendrecv: α + S/B', () => {
    const { topo, router, comm } = star(8);
    const S = 2 ** 28;
    for (const op of ['gather', 'scatter'] as const)
      expect(runCollective(topo, router, comm, op, S, { ...o, algorithm: 'direct', root: 5 }, engine).makespanSec).toBeCloseTo(alpha + (7 * S) / 8 / B, 12);
    expect(runCollective(topo, router, comm, 'sendrecv', S, { ...o, algorithm: 'direct' }, engine).makespanSec).toBeCloseTo(alpha + S / B, 12);
  });

  test('one-shot all-reduce: α + (n−1)S/B; two-shot: 2α + 2(n−1)S/(nB)', () => {
    const { topo, router, comm } = star(8);
    const S = 2 ** 20;
    expect(runCollective(topo, router, comm, 'all_reduce', S, { ...o, algorithm: 'one-shot' }, engine).makespanSec).toBeCloseTo(alpha + (7 * S) / B, 12);
    expect(runCollective(topo, router, comm, 'all_reduce', S, { ...o, algorithm: 'two-shot' }, engine).makespanSec).toBeCloseTo(2 * alpha + (2 * 7 * S) / (8 * B), 12);
  });

  test('a root outside the communicator is an input error', () => {
    const { topo, router, comm } = star(4);
    expect(() => runCollective(topo, router, comm, 'broadcast', 8, { ...o, algorithm: 'chain', root: 4 }, engine)).toThrow(/root: must be a rank from 0 to 3/);
  });

  test('direct all-to-all: α + (n−1)S/(nB)', () => {
    // each port sends n−1 pieces of S/n at once and receives n−1: its link carries (n−1)S/n.
    const { topo, router, comm } = star(8);
    const S = 2 ** 26;
    const r = runCollective(topo, router, comm, 'alltoall', S, { ...o, algorithm: 'direct' }, engine);
    expect(r.makespanSec).toBeCloseTo(alpha + (7 * S) / 8 / B, 12);
  });
});

describe('rings across servers on a rail-optimized fabric', () => {
  // 2 DGX H100, NIC i of each on the leaf of rail i: NDR U = 48.5 GB/s per NIC and direction.
  const topo = topologyOf({ servers: [{ template: 'dgx-h100', count: 2 }], fabric: { type: 'rail-optimized', radix: 16 } });
  const router = new Router(topo);
  const comm = defaultCommunicator(topo);
  const S = 2 ** 30;
  const busbw = (channels: number) => runCollective(topo, router, comm, 'all_reduce', S, { ...DEFAULT_COLLECTIVE_OPTIONS, channels }).busbwBytesPerSec;

  test('one channel crosses between servers through one NIC: busbw is about its rate', () => {
    // every step waits for the one cross-server hop of S/16 at U: busbw → U (α is 0 here; only the
    // route latencies of the 30 steps, microseconds against 1 GiB at 48.5 GB/s, keep it below)
    expect(busbw(1)).toBeGreaterThan(0.95 * 48.5e9);
    expect(busbw(1)).toBeLessThanOrEqual(48.5e9);
  });

  test('8 channels leave each server through 8 different accelerator uplinks and NICs: NIC-bound, near 8 × U', () => {
    // channel c enters a server at GPU c and leaves from GPU c^1, its neighbour on the same PCIe
    // switch, straight to the rail-c NIC: each GPU→PCIe uplink and each NIC carries one channel
    const channels = runCollective(topo, router, comm, 'all_reduce', S, { ...DEFAULT_COLLECTIVE_OPTIONS, channels: 8 });
    const nics = new Set<string>();
    const uplinks = new Map<string, Set<number>>();
    for (let i = 0; i < channels.dag.size; i++) {
      if (channels.dag.kind[i] !== OP_TRANSFER || topo.nodes[channels.dag.src[i]].placement.server === topo.nodes[channels.dag.dst[i]].placement.server) continue;
      const hops = router.route(channels.dag.src[i], channels.dag.dst[i], channels.dag.label[i]).links.map((d) => topo.to(d));
      nics.add(topo.nodes[hops.find((x) => topo.nodes[x].kind === 'nic')!].id);
      // the hop into the first PCIe switch, from the accelerator that sends
      const from = [channels.dag.src[i], ...hops][hops.findIndex((x) => topo.nodes[x].kind === 'pcie-switch')];
      const key = topo.nodes[from].id;
      uplinks.set(key, (uplinks.get(key) ?? new Set()).add(channels.dag.label[i]));
    }
    expect(nics.size).toBe(8 + 8); // all NICs of both servers
    expect(uplinks.size).toBe(16); // every accelerator's uplink …
    expect([...uplinks.values()].every((labels) => labels.size === 1)).toBe(true); // … for one channel
    // bound: 8 channels at the NIC rate U each; filling and draining each channel's 16-slice
    // pipeline over 30 steps (α is 0) costs the rest: 91% measured, asserted above 85%
    expect(busbw(8)).toBeLessThanOrEqual(8 * 48.5e9);
    expect(busbw(8)).toBeGreaterThan(0.85 * 8 * 48.5e9);
  });
});

describe('ring orders across servers', () => {
  // 2 servers of 4 ranks
  const servers = [0, 0, 0, 0, 1, 1, 1, 1];
  test('without partners channel c enters each server at local rank c and leaves from c − 1', () => {
    const orders = serverRotatedOrders(servers)!;
    expect(Array.from(orders(1))).toEqual([1, 2, 3, 0, 5, 6, 7, 4]);
  });

  test('with PCIe-switch partners channel c leaves from its partner; every order is a permutation', () => {
    // pairs {0,1} and {2,3} share a switch (and their NICs)
    const orders = serverRotatedOrders(servers, [1, 0, 3, 2])!;
    expect(Array.from(orders(0))).toEqual([0, 2, 3, 1, 4, 6, 7, 5]);
    expect(Array.from(orders(3))).toEqual([3, 0, 1, 2, 7, 4, 5, 6]);
    for (let c = 0; c < 4; c++) expect([...orders(c)].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // −1: no partner, the rotation as before
    expect(Array.from(serverRotatedOrders(servers, [-1, -1, -1, -1])!(1))).toEqual([1, 2, 3, 0, 5, 6, 7, 4]);
  });

  test('partners only where a switch holds exactly two accelerators and the entry one\'s NIC: not on 4-GPU PCIe switches', () => {
    // L40S servers: 4 GPUs and 1 NIC per switch; the rings keep the plain rotation (busbw as before)
    const l40s = topologyOf({ servers: [{ template: 'l40s-pcie', count: 2 }], fabric: { type: 'rail-optimized', radix: 16 } });
    const r8 = (t: typeof l40s) => runCollective(t, new Router(t), defaultCommunicator(t), 'all_reduce', 2 ** 26, { ...DEFAULT_COLLECTIVE_OPTIONS, channels: 8 });
    const dag = r8(l40s).dag;
    const n = l40s.nodes;
    const exits = new Set<string>();
    for (let i = 0; i < dag.size; i++) if (dag.kind[i] === OP_TRANSFER && n[dag.src[i]].placement.server !== n[dag.dst[i]].placement.server) exits.add(`${n[dag.src[i]].id}>${n[dag.dst[i]].id}`);
    // channel c leaves server 0 from GPU c − 1 and enters server 1 at GPU c (and back)
    expect(exits.has('l40s0/acc7>l40s1/acc0')).toBe(true);
    expect(exits.has('l40s0/acc0>l40s1/acc1')).toBe(true);
  });
});
