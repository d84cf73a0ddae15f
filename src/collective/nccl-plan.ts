// How NCCL would run one collective, as options for fairway's graph builders: the algorithm
// and protocol its tuner picks for the size (or the ones asked for), the channels it launches,
// the protocol's chunk and FIFO depth, its per-hop latency inside and between NVLink domains,
// its base latency and its wire efficiency. The simulated graph then carries these; the tuner's
// own time estimate only chooses. Options the caller set explicitly win.
import { BASE_LATENCY_US, HOP_LATENCY_US, ncclArchOf, netOverheadUs, nvlsChunk, nvlsTreeChunk, NVLS_STEP_SYNC_US, slicesPerStep, STEP_BYTES, STEPS_IN_FLIGHT, WIRE_EFFICIENCY, type NcclAlgorithm, type NcclProtocol } from '../hardware/nccl-tuning.js';
import type { Topology } from '../topology/graph.js';
import type { Communicator } from './communicator.js';
import type { Algorithm, CollectiveOp, CollectiveOptions } from './index.js';
import { domainIds, ncclSystem, type NcclSystem } from './nccl-topology.js';
import { busBandwidth, candidatePairs, chooseNccl, deviceHopUs, latencyUs, launchedChannels, ringChannelBandwidth, treeCorrection, type NcclChoice } from './nccl-tuner.js';

/** Options a user set; undefined = as NCCL would. */
export interface NcclOverrides {
  readonly algorithm?: Algorithm;
  readonly protocol?: NcclProtocol;
  readonly channels?: number;
  readonly chunkBytes?: number;
  readonly alphaSec?: number;
  readonly baseLatencySec?: number;
  /** false: NVLink SHARP off (NCCL_NVLS_ENABLE=0): neither NVLS nor NVLS-tree is considered. */
  readonly nvls?: boolean;
}

export interface NcclPlan {
  readonly options: CollectiveOptions;
  /** The tuner's pick (null for operations NCCL runs point-to-point, or algorithms it does not have). */
  readonly choice: NcclChoice | null;
}

const NCCL_OF: Partial<Record<Algorithm, NcclAlgorithm>> = { ring: 'ring', tree: 'tree', nvls: 'nvls', 'nvls-tree': 'nvls-tree' };
const FAIRWAY_OF: Record<NcclAlgorithm, Algorithm> = { ring: 'ring', tree: 'tree', nvls: 'nvls', 'nvls-tree': 'nvls-tree' };

/** Which NCCL algorithm an operation runs as: all-reduce is chosen, AG/RS ring; broadcast/reduce ring (fairway's chain); others point-to-point. */
function pairsFor(sys: NcclSystem, op: CollectiveOp, o: NcclOverrides): [NcclAlgorithm, NcclProtocol][] {
  const all = candidatePairs(sys, op).filter(([a]) => o.nvls !== false || (a !== 'nvls' && a !== 'nvls-tree'));
  const wanted = o.algorithm === undefined ? undefined : NCCL_OF[o.algorithm] ?? (o.algorithm === 'chain' ? 'ring' : undefined);
  let pairs = wanted === undefined ? all : all.filter(([a]) => a === wanted);
  if (wanted !== undefined && pairs.length === 0) pairs = [[wanted, 'Simple']];
  if (o.protocol) pairs = pairs.some(([, p]) => p === o.protocol) ? pairs.filter(([, p]) => p === o.protocol) : pairs.map(([a]) => [a, o.protocol!] as [NcclAlgorithm, NcclProtocol]).slice(0, 1);
  return pairs;
}

/**
 * α of one ring or tree step inside and between domains: the hop latency (tuning.cc:384-413),
 * over NVLink plus what the GPUs' own hop costs above NCCL's table (sys.nvlinkHopExtraUs:
 * Blackwell, hardware/nvlink-hop-latency.ts; multi-node rings pay at least the network
 * overhead, which runs beside it) once per slice of the step (slicesPerStep); NVLS: its
 * per-step barrier.
 */
function hopLatencies(sys: NcclSystem, op: CollectiveOp, a: NcclAlgorithm, p: NcclProtocol): { intra: number; inter: number } {
  if (a === 'nvls' || a === 'nvls-tree') return { intra: NVLS_STEP_SYNC_US * 1e-6, inter: 0 };
  let intra = sys.nvlink ? HOP_LATENCY_US.nvlink[a][p] + sys.nvlinkHopExtraUs : HOP_LATENCY_US.pci[a][p];
  if (a === 'ring' && sys.nodes > 1) intra = Math.max(intra, netOverheadUs(sys.hostCpu) * (p === 'Simple' ? 3 : 1));
  const k = slicesPerStep(op, a, p) * 1e-6;
  return { intra: intra * k, inter: HOP_LATENCY_US.net[sys.ranksPerNode === 1 ? 'tree' : a][p] * k };
}

/**
 * One CTA's throughput where the protocol, not the links, limits it (LL's flag polling, LL128's
 * and the tree's per-channel caps), as wire bytes/s.
 * - Ring LL/LL128: NCCL's per-channel term of the protocol's bandwidth (ringChannelBandwidth;
 *   a search channel's, shared by the CTAs it is duplicated into), and at most the
 *   whole-communicator figure (for LL, llMaxBw) shared by the `launched` CTAs: a collective
 *   launched on few CTAs for a small size runs each at the per-channel rate, and the full
 *   launch reaches NCCL's total. (One DGX H100, LL: 7.5 GB/s a CTA, 141 in all from 19 CTAs;
 *   the per-CTA share of the total alone, 5.9, put 32 KiB–512 KiB 20–28% above NVIDIA's
 *   one-process-per-GPU curve, test/fixtures/published/nvidia-dgxc-benchmarking-dgx-h100.yaml.)
 * - Tree: the tuner's bus bandwidth of (tree, p) shared by the communicator's CTAs, with NCCL's
 *   size correction for an all-reduce (treeCorrectionFactor: the fraction of its bandwidth
 *   NCCL's tree reaches at that size, 0.4–1).
 * None for ring/Simple and NVLS, which their links bound.
 */
function ctaBound(sys: NcclSystem, op: CollectiveOp, a: NcclAlgorithm, p: NcclProtocol, bytes: number, launched: number): number {
  if (a === 'nvls-tree' && op === 'all_reduce') return nvlsTreeRailRate(sys, op) * 1e9;
  if (a === 'nvls' || a === 'nvls-tree' || (a === 'ring' && p === 'Simple')) return 0;
  if (a === 'ring') {
    const perCta = Math.min((ringChannelBandwidth(sys, p) * sys.ring.channels) / sys.commChannels, busBandwidth(sys, op, a, p) / launched);
    return (perCta * 1e9) / WIRE_EFFICIENCY[p];
  }
  // a tree CTA reduces up and broadcasts down at once, its threads split between the two
  // (runTreeSplit: LL/LL128 70% reduce, 30% broadcast, balanced so either moves about as fast;
  // Simple half and half): each direction gets half of the CTA's rate, NCCL's tree ratio 0.5
  const tree = a === 'tree' && op === 'all_reduce';
  const share = tree ? treeCorrection(p, bytes) / 2 : 1;
  return (busBandwidth(sys, op, a, p) * share * 1e9) / sys.commChannels / WIRE_EFFICIENCY[p];
}

/**
 * NVLS-tree: the rate of one head's sends to its peers in other domains (GB/s) at which the
 * collective reaches NCCL's estimate, whose per-channel cap (perChMaxNVLSTreeBws: 57.7 GB/s on
 * Hopper across 2 nodes, 45.5 across more) binds below the NICs. A head moves S / ppn each way
 * across domains while the collective moves S; NCCL's algBw is busBw · n / (2(n − 1)), so
 * rate = busBw · n / (2(n − 1) · ppn): 461.6 · 16 / (30 · 8) = 30.8 GB/s on 2 DGX H100.
 */
function nvlsTreeRailRate(sys: NcclSystem, op: CollectiveOp): number {
  return (busBandwidth(sys, op, 'nvls-tree', 'Simple') * sys.ranks) / (2 * (sys.ranks - 1) * sys.ranksPerNode);
}

/**
 * Bytes a channel moves per pipeline chunk: a ring loop is n protocol steps; NVLS and NVLS-tree
 * one step of every CTA and head (NCCL's heads: the distinct first ranks of the NVLS graph's
 * channels, one per GPU up to 32), each of nvlsChunk / nvlsTreeChunk (enqueue.cc:2258-2285).
 */
function chunkOf(sys: NcclSystem, op: CollectiveOp, a: NcclAlgorithm, p: NcclProtocol, channels: number, bytes: number): number {
  const chain = op === 'broadcast' || op === 'reduce';
  if (a === 'ring' && !chain) return sys.ranks * STEP_BYTES[p];
  const ops = channels * sys.nvlsGraph.channels;
  if (a === 'nvls') return ops * nvlsChunk(bytes, ops);
  if (a === 'nvls-tree') return ops * nvlsTreeChunk(bytes, ops);
  // trees and chains (broadcast, reduce) move one FIFO step per chunk (chunkSteps 1): Simple's
  // 512 KiB, not the ring's 4-step 2 MiB (enqueue.cc:2223-2224; collectives.h BROADCAST_CHUNKSTEPS)
  return p === 'Simple' ? STEP_BYTES.Simple / 4 : STEP_BYTES[p];
}

export function ncclPlan(topo: Topology, comm: Communicator, op: CollectiveOp, bytes: number, base: CollectiveOptions, o: NcclOverrides): NcclPlan {
  const sys = ncclSystem(topo, comm);
  const choice = chooseNccl(sys, op, bytes, pairsFor(sys, op, o));
  if (choice === null) return { options: { ...base, algorithm: o.algorithm ?? base.algorithm }, choice };
  const { algorithm: a, protocol: p } = choice;
  const channels = o.channels ?? launchedChannels(sys, op, a, p, bytes);
  const hop = hopLatencies(sys, op, a, p);
  const nvls = a === 'nvls' || a === 'nvls-tree';
  const baseUs = nvls ? latencyUs(sys, op, a, p) : BASE_LATENCY_US[a][p];
  const algorithm = o.algorithm === 'chain' || (op !== 'all_reduce' && a === 'ring' && (op === 'broadcast' || op === 'reduce')) ? 'chain' : FAIRWAY_OF[a];
  const options: CollectiveOptions = {
    ...base,
    algorithm,
    channels: nvls ? 1 : channels,
    chunkBytes: o.chunkBytes ?? chunkOf(sys, op, a, p, channels, bytes),
    window: nvls ? base.window : STEPS_IN_FLIGHT[p],
    alphaSec: o.alphaSec ?? hop.intra,
    alphaCrossSec: o.alphaSec ?? hop.inter,
    baseLatencySec: o.baseLatencySec ?? baseUs * 1e-6,
    wireEfficiency: WIRE_EFFICIENCY[p],
    sendBound: o.channels === undefined ? ctaBound(sys, op, a, p, bytes, channels) : 0,
    domainOfNode: domainIds(topo),
    routeLatency: 'cross',
    fineGrained: p !== 'Simple',
    protocol: p,
  };
  return { options, choice: { ...choice, channels, deviceHopUs: deviceHopUs(sys, op, a, p) } };
}

/** The operations NCCL's tuner plans, and the algorithms NCCL has. */
const NCCL_OPS: readonly CollectiveOp[] = ['all_reduce', 'all_gather', 'reduce_scatter', 'broadcast', 'reduce'];
const NCCL_ALGORITHMS: readonly (Algorithm | 'auto')[] = ['auto', 'ring', 'tree', 'nvls', 'nvls-tree', 'chain'];

/** Whether NCCL runs this: NVIDIA accelerators, one of its operations, one of its algorithms (or auto). */
export function ncclRuns(topo: Topology, comm: Communicator, op: CollectiveOp, algorithm: Algorithm | 'auto'): boolean {
  return ncclArchOf(topo.nodes[comm.nodes[0]].spec) !== undefined && NCCL_OPS.includes(op) && NCCL_ALGORITHMS.includes(algorithm);
}

/**
 * Inside a workload, the most sends a rank makes per ring chunk: longer rings (data-parallel
 * rings of more than 17 ranks for an all-reduce, 33 for an all-gather or reduce-scatter) merge
 * consecutive steps into one send (ring.ts, maxSendsPerChunk). A training step's data-parallel
 * rings start together on every member (the replicas are alike) and run in lockstep, where
 * merging is exact; it keeps a 16,384-GPU step's graph to tens of millions of operations.
 */
export const WORKLOAD_SENDS_PER_RANK = 32;

/**
 * Inside a workload: NCCL's plan with its channels cut to those that take different paths —
 * one inside an NVLink domain (every channel crosses the same switch, so one flow carries them
 * all at the same rate and latency), one per NIC path across domains (the ring search's
 * channels), two for the double tree, and long rings' steps merged (WORKLOAD_SENDS_PER_RANK) —
 * so a training step's graph stays small; null when NCCL does not run it.
 */
export function ncclWorkloadPlan(topo: Topology, comm: Communicator, op: CollectiveOp, bytes: number, base: CollectiveOptions, algorithm: Algorithm | 'auto'): NcclPlan | null {
  if (!ncclRuns(topo, comm, op, algorithm)) return null;
  const plan = ncclPlan(topo, comm, op, bytes, base, { algorithm: algorithm === 'auto' ? undefined : algorithm });
  if (plan.choice === null) return null;
  const sys = ncclSystem(topo, comm);
  const paths = sys.nodes > 1 ? sys.ring.channels : 1;
  const floor = plan.options.algorithm === 'tree' ? 2 : 1;
  const maxSendsPerChunk = WORKLOAD_SENDS_PER_RANK * comm.nodes.length;
  return { ...plan, options: { ...plan.options, channels: Math.max(floor, Math.min(plan.options.channels, paths)), maxSendsPerChunk } };
}
