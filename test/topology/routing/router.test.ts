// Routing: ECMP spread, host-internal hops, home-NIC preference, determinism, errors.
import { describe, expect, test } from 'vitest';
import { Router } from '../../../src/topology/routing/router.js';
import { id, pathIds, topologyOf } from '../../helpers/topologies.js';

describe('ECMP', () => {
  test('10,000 flows between pods of a k=8 fat-tree spread evenly over the 16 shortest paths', () => {
    // Between pods there are (k/2)² = 16 core paths. Each of 10,000 hashed flows picks one with
    // p = 1/16: mean 625, binomial σ = √(10000·(1/16)·(15/16)) ≈ 24.2. Tolerance: ±20% (±125,
    // over 5σ), so a fair hash passes and a hash stuck on a few paths fails.
    const topo = topologyOf({ fabric: { type: 'fat-tree', k: 8, routing: 'ecmp' } });
    const r = new Router(topo, 7);
    const src = id(topo, 'host0/acc0');
    const dst = id(topo, 'host127/acc0');
    const perCore = new Map<string, number>();
    for (let label = 0; label < 10000; label++) {
      const ids = pathIds(topo, src, r.route(src, dst, label).links);
      expect(ids.length).toBe(11);
      const core = ids.find((n) => n.startsWith('core'))!;
      perCore.set(core, (perCore.get(core) ?? 0) + 1);
    }
    expect(perCore.size).toBe(16);
    for (const n of perCore.values()) expect(Math.abs(n - 625)).toBeLessThan(125);
  });

  test('same (seed, src, dst, label) gives the same route; the seed changes the choice', () => {
    const topo = topologyOf({ fabric: { type: 'fat-tree', k: 8, routing: 'ecmp' } });
    const a = id(topo, 'host0/acc0');
    const b = id(topo, 'host127/acc0');
    const r1 = new Router(topo, 1);
    const again = new Router(topo, 1);
    const paths = (r: Router) => Array.from({ length: 64 }, (_, l) => r.route(a, b, l).links.join());
    expect(paths(again)).toEqual(paths(r1));
    expect(paths(new Router(topo, 2))).not.toEqual(paths(r1));
  });
});

/** The most flows of the shift permutation host h → host h + 4 (h < 12) on one directed fabric link. */
function downLinksOf(router: Router, t: ReturnType<typeof topologyOf>): number {
  const used = new Map<number, number>();
  for (let h = 0; h < 12; h++) {
    const a = id(t, `host${h}/acc0`), b = id(t, `host${h + 4}/acc0`);
    for (const d of router.route(a, b, 0).links) if (t.links[d >> 1].type !== 'pcie' && t.links[d >> 1].tier !== 'host') used.set(d, (used.get(d) ?? 0) + 1);
  }
  return [...used.values()].reduce((x, y) => Math.max(x, y), 0);
}

describe('destination routing (fabric.routing: destination, InfiniBand D-mod-k)', () => {
  // A 2-tier leaf-spine of radix 8: 4 hosts and 4 up-links a leaf, 4 spines; 16 hosts on 4 leaves.
  const topo = topologyOf({ servers: [{ template: 'host', count: 16 }], fabric: { type: 'leaf-spine', radix: 8, routing: 'destination' } });
  const r = new Router(topo, 3);
  const acc = (h: number) => id(topo, `host${h}/acc0`);
  const spineOf = (src: number, dst: number, label = 0) => pathIds(topo, acc(src), r.route(acc(src), acc(dst), label).links).find((n) => n.includes('spine'))!;

  test('the up-link is the destination server modulo the spines, whatever the source or label', () => {
    // destinations 4..7 (leaf 1) from every host of leaf 0 and with any label: spine = dst mod 4
    for (const dst of [4, 5, 6, 7]) {
      const spines = new Set([0, 1, 2, 3].flatMap((src) => [0, 7, 99].map((l) => spineOf(src, dst, l))));
      expect(spines.size).toBe(1);
    }
    expect(new Set([4, 5, 6, 7].map((dst) => spineOf(0, dst))).size).toBe(4);
  });

  test('a shift permutation across leaves (host h to host h + 4) puts each spine down-link under one flow: no collisions, unlike the hash', () => {
    expect(downLinksOf(r, topo)).toBe(1);
    const hashed = topologyOf({ servers: [{ template: 'host', count: 16 }], fabric: { type: 'leaf-spine', radix: 8, routing: 'ecmp' } });
    expect(hashed.routing).toBe('ecmp');
    // the same 12 flows hashed (seed 3): some down-link carries two or more
    expect(downLinksOf(new Router(hashed, 3), hashed)).toBeGreaterThan(1);
  });
});

describe('destination routing keys on the destination port, not its server', () => {
  test("a DGX H100's 8 NICs under one leaf (leaf-spine, radix 16) are reached over 8 different spines", () => {
    // OpenSM gives each HCA port its own LID: D-mod-k spreads the 8 ports of one leaf over the
    // leaf's 8 up-links. Keyed by server, all 8 would share one spine down-link.
    const t = topologyOf({ servers: [{ template: 'dgx-h100', count: 2 }], fabric: { type: 'leaf-spine', radix: 16, routing: 'destination' } });
    const r = new Router(t, 0);
    const spines = new Set([0, 1, 2, 3, 4, 5, 6, 7].map((g) => pathIds(t, id(t, `dgx0/acc${g}`), r.route(id(t, `dgx0/acc${g}`), id(t, `dgx1/acc${g}`), 0).links).find((n) => n.includes('spine'))));
    expect(spines.size).toBe(8);
  });
});

describe('fabric.routing: auto (the default) follows the fabric links\' technology', () => {
  test('InfiniBand (ConnectX-7 NDR ports) routes by destination, Ethernet (ConnectX-7 at 400GbE) hashes', () => {
    const ib = topologyOf({ servers: [{ template: 'dgx-h100', count: 2 }], fabric: { type: 'rail-optimized', radix: 16 } });
    const eth = topologyOf({ servers: [{ template: 'dgx-h100', count: 2, nic: 'connectx-7-eth' }], fabric: { type: 'rail-optimized', radix: 16 } });
    expect([ib.routing, eth.routing]).toEqual(['destination', 'ecmp']);
    // a fabric link named explicitly decides it
    const ethFabric = topologyOf({ servers: [{ template: 'dgx-h100', count: 2 }], fabric: { type: 'rail-optimized', radix: 16, link: 'ethernet-400g' } });
    expect(ethFabric.routing).toBe('ecmp');
  });
});

describe('routes through servers', () => {
  const dgx = () => topologyOf({ servers: [{ template: 'dgx-h100', count: 2 }], fabric: { type: 'rail-optimized', radix: 16 } });

  test('a GPUDirect RDMA route crosses the PCIe switch the GPU shares with its NIC', () => {
    const topo = dgx();
    const r = new Router(topo);
    const ids = pathIds(topo, id(topo, 'dgx0/acc2'), r.route(id(topo, 'dgx0/acc2'), id(topo, 'dgx1/acc2')).links);
    // acc2 and nic2 both sit on pcie1 (template: switch j holds GPUs 2j, 2j+1 and NICs 2j, 2j+1).
    expect(ids).toEqual(['dgx0/acc2', 'dgx0/pcie1', 'dgx0/nic2', 'leaf2', 'dgx1/nic2', 'dgx1/pcie1', 'dgx1/acc2']);
  });

  test('GPU i leaves through its home NIC i even when the other NIC on its switch is as close (rail matching off)', () => {
    const topo = dgx();
    const r = new Router(topo, 0, { pxn: false });
    for (let label = 0; label < 50; label++) {
      const ids = pathIds(topo, id(topo, 'dgx0/acc3'), r.route(id(topo, 'dgx0/acc3'), id(topo, 'dgx1/acc0'), label).links);
      expect(ids[2]).toBe('dgx0/nic3');
      expect(ids[ids.length - 3]).toBe('dgx1/nic0');
    }
  });

  test('rail matching: to GPU j of another server, traffic leaves through the NIC on j\'s rail (PXN over NVLink, or PCIe when on the same switch)', () => {
    const topo = dgx();
    const r = new Router(topo);
    const p = (a: string, b: string) => pathIds(topo, id(topo, a), r.route(id(topo, a), id(topo, b)).links);
    // acc3's own NIC is on rail 3: relay through acc0 (NVLink) to nic0, then rail 0 to dgx1/acc0
    expect(p('dgx0/acc3', 'dgx1/acc0').slice(0, 5)).toEqual(['dgx0/acc3', 'dgx0/nvswitch', 'dgx0/acc0', 'dgx0/pcie0', 'dgx0/nic0']);
    expect(p('dgx0/acc3', 'dgx1/acc0').slice(-3)).toEqual(['dgx1/nic0', 'dgx1/pcie0', 'dgx1/acc0']);
    // acc0 and nic1 share pcie0: straight over PCIe to nic1, rail 1
    expect(p('dgx0/acc0', 'dgx1/acc1').slice(0, 4)).toEqual(['dgx0/acc0', 'dgx0/pcie0', 'dgx0/nic1', p('dgx0/acc1', 'dgx1/acc1')[3]]);
    // same local index: the GPU's own rail, unchanged
    expect(p('dgx0/acc2', 'dgx1/acc2')[2]).toBe('dgx0/nic2');
  });

  test('rail matching never lengthens a route (leaf-spine without rails, rails across leaf groups)', () => {
    for (const doc of [
      { servers: [{ template: 'dgx-h100', count: 4 }], fabric: { type: 'leaf-spine', radix: 16 } },
      { servers: [{ template: 'dgx-h100', count: 16 }], fabric: { type: 'rail-optimized', radix: 16 } }, // 2 leaves per rail
    ]) {
      const topo = topologyOf(doc);
      const on = new Router(topo);
      const off = new Router(topo, 0, { pxn: false });
      const accs = topo.nodesOfKind('accelerator').map((x) => x.index);
      let worse = 0;
      for (const a of accs) for (const b of accs) if (a !== b && on.route(a, b).links.length > off.route(a, b).links.length) worse++;
      expect(worse).toBe(0);
    }
  });

  test('inside a server GPUs talk over NVSwitch, and host memory reaches a GPU over PCIe', () => {
    const topo = dgx();
    const r = new Router(topo);
    const p = (a: string, b: string) => pathIds(topo, id(topo, a), r.route(id(topo, a), id(topo, b)).links);
    expect(p('dgx0/acc0', 'dgx0/acc7')).toEqual(['dgx0/acc0', 'dgx0/nvswitch', 'dgx0/acc7']);
    expect(p('dgx0/dram0', 'dgx0/acc1')).toEqual(['dgx0/dram0', 'dgx0/cpu0', 'dgx0/pcie0', 'dgx0/acc1']);
    expect(p('dgx0/dram1', 'dgx0/acc1')).toEqual(['dgx0/dram1', 'dgx0/cpu1', 'dgx0/cpu0', 'dgx0/pcie0', 'dgx0/acc1']);
  });

  test('latency is the sum of the links crossed', () => {
    const topo = dgx();
    const r = new Router(topo);
    // acc→pcie→nic: 2 PCIe hops at 150 ns; nic→leaf→nic: 2 NDR hops at 0.25 us; then 2 PCIe.
    expect(r.route(id(topo, 'dgx0/acc0'), id(topo, 'dgx1/acc0')).latencySec).toBeCloseTo(4 * 150e-9 + 2 * 0.25e-6, 15);
  });

  test('an unreachable destination is an input error naming both ends', () => {
    const topo = topologyOf({ servers: [{ template: 'dgx-h100', count: 1 }], nodes: [{ id: 'orphan', kind: 'storage' }] });
    const r = new Router(topo);
    expect(() => r.route(id(topo, 'dgx0/acc0'), id(topo, 'orphan'))).toThrow('no route from dgx0/acc0 to orphan');
    expect(r.distance(id(topo, 'dgx0/acc0'), id(topo, 'orphan'))).toBe(-1);
    expect(r.distance(id(topo, 'dgx0/acc0'), id(topo, 'dgx0/acc1'))).toBe(2);
  });
});
