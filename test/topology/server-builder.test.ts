// Server templates expand into the published shapes: counts of each part and of links.
import { describe, expect, test } from 'vitest';
import { topologyOf } from '../helpers/topologies.js';

const kinds = (t: ReturnType<typeof topologyOf>) => Object.fromEntries(['accelerator', 'cpu', 'dram', 'pcie-switch', 'nic', 'switch', 'storage'].map((k) => [k, t.nodesOfKind(k as never).length]));

describe('server templates', () => {
  test('DGX H100: 8 GPUs, 2 sockets, 4 PCIe switches, 8 NICs, 1 NVSwitch; 31 links', () => {
    // links: 2 DRAM + 1 UPI + 4 switch uplinks + 8 GPU + 8 NIC PCIe links + 8 NVLink = 31
    const t = topologyOf({ servers: [{ template: 'dgx-h100' }] });
    expect(kinds(t)).toEqual({ accelerator: 8, cpu: 2, dram: 2, 'pcie-switch': 4, nic: 8, switch: 1, storage: 0 });
    expect(t.links.length).toBe(31);
    expect(t.node('dgx0/acc5').homeNics).toEqual([t.node('dgx0/nic5').index]);
  });

  test('Maia 100: integrated NICs, a full mesh of 3 × 400GbE per pair, 3 fabric ports each', () => {
    // 4 accelerators → 6 pairs × 3 = 18 mesh links; 9 mesh + 3 fabric ports = the 12 integrated ports.
    const t = topologyOf({ servers: [{ template: 'maia-100' }] });
    expect(t.links.filter((l) => l.tier === 'scale-up').length).toBe(18);
    expect(kinds(t).nic).toBe(4);
    expect(t.node('maia0/nic0').spec).toBe('maia-100-integrated');
    // 3 fabric ports per accelerator reach 3 planes when cabled:
    const rack = topologyOf({ servers: [{ template: 'maia-100', count: 2 }], fabric: { type: 'leaf-spine', radix: 8, planes: 3, spines: 1 } });
    // 8 accelerators per plane on radix-8 leaves (4 down) → 2 T0 switches in each of 3 planes.
    const t0 = rack.nodesOfKind('switch').filter((s) => s.placement.tier === 0);
    expect(t0.map((s) => s.placement.plane)).toEqual([0, 0, 1, 1, 2, 2]);
  });

  test('GB200 NVL72: 18 trays share one NVLink switch with 72 GPU links', () => {
    const t = topologyOf({ servers: [{ template: 'gb200-nvl72', count: 18 }], fabric: { type: 'rail-optimized', radix: 64, spines: 8 } });
    const nvswitch = t.node('gb200-rack0/nvswitch');
    expect(t.links.filter((l) => l.b === nvswitch.index && l.type === 'nvlink').length).toBe(72);
    expect(kinds(t).accelerator).toBe(72);
  });

  test('Blackwell Ultra: HGX B300 with 8 ConnectX-8 800G NICs on PCIe Gen6; a GB300 NVL72 tray with 4 GB300s and 4 ConnectX-8s', () => {
    const b300 = topologyOf({ servers: [{ template: 'hgx-b300' }] });
    expect(kinds(b300)).toEqual({ accelerator: 8, cpu: 2, dram: 2, 'pcie-switch': 4, nic: 8, switch: 1, storage: 0 });
    expect(b300.node('hgx0/acc0').spec).toBe('b300');
    expect(b300.node('hgx0/nic0').spec).toBe('connectx-8');
    const tray = topologyOf({ servers: [{ template: 'gb300-nvl72', count: 18 }], fabric: { type: 'rail-optimized', radix: 64, spines: 8 } });
    expect(kinds(tray).accelerator).toBe(72);
    expect(new Set(tray.nodesOfKind('accelerator').map((a) => a.spec))).toEqual(new Set(['gb300']));
    expect(new Set(tray.nodesOfKind('nic').map((n) => n.spec))).toEqual(new Set(['connectx-8']));
  });

  test('PCIe-only L40S server: no scale-up links, 4 GPUs per PCIe switch', () => {
    const t = topologyOf({ servers: [{ template: 'l40s-pcie' }] });
    expect(t.links.filter((l) => l.type === 'nvlink').length).toBe(0);
    const pcie0 = t.node('l40s0/pcie0').index;
    expect(t.links.filter((l) => l.a === pcie0 && t.nodes[l.b].kind === 'accelerator').length).toBe(4);
  });
});
