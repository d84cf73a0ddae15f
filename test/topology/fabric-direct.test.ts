// Torus and dragonfly fabrics: link counts and diameters derived by hand.
import { describe, expect, test } from 'vitest';
import { Router } from '../../src/topology/routing/router.js';
import { id, topologyOf } from '../helpers/topologies.js';

describe('direct fabrics', () => {
  test('4×4 torus: 16 routers, 32 router links, router diameter 4', () => {
    // each router has 2 links per dimension, shared: 16 × 4 / 2 = 32; farthest routers are
    // 2 + 2 hops apart. Hosts: acc-cpu-nic-router, so host diameter = 3 + 4 + 3 = 10.
    const t = topologyOf({ fabric: { type: 'torus', dims: [4, 4], hosts: 16 } });
    expect(t.links.filter((l) => l.tier === 'router-router').length).toBe(32);
    const r = new Router(t);
    expect(r.distance(id(t, 'router0'), id(t, 'router10'))).toBe(4);
    expect(r.distance(id(t, 'host0/acc0'), id(t, 'host10/acc0'))).toBe(10);
  });

  test('dragonfly: 5 groups × 4 routers, local all-to-all and one global link per group pair', () => {
    // local: 5 × C(4,2) = 30; global: C(5,2) = 10; any two routers ≤ local+global+local = 3.
    const t = topologyOf({ fabric: { type: 'dragonfly', groups: 5, routersPerGroup: 4, hosts: 20 } });
    expect(t.links.filter((l) => l.tier === 'local').length).toBe(30);
    expect(t.links.filter((l) => l.tier === 'global').length).toBe(10);
    const r = new Router(t);
    let worst = 0;
    for (let a = 0; a < 20; a++) for (let b = 0; b < 20; b++) worst = Math.max(worst, r.distance(id(t, `g${Math.floor(a / 4)}/router${a % 4}`), id(t, `g${Math.floor(b / 4)}/router${b % 4}`)));
    expect(worst).toBe(3);
  });
});
