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
