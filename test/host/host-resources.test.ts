// Kernels on accelerators (roofline on math and HBM), CPU work on a socket's cores, and a
// launch-bound kernel stream, through the DAG runner on both engines. DGX H100: H100 SXM at
// 989.4 TFLOP/s BF16 and 3.35 TB/s HBM; Xeon 8480C sockets of 56 cores.
import { describe, expect, test } from 'vitest';
import { TransferDag } from '../../src/graph/index.js';
import { HostResources } from '../../src/host/host-resources.js';
import { runDag } from '../../src/sim/dag-runner.js';
import { NetworkResources } from '../../src/topology/network-resources.js';
import { Router } from '../../src/topology/routing/router.js';
import { ENGINES } from '../helpers/engines.js';
import { id, topologyOf } from '../helpers/topologies.js';

const PEAK = 989.4e12;
const HBM = 3.35e12;

describe.each(ENGINES)('%s engine', (_name, make) => {
  const topo = topologyOf({ servers: [{ template: 'dgx-h100' }] });
  const router = new Router(topo);
  const run = (dag: TransferDag) => {
    const engine = make();
    return runDag(dag, engine, new NetworkResources(engine, topo), router, new HostResources(engine, topo));
  };
  const acc0 = id(topo, 'dgx0/acc0');
  const cpu0 = id(topo, 'dgx0/cpu0');

  test('a GEMM alone runs at the roofline: max(FLOPs/peak, bytes/HBM)', () => {
    // 8192³ BF16 GEMM: 2·8192³ = 1.0995e12 FLOP → 1.1113 ms; 3·8192²·2 B = 402.7 MB → 0.120 ms.
    const dag = new TransferDag();
    dag.compute(0, acc0, 2 * 8192 ** 3, 3 * 8192 ** 2 * 2);
    expect(run(dag).makespanSec).toBeCloseTo((2 * 8192 ** 3) / PEAK, 12);
  });

  test('two memory-bound kernels on one GPU each take twice as long; on two GPUs, as long as alone', () => {
    // elementwise over 1 GiB: read 1 GiB + write 1 GiB = 2 GiB through HBM → 0.641 ms alone.
    const bytes = 2 * 2 ** 30;
    const same = new TransferDag();
    same.compute(0, acc0, 2 ** 28, bytes);
    same.compute(0, acc0, 2 ** 28, bytes);
    expect(run(same).makespanSec).toBeCloseTo((2 * bytes) / HBM, 12);
    const apart = new TransferDag();
    apart.compute(0, acc0, 2 ** 28, bytes);
    apart.compute(1, id(topo, 'dgx0/acc1'), 2 ** 28, bytes);
    expect(run(apart).makespanSec).toBeCloseTo(bytes / HBM, 12);
  });

  test('CPU tasks use one core each out of the socket pool: 60 one-second tasks on 56 cores take 60/56 s', () => {
    const dag = new TransferDag();
    for (let i = 0; i < 60; i++) dag.cpu(0, cpu0, 1);
    expect(run(dag).makespanSec).toBeCloseTo(60 / 56, 12);
  });

  test('2,000 kernels of 2 µs with a 5 µs launch each are launch-bound (10 ms); one graph launch: 4 ms + 5 µs', () => {
    // Launches run in order on the rank's host thread; kernel i waits for its launch and for
    // kernel i−1 (one stream). Each launch (5 µs) outlasts a kernel (2 µs), so the step is
    // 2000 × 5 µs + the last kernel's 2 µs = 10.002 ms. With a CUDA graph the host launches
    // once (5 µs) and the kernels follow back to back: 5 µs + 2000 × 2 µs = 4.005 ms.
    const kernelFlops = 2e-6 * PEAK;
    const eager = new TransferDag();
    let launch = -1;
    let kernel = -1;
    for (let i = 0; i < 2000; i++) {
      launch = eager.cpu(0, cpu0, 5e-6, [launch]);
      kernel = eager.compute(0, acc0, kernelFlops, 0, [launch, kernel]);
    }
    expect(run(eager).makespanSec).toBeCloseTo(2000 * 5e-6 + 2e-6, 9);
    const graph = new TransferDag();
    kernel = graph.cpu(0, cpu0, 5e-6);
    for (let i = 0; i < 2000; i++) kernel = graph.compute(0, acc0, kernelFlops, 0, [kernel]);
    expect(run(graph).makespanSec).toBeCloseTo(5e-6 + 2000 * 2e-6, 9);
  });

  test('an all-reduce overlapping a memory-bound kernel slows it by the HBM share the collective takes', () => {
    // 2-rank ring all-reduce of 1 GiB between acc0 and acc1 over NVSwitch: each step sends
    // 512 MiB each way at the NVLink4 effective 360 GB/s (1.49 ms per step). On acc0 that reads
    // 360 GB/s (its send) and writes 360 GB/s (what it receives) of HBM. A 2 GiB memory-bound
    // kernel on acc0 alone takes 2 GiB / 3.35 TB/s = 0.641 ms; beside the all-reduce it gets
    // the HBM that is left, 3.35 − 0.72 = 2.63 TB/s, once the transfers are active (after the
    // route latency L = 2 × 0.5 µs, during which it runs alone at 3.35 TB/s):
    // L + (2 GiB − L·3.35 TB/s) / 2.63 TB/s = 0.81626 ms (inside the first step).
    const NVLINK = 450e9 * 0.8;
    const bytes = 2 * 2 ** 30;
    const dag = new TransferDag();
    const k = dag.compute(0, acc0, 2 ** 28, bytes);
    dag.transfer(0, acc0, id(topo, 'dgx0/acc1'), 2 ** 29, 0, 0);
    dag.transfer(1, id(topo, 'dgx0/acc1'), acc0, 2 ** 29, 0, 0);
    const r = run(dag);
    const L = 1e-6;
    expect(r.finishSec[k]).toBeCloseTo(L + (bytes - L * HBM) / (HBM - 2 * NVLINK), 12);
    // the transfers themselves are bound by NVLink, not slowed: 512 MiB at 360 GB/s + 1 µs latency.
    expect(r.finishSec[k + 1]).toBeCloseTo(2 ** 29 / NVLINK + 1e-6, 12);
  });

  test('compute on a node that is not a catalogued accelerator is an input error', () => {
    const dag = new TransferDag();
    dag.compute(0, id(topo, 'dgx0/nic0'), 1e9, 0);
    expect(() => run(dag)).toThrow(/dgx0\/nic0 is not an accelerator from the catalogue/);
  });
});
