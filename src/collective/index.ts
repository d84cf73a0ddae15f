// Collective operations → DAGs, and nccl-tests' bus-bandwidth factors.
import { FairwayError } from '../core/errors.js';
import type { Communicator } from './communicator.js';
import { CountingSink, TransferDag, type OpSink } from '../graph/index.js';
import { directAllReduce, directAllToAll, directAllToAllV, pairwiseAllToAll, sendRecv } from './direct.js';
import { chainBroadcast, directGather } from './rooted.js';
import { halvingDoublingAllReduce } from './halving-doubling.js';
import { hierarchicalAllReduce } from './hierarchical.js';
import { meshStrideOrders, ringSteps, serverRotatedOrders, type RingOptions } from './ring.js';
import { nvlsAllReduce } from './nvls.js';
import { ncclTreeAllReduce } from './nccl-tree.js';
import { nvlsTreeAllReduce } from './nvls-tree.js';
import { nvlinkDomains } from './nccl-topology.js';
import type { NcclProtocol } from '../hardware/nccl-tuning.js';
import type { Topology } from '../topology/graph.js';

export type CollectiveOp = 'all_reduce' | 'all_gather' | 'reduce_scatter' | 'alltoall' | 'broadcast' | 'reduce' | 'gather' | 'scatter' | 'sendrecv';
export const COLLECTIVE_OPS: readonly CollectiveOp[] = ['all_reduce', 'all_gather', 'reduce_scatter', 'alltoall', 'broadcast', 'reduce', 'gather', 'scatter', 'sendrecv'];
export type Algorithm = 'ring' | 'direct' | 'pairwise' | 'hd' | 'hier' | 'hier-hd' | 'tree' | 'nvls' | 'nvls-tree' | 'one-shot' | 'two-shot' | 'chain';

/** Algorithms per operation; `auto` tries each and keeps the fastest (by modelled time, as NCCL's tuner). */
export const ALGORITHMS: Record<CollectiveOp, readonly Algorithm[]> = {
  all_reduce: ['ring', 'tree', 'hier', 'hier-hd', 'hd', 'nvls', 'nvls-tree', 'one-shot', 'two-shot'],
  all_gather: ['ring'],
  reduce_scatter: ['ring'],
  alltoall: ['direct', 'pairwise'],
  broadcast: ['chain'],
  reduce: ['chain'],
  gather: ['direct'],
  scatter: ['direct'],
  sendrecv: ['direct'],
};

export interface CollectiveOptions extends RingOptions {
  algorithm: Algorithm;
  /** Root rank of broadcast, reduce, gather and scatter. */
  root: number;
  /** All-to-all-v: bytes rank i sends to rank j (replaces the uniform S/n pieces). */
  matrix?: readonly (readonly number[])[];
  /**
   * Fixed cost of one collective on its own before its first send (kernel start, NCCL's
   * per-collective setup), added to its time by runCollective; 0 inside workloads, where the
   * kernel launch is modelled on the host.
   */
  baseLatencySec: number;
  /** NCCL protocol the options were planned for (nccl-plan.ts); reported, not read by the builders. */
  protocol?: NcclProtocol;
}

export const DEFAULT_COLLECTIVE_OPTIONS: CollectiveOptions = {
  algorithm: 'ring',
  channels: 1,
  chunkBytes: 4 * 2 ** 20,
  alphaSec: 0,
  maxSlices: 16,
  window: 8,
  reduceBytesPerSec: 0,
  maxSendsPerChunk: 2 ** 21,
  minPieceBytes: 64 * 1024,
  root: 0,
  baseLatencySec: 0,
};

/**
 * Latencies of a collective run on its own, as nccl-tests runs it (`fairway collective`, sweeps):
 * α = 1 µs of software per send step, and a base latency of 6.6 µs per collective, the base
 * latency of NCCL's tuning model for its low-latency ring protocol (src/graph/tuning.cc,
 * baseLat[Ring][LL], NCCL 2.1x). With the catalogue's 0.5 µs per NVLink hop, an 8-byte
 * all-reduce on 8 H100 takes 8.6 µs.
 */
export const STANDALONE_LATENCIES = { alphaSec: 1e-6, baseLatencySec: 6.6e-6 } as const;

/**
 * nccl-tests: busbw = algbw × factor: all-reduce 2(n−1)/n; all-gather, reduce-scatter,
 * all-to-all, gather, scatter (n−1)/n; broadcast, reduce, sendrecv 1.
 */
export function busBandwidthFactor(op: CollectiveOp, n: number): number {
  if (op === 'all_reduce') return (2 * (n - 1)) / n;
  if (op === 'broadcast' || op === 'reduce' || op === 'sendrecv') return 1;
  return (n - 1) / n;
}

/**
 * For each rank of the first server, by local index, where a ring channel entering at it leaves
 * the server (see serverRotatedOrders): the other rank of its PCIe switch when that switch holds
 * exactly these two ranks and the entering rank's own NIC (an HGX-style GPU, GPU, NIC, NIC
 * switch: the hop out then reaches that NIC through the switch, one channel per uplink); −1 otherwise.
 */
function pcieSwitchPartners(topo: Topology, comm: Communicator): Int32Array {
  const nodes = comm.nodes;
  let local = 0;
  while (local < nodes.length && topo.nodes[nodes[local]].placement.server === topo.nodes[nodes[0]].placement.server) local++;
  // a step builds thousands of collectives over the same few first-server rank sets
  let known = PARTNERS.get(topo);
  if (!known) PARTNERS.set(topo, (known = new Map()));
  const key = nodes.subarray(0, local).join(',');
  let partners = known.get(key);
  if (!partners) known.set(key, (partners = partnersOf(topo, nodes, local)));
  return partners;
}

/** pcieSwitchPartners by topology and first-server ranks. */
const PARTNERS = new WeakMap<Topology, Map<string, Int32Array>>();

function partnersOf(topo: Topology, nodes: Int32Array, local: number): Int32Array {
  const { start, to } = topo.adjacency();
  const neighbours = (x: number) => Array.from(to.subarray(start[x], start[x + 1]));
  const switchOf = Array.from({ length: local }, (_, j) => neighbours(nodes[j]).find((x) => topo.nodes[x].kind === 'pcie-switch') ?? -1);
  return Int32Array.from(switchOf, (sw, j) => {
    if (sw < 0) return -1;
    const accelerators = neighbours(sw).filter((x) => topo.nodes[x].kind === 'accelerator');
    const partner = switchOf.findIndex((other, k) => k !== j && other === sw);
    const nic = topo.nodes[nodes[j]].homeNics[0];
    return accelerators.length === 2 && partner >= 0 && nic !== undefined && neighbours(sw).includes(nic) ? partner : -1;
  });
}

/** Whether every rank links directly to every other rank (a full mesh of peer links). */
function meshed(topo: Topology, comm: Communicator): boolean {
  const { start, to } = topo.adjacency();
  const ranks = new Set(comm.nodes);
  return Array.from(comm.nodes).every((x) => new Set(Array.from(to.subarray(start[x], start[x + 1])).filter((y) => ranks.has(y))).size === ranks.size - 1);
}

/**
 * Builds the DAG of one collective of `bytes` (nccl-tests' size) on a communicator; pass `dag`
 * to add it to an existing graph (collectives that run at the same time and contend).
 */
export function buildCollective(topo: Topology, op: CollectiveOp, bytes: number, comm: Communicator, o: CollectiveOptions, dag = new TransferDag()): TransferDag {
  addCollective(dag, topo, op, bytes, comm, o);
  return dag;
}

/** The graph operations buildCollective would add, counted without building them (a run's size, checked before it is built). */
export function collectiveOperations(topo: Topology, op: CollectiveOp, bytes: number, comm: Communicator, o: CollectiveOptions): number {
  const sink = new CountingSink();
  addCollective(sink, topo, op, bytes, comm, o);
  return sink.ops;
}

/** Adds one collective's operations to `dag` (a graph, or a sink that counts them). */
function addCollective(dag: OpSink, topo: Topology, op: CollectiveOp, bytes: number, comm: Communicator, o: CollectiveOptions): void {
  const n = comm.nodes.length;
  if (!ALGORITHMS[op].includes(o.algorithm))
    throw new FairwayError('E_INPUT', `algo ${o.algorithm} does not implement ${op}`, [{ path: 'algo', message: `${op} supports ${ALGORITHMS[op].join(', ')}` }]);
  if ((op === 'broadcast' || op === 'reduce' || op === 'gather' || op === 'scatter') && !(Number.isInteger(o.root) && o.root >= 0 && o.root < n))
    throw new FairwayError('E_INPUT', `root: must be a rank from 0 to ${n - 1}, got ${o.root}`, [{ path: 'root', message: 'out of range' }]);
  if (op === 'broadcast' || op === 'reduce') {
    chainBroadcast(dag, comm, bytes, o.root, o, op === 'reduce');
    return;
  }
  if (op === 'gather' || op === 'scatter') {
    directGather(dag, comm, bytes, o.root, o.alphaSec, op === 'scatter');
    return;
  }
  if (op === 'sendrecv') {
    sendRecv(dag, comm, bytes, o);
    return;
  }
  if (op === 'all_reduce' && (o.algorithm === 'one-shot' || o.algorithm === 'two-shot')) {
    directAllReduce(dag, comm, bytes, o.alphaSec, o.algorithm === 'two-shot');
    return;
  }
  if (op === 'alltoall') {
    if (o.matrix) directAllToAllV(dag, comm, o.matrix, o);
    else if (o.algorithm === 'pairwise') pairwiseAllToAll(dag, comm, bytes, o, o.channels);
    else directAllToAll(dag, comm, bytes, o, o.channels);
    return;
  }
  if (op === 'all_reduce' && o.algorithm === 'hd') {
    halvingDoublingAllReduce(dag, comm, bytes, o.alphaSec);
    return;
  }
  if (op === 'all_reduce' && o.algorithm === 'nvls') {
    nvlsAllReduce(dag, topo, comm, bytes, o);
    return;
  }
  if (op === 'all_reduce' && o.algorithm === 'nvls-tree') {
    // inside one NVLink domain NVLS-tree is NVLS (NCCL runs it only across domains)
    const domains = nvlinkDomains(topo, comm);
    if (domains.every((d) => d === domains[0])) nvlsAllReduce(dag, topo, comm, bytes, o);
    else nvlsTreeAllReduce(dag, topo, comm, bytes, o);
    return;
  }
  if (op === 'all_reduce' && o.algorithm === 'tree') {
    ncclTreeAllReduce(dag, comm, bytes, nvlinkDomains(topo, comm), { ...o, channels: Math.max(2, o.channels) });
    return;
  }
  if (op === 'all_reduce' && (o.algorithm === 'hier' || o.algorithm === 'hier-hd')) {
    hierarchicalAllReduce(dag, topo, comm, bytes, o, o.algorithm === 'hier-hd' ? 'hd' : 'ring');
    return;
  }
  // channels rotate their entry and exit GPU within each NVLink domain (a server, or an NVL72 rack), so they cross between domains through different NICs
  const orders = serverRotatedOrders(nvlinkDomains(topo, comm), pcieSwitchPartners(topo, comm)) ?? (meshed(topo, comm) ? meshStrideOrders(n) : undefined);
  ringSteps(dag, comm, bytes, op === 'all_reduce' ? 2 * (n - 1) : n - 1, o, undefined, op === 'all_gather' ? 0 : n - 1, orders);
}
