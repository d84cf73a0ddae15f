// Topology files: JSON and YAML, every problem reported at once with its path.
import { describe, expect, test } from 'vitest';
import { bracketDepth, MAX_YAML_BYTES, parseDocumentText, parseTopology, parseTopologyText } from '../../src/io/topology-file.js';
import { buildTopology } from '../../src/topology/build.js';

import { problems } from '../helpers/problems.js';

describe('topology files', () => {
  test('YAML is bounded before it is parsed: over 4 MiB or nested over 64 levels is one input error (issue 19, item 9)', () => {
    // 20,000 nested flow lists overflowed the parser's stack; a 5 MB file took 55 s
    expect(() => parseDocumentText(`a: ${'['.repeat(20000)}${']'.repeat(20000)}`, 't.yaml')).toThrow(/t\.yaml: nested 20000 levels deep; fairway reads documents nested at most 64 levels/);
    expect(() => parseDocumentText(`a: 1\n#${'x'.repeat(MAX_YAML_BYTES)}`, 't.yaml')).toThrow(/t\.yaml: YAML larger than 4 MiB \(4\.0 MiB\); write it as JSON/);
    // brackets in quotes and comments are not nesting
    expect(bracketDepth('a: "[[[[" # {{{{\nb: [{c: \'[\'}]')).toBe(2);
    expect(parseDocumentText('a: [[1]]', 't.yaml')).toEqual({ a: [[1]] });
  });

  test('switchCapacity: 0 is the documented non-blocking switch; a negative one is refused naming the field (issue 19, item 20)', () => {
    const doc = (c: unknown) => ({ name: 'sc', servers: [{ template: 'dgx-h100', count: 2 }], fabric: { type: 'leaf-spine', radix: 64, switchCapacity: c } });
    expect(parseTopology(doc(0)).fabric?.switchCapacityBytesPerSec).toBe(0);
    expect(problems(() => parseTopology(doc(-1)))).toEqual(['fabric.switchCapacity: must be ≥ 0, got -1']);
  });

  test('YAML with human units becomes the same spec as JSON', () => {
    const yaml = 'servers:\n  - template: dgx-h100\n    count: 2\n    scaleUp: {type: switch, bandwidth: 900GB/s}\nfabric: {type: rail-optimized, radix: 16, switchLatency: 150ns}\n';
    const a = parseTopologyText(yaml, 'x.yaml');
    const b = parseTopologyText(JSON.stringify({ servers: [{ template: 'dgx-h100', count: 2, scaleUp: { type: 'switch', bandwidth: '7200Gbps' } }], fabric: { type: 'rail-optimized', radix: 16, switchLatency: '0.15us' } }), 'x.json');
    expect(a.servers[0].scaleUp.bytesPerSec).toBe(900e9);
    expect(b.servers[0].scaleUp.bytesPerSec).toBe(900e9);
    expect(a.fabric.switchLatencySec).toBeCloseTo(b.fabric.switchLatencySec, 20);
    expect(a.fabric.rails).toBe(true);
  });

  test('all problems at once, each with its path', () => {
    const pcie = (bandwidth: unknown) => ({ socket: 0, uplink: 'pcie-gen5-x16', bandwidth, accelerators: [], nics: [] });
    const found = problems(() =>
      parseTopology({
        servers: [
          { template: 'dgx-h100' },
          { name: 'b', template: 'dgx-h100', pcie: [pcie('64GB/s'), pcie('64GB/s'), pcie('64GB/s'), pcie(0)] },
          { name: 'c', template: 'dgx-h100', accelerator: 'h1000', nics: -1 },
        ],
        fabric: { type: 'fat-tree', k: 7, colour: 'blue' },
        links: [{ a: 'x', bandwidth: '-400Gbps' }],
      }),
    );
    expect(found).toEqual(
      expect.arrayContaining([
        'servers[1].pcie[3].bandwidth: must be > 0, got 0',
        expect.stringMatching(/^servers\[2\]\.accelerator: unknown accelerator "h1000"; known: a100-sxm, a100-sxm-40gb, h100-sxm/),
        'servers[2].nics: must be a whole number from 0 to 1024, got -1',
        'fabric.k: must be even, got 7',
        expect.stringMatching(/^fabric\.colour: unknown field/),
        'links[0].b: required: the id of the other end',
        'links[0].bandwidth: must be > 0, got "-400Gbps"',
      ]),
    );
  });

  test('unknown references, duplicate ids and a disconnected accelerator', () => {
    const doc = {
      nodes: [
        { id: 'gpu0', kind: 'accelerator' },
        { id: 'gpu1', kind: 'accelerator' },
        { id: 'gpu2', kind: 'accelerator' },
        { id: 'sw', kind: 'switch' },
        { id: 'sw', kind: 'switch' },
      ],
      links: [
        { a: 'gpu0', b: 'sw', bandwidth: '100GB/s' },
        { a: 'gpu1', b: 'sw', bandwidth: '100GB/s' },
        { a: 'gpu2', b: 'nowhere', bandwidth: '100GB/s' },
      ],
    };
    expect(problems(() => buildTopology(parseTopology(doc)))).toEqual(['nodes[4].id: duplicate node id "sw"', 'links[2].b: unknown node id "nowhere"']);
    doc.nodes.pop();
    doc.links.pop();
    expect(problems(() => buildTopology(parseTopology(doc)))).toEqual([
      'gpu2: accelerator is not connected to gpu0: add a link from it (or its server\'s NIC) to the fabric',
    ]);
  });

  test('a raw link straight between two servers is refused (servers meet through fabric nodes)', () => {
    const doc = { servers: [{ template: 'host', count: 2 }], links: [{ a: 'host0/nic0', b: 'host1/nic0', bandwidth: '400Gbps' }] };
    expect(problems(() => buildTopology(parseTopology(doc)))[0]).toMatch(/^links\[0\]: joins servers host0 and host1 directly/);
  });

  test('servers without a fabric between them are disconnected', () => {
    expect(problems(() => buildTopology(parseTopology({ servers: [{ template: 'dgx-h100', count: 2 }] })))[0]).toMatch(/^dgx1\/acc0: accelerator is not connected/);
  });

  test('syntax errors name the file and the position', () => {
    expect(() => parseTopologyText('{"servers": [', 'bad.json')).toThrow(/bad\.json: not valid JSON/);
    expect(() => parseTopologyText('servers: [\n  - a', 'bad.yaml')).toThrow(/bad\.yaml: not valid YAML/);
    expect(() => parseTopologyText('[1, 2]', 'list.json')).toThrow(/must be an object/);
  });

  test('huge sizes are refused before anything is built', () => {
    expect(problems(() => parseTopology({ servers: [{ template: 'dgx-h100', count: 1000000 }] }))[0]).toMatch(/^servers: about 25000000 nodes exceed the limit/);
  });

  test('in-switch reduction efficiency: the catalogue value on NVSwitch templates, overridable, checked', () => {
    const nvswitch = (doc: Record<string, unknown>) => buildTopology(parseTopology(doc, 't')).nodes.find((x) => x.reduces)!;
    expect(nvswitch({ servers: [{ template: 'dgx-h100' }] }).reductionEfficiency).toBe(0.925);
    expect(nvswitch({ servers: [{ template: 'dgx-h100', scaleUp: { type: 'switch', reduction: true, reductionEfficiency: 0.7 } }] }).reductionEfficiency).toBe(0.7);
    expect(nvswitch({ nodes: [{ id: 'sw', kind: 'switch', reduction: true }, { id: 'g', kind: 'accelerator' }], links: [{ a: 'g', b: 'sw', bandwidth: '100GB/s' }] }).reductionEfficiency).toBe(1);
    expect(problems(() => parseTopology({ servers: [{ template: 'dgx-h100', scaleUp: { type: 'switch', reductionEfficiency: 1.5 } }] }))).toEqual(['servers[0].scaleUp.reductionEfficiency: must be a number in (0, 1], got 1.5']);
    expect(problems(() => parseTopology({ nodes: [{ id: 'sw', kind: 'switch', reduction: true, reductionEfficiency: 0 }] }))).toContain('nodes[0].reductionEfficiency: must be a number in (0, 1], got 0');
    // a reducing scale-up switch written by hand gets the catalogue value too; where nothing reduces the field is refused
    expect(nvswitch({ servers: [{ template: 'hgx-a100', scaleUp: { type: 'switch', reduction: true } }] }).reductionEfficiency).toBe(0.925);
    expect(problems(() => parseTopology({ servers: [{ template: 'hgx-a100', scaleUp: { type: 'switch', reductionEfficiency: 0.9 } }] }))).toEqual(['servers[0].scaleUp.reductionEfficiency: only a scale-up switch with reduction: true reduces in the network']);
    expect(problems(() => parseTopology({ nodes: [{ id: 'sw', kind: 'switch', reductionEfficiency: 0.9 }] }))).toContain('nodes[0].reductionEfficiency: only a switch with reduction: true reduces in the network');
  });

  test("in-switch reduction throughput: the template's chips, overridable with a bandwidth, refused where nothing reduces", () => {
    const nvswitch = (doc: Record<string, unknown>) => buildTopology(parseTopology(doc, 't')).nodes.find((x) => x.reduces)!;
    // HGX B200: 2 NVSwitch gen-4 chips of 1,740 GB/s (hardware/nvswitch.ts); gen 3 unbounded (0)
    expect(nvswitch({ servers: [{ template: 'hgx-b200' }] }).reductionBytesPerSec).toBe(3480e9);
    expect(nvswitch({ servers: [{ template: 'dgx-h100' }] }).reductionBytesPerSec).toBe(0);
    expect(nvswitch({ servers: [{ template: 'hgx-b200', scaleUp: { type: 'switch', reduction: true, reductionBandwidth: '2TB/s' } }] }).reductionBytesPerSec).toBe(2e12);
    expect(nvswitch({ nodes: [{ id: 'sw', kind: 'switch', reduction: true, reductionBandwidth: '500GB/s' }, { id: 'g', kind: 'accelerator' }], links: [{ a: 'g', b: 'sw', bandwidth: '100GB/s' }] }).reductionBytesPerSec).toBe(500e9);
    expect(problems(() => parseTopology({ servers: [{ template: 'hgx-a100', scaleUp: { type: 'switch', reductionBandwidth: '1TB/s' } }] }))).toEqual(['servers[0].scaleUp.reductionBandwidth: only a scale-up switch with reduction: true reduces in the network']);
    expect(problems(() => parseTopology({ nodes: [{ id: 'sw', kind: 'switch', reductionBandwidth: '1TB/s' }] }))).toContain('nodes[0].reductionBandwidth: only a switch with reduction: true reduces in the network');
    expect(problems(() => parseTopology({ nodes: [{ id: 'sw', kind: 'switch', reduction: true, reductionBandwidth: -1 }] }))[0]).toMatch(/^nodes\[0\]\.reductionBandwidth: /);
  });

  test('calibration overrides efficiency by link type, and by catalogue name first', () => {
    const spec = parseTopology({ servers: [{ template: 'dgx-h100' }], calibration: { pcie: { efficiency: 0.5 }, 'pcie-gen5-x16': { efficiency: 0.9 }, nvlink: { latency: '1us' } } });
    const t = buildTopology(spec);
    const pcie = t.links.find((l) => l.spec === 'pcie-gen5-x16')!;
    expect(pcie.bytesPerSec).toBeCloseTo(pcie.lineBytesPerSec * 0.9, 0);
    expect(t.links.find((l) => l.type === 'nvlink')!.latencySec).toBeCloseTo(1e-6, 20);
    expect(problems(() => parseTopology({ servers: [{ template: 'host' }], calibration: { warp: {} } }))[0]).toMatch(/^calibration\.warp: not a link type/);
  });
});
