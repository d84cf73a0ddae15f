// NCCL's view of a communicator's system: its NVLink domains ("nodes" to NCCL: one server, or a
// whole NVL72 rack behind one NVLink switch), the bandwidths its topology search sees, and the
// channel graphs that search would build (ring, tree, NVLS: channels and GB/s per channel).
// A simplified port of src/graph/search.cc for NVSwitch and rail-optimised systems
// (docs/research/nccl-tuning-model.md §3 and §5): the per-channel speed is the first of the
// generation's list the links can carry, channels fill the GPU's NVLink bandwidth (one node) or
// one per NIC path (several), then NCCL's duplication rule applies.
import type { Topology } from '../topology/graph.js';
import type { Communicator } from './communicator.js';
import { MAX_CHANNELS, MAX_SEARCH_CHANNELS, ncclArchOf, searchSpeeds, type HostCpu, type NcclArch } from '../hardware/nccl-tuning.js';
import { ACCELERATOR_SPECS, CPU_SPECS } from '../hardware/devices.js';

/** One channel graph: search channels and their per-channel bandwidth inside and across nodes (GB/s). */
export interface ChannelGraph {
  readonly channels: number;
  readonly bwIntra: number;
  readonly bwInter: number;
}

export interface NcclSystem {
  readonly arch: NcclArch;
  readonly ranks: number;
  /** NVLink domains spanned, and ranks in each (the first domain's count). */
  readonly nodes: number;
  readonly ranksPerNode: number;
  /** Domain index of each rank. */
  readonly nodeOf: Int32Array;
  /** GPUs talk over NVLink (else PCIe): NCCL's hw class, and LL128's condition. */
  readonly nvlink: boolean;
  /** Every domain's ranks share a switch that reduces (NVLink SHARP): NVLS is possible. */
  readonly nvls: boolean;
  readonly ring: ChannelGraph;
  readonly tree: ChannelGraph;
  readonly nvlsGraph: ChannelGraph;
  /** CTAs a ring or tree collective may use (comm->nChannels). */
  readonly commChannels: number;
  /** The ranks' host CPUs as NCCL tells them apart: 'amd' if any is AMD (NCCL's "AMD or mixed"). */
  readonly hostCpu: HostCpu;
  /** µs one NVLink hop of a step costs on these GPUs above NCCL's table (hardware/nvlink-hop-latency.ts): paid by the simulated steps, not seen by the tuner. */
  readonly nvlinkHopExtraUs: number;
}

const GB = 1e9;

/** The scale-up switch an accelerator links to over NVLink, or −1. */
function scaleUpSwitch(topo: Topology, node: number): number {
  const { start, to, dlink } = topo.adjacency();
  for (let e = start[node]; e < start[node + 1]; e++) {
    const peer = to[e];
    if (topo.nodes[peer].kind === 'switch' && topo.links[dlink[e] >> 1].type === 'nvlink') return peer;
  }
  return -1;
}

/** Effective bytes/s of an accelerator's links of one type, summed (its NVLink bandwidth). */
function linkBandwidth(topo: Topology, node: number, type: string): number {
  const { start, dlink } = topo.adjacency();
  let sum = 0;
  for (let e = start[node]; e < start[node + 1]; e++) {
    const l = topo.links[dlink[e] >> 1];
    if (l.type === type) sum += l.bytesPerSec;
  }
  return sum;
}

/** The narrowest link on the accelerator's path to its first NIC and the NIC's port (GB/s); 0 without a NIC. */
function nicPathBandwidth(topo: Topology, node: number): { path: number; nic: number } {
  const nic = topo.nodes[node].homeNics[0];
  if (nic === undefined) return { path: 0, nic: 0 };
  const { start, dlink, to } = topo.adjacency();
  let port = 0;
  let host = Infinity;
  for (let e = start[nic]; e < start[nic + 1]; e++) {
    const l = topo.links[dlink[e] >> 1];
    const peer = to[e];
    if (topo.nodes[peer].placement.server < 0 || topo.nodes[peer].placement.server !== topo.nodes[nic].placement.server) port = Math.max(port, l.bytesPerSec);
    else host = Math.min(host, l.bytesPerSec);
  }
  const nicBw = port > 0 ? port : host;
  return { path: Math.min(nicBw, host) / GB, nic: nicBw / GB };
}

/** Groups ranks by NVLink domain (the scale-up switch they share; else their server): the domain index of each rank. */
export function nvlinkDomains(topo: Topology, comm: Communicator): Int32Array {
  const key = new Map<string, number>();
  return Int32Array.from(comm.nodes, (node) => {
    const sw = scaleUpSwitch(topo, node);
    const k = sw >= 0 ? `sw${sw}` : `s${topo.nodes[node].placement.server}`;
    if (!key.has(k)) key.set(k, key.size);
    return key.get(k)!;
  });
}

/** Every node's NVLink domain as one id per topology (its scale-up switch's index, else its server's, offset past the nodes; −1 off servers), made once per topology. */
const DOMAIN_IDS = new WeakMap<Topology, Int32Array>();

export function domainIds(topo: Topology): Int32Array {
  let ids = DOMAIN_IDS.get(topo);
  if (ids) return ids;
  ids = new Int32Array(topo.nodes.length).fill(-1);
  topo.nodes.forEach((n, i) => {
    if (n.kind !== 'accelerator') return;
    const sw = scaleUpSwitch(topo, i);
    ids![i] = sw >= 0 ? sw : topo.nodes.length + n.placement.server;
  });
  DOMAIN_IDS.set(topo, ids);
  return ids;
}

/** Whether NCCL duplicates a search's channels (search.cc:1036-1049). */
function duplicated(arch: NcclArch, g: ChannelGraph): ChannelGraph {
  if (g.bwIntra < 25 || (arch !== 'volta' && arch !== 'ampere' && g.bwIntra < 50 && g.channels > 4)) return g;
  return { channels: Math.min(MAX_SEARCH_CHANNELS, 2 * g.channels), bwIntra: g.bwIntra / 2, bwInter: g.bwInter / 2 };
}

/** The speed and count of channels that carry the most of `total` at ≤ `maxSpeed` each, highest speed on ties. */
function fill(speeds: readonly number[], total: number, maxSpeed: number, maxChannels: number): { s: number; k: number } {
  let best = { s: speeds[speeds.length - 1], k: 1 };
  for (const s of speeds) {
    if (s > maxSpeed) continue;
    const k = Math.min(maxChannels, Math.floor(total / s));
    if (k >= 1 && k * s > best.k * best.s + 1e-9) best = { s, k };
  }
  return best;
}

function ringGraph(arch: NcclArch, nodes: number, scaleUp: number, nics: number, nicPath: { path: number; nic: number }): ChannelGraph {
  if (nodes <= 1 || nics === 0) {
    const { s, k } = fill(searchSpeeds(arch, false), scaleUp, scaleUp, MAX_SEARCH_CHANNELS);
    return duplicated(arch, { channels: k, bwIntra: s, bwInter: s });
  }
  // one channel per NIC path at the first inter-node speed it carries, until the GPU's bandwidth is used
  const speeds = searchSpeeds(arch, true);
  const s = speeds.find((x) => x <= nicPath.path) ?? speeds[speeds.length - 1];
  const perNic = Math.max(1, Math.floor(nicPath.nic / s));
  const k = Math.max(1, Math.min(MAX_SEARCH_CHANNELS, nics * perNic, Math.ceil(scaleUp / s)));
  return duplicated(arch, { channels: k, bwIntra: s, bwInter: s });
}

function treeGraph(arch: NcclArch, nodes: number, ppn: number, scaleUp: number, ring: ChannelGraph): ChannelGraph {
  if (nodes > 1) return ring;
  const limit = ppn > 1 ? (scaleUp * ppn) / (ppn - 1) : scaleUp;
  const s = searchSpeeds(arch, false).find((x) => ring.channels * x <= limit) ?? ring.bwIntra;
  return { channels: ring.channels, bwIntra: s, bwInter: s };
}

function nvlsGraph(arch: NcclArch, nodes: number, ppn: number, scaleUp: number, nicPath: { path: number }): ChannelGraph {
  // each GPU carries every channel's bandwidth and one more for the channel it heads
  const channels = Math.min(MAX_SEARCH_CHANNELS, ppn);
  const speeds = searchSpeeds(arch, false);
  const bwIntra = speeds.find((s) => (channels + 1) * s <= scaleUp) ?? 0;
  const inter = searchSpeeds(arch, true).find((s) => s <= nicPath.path) ?? 0;
  return { channels, bwIntra, bwInter: nodes > 1 ? inter : speeds[0] };
}

/** CPU vendors of each server of a topology (bit 1 intel, 2 amd, 4 other), made once per topology: a plan per group must not scan every node. */
const SERVER_VENDORS = new WeakMap<Topology, Map<number, number>>();
const VENDOR_BIT: Record<string, number> = { intel: 1, amd: 2 };

function serverVendors(topo: Topology): Map<number, number> {
  let out = SERVER_VENDORS.get(topo);
  if (out) return out;
  out = new Map();
  for (const n of topo.nodes) {
    if (n.kind !== 'cpu') continue;
    const bit = VENDOR_BIT[CPU_SPECS.get(n.spec)?.vendor ?? 'intel'] ?? 4;
    out.set(n.placement.server, (out.get(n.placement.server) ?? 0) | bit);
  }
  SERVER_VENDORS.set(topo, out);
  return out;
}

/** The ranks' host CPUs: 'amd' if any server of theirs has an AMD CPU, 'intel' if all are Intel, else 'other' (NCCL's cpuVendor). */
function hostCpuOf(topo: Topology, comm: Communicator): HostCpu {
  const vendors = serverVendors(topo);
  let bits = 0;
  for (const node of comm.nodes) bits |= vendors.get(topo.nodes[node].placement.server) ?? 0;
  if (bits & 2) return 'amd';
  return bits === 0 || bits === 1 ? 'intel' : 'other';
}

export function ncclSystem(topo: Topology, comm: Communicator): NcclSystem {
  const first = comm.nodes[0];
  const arch = ncclArchOf(topo.nodes[first].spec) ?? 'volta';
  const nodeOf = nvlinkDomains(topo, comm);
  const nodes = nodeOf.reduce((a, b) => Math.max(a, b), -1) + 1; // not a spread: 100 k ranks overflow the call stack
  const ranks = comm.nodes.length;
  const ranksPerNode = nodeOf.filter((d) => d === nodeOf[0]).length;
  const nvl = linkBandwidth(topo, first, 'nvlink') / GB;
  const scaleUp = nvl > 0 ? nvl : Math.max(linkBandwidth(topo, first, 'infinity-fabric'), linkBandwidth(topo, first, 'pcie')) / GB;
  const nicPath = nicPathBandwidth(topo, first);
  const nics = new Set(Array.from(comm.nodes).filter((_, r) => nodeOf[r] === nodeOf[0]).flatMap((node) => topo.nodes[node].homeNics.slice(0, 1))).size;
  const ring = ringGraph(arch, nodes, scaleUp, nics, nicPath);
  const tree = treeGraph(arch, nodes, ranksPerNode, scaleUp, ring);
  const sw = scaleUpSwitch(topo, first);
  const nvls = nvl > 0 && (arch === 'hopper' || arch === 'blackwell') && Array.from(comm.nodes).every((node) => {
    const s = scaleUpSwitch(topo, node);
    return s >= 0 && topo.nodes[s].reduces;
  }) && sw >= 0;
  let commChannels = Math.min(MAX_CHANNELS, 2 * Math.min(ring.channels, tree.channels));
  if ((arch === 'hopper' || arch === 'blackwell') && nodes > 1 && ring.bwIntra > 45 && commChannels < 16) commChannels *= 2;
  return { arch, ranks, nodes, ranksPerNode, nodeOf, nvlink: nvl > 0, nvls, ring, tree, nvlsGraph: nvlsGraph(arch, nodes, ranksPerNode, scaleUp, nicPath), commChannels, hostCpu: hostCpuOf(topo, comm), nvlinkHopExtraUs: (ACCELERATOR_SPECS.get(topo.nodes[first].spec)?.nvlinkHopExtraSec ?? 0) * 1e6 };
}
