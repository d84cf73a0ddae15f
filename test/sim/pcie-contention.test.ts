// GPUDirect RDMA all-reduce traffic and a host-to-device copy into the same GPU share the
// PCIe switch's downlink to that GPU: both slow down as max-min predicts on that link (both
// engines).
import { describe, expect, test } from 'vitest';
import { communicatorOf } from '../../src/collective/communicator.js';
import { TransferDag } from '../../src/graph/index.js';
import { buildCollective, DEFAULT_COLLECTIVE_OPTIONS } from '../../src/collective/index.js';
import { runDag } from '../../src/sim/dag-runner.js';
import { NetworkResources } from '../../src/topology/network-resources.js';
import { Router } from '../../src/topology/routing/router.js';
import { ENGINES } from '../helpers/engines.js';
import { topologyOf } from '../helpers/topologies.js';

// Two DGX H100 on one leaf-spine fabric. The 2-rank ring all-reduce between dgx0/acc0 and
// dgx1/acc0 goes acc → pcie0 → nic0 → leaf → spine → leaf → nic0 → pcie0 → acc (GPUDirect RDMA,
// never through the CPU); alone its rate is the NIC's U = 48.5 GB/s (PCIe links are 53.6 GB/s).
// The H2D copy goes dram0 → cpu0 → pcie0 → acc0 of dgx1. Both cross dgx1's pcie0 → acc0 link,
// of capacity P = 53.6 GB/s, and nothing else in common.
// One chunk, no α: the ring is 2 steps of a = S/2 bytes per direction, each transfer active
// after the route latency L; a rank sends step 2 once it has received step 1. Alone:
// T = 2(L + a/U).
// With the copy running throughout, the shared link is split equally among the flows on it
// (P/2 = 26.8 GB/s and P/3 are both below U, the flows' other limit):
//   T1 (dgx1 → dgx0, outbound) runs at U and ends at t1 = L + a/U; dgx0 then sends T2;
//   T0 (dgx0 → dgx1) runs at P/2 from L until T2 activates at t1 + L, then shares with T2 and
//     the copy at P/3: it has r0 = a − (P/2)(L + a/U) left and ends at t2 = t1 + L + 3·r0/P;
//     dgx1 then sends T3;
//   T3 runs at U and ends at t2 + L + a/U, after T2 (which has a − r0 left at P/2 by then).
//   So T = 1.5L + a/(2U) + 3a/P, not the lock-step 2L + 2S/P a step-by-step model would give.
// The copy (C bytes, route latency Lc) keeps the link saturated from Lc on, with or without
// RDMA flows, and the link carries C + S bytes in all: the copy ends at Lc + (C + S)/P.
const S = 2 ** 30;
const C = 2 ** 32;

describe.each(ENGINES)('%s engine', (_name, make) => {
  const topo = topologyOf({ servers: [{ template: 'dgx-h100', count: 2, name: 'dgx' }], fabric: { type: 'leaf-spine', radix: 16 } });
  const router = new Router(topo);
  const o = { ...DEFAULT_COLLECTIVE_OPTIONS, chunkBytes: 2 ** 40, alphaSec: 0 };
  const comm = communicatorOf(topo, ['dgx0/acc0', 'dgx1/acc0']);
  const [a0, a1, dram] = ['dgx0/acc0', 'dgx1/acc0', 'dgx1/dram0'].map((id) => topo.node(id).index);
  const rdma = router.route(a0, a1);
  const copy = router.route(dram, a1);
  const shared = copy.links[copy.links.length - 1];
  const P = topo.links[shared >> 1].bytesPerSec;
  const U = Math.min(...Array.from(rdma.links, (d) => topo.links[d >> 1].bytesPerSec));

  test('the routes share exactly the PCIe link into the GPU, and the NIC is the lone bottleneck', () => {
    expect(rdma.links).toContain(shared);
    expect(Array.from(copy.links).filter((d) => rdma.links.includes(d))).toEqual([shared]);
    expect(U).toBeCloseTo(48.5e9, 0);
    // PCIe Gen5 x16: 32 GT/s × 16 lanes × 128/130 encoding / 8 = 63.0 GB/s, × 0.85 efficiency
    expect(P).toBeCloseTo(((32e9 * 16 * 128) / 130 / 8) * 0.85, -3);
    expect(P / 2).toBeLessThan(U);
  });

  test('alone, the all-reduce runs at the NIC rate: 2(L + S/(2U))', () => {
    const engine = make();
    const r = runDag(buildCollective(topo, 'all_reduce', S, comm, o), engine, new NetworkResources(engine, topo), router);
    expect(r.makespanSec).toBeCloseTo(2 * (rdma.latencySec + S / 2 / U), 12);
  });

  test('with the copy: the all-reduce takes 1.5L + a/(2U) + 3a/P, the copy ends at Lc + (C + S)/P', () => {
    const engine = make();
    const dag = new TransferDag();
    buildCollective(topo, 'all_reduce', S, comm, o, dag);
    const arOps = dag.size;
    const h2d = dag.transfer(1, dram, a1, C, 0, 0);
    const r = runDag(dag, engine, new NetworkResources(engine, topo), router);
    const arEnd = Math.max(...r.finishSec.subarray(0, arOps));
    const a = S / 2;
    const L = rdma.latencySec;
    expect(arEnd).toBeCloseTo(1.5 * L + a / (2 * U) + (3 * a) / P, 12);
    // 35.6 ms against 22.1 ms alone: 1.61× slower
    expect(r.finishSec[h2d]).toBeCloseTo(copy.latencySec + (C + S) / P, 12);
    // the copy alone would take Lc + C/P: it lost S/P, the bytes the all-reduce pushed through its link
  });
});
