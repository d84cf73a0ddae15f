// Transfers on a topology through the engine: PCIe contention between GPUs, and between a
// host-to-device copy and GPUDirect RDMA, as max-min predicts (both engines).
import { describe, expect, test } from 'vitest';
import { NetworkResources } from '../../src/topology/network-resources.js';
import { Router } from '../../src/topology/routing/router.js';
import { ENGINES, runToEnd } from '../helpers/engines.js';
import { id, topologyOf } from '../helpers/topologies.js';

// Two servers, each: 1 socket; GPUs 0 and 1 (H100, Gen5 x16 links) behind one PCIe switch whose
// uplink to the CPU is Gen4 x16; the NIC hangs off the CPU. Gen4 x16 effective rate:
// 16 GT/s × 16 lanes × 128/130 / 8 = 31.5077 GB/s, × 0.85 = 26.7815 GB/s. Every other hop is
// faster (Gen5 x16 53.6 GB/s, NDR 48.5 GB/s, DDR5 8 × 38.4 × 0.75 = 230 GB/s).
const UPLINK = ((16e9 * 16 * 128) / 130 / 8) * 0.85;

function system() {
  const topo = topologyOf({
    servers: [
      {
        name: 'srv',
        count: 2,
        accelerator: 'h100-sxm',
        accelerators: 2,
        cpu: 'xeon-8480c',
        sockets: 1,
        nic: 'connectx-7',
        nics: 1,
        pcie: [{ socket: 0, uplink: 'pcie-gen4-x16', accelerators: [0, 1], nics: [] }],
      },
    ],
    fabric: { type: 'leaf-spine', radix: 4 },
  });
  return { topo, router: new Router(topo) };
}

describe.each(ENGINES)('%s engine on a topology', (_name, make) => {
  test('two GPUs behind one PCIe switch sending to the network get half the uplink each', () => {
    const { topo, router } = system();
    const engine = make();
    const net = new NetworkResources(engine, topo);
    const a = engine.startOn(1e9, net.resourcesOf(router.route(id(topo, 'srv0/acc0'), id(topo, 'srv1/acc0'))));
    const b = engine.startOn(1e9, net.resourcesOf(router.route(id(topo, 'srv0/acc1'), id(topo, 'srv1/acc1'))));
    engine.advance(0);
    expect(engine.rate(a)).toBeCloseTo(UPLINK / 2, 0);
    expect(engine.rate(b)).toBeCloseTo(UPLINK / 2, 0);
  });

  test('an H2D copy and a GPUDirect RDMA receive share the switch uplink, then the survivor speeds up', () => {
    // H2D: srv1 dram0→cpu0→pcie0→acc0, 1 GB. RDMA: srv0 acc1 → srv1 acc1 arrives nic0→cpu0→pcie0→acc1,
    // 2 GB. Both cross cpu0→pcie0 of srv1 (and RDMA also srv0's pcie0→cpu0, alone there).
    // Phase 1: each at UPLINK/2 until the copy ends at t1 = 1e9 / (UPLINK/2) = 74.68 ms.
    // Phase 2: RDMA alone at UPLINK for its remaining 1 GB: t2 = t1 + 1e9 / UPLINK = 112.02 ms.
    const { topo, router } = system();
    const engine = make();
    const net = new NetworkResources(engine, topo);
    const h2d = engine.startOn(1e9, net.resourcesOf(router.route(id(topo, 'srv1/dram0'), id(topo, 'srv1/acc0'))));
    const rdma = engine.startOn(2e9, net.resourcesOf(router.route(id(topo, 'srv0/acc1'), id(topo, 'srv1/acc1'))));
    const done = runToEnd(engine, new Map([[h2d, 'h2d'], [rdma, 'rdma']]));
    const t1 = 1e9 / (UPLINK / 2);
    expect(done.get('h2d')).toBeCloseTo(t1, 12);
    expect(done.get('rdma')).toBeCloseTo(t1 + 1e9 / UPLINK, 12);
    // alone, each would have taken 1 GB / UPLINK and 2 GB / UPLINK: both are slowed.
    expect(done.get('h2d')! / (1e9 / UPLINK)).toBeCloseTo(2, 9);
  });

  test('a switch with an internal capacity is a shared resource for every route through it', () => {
    const topo = topologyOf({ fabric: { type: 'leaf-spine', radix: 4, hosts: 4, switchCapacity: '10GB/s' } });
    const router = new Router(topo);
    const engine = make();
    const net = new NetworkResources(engine, topo);
    // hosts 0,1 on leaf0 and 2,3 on leaf1; two flows 0→2 and 1→3 both cross leaf0 and leaf1
    // (10 GB/s each) and one spine each (also 10 GB/s): leaf0 is shared → 5 GB/s each.
    const f1 = engine.startOn(1e9, net.resourcesOf(router.route(id(topo, 'host0/acc0'), id(topo, 'host2/acc0'))));
    const f2 = engine.startOn(1e9, net.resourcesOf(router.route(id(topo, 'host1/acc0'), id(topo, 'host3/acc0'))));
    engine.advance(0);
    expect(engine.rate(f1)).toBeCloseTo(5e9, 0);
    expect(engine.rate(f2)).toBeCloseTo(5e9, 0);
  });
});
