// Named server designs that a `servers[]` entry can start from (`template: dgx-h100`); any field
// given next to the template overrides it. Shapes follow the vendors' published block diagrams;
// where a detail is not published the choice is stated.
import { nvlinkSharpEfficiency } from '../hardware/links.js';
import { ACCELERATOR_SPECS } from '../hardware/devices.js';
import { domainReductionBytesPerSec } from '../hardware/nvswitch.js';
import type { ScaleUpSpec, ServerGroupSpec } from './spec.js';

export type ServerTemplate = Omit<ServerGroupSpec, 'name' | 'count' | 'template'>;

const sw = (socket: number, uplink: string, accelerators: number[], nics: number[]) => ({ socket, uplink, accelerators, nics });

/**
 * A scale-up switch domain of `chips` NVSwitch chips that reduce in the network (NVLink SHARP,
 * NVSwitch gen 3 on H100 and later), at the catalogue's efficiency and reduction throughput for
 * the NVLink generation of `link` (nvlinkSharpEfficiency, hardware/nvswitch.ts); chips 0: no
 * reduction.
 */
function nvswitchDomain(link: string | null, chips: number, serversPerDomain: number): ScaleUpSpec {
  if (chips === 0) return { type: 'switch', linksPerPair: 1, serversPerDomain, reduction: false };
  return { type: 'switch', linksPerPair: 1, serversPerDomain, reduction: true, reductionEfficiency: nvlinkSharpEfficiency(link), reductionBytesPerSec: domainReductionBytesPerSec(link, chips) };
}

/**
 * HGX-style 8-GPU baseboard: 4 PCIe switches, each with 2 GPUs and their 2 NICs, 2 per socket.
 * `switchChips`: the NVSwitch chips of the baseboard when they reduce in the network (HGX
 * H100/H200: 4 of generation 3; HGX B200: 2 of generation 4; NVIDIA's HGX block diagrams), 0
 * when they do not (A100's generation 2).
 */
function hgx(accelerator: string, nic: string, uplink: string, cpu: string, switchChips: number): ServerTemplate {
  return {
    accelerator,
    accelerators: 8,
    scaleUp: nvswitchDomain(ACCELERATOR_SPECS.get(accelerator)?.scaleUpLink ?? null, switchChips, 1),
    cpu,
    sockets: 2,
    nic,
    nics: 8,
    fabricPorts: 1,
    pcie: [sw(0, uplink, [0, 1], [0, 1]), sw(0, uplink, [2, 3], [2, 3]), sw(1, uplink, [4, 5], [4, 5]), sw(1, uplink, [6, 7], [6, 7])],
    storage: 0,
  };
}

export const SERVER_TEMPLATES: ReadonlyMap<string, ServerTemplate> = new Map<string, ServerTemplate>([
  // DGX H100: 8 H100 SXM on 4 NVSwitch chips (one logical switch, 450 GB/s/dir per GPU),
  // 2 × Xeon 8480C, 8 ConnectX-7 400G compute NICs, Gen5 PCIe switches shared by GPU and NIC pairs.
  ['dgx-h100', hgx('h100-sxm', 'connectx-7', 'pcie-gen5-x16', 'xeon-8480c', 4)],
  ['hgx-h200', hgx('h200', 'connectx-7', 'pcie-gen5-x16', 'xeon-8480c', 4)],
  ['hgx-b200', hgx('b200', 'connectx-7', 'pcie-gen5-x16', 'xeon-8480c', 2)],
  // HGX B300: 8 B300 on 2 NVLink 5 switch chips as HGX B200, 8 ConnectX-8 800G SuperNICs on PCIe
  // Gen6 (the NICs' own switches in NVIDIA's design, modelled as the HGX pairs); the host CPU is
  // the integrator's choice (a 2-socket Xeon stands in)
  ['hgx-b300', hgx('b300', 'connectx-8', 'pcie-gen6-x16', 'xeon-8480c', 2)],
  // DGX A100 used EPYC 7742 (DDR4); the catalogue's EPYC 9654 stands in for the host side.
  ['hgx-a100', hgx('a100-sxm', 'connectx-6', 'pcie-gen4-x16', 'epyc-9654', 0)],
  ['hgx-a100-40gb', hgx('a100-sxm-40gb', 'connectx-6', 'pcie-gen4-x16', 'epyc-9654', 0)],
  // MI300X platform: 8 GPUs in a full Infinity Fabric mesh (one 64 GB/s/dir link per pair).
  ['mi300x', { ...hgx('mi300x', 'connectx-7-eth', 'pcie-gen5-x16', 'epyc-9654', 0), scaleUp: { type: 'mesh', linksPerPair: 1, serversPerDomain: 1 } }],
  // PCIe-only server (8 × L40S, no NVLink): 2 Gen4 switches, each with 4 GPUs and one 400G NIC.
  [
    'l40s-pcie',
    {
      accelerator: 'l40s',
      accelerators: 8,
      scaleUp: { type: 'none', linksPerPair: 1, serversPerDomain: 1 },
      cpu: 'xeon-8480c',
      sockets: 2,
      nic: 'connectx-7-eth',
      nics: 2,
      fabricPorts: 1,
      pcie: [sw(0, 'pcie-gen4-x16', [0, 1, 2, 3], [0]), sw(1, 'pcie-gen4-x16', [4, 5, 6, 7], [1])],
      storage: 0,
    },
  ],
  // Maia 100 server: 4 accelerators; each integrated NIC has 12 × 400GbE: 3 to each of its 3
  // peers (full mesh) and 3 to the fabric, one per T0 plane. PCIe Gen5 x8 to the host; the host
  // CPU model is not published (a 2-socket Xeon stands in).
  [
    'maia-100',
    {
      accelerator: 'maia-100',
      accelerators: 4,
      scaleUp: { type: 'mesh', link: 'ethernet-400g', linksPerPair: 3, serversPerDomain: 1 },
      cpu: 'xeon-8480c',
      sockets: 2,
      nic: null,
      nics: 4,
      fabricPorts: 3,
      pcie: [],
      storage: 0,
    },
  ],
  // GB200 NVL72 compute tray: 2 Grace + 4 Blackwell GPUs (C2C to their Grace), 4 × 400G NICs;
  // 18 trays share the rack's NVLink switch (one logical switch, 900 GB/s/dir per GPU).
  [
    'gb200-nvl72',
    {
      accelerator: 'gb200',
      accelerators: 4,
      acceleratorLink: 'nvlink-c2c',
      // 18 NVLink switch chips (9 switch trays of 2), every GPU with one link to each
      scaleUp: nvswitchDomain('nvlink5', 18, 18),
      cpu: 'grace',
      sockets: 2,
      nic: 'connectx-7',
      nics: 4,
      fabricPorts: 1,
      pcie: [],
      storage: 0,
    },
  ],
  // GB300 NVL72 compute tray: as GB200's, with 4 Blackwell Ultra GPUs and 4 ConnectX-8 800G NICs
  ['gb300-nvl72', { accelerator: 'gb300', accelerators: 4, acceleratorLink: 'nvlink-c2c', scaleUp: nvswitchDomain('nvlink5', 18, 18), cpu: 'grace', sockets: 2, nic: 'connectx-8', nics: 4, fabricPorts: 1, pcie: [], storage: 0 }],
  // A minimal host: one accelerator and one NIC (the "host" of textbook fat-trees).
  [
    'host',
    {
      accelerator: 'h100-sxm',
      accelerators: 1,
      scaleUp: { type: 'none', linksPerPair: 1, serversPerDomain: 1 },
      cpu: 'xeon-8480c',
      sockets: 1,
      nic: 'connectx-7',
      nics: 1,
      fabricPorts: 1,
      pcie: [],
      storage: 0,
    },
  ],
]);
