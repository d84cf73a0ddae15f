// NCCL's tuner: for one collective of nBytes on a communicator, the estimated time of every
// (algorithm, protocol) pair NCCL would consider — latency + nBytes / bandwidth, with its
// per-protocol factors, per-channel caps and size corrections — and the pick with the least
// estimate, as ncclTopoTuneModel / ncclTopoGetAlgoTime / the argmin of enqueue.cc do. Then the
// channels NCCL launches for that size (fewer CTAs for small messages). The estimate only
// chooses; the time fairway reports is the simulated one. Sources: nccl-tuning.ts and
// docs/research/nccl-tuning-model.md §1.
import {
  BASE_LATENCY_US, HOP_LATENCY_US, llMaxBandwidth, MAX_THREADS, MIN_TRAFFIC_PER_CHANNEL, NCCL_PROTOCOLS, netOverheadUs, nvlsChannels, nvlsEfficiency,
  perChannelCap, THREAD_THRESHOLD, TREE_CORRECTION, type NcclAlgorithm, type NcclProtocol,
} from '../hardware/nccl-tuning.js';
import type { CollectiveOp } from './index.js';
import type { NcclSystem } from './nccl-topology.js';

export interface NcclCandidate {
  readonly algorithm: NcclAlgorithm;
  readonly protocol: NcclProtocol;
  /** Estimated latency (µs), algorithm bandwidth (GB/s) and time (µs). */
  readonly latencyUs: number;
  readonly algbw: number;
  readonly timeUs: number;
}

export interface NcclChoice extends NcclCandidate {
  /** CTAs (channels) launched for this size. */
  readonly channels: number;
  /** µs the GPUs' own NVLink hops add to the estimate's latency (sys.nvlinkHopExtraUs, deviceHopUs): the closed form of what the simulated steps pay, for the analytical fidelity; 0 where none. */
  readonly deviceHopUs?: number;
}

/** What NCCL would consider for `op` (tuning.cc:293-304, 502-509; enqueue.cc:1998-2012): AllReduce everything but PAT; AG/RS/broadcast/reduce ring. */
export function candidatePairs(sys: NcclSystem, op: CollectiveOp): [NcclAlgorithm, NcclProtocol][] {
  const protos = NCCL_PROTOCOLS.filter((p) => p !== 'LL128' || sys.nvlink);
  const out: [NcclAlgorithm, NcclProtocol][] = protos.map((p) => ['ring', p]);
  if (op !== 'all_reduce') return out;
  for (const p of protos) out.push(['tree', p]);
  if (sys.nvls && sys.nodes === 1 && sys.nvlsGraph.channels >= 2) out.push(['nvls', 'Simple']);
  if (sys.nvls && sys.nodes > 1 && sys.nvlsGraph.channels >= 2) out.push(['nvls-tree', 'Simple']);
  return out;
}

const log2i = (x: number) => (x > 0 ? Math.floor(Math.log2(x)) : -1);

/** Ring steps: all-reduce 2(n−1), all-gather/reduce-scatter n−1, others n (tuning.cc:289-291). */
function ringSteps(op: CollectiveOp, n: number): number {
  return op === 'all_reduce' ? 2 * (n - 1) : op === 'all_gather' || op === 'reduce_scatter' ? n - 1 : n;
}

/** latencies[coll][a][p] (tuning.cc:384-435). */
export function latencyUs(sys: NcclSystem, op: CollectiveOp, a: NcclAlgorithm, p: NcclProtocol, nvlinkExtraUs = 0): number {
  const intraHw = sys.nvlink ? 'nvlink' : 'pci';
  const extra = sys.nvlink ? nvlinkExtraUs : 0;
  let intra = HOP_LATENCY_US[intraHw][a][p] + (a === 'nvls' || a === 'nvls-tree' ? 0 : extra);
  const inter = HOP_LATENCY_US.net[sys.ranksPerNode === 1 ? 'tree' : a][p];
  const ppn = sys.ranksPerNode;
  const base = BASE_LATENCY_US[a][p];
  if (a === 'ring') {
    if (op !== 'all_reduce' && op !== 'all_gather' && op !== 'reduce_scatter') return base + (sys.nodes === 1 ? intra : HOP_LATENCY_US.net.ring[p]);
    const steps = ringSteps(op, sys.ranks);
    const interSteps = sys.nodes === 1 ? 0 : op === 'all_reduce' ? 2 * (sys.nodes - 1) : sys.nodes - 1;
    if (sys.nodes > 1) intra = Math.max(intra, netOverheadUs(sys.hostCpu) * (p === 'Simple' ? 3 : 1));
    return base + (steps - interSteps) * intra + interSteps * inter;
  }
  if (a === 'tree') return base + 2 * ((ppn - 1) * intra + log2i(sys.nodes) * inter);
  if (a === 'nvls') return intra + (sys.nodes > 1 ? inter : 0);
  return base + intra + 2 * log2i(sys.nodes) * inter;
}

/**
 * What the GPUs' own NVLink hop (sys.nvlinkHopExtraUs, hardware/nvlink-hop-latency.ts) adds to
 * latencyUs for (a, p): the same formula with each NVLink hop that much longer (NVLS's barrier
 * excepted, as in the simulated steps). NCCL's tuner does not see it; the analytical fidelity
 * adds it to the estimate, so its closed form keeps the simulated steps' α.
 */
export function deviceHopUs(sys: NcclSystem, op: CollectiveOp, a: NcclAlgorithm, p: NcclProtocol): number {
  return sys.nvlinkHopExtraUs > 0 ? latencyUs(sys, op, a, p, sys.nvlinkHopExtraUs) - latencyUs(sys, op, a, p) : 0;
}

/** busBw of (a, p) in GB/s, before conversion to algBw (tuning.cc:305-376). */
export function busBandwidth(sys: NcclSystem, op: CollectiveOp, a: NcclAlgorithm, p: NcclProtocol): number {
  const g = a === 'ring' ? sys.ring : a === 'tree' ? sys.tree : sys.nvlsGraph;
  let bw = sys.nodes <= 2 ? g.bwIntra : g.bwInter;
  if (a === 'nvls' || a === 'nvls-tree') {
    const ppn = sys.ranksPerNode;
    const intraBw = g.bwIntra * nvlsEfficiency(sys.arch) * ((g.channels - 1) / g.channels) * (op === 'all_reduce' ? 2 : (ppn - 1) / ppn);
    const interBw = g.bwInter * (sys.nodes <= 2 && a === 'nvls-tree' ? 2 : 1);
    bw = Math.min(intraBw, interBw, a === 'nvls-tree' ? perChannelCap('nvlsTree', sys.arch, sys.nodes) : Infinity);
  }
  let busBw = g.channels * bw;
  const nCh = g.channels;
  if (a === 'ring' && p === 'LL') busBw = Math.min(llMaxBandwidth(sys.arch, sys.nodes, sys.hostCpu), busBw * 0.5);
  if (a === 'ring' && p === 'LL128') busBw = Math.min(busBw * 0.92, nCh * perChannelCap('ringLL128', sys.arch, sys.nodes));
  if (a === 'tree' && op === 'all_reduce') busBw = Math.min(busBw * 0.92, nCh * perChannelCap('tree', sys.arch, sys.nodes));
  if (a === 'tree' && p === 'LL') busBw = Math.min(busBw / 3.8, llMaxBandwidth(sys.arch, sys.nodes, sys.hostCpu));
  if (a === 'tree' && p === 'LL128') busBw = Math.min(busBw * (sys.nodes === 1 ? 7 / 9 : 120 / 128), nCh * perChannelCap('treeLL128', sys.arch, sys.nodes));
  return busBw;
}

/**
 * NCCL's per-channel term of ring (LL, LL128)'s bus bandwidth, GB/s per search channel, before
 * the whole-communicator cap: LL bw·0.5 (capped by llMaxBw over all channels), LL128
 * min(bw·0.92, perChMaxRingLL128Bw) (tuning.cc:305-376); Simple bw.
 */
export function ringChannelBandwidth(sys: NcclSystem, p: NcclProtocol): number {
  const bw = sys.nodes <= 2 ? sys.ring.bwIntra : sys.ring.bwInter;
  if (p === 'LL') return bw * 0.5;
  if (p === 'LL128') return Math.min(bw * 0.92, perChannelCap('ringLL128', sys.arch, sys.nodes));
  return bw;
}

/** NCCL's tree size correction for nBytes: treeCorrectionFactor[p][log2(nBytes/64)], 1 outside 64 B – 512 MiB (tuning.cc:620-646). */
export function treeCorrection(p: NcclProtocol, nBytes: number): number {
  const logSize = log2i(Math.floor(nBytes / 64));
  return logSize >= 0 && logSize < 23 ? TREE_CORRECTION[p][logSize] : 1;
}

/** The estimate of (a, p) for nBytes (tuning.cc:376-382, 620-655). */
export function estimate(sys: NcclSystem, op: CollectiveOp, a: NcclAlgorithm, p: NcclProtocol, nBytes: number): NcclCandidate {
  const ratio = a === 'tree' ? 0.5 : sys.ranks / ringSteps(op, sys.ranks);
  let algbw = busBandwidth(sys, op, a, p) * ratio;
  let lat = latencyUs(sys, op, a, p);
  const corrected = op === 'all_reduce' && (a === 'tree' || (a === 'nvls-tree' && sys.arch === 'blackwell'));
  if (corrected) algbw *= treeCorrection(p, nBytes);
  if (a === 'ring' && p === 'Simple' && op === 'all_reduce' && sys.nodes > 1 && nBytes / (sys.commChannels * sys.ranks) >= 64) lat *= sys.arch === 'volta' ? 1.9 : 1.4;
  const timeUs = algbw > 0 ? lat + nBytes / (1000 * algbw) : Infinity;
  return { algorithm: a, protocol: p, latencyUs: lat, algbw, timeUs };
}

/** CTAs launched (enqueue.cc:2070-2116 and the 32 KiB traffic cells of enqueue.cc:576-760). */
export function launchedChannels(sys: NcclSystem, op: CollectiveOp, a: NcclAlgorithm, p: NcclProtocol, nBytes: number): number {
  if (a === 'nvls' || a === 'nvls-tree') return nvlsChannels(sys.arch, sys.nodes);
  let nc = sys.commChannels;
  const threshold = THREAD_THRESHOLD[p] * (a === 'ring' && p === 'LL' ? sys.ranks : 1);
  while (nBytes < nc * MAX_THREADS[p] * threshold && nc >= 2) nc--;
  const traffic = nBytes * (op === 'all_reduce' ? 2 : 1) * (p === 'LL' ? 4 : 1);
  return Math.max(1, Math.min(nc, Math.ceil(traffic / MIN_TRAFFIC_PER_CHANNEL)));
}

/** The (algorithm, protocol) with the least estimate among `pairs`, and the channels it launches; null when none applies. */
export function chooseNccl(sys: NcclSystem, op: CollectiveOp, nBytes: number, pairs = candidatePairs(sys, op)): NcclChoice | null {
  let best: NcclCandidate | null = null;
  for (const [a, p] of pairs) {
    const c = estimate(sys, op, a, p, nBytes);
    if (Number.isFinite(c.timeUs) && (best === null || c.timeUs < best.timeUs)) best = c;
  }
  return best && { ...best, channels: launchedChannels(sys, op, best.algorithm, best.protocol, nBytes) };
}
