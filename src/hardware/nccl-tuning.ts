// NCCL's collective protocols and its tuner's constants, as a catalogue entry of the GPU
// generation and link class they belong to. Every number is NCCL 2.30.7's
// (NVIDIA/nccl commit 5067397c, src/graph/tuning.cc, src/graph/search.cc, src/include/device.h,
// src/init.cc); docs/research/nccl-tuning-model.md cites each by line. Latencies in µs and
// bandwidths in GB/s (1e9 B/s), as NCCL writes them.

export type NcclProtocol = 'LL' | 'LL128' | 'Simple';
export const NCCL_PROTOCOLS: readonly NcclProtocol[] = ['LL', 'LL128', 'Simple'];

/** NCCL's algorithms that fairway models (CollNet and PAT are not). */
export type NcclAlgorithm = 'tree' | 'ring' | 'nvls' | 'nvls-tree';

/** GPU generation as NCCL's tables index it (compcap ≥100 Blackwell, ≥90 Hopper, ≥80 Ampere, else Volta/other). */
export type NcclArch = 'volta' | 'ampere' | 'hopper' | 'blackwell';
const ARCH_INDEX: Record<NcclArch, number> = { volta: 0, ampere: 1, hopper: 2, blackwell: 3 };

/** Accelerator catalogue name → NCCL generation; undefined for accelerators NCCL does not drive (MI300X runs RCCL, Maia its own library). */
const ARCH_OF: Readonly<Record<string, NcclArch>> = { 'a100-sxm': 'ampere', 'a100-sxm-40gb': 'ampere', 'h100-sxm': 'hopper', h200: 'hopper', b200: 'blackwell', gb200: 'blackwell', b300: 'blackwell', gb300: 'blackwell', l40s: 'ampere' };
export function ncclArchOf(acceleratorSpec: string): NcclArch | undefined {
  return ARCH_OF[acceleratorSpec];
}

/** Link class of a hop, as NCCL's hwLat table has it. */
export type HwClass = 'nvlink' | 'pci' | 'net';

/** Wire efficiency: payload bytes per byte on the wire (LL: 4 B flag per 4 B data; LL128: 8 B flag per 128 B line). device.h:75-112. */
export const WIRE_EFFICIENCY: Readonly<Record<NcclProtocol, number>> = { LL: 0.5, LL128: 120 / 128, Simple: 1 };

/** Base latency per collective, µs: baseLat[algo][proto] (tuning.cc:150-155). */
export const BASE_LATENCY_US: Readonly<Record<NcclAlgorithm, Record<NcclProtocol, number>>> = {
  tree: { LL: 6.8, LL128: 14.0, Simple: 8.4 },
  ring: { LL: 6.6, LL128: 14.0, Simple: 8.4 },
  nvls: { LL: 0, LL128: 0, Simple: 0 },
  'nvls-tree': { LL: 0, LL128: 0, Simple: 0 },
};

/** Per-hop latency, µs: hwLat[hw][algo][proto] (tuning.cc:157-176). 0 where NCCL disables the pair. */
export const HOP_LATENCY_US: Readonly<Record<HwClass, Record<NcclAlgorithm, Record<NcclProtocol, number>>>> = {
  nvlink: { tree: { LL: 0.6, LL128: 1.25, Simple: 4.0 }, ring: { LL: 0.6, LL128: 1.9, Simple: 3.4 }, nvls: { LL: 0, LL128: 0, Simple: 25 }, 'nvls-tree': { LL: 0, LL128: 0, Simple: 25 } },
  pci: { tree: { LL: 1.0, LL128: 1.9, Simple: 4.0 }, ring: { LL: 1.0, LL128: 2.5, Simple: 5.7 }, nvls: { LL: 0, LL128: 0, Simple: 0 }, 'nvls-tree': { LL: 0, LL128: 0, Simple: 0 } },
  net: { tree: { LL: 5.0, LL128: 8.5, Simple: 14 }, ring: { LL: 2.7, LL128: 4.0, Simple: 14.0 }, nvls: { LL: 0, LL128: 0, Simple: 18 }, 'nvls-tree': { LL: 0, LL128: 0, Simple: 20.9 } },
};

/** Host CPUs as NCCL's tuner tells them apart (its cpuVendor; "mixed" when the ranks' hosts differ). */
export type HostCpu = 'intel' | 'amd' | 'other';

/** Per-step host-side network overhead on multi-node rings, µs: 2.0 on AMD x86, 1.0 on Intel and others (getNetOverhead, tuning.cc:225-233); ×3 for Simple. */
export function netOverheadUs(cpu: HostCpu): number {
  return cpu === 'amd' ? 2.0 : 1.0;
}

/** [1 node, 2 nodes, ≥4 nodes] column of NCCL's tables. */
export function nodeColumn(nodes: number): 0 | 1 | 2 {
  return nodes <= 1 ? 0 : nodes === 2 ? 1 : 2;
}

/** LL total bandwidth cap, GB/s: llMaxBws (tuning.cc:178-183); one node: by arch; several: row 1 on AMD (or mixed) hosts, row 0 otherwise. */
export function llMaxBandwidth(arch: NcclArch, nodes: number, cpu: HostCpu = 'intel'): number {
  const rows = [[39.0, 39.0, 20.4], [87.7, 22.5, 19.0], [141.0, 45.0, 35.0], [282.0, 90.0, 70.0]];
  return rows[nodes <= 1 ? ARCH_INDEX[arch] : cpu === 'amd' ? 1 : 0][nodeColumn(nodes)];
}

const PER_CHANNEL = {
  ringLL128: [[20, 20, 20], [20, 20, 20], [36.7, 36.7, 36.7], [40, 40, 40]],
  treeLL128: [[20, 20, 20], [20, 20, 20], [36.7, 36.7, 29.0], [55.6, 31.67, 20.0]],
  tree: [[26.5, 18.5, 10.0], [24.0, 23.6, 17.8], [38.7, 41.4, 36.0], [70.0, 42.8, 24.0]],
  nvlsTree: [[26.5, 18.5, 10.0], [24.0, 23.6, 17.8], [0, 57.7, 45.5], [0, 96.0, 80.0]],
} as const;

/** Per-channel bandwidth caps, GB/s per (search) channel (tuning.cc:184-211). */
export function perChannelCap(table: keyof typeof PER_CHANNEL, arch: NcclArch, nodes: number): number {
  return PER_CHANNEL[table][ARCH_INDEX[arch]][nodeColumn(nodes)];
}

/** NVLS efficiency of the switch reduction (tuning.cc:139-144). */
export function nvlsEfficiency(arch: NcclArch): number {
  return [0, 0, 0.85, 0.74][ARCH_INDEX[arch]];
}

/** Tree/NVLS-tree size corrections, index log2(bytes/64) 0..22 (tuning.cc:623-627). */
export const TREE_CORRECTION: Readonly<Record<NcclProtocol, readonly number[]>> = {
  LL: [1.0, 1.0, 1.0, 1.0, 0.9, 0.8, 0.7, 0.7, 0.7, 0.7, 0.6, 0.5, 0.4, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.0, 1.0, 1.0],
  LL128: [1.0, 1.0, 1.0, 1.0, 1.0, 0.9, 0.8, 0.8, 0.8, 0.7, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.8, 0.9, 0.9, 0.9, 0.9, 1.0, 1.0],
  Simple: [0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.8, 0.7, 0.6, 0.6, 0.5, 0.5, 0.5, 0.5, 0.6, 0.7, 0.8, 0.7, 0.7, 0.8, 0.9, 0.9],
};

/** Per-channel speeds the topology search tries, GB/s, highest first (search.cc:1051-1067). */
export function searchSpeeds(arch: NcclArch, inter: boolean): readonly number[] {
  if (!inter) {
    if (arch === 'blackwell') return [90, 80, 70, 60, 50, 45, 40, 30, 24, 20, 19, 18];
    if (arch === 'hopper') return [60, 50, 40, 30, 24, 20, 15, 12, 11, 6, 3];
    return [40, 30, 20, 18, 15, 12, 10, 9, 7, 6, 5, 4, 3];
  }
  if (arch === 'blackwell') return [96, 86, 80, 48, 45.1, 42, 40, 30, 24, 22, 20, 17.5, 15, 12, 6, 3, 2.4, 1.2, 0.24, 0.12];
  if (arch === 'hopper') return [48, 45, 42, 40, 30, 24, 22, 20, 17.5, 15, 12, 6, 3, 2.4, 1.2, 0.24, 0.12];
  return [48, 30, 28, 24, 20, 18, 15, 12, 10, 9, 7, 6, 5, 4, 3, 2.4, 1.2, 0.24, 0.12];
}

/** Most ring/tree channels a search may return (MAXCHANNELS/2) and CTAs a communicator may run (MAXCHANNELS). device.h:91. */
export const MAX_SEARCH_CHANNELS = 32;
export const MAX_CHANNELS = 64;

/** NVLS CTAs: 16 on Hopper; Blackwell 24 on one NVLink domain, 32 across (src/transport/nvls.cc:155-240). */
export function nvlsChannels(arch: NcclArch, nodes: number): number {
  return arch === 'blackwell' ? (nodes > 1 ? 32 : 24) : 16;
}

/** NVLS chunk per CTA and head, bytes: NCCL_NVLS_CHUNKSIZE (nvls.cc:160). */
export const NVLS_CHUNK_BYTES = 128 * 1024;

/**
 * The NVLS chunk NCCL uses for nBytes (enqueue.cc:2258-2275): 128 KiB, cut to 64 KiB below
 * 64×, 32 KiB below 8× and 16 KiB below 2× the bytes of one step of all concurrent operations
 * (CTAs × NVLS heads, one head per rank of the domain), each against the chunk of that moment.
 */
export function nvlsChunk(nBytes: number, concurrentOps: number): number {
  let c = NVLS_CHUNK_BYTES;
  if (nBytes < 64 * concurrentOps * c && c > 65536) c = 65536;
  if (nBytes < 8 * concurrentOps * c && c > 32768) c = 32768;
  if (nBytes < 2 * concurrentOps * c && c > 16384) c = 16384;
  return c;
}

/**
 * The NVLS-tree chunk for nBytes (enqueue.cc:2276-2285): NCCL_NVLS_CHUNKSIZE (128 KiB) at most,
 * cut to 64 KiB below 4× and 32 KiB below 1× the bytes of one step of all concurrent operations.
 */
export function nvlsTreeChunk(nBytes: number, concurrentOps: number): number {
  let c = NVLS_CHUNK_BYTES;
  if (nBytes < 4 * concurrentOps * c && c > 65536) c = 65536;
  if (nBytes < concurrentOps * c && c > 32768) c = 32768;
  return c;
}

/**
 * Time of one NVLS step that its data movement does not hide, µs: the switch-side barrier of
 * every CTA's chunk (multimem load-reduce, then store, then the flags), paid step after step.
 * Derived from a published curve, not fitted per case: Azure ND H200 v5, NCCL 2.20.5, NVLS,
 * in-place all-reduce of 2 MiB – 8 GiB (test/fixtures/published/azure-ai-benchmarking-guide-
 * nd-h200-v5.yaml). Between the sizes where nvlsChunk changes, the time per step (one step moves
 * 16 CTAs × 8 heads × chunk) is linear in the chunk: 11.7, 18.2, 32.3 and 60.9 µs at 16, 32,
 * 64 and 128 KiB, i.e. 128·chunk / 300 GB/s + 3.7 µs. NVSwitch generation 3 (Hopper); taken
 * for NVLink 5 as well, for want of a published single-node Blackwell NVLS curve.
 */
export const NVLS_STEP_SYNC_US = 3.7;

/** Threads per CTA and the bytes a thread must have before another channel is used (tuning.cc:244-257, 587-608; comm.h:49-51). */
export const MAX_THREADS: Readonly<Record<NcclProtocol, number>> = { LL: 512, LL128: 640, Simple: 512 };
export const THREAD_THRESHOLD: Readonly<Record<NcclProtocol, number>> = { LL: 8, LL128: 8, Simple: 64 };

/** Traffic per channel cell when a collective is split over channels: 32 KiB (enqueue.cc:585). */
export const MIN_TRAFFIC_PER_CHANNEL = 32 * 1024;

/**
 * What one ring step moves per channel (the protocol's chunk, enqueue.cc:2182-2387 from the
 * FIFO sizes of init.cc:810-828: LL 512 KiB/8 slots/2, LL128 4.69 MB/8 × 15/16, Simple 4 MiB/8
 * × 4 chunk steps) and how many such steps a connection holds in flight (NCCL_STEPS = 8 slots:
 * 8 for LL/LL128, 2 chunks of 4 slots for Simple).
 */
export const STEP_BYTES: Readonly<Record<NcclProtocol, number>> = { LL: 32 * 1024, LL128: 576_000, Simple: 2 * 1024 * 1024 };
export const STEPS_IN_FLIGHT: Readonly<Record<NcclProtocol, number>> = { LL: 8, LL128: 8, Simple: 2 };

/**
 * Hand-offs per ring step. NCCL's Simple kernels cut a ring step's chunk into CHUNKSTEPS /
 * SLICESTEPS slices — all-reduce, all-gather and reduce-scatter (NCCL_STEPS/2) / (NCCL_STEPS/4)
 * = 2 (collectives.h:19-26) — and the channel's CTA takes them one after another: wait for the
 * peer, copy or reduce, barrier, post (prims_simple.h genericOp; the network proxy also sends a
 * slice at a time, net.cc sliceSteps). Each slice pays the hop's latency. LL and LL128 move one
 * slice per step, and so do Simple trees, broadcast and reduce (CHUNKSTEPS 1).
 */
export function slicesPerStep(op: string, algorithm: NcclAlgorithm, protocol: NcclProtocol): number {
  const sliced = op === 'all_reduce' || op === 'all_gather' || op === 'reduce_scatter';
  return algorithm === 'ring' && protocol === 'Simple' && sliced ? 2 : 1;
}
