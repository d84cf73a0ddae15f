// Two all-reduces on disjoint GPU sets that share a leaf uplink slow each other by what
// max-min predicts (both engines).
import { describe, expect, test } from 'vitest';
import { communicatorOf } from '../../src/collective/communicator.js';
import { TransferDag } from '../../src/graph/index.js';
import { buildCollective, DEFAULT_COLLECTIVE_OPTIONS } from '../../src/collective/index.js';
import { runDag } from '../../src/sim/dag-runner.js';
import { NetworkResources } from '../../src/topology/network-resources.js';
import { Router } from '../../src/topology/routing/router.js';
import { ENGINES } from '../helpers/engines.js';
import { topologyOf } from '../helpers/topologies.js';

// 6 hosts on radix-4 leaves at 3:1 → leaf0 {h0,h1,h2}, leaf1 {h3,h4,h5}, one uplink each to a
// single spine. All network links NDR: U = 50 GB/s × 0.97 = 48.5 GB/s; host PCIe is faster
// (53.6 GB/s), so a lone 2-rank ring h0↔h3 runs at U. Two rings {h0,h3} and {h1,h4} at once
// share leaf0's and leaf1's uplinks in both directions: U/2 each.
// A 2-rank ring all-reduce is 2 steps of S/2; with one chunk, no α: T = 2(L + (S/2)/rate)
// where L is the route latency: acc-cpu-nic (2 × 150 ns) + nic-leaf-spine-leaf-nic (4 × 0.25 µs)
// + nic-cpu-acc (2 × 150 ns) = 1.6 µs.
const U = 48.5e9;
const L = 4 * 150e-9 + 4 * 0.25e-6;
const S = 2 ** 30;

describe.each(ENGINES)('%s engine', (_name, make) => {
  const topo = topologyOf({ fabric: { type: 'leaf-spine', radix: 4, oversubscription: 3, hosts: 6 } });
  const router = new Router(topo);
  const o = { ...DEFAULT_COLLECTIVE_OPTIONS, chunkBytes: 2 ** 40 };
  const comm = (a: number, b: number) => communicatorOf(topo, [`host${a}/acc0`, `host${b}/acc0`]);

  test('alone: 2(L + S/(2U))', () => {
    const engine = make();
    const r = runDag(buildCollective(topo, 'all_reduce', S, comm(0, 3), o), engine, new NetworkResources(engine, topo), router);
    expect(r.makespanSec).toBeCloseTo(2 * (L + S / 2 / U), 12);
  });

  test('together on shared uplinks: each at U/2, 2(L + S/U)', () => {
    const engine = make();
    const dag = new TransferDag();
    buildCollective(topo, 'all_reduce', S, comm(0, 3), o, dag);
    buildCollective(topo, 'all_reduce', S, comm(1, 4), o, dag);
    const r = runDag(dag, engine, new NetworkResources(engine, topo), router);
    expect(r.makespanSec).toBeCloseTo(2 * (L + S / U), 12);
    // both finished together: the first collective's 4 transfers end when the second's do.
    expect(Math.max(...r.finishSec.subarray(0, 4))).toBeCloseTo(r.makespanSec, 12);
  });
});
