// `fairway topo` end to end on every shipped topology, builder specs, output modes and errors.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { fairway, root } from '../helpers/cli.js';
import { scratchDir } from '../helpers/scratch-dir.js';

const shipped = readdirSync(join(root, 'topologies')).filter((f) => f.endsWith('.yaml'));

describe('fairway topo', () => {
  test('the shipped topologies', () => {
    expect(shipped.sort()).toEqual(['dgx-h100-1node-nvme.yaml', 'dgx-h100-1node.yaml', 'gb200-nvl72-4rack.yaml', 'gb200-nvl72-rack.yaml', 'h100-1024gpu-rail.yaml', 'h100-16k-fat-tree.yaml', 'h100-256gpu-rail.yaml', 'l40s-pcie-server.yaml', 'maia100-rack.yaml']);
  });

  test.each(shipped)('%s validates and summarises', (file) => {
    const r = fairway('topo', join(root, 'topologies', file), '--json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out) as { nodes: Record<string, number>; bisectionBytesPerSec: number; diameterHops: number };
    expect(s.nodes.accelerator).toBeGreaterThan(0);
    expect(s.bisectionBytesPerSec).toBeGreaterThan(0);
    expect(s.diameterHops).toBeGreaterThan(0);
  }, 30000);

  test('the 16,384-GPU fat-tree: counts and a non-blocking bisection', () => {
    const s = JSON.parse(fairway('topo', 'h100-16k-fat-tree', '--json').out) as { schema: string; nodes: Record<string, number>; switchTiers: { switches: number; oversubscription: number | null }[]; routing: string; bisectionBytesPerSec: number; diameterHops: number };
    expect(s.nodes.accelerator).toBe(16384);
    // 16384 NICs / 32 per leaf = 512 leaves; 16 pods × 32 spines; 32 × 32 cores.
    expect(s.switchTiers.map((t) => t.switches)).toEqual([512, 512, 1024]);
    expect(s.switchTiers.map((t) => t.oversubscription)).toEqual([1, 1, null]);
    // InfiniBand NDR fabric, fabric.routing left at auto: destination-based up-links
    expect(s.routing).toBe('destination');
    expect(s.schema).toBe('fairway.topology/1');
    // non-blocking: half the NICs at 48.5 GB/s (NDR × 0.97) cross the cut.
    expect(s.bisectionBytesPerSec).toBeCloseTo(8192 * 48.5e9, -6);
    // acc,pcie,nic,leaf,spine,core,spine,leaf,nic,pcie,acc
    expect(s.diameterHops).toBe(10);
  }, 30000);

  test('text summary of a builder spec', () => {
    const r = fairway('topo', 'leaf-spine:radix=16,oversubscription=3/1,hosts=48');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/0 +leaf +4 .* 3:1/);
    expect(r.out).toMatch(/bisection bandwidth: 388GB\/s per direction/);
  });

  test('--dot renders a Graphviz graph with one cluster per server', () => {
    const r = fairway('topo', 'dgx-h100', '--dot');
    expect(r.code).toBe(0);
    expect(r.out.startsWith('graph "dgx-h100" {')).toBe(true);
    expect(r.out).toContain('subgraph "cluster_dgx0"');
    expect(r.out).toContain('"dgx0/acc0" -- "dgx0/nvswitch"');
  });

  test('bad files: every problem with its path, exit 2, no stack trace, nothing written', () => {
    const dir = scratchDir('fairway-topo-');
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'servers:\n  - template: dgx-h100\n    count: 0\nfabric:\n  type: fat-tree\n  k: 7\n');
    const out = join(dir, 'out.json');
    const r = fairway('topo', bad, '--json', '-o', out);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain('servers[0].count: must be a whole number from 1 to 1000000, got 0');
    expect(r.err).toContain('fabric.k: must be even, got 7');
    expect(r.err).not.toMatch(/at .*\.js:\d+/);
    expect(existsSync(out)).toBe(false);
  });

  test('an unknown name lists what exists', () => {
    const r = fairway('topo', 'hypercube:d=4');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no such file, shipped topology or builder/);
    expect(r.err).toMatch(/fat-tree/);
  });
});
