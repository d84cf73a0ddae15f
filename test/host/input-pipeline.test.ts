// The input pipeline on a DGX H100 with NVMe drives: loader workers bound by cores, storage and
// PCIe, as derived from the resources (both engines).
import { describe, expect, test } from 'vitest';
import { TransferDag } from '../../src/graph/index.js';
import { HostResources } from '../../src/host/host-resources.js';
import { addInputPipeline } from '../../src/host/input-pipeline.js';
import { runDag } from '../../src/sim/dag-runner.js';
import { NetworkResources } from '../../src/topology/network-resources.js';
import { Router } from '../../src/topology/routing/router.js';
import { ENGINES } from '../helpers/engines.js';
import { id, topologyOf } from '../helpers/topologies.js';

// nvme0 hangs off cpu0 (storage: 2 → one per socket): 7 GB/s × 0.9 = 6.3 GB/s. The copy to
// acc0 goes dram0 → cpu0 → pcie0 → acc0 over Gen5 x16 links at 63.0 × 0.85 = 53.56 GB/s.
// All workers start together and stay in lockstep, so each sample costs, per worker:
//   W·b/6.3 GB/s (reads share the drive) + c·max(1, W/56) (decode on the 56-core socket)
//   + W·b/53.56 GB/s (copies share the PCIe path), and the run is N such periods.
const NVME = 7e9 * 0.9;
const PCIE = ((32e9 * 16 * 128) / 130 / 8) * 0.85;

describe.each(ENGINES)('%s engine', (_name, make) => {
  const topo = topologyOf({ servers: [{ template: 'dgx-h100', storage: 2 }] });
  const router = new Router(topo);
  const run = (workers: number, c: number, b: number, n: number) => {
    const dag = new TransferDag();
    addInputPipeline(dag, {
      rank: 0, workers, samples: workers * n, sampleBytes: b, decodeCoreSec: c,
      storage: id(topo, 'dgx0/nvme0'), cpu: id(topo, 'dgx0/cpu0'), dram: id(topo, 'dgx0/dram0'), accelerator: id(topo, 'dgx0/acc0'),
    });
    const engine = make();
    return runDag(dag, engine, new NetworkResources(engine, topo), router, new HostResources(engine, topo));
  };
  // route latencies: nvme→cpu→dram: 80 µs + 90 ns; dram→cpu→pcie→acc: 90 ns + 2 × 150 ns.
  const lat = 80e-6 + 90e-9 + 90e-9 + 300e-9;

  test('8 workers, 10 ms decode: core-bound at 8/c = 800 samples/s, plus the read and copy stages', () => {
    const [W, c, b, n] = [8, 10e-3, 1e6, 5];
    const period = (W * b) / NVME + c + (W * b) / PCIE + lat;
    expect(run(W, c, b, n).makespanSec).toBeCloseTo(n * period, 9);
  });

  test('112 workers on 56 cores: decode slows to c·W/56, throughput capped at cores/c', () => {
    const [W, c, b, n] = [112, 10e-3, 1e5, 2];
    const period = (W * b) / NVME + (c * W) / 56 + (W * b) / PCIE + lat;
    expect(run(W, c, b, n).makespanSec).toBeCloseTo(n * period, 9);
  });

  test('big samples: storage-bound, the 6.3 GB/s drive sets the pace', () => {
    // 4 workers × 100 MB: reads take 4 × 0.1 GB / 6.3 GB/s = 63.5 ms per round against 1 ms decode.
    const [W, c, b, n] = [4, 1e-3, 1e8, 3];
    const period = (W * b) / NVME + c + (W * b) / PCIE + lat;
    const r = run(W, c, b, n);
    expect(r.makespanSec).toBeCloseTo(n * period, 9);
    expect((W * b) / NVME / period).toBeGreaterThan(0.8);
  });
});
