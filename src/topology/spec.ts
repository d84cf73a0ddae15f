// The description of a system that builders expand into a Topology: server groups (what is
// inside each server), one fabric (how servers are wired), raw extra nodes/links, and
// calibration overrides per link type. Files (io/topology-file.ts) parse into this shape;
// embedders can write it directly.
import type { LinkType } from '../hardware/types.js';
import type { NodeKind } from './graph.js';

export interface PcieSwitchSpec {
  /** CPU socket the switch's uplink goes to. */
  socket: number;
  /** Link catalogue name of the uplink (e.g. pcie-gen5-x16). */
  uplink: string;
  /** Line-rate override of the uplink, bytes/s per direction. */
  bytesPerSec?: number;
  /** Local indices of the accelerators and NICs behind this switch. */
  accelerators: number[];
  nics: number[];
}

export type ScaleUpType = 'switch' | 'mesh' | 'none';

export interface ScaleUpSpec {
  type: ScaleUpType;
  /** Link catalogue name; default: the accelerator's scale-up link. */
  link?: string;
  /** Per-accelerator (switch) or per-link (mesh) line rate override, bytes/s per direction. */
  bytesPerSec?: number;
  /** Mesh only: parallel links between every pair of accelerators. */
  linksPerPair: number;
  /** Switch only: servers sharing one scale-up switch (18 trays in an NVL72 rack); 1 = per server. */
  serversPerDomain: number;
  /** Switch only: the switch reduces in the network (NVLink SHARP, as NVSwitch gen 3+ for NVLS). */
  reduction?: boolean;
  /** Switch only: payload per wire byte of in-switch reduction traffic, (0, 1]; default 1. */
  reductionEfficiency?: number;
  /** Switch only: operand bytes per second the switch's reduction units add, all chips together (hardware/nvswitch.ts); default unbounded. */
  reductionBytesPerSec?: number;
}

export interface ServerGroupSpec {
  /** Id prefix: server i of the group is `${name}${i}` and its nodes `${name}${i}/acc3`. */
  name: string;
  count: number;
  template?: string;
  accelerator: string;
  accelerators: number;
  /** Host link of each accelerator; default: the accelerator's own (PCIe generation/width). */
  acceleratorLink?: string;
  scaleUp: ScaleUpSpec;
  cpu: string;
  sockets: number;
  /** Separate NIC model, or null when the accelerator has integrated network ports. */
  nic: string | null;
  nics: number;
  nicLink?: string;
  /** Network ports per NIC that go to the fabric (for multi-plane fabrics: one per plane). */
  fabricPorts: number;
  pcie: PcieSwitchSpec[];
  /** NVMe drives per server, attached to the CPU sockets round-robin. */
  storage: number;
}

export type FabricType = 'none' | 'fat-tree' | 'leaf-spine' | 'torus' | 'dragonfly';
export type FabricRouting = 'ecmp' | 'destination';
/** What a fabric may ask for: a routing, or `auto`, the one its switches' link technology uses (resolveRouting). */
export type FabricRoutingChoice = FabricRouting | 'auto';
export const FABRIC_ROUTINGS: readonly FabricRoutingChoice[] = ['auto', 'ecmp', 'destination'];

export interface FabricSpec {
  type: FabricType;
  /** k-ary fat-tree: switch radix k (k³/4 hosts, 5k²/4 switches). */
  k?: number;
  /** leaf-spine: 2 or 3 switch tiers. */
  tiers: number;
  /** Ports per switch. */
  radix: number;
  /** Down:up ratio per tier from the leaves up (1 = non-blocking, 3 = 3:1). */
  oversubscription: number[];
  /** Rail-optimized: NIC i of every server goes to a leaf of rail i. */
  rails: boolean;
  /** Independent copies of the switch fabric; port p of a NIC goes to plane p. */
  planes: number;
  /** 2-tier only: number of spines (uplinks are spread evenly, possibly several per spine). */
  spines?: number;
  /** Link catalogue name of switch-to-switch links; default: the NICs' port link. */
  link?: string;
  bytesPerSec?: number;
  switchLatencySec: number;
  /** Internal capacity of every fabric switch, bytes/s (0 = non-blocking, not modelled). */
  switchCapacityBytesPerSec: number;
  /**
   * How a switch picks among equal-cost up-links: 'ecmp' hashes each flow (src, dst, label), as
   * Ethernet ECMP does; 'destination' takes the index of the destination's fabric port (ports
   * numbered leaf by leaf: each HCA port has its own LID) digit by digit (d mod k at the first
   * choice, then ⌊d/k⌋ mod k'…), as InfiniBand's fat-tree routing (OpenSM ftree, "D-mod-k")
   * programs its forwarding tables: flows to different ports under one leaf never share a
   * down-link. 'auto' (the default): destination on InfiniBand fabrics,
   * whose switches forward by destination LID, ecmp on the others.
   */
  routing: FabricRoutingChoice;
  /** torus: routers per dimension; hostsPerRouter ports attach to each router. */
  dims?: number[];
  hostsPerRouter?: number;
  /** dragonfly: groups of all-to-all routers joined by global links. */
  groups?: number;
  routersPerGroup?: number;
  globalLinksPerRouter?: number;
}

export interface RawNodeSpec {
  id: string;
  kind: NodeKind;
  /** Server name from `servers[]` expansions or a new server name; omit for fabric nodes. */
  server?: string;
  forwards?: boolean;
  /** A switch that reduces in the network (enables the nvls all-reduce). */
  reduction?: boolean;
  /** Payload per wire byte of its in-network reduction traffic, (0, 1]; default 1. */
  reductionEfficiency?: number;
  /** Operand bytes per second its reduction units add; default unbounded. */
  reductionBytesPerSec?: number;
  capacityBytesPerSec?: number;
  latencySec?: number;
  rack?: number;
  pod?: number;
  rail?: number;
  plane?: number;
  tier?: number;
}

export interface RawLinkSpec {
  a: string;
  b: string;
  type: LinkType;
  spec?: string;
  bytesPerSec: number;
  latencySec: number;
  tier?: string;
  /** Number of parallel links. */
  count: number;
}

export interface LinkOverride {
  lineBytesPerSec?: number;
  efficiency?: number;
  latencySec?: number;
}

export interface TopologySpec {
  name: string;
  /** Seed of the ECMP hash. */
  seed: number;
  servers: ServerGroupSpec[];
  fabric: FabricSpec;
  nodes: RawNodeSpec[];
  links: RawLinkSpec[];
  /** Overrides by link type ('pcie') or catalogue name ('pcie-gen5-x16'); names win. */
  calibration: Record<string, LinkOverride>;
}

export const DEFAULT_FABRIC: FabricSpec = {
  type: 'none',
  tiers: 2,
  radix: 64,
  oversubscription: [1, 1],
  rails: false,
  planes: 1,
  switchLatencySec: 0,
  routing: 'auto',
  switchCapacityBytesPerSec: 0,
};
