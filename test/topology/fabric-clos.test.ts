// Clos fabrics against hand-derived counts, path lengths and bisection bandwidth.
import { describe, expect, test } from 'vitest';
import { bisectionBytesPerSec } from '../../src/topology/metrics.js';
import { Router } from '../../src/topology/routing/router.js';
import { id, pathIds, topologyOf } from '../helpers/topologies.js';

describe('k-ary fat-tree', () => {
  test.each([4, 8, 16])('k=%i has k³/4 hosts, k²/2 leaves, k²/2 spines, k²/4 cores (5k²/4 switches)', (k) => {
    const topo = topologyOf({ fabric: { type: 'fat-tree', k } });
    const switches = topo.nodesOfKind('switch');
    expect(topo.serverNames.length).toBe(k ** 3 / 4);
    expect(switches.length).toBe((5 * k * k) / 4);
    const perTier = [0, 1, 2].map((t) => switches.filter((s) => s.placement.tier === t).length);
    expect(perTier).toEqual([(k * k) / 2, (k * k) / 2, (k * k) / 4]);
    // every switch uses exactly k ports
    const { start } = topo.adjacency();
    for (const s of switches) expect(start[s.index + 1] - start[s.index]).toBe(k);
  });

  test('path lengths: same leaf 6 links, same pod 8, across pods 10', () => {
    // host = accelerator -cpu- nic, so 3 links from an accelerator to its leaf:
    // same leaf: acc,cpu,nic,leaf,nic,cpu,acc = 6; same pod adds leaf-spine-leaf (+2);
    // other pod adds spine-core-spine (+2 more).
    const topo = topologyOf({ fabric: { type: 'fat-tree', k: 8 } });
    const r = new Router(topo);
    const acc = (s: number) => id(topo, `host${s}/acc0`);
    expect(r.route(acc(0), acc(1)).links.length).toBe(6); // hosts 0-3 share leaf0
    expect(r.route(acc(0), acc(4)).links.length).toBe(8); // hosts 0-15 share pod0
    expect(r.route(acc(0), acc(127)).links.length).toBe(10);
    expect(pathIds(topo, acc(0), r.route(acc(0), acc(1)).links)).toEqual([
      'host0/acc0', 'host0/cpu0', 'host0/nic0', 'leaf0', 'host1/nic0', 'host1/cpu0', 'host1/acc0',
    ]);
  });
});

describe('leaf-spine', () => {
  test('1:3 oversubscribed: bisection is a third of the host bandwidth', () => {
    // radix 16 at 3:1 → 12 hosts down, 4 up per leaf; 48 hosts → 4 leaves, 4 spines. All links
    // 400GbE: 50 GB/s × 0.95 = 47.5 GB/s. Halves = leaves {0,1} vs {2,3}: the cut is 2 leaves ×
    // 4 uplinks = 8 links = 380 GB/s, while the 24 hosts of a half inject 24 × 47.5 = 1140 GB/s.
    const topo = topologyOf({
      servers: [{ template: 'host', count: 48, nic: 'connectx-7-eth' }],
      fabric: { type: 'leaf-spine', radix: 16, oversubscription: 3 },
    });
    expect(topo.nodesOfKind('switch').length).toBe(8);
    expect(bisectionBytesPerSec(topo)).toBeCloseTo(380e9, 0);
    expect(bisectionBytesPerSec(topo) / (24 * 47.5e9)).toBeCloseTo(1 / 3, 12);
  });

  test('non-blocking 2-tier: bisection equals half the hosts × link rate', () => {
    const topo = topologyOf({ fabric: { type: 'leaf-spine', radix: 8, hosts: 16 } });
    // 4 leaves × 4 down; ndr links 48.5 GB/s; 8 hosts per half.
    expect(bisectionBytesPerSec(topo)).toBeCloseTo(8 * 48.5e9, 0);
  });

  test('rail-optimized: NIC i of every server is on a leaf of rail i', () => {
    const topo = topologyOf({ servers: [{ template: 'dgx-h100', count: 4 }], fabric: { type: 'rail-optimized', radix: 8 } });
    const { start, to } = topo.adjacency();
    for (let s = 0; s < 4; s++)
      for (let i = 0; i < 8; i++) {
        const nic = id(topo, `dgx${s}/nic${i}`);
        const leaves = Array.from(to.subarray(start[nic], start[nic + 1])).filter((n) => topo.nodes[n].kind === 'switch');
        expect(leaves.map((l) => topo.nodes[l].placement.rail)).toEqual([i]);
      }
  });

  test('too many leaves for two tiers is an input error that names the fix', () => {
    expect(() => topologyOf({ fabric: { type: 'leaf-spine', radix: 4, hosts: 64 } })).toThrow(/use tiers: 3/);
  });
});
