// Each rank's host (src/host/rank-hosts.ts): the CPU socket nearest its accelerator with that
// socket's DRAM; on accelerators with no CPU in their server (an ASTRA-sim network of NPUs) a
// workload with host work is refused by name, one without any runs with no host.
import { describe, expect, test } from 'vitest';
import { defaultCommunicator } from '../../src/collective/communicator.js';
import { rankHosts } from '../../src/host/rank-hosts.js';
import { parseWorkload } from '../../src/io/workload-file.js';
import { runWorkload } from '../../src/sim/workload-run.js';
import { Router } from '../../src/topology/routing/router.js';
import { topologyOf } from '../helpers/topologies.js';

describe('rank hosts', () => {
  test('a DGX H100 rank: its socket and DRAM', () => {
    const topo = topologyOf({ servers: [{ template: 'dgx-h100' }] });
    const router = new Router(topo);
    const [h0, , , , h4] = rankHosts(topo, router, defaultCommunicator(topo).nodes);
    expect([topo.nodes[h0.cpu].id, topo.nodes[h0.dram].id]).toEqual(['dgx0/cpu0', 'dgx0/dram0']);
    expect(topo.nodes[h4.cpu].id).toBe('dgx0/cpu1');
  });

  test('a GB200 tray: each Blackwell pair\'s host is the Grace it is linked to (no path to the other one, whose distance is −1)', () => {
    // two trays, no scale-out fabric: acc0 and acc1 hang off cpu0 over NVLink-C2C, acc2 and acc3
    // off cpu1, and the two Graces are not linked to each other
    const topo = topologyOf({ servers: [{ template: 'gb200-nvl72', count: 2 }] });
    const router = new Router(topo);
    const hosts = rankHosts(topo, router, defaultCommunicator(topo).nodes);
    expect(router.distance(topo.node('gb2000/acc0').index, topo.node('gb2000/cpu1').index)).toBe(-1);
    expect(hosts.slice(0, 4).map((h) => [topo.nodes[h.cpu].id, topo.nodes[h.dram].id])).toEqual([
      ['gb2000/cpu0', 'gb2000/dram0'],
      ['gb2000/cpu0', 'gb2000/dram0'],
      ['gb2000/cpu1', 'gb2000/dram1'],
      ['gb2000/cpu1', 'gb2000/dram1'],
    ]);
    // a host copy of 1 GB from every rank then runs over its own C2C link (383 GB/s: 450 × 0.85)
    // into its Grace's LPDDR5X, which the pair shares: 2 GB at 512 × 0.8 = 409.6 GB/s, 4.88 ms
    const copy = parseWorkload({ launch: 0, ops: [{ id: 'c', type: 'memcpy', direction: 'd2h', bytes: 1e9 }] });
    expect(runWorkload(copy, topo, router).summary.stepSec).toBeCloseTo(2e9 / (512e9 * 0.8), 5);
  });

  test('NPUs without a CPU: no host when none is needed; a workload with launches is refused naming the NPU', () => {
    // two NPUs joined by a 100 GB/s link
    const topo = topologyOf({ nodes: [{ id: 'npu0', kind: 'accelerator' }, { id: 'npu1', kind: 'accelerator' }], links: [{ a: 'npu0', b: 'npu1', bandwidth: '100GB/s' }] });
    const router = new Router(topo);
    expect(rankHosts(topo, router, defaultCommunicator(topo).nodes, false)).toEqual([{ cpu: -1, dram: -1, storage: -1 }, { cpu: -1, dram: -1, storage: -1 }]);
    expect(() => rankHosts(topo, router, defaultCommunicator(topo).nodes)).toThrow(/npu0 has no CPU in its server/);
    // a 1 GB all-gather with free launches runs: 1 GB / 2 from each over the 100 GB/s link, 5 ms
    const free = parseWorkload({ launch: 0, ops: [{ id: 'ag', type: 'collective', op: 'all_gather', bytes: 1e9, algo: 'ring' }] });
    expect(runWorkload(free, topo, router).summary.commSec).toBeCloseTo(0.5e9 / 100e9, 6);
    const launched = parseWorkload({ launch: '5us', ops: [{ id: 'ag', type: 'collective', op: 'all_gather', bytes: 1e9, algo: 'ring' }] });
    expect(() => runWorkload(launched, topo, router)).toThrow(/npu0 has no CPU in its server to launch kernels/);
  });
});
