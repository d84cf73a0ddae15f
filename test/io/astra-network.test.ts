// ASTRA-sim analytical network configs read as fairway topologies: NPUs, per-dimension groups
// (ring, fully connected, switch), bandwidth in GiB/s and latency in ns; bad configs refused
// naming the field.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { astraNetworkDocument, isAstraNetwork } from '../../src/io/astra-network.js';
import { loadTopologySpec } from '../../src/io/topology-source.js';
import { buildTopology } from '../../src/topology/build.js';
import { fairway, scratch } from '../helpers/cli.js';
import { problems } from '../helpers/problems.js';

const file = (name: string, text: string): string => {
  const f = join(scratch(), name);
  writeFileSync(f, text);
  return f;
};
// astra-sim examples/network/analytical/Ring_8npus.yml and astra-network-analytical's 3-D example
const RING8 = 'topology: [ Ring ]\nnpus_count: [ 8 ]\nbandwidth: [ 50.0 ]  # GB/s\nlatency: [ 500.0 ]  # ns\n';
const THREE_D = 'topology: [ Ring, FullyConnected, Switch ]\nnpus_count: [ 2, 8, 4 ]\nbandwidth: [ 200.0, 100.0, 50.0 ]\nlatency: [ 50.0, 500.0, 2000.0 ]\n';

describe('ASTRA-sim analytical network configs', () => {
  test('a ring of 8 NPUs: 8 links of 50 GiB/s and 500 ns each way, NPUs that forward', () => {
    const topo = buildTopology(loadTopologySpec(file('Ring_8npus.yml', RING8)));
    expect(topo.name).toBe('Ring_8npus');
    expect(topo.nodes.filter((n) => n.kind === 'accelerator')).toHaveLength(8);
    expect(topo.links).toHaveLength(8);
    expect(new Set(topo.links.map((l) => l.bytesPerSec))).toEqual(new Set([50 * 2 ** 30]));
    for (const l of topo.links) expect(l.latencySec).toBeCloseTo(500e-9, 15);
    // the NPUs forward: a route to npu4 passes 3 other NPUs
    expect(topo.nodes.every((n) => n.forwards)).toBe(true);
  });

  test('[Ring, FullyConnected, Switch] 2 × 8 × 4: 32 ring links, 8 · 28 pairs, 16 switches of 4 links', () => {
    // dimension 0 (n = 2): 32 groups, one link each; dimension 1: 8 groups of 8 fully connected,
    // 28 links each; dimension 2: 16 groups of 4 on a switch. NPU i = c0 + 2·(c1 + 8·c2).
    const doc = astraNetworkDocument({ topology: ['Ring', 'FullyConnected', 'Switch'], npus_count: [2, 8, 4], bandwidth: [200, 100, 50], latency: [50, 500, 2000] }, 'x.yml');
    const links = doc.links as { a: string; b: string; tier: string }[];
    const byTier = (t: string) => links.filter((l) => l.tier === t);
    expect([byTier('dim0').length, byTier('dim1').length, byTier('dim2').length]).toEqual([32, 224, 64]);
    expect((doc.nodes as { kind: string }[]).filter((n) => n.kind === 'switch')).toHaveLength(16);
    // npu0's groups: {0, 1} in dimension 0, {0, 2, …, 14} in 1, {0, 16, 32, 48} on dim2.switch0
    expect(byTier('dim0')[0]).toMatchObject({ a: 'npu0', b: 'npu1' });
    expect(byTier('dim1').filter((l) => l.a === 'npu0').map((l) => l.b)).toEqual(['npu2', 'npu4', 'npu6', 'npu8', 'npu10', 'npu12', 'npu14']);
    expect(byTier('dim2').filter((l) => l.b === 'dim2.switch0').map((l) => l.a)).toEqual(['npu0', 'npu16', 'npu32', 'npu48']);
    expect(buildTopology(loadTopologySpec(file('3d.yml', THREE_D))).nodes).toHaveLength(80);
  });

  test('sendrecv between ring neighbours runs at the link: 50 GiB/s = 53.7 GB/s', () => {
    const r = fairway('collective', 'sendrecv', '-t', file('Ring_8npus.yml', RING8), '--rank-list', 'npu0,npu1', '-b', '1G', '-e', '1G', '--json');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.out) as { rows: { busbwGBps: number }[] }).rows[0].busbwGBps).toBeCloseTo(53.69, 1);
  });

  test('bad configs: every problem with its field, exit 2', () => {
    expect(isAstraNetwork({ topology: ['Ring'], npus_count: [4] })).toBe(true);
    expect(isAstraNetwork({ servers: [] })).toBe(false);
    expect(problems(() => astraNetworkDocument({ topology: ['Torus', 'Ring'], npus_count: [1, 4], bandwidth: [-1, 10], latency: [0, 'x'], extra: 1 }, 'bad.yml'))).toEqual([
      'extra: unknown field of an ASTRA-sim network config (topology, npus_count, bandwidth, latency)',
      'topology[0]: unknown "Torus"; ASTRA-sim\'s analytical dimensions are Ring, FullyConnected, Switch',
      'npus_count[0]: must be a whole number ≥ 2, got 1',
      'bandwidth[0]: must be a number of GB/s > 0, got -1',
      'latency[1]: must be a number of ns ≥ 0, got "x"',
    ]);
    expect(problems(() => astraNetworkDocument({ topology: ['Ring'], npus_count: [4, 4], bandwidth: [1], latency: [1] }, 'b.yml'))).toEqual(['npus_count: has 2 entries; topology has 1 dimensions']);
    expect(problems(() => astraNetworkDocument({ topology: ['FullyConnected', 'FullyConnected'], npus_count: [300, 300], bandwidth: [1, 1], latency: [1, 1] }, 'big.yml'))).toEqual([
      'npus_count: 90,000 NPUs; fairway reads ASTRA-sim configs of up to 65,536 (build larger systems with fabric builders)',
    ]);
    const r = fairway('topo', file('bad.yml', 'topology: [ Ring ]\nnpus_count: [ 0 ]\nbandwidth: [ 50 ]\nlatency: [ 500 ]\n'));
    expect(r.code).toBe(2);
    expect(r.err).toContain('npus_count[0]: must be a whole number ≥ 2, got 0');
    expect(r.err).not.toMatch(/\n\s+at /);
  });
});
