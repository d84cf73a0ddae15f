// ASTRA-sim's published results on its own sample inputs, reproduced from the same files.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { defaultCommunicator } from '../../src/collective/communicator.js';
import { astraCollectiveOptions, astraTopology, parseAstraNetwork } from '../../src/io/astra-sim-config.js';
import { runCollective } from '../../src/sim/collective-run.js';
import { buildTopology } from '../../src/topology/build.js';
import { Router } from '../../src/topology/routing/router.js';

const fixture = (f: string) => readFileSync(new URL(`../fixtures/astra-sim/${f}`, import.meta.url), 'utf8');

function run(networkFile: string, systemFile: string, op: 'all_reduce' | 'all_gather', bytes: number) {
  const net = parseAstraNetwork(fixture(networkFile), networkFile);
  const topo = buildTopology(astraTopology(net, networkFile));
  const o = astraCollectiveOptions(fixture(systemFile), systemFile, bytes, op === 'all_reduce' ? 'all-reduce' : 'all-gather');
  return runCollective(topo, new Router(topo), defaultCommunicator(topo), op, bytes, o);
}

describe('ASTRA-sim analytical (congestion-aware) references', () => {
  test('rt_template: 8-NPU ring, 1 MiB all-reduce → 117,780 ns', () => {
    // 4 chunks of 256 KiB one after another; per chunk 2(n−1) = 14 steps of m = 32 KiB:
    // α 10 ns + 500 ns + m / (50 × 2^30 B/s) = 610.35 ns, and the first n−1 = 7 received pieces
    // are reduced at 3m / 50e9 B/s = 1966.08 ns. fairway: 4 × (14 × 1120.35 + 7 × 1966.08)
    // = 117,790 ns. ASTRA-sim floors each hop (1110) and memory access (1965) to whole ns and
    // adds one more endpoint delay per chunk: 4 × (15 × 10 + 14 × 1110 + 7 × 1965) = 117,780.
    const r = run('rt_template_network.yml', 'rt_template_system.json', 'all_reduce', 2 ** 20);
    expect(r.makespanSec * 1e9).toBeCloseTo(4 * (14 * (10 + 500 + 32768 / 53.6870912) + 7 * ((3 * 32768) / 50)), 3);
    expect(Math.abs(r.makespanSec * 1e9 - 117780) / 117780).toBeLessThan(1e-4);
  });

  test('Ring_allgather_16npus: 16-NPU ring, all-gather of 1 MiB per rank → 323,560 ns', () => {
    // ASTRA-sim's all-gather size is each rank's input, so nccl-tests' size is 16 MiB; per
    // chunk 15 steps of m = 256 KiB: 10 + 500 + 4882.81 ns. fairway: 4 × 15 × 5392.81 =
    // 323,569 ns; ASTRA-sim: 4 × (16 × 10 + 15 × 5382) = 323,560 (floors, one more α per chunk).
    const r = run('Ring_16npus.yml', 'Ring_4chunks.json', 'all_gather', 16 * 2 ** 20);
    expect(r.makespanSec * 1e9).toBeCloseTo(4 * 15 * (10 + 500 + 262144 / 53.6870912), 3);
    expect(Math.abs(r.makespanSec * 1e9 - 323560) / 323560).toBeLessThan(1e-4);
  });

  test('multi-dimensional networks are refused with the field named', () => {
    expect(() => parseAstraNetwork('topology: [Switch, Ring]\nnpus_count: [8, 2]\nbandwidth: [50, 50]\nlatency: [500, 500]\n', 'x.yml')).toThrow(/invalid ASTRA-sim network/);
  });
});
