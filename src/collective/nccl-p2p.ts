// NCCL's point-to-point operations (sendrecv, and alltoall as grouped send/receive) between
// NVLink domains: a transfer that crosses the network pays NCCL's per-hop network latency for
// the protocol it runs, where one inside a domain keeps the standalone α. NCCL's tuner does not
// cost point-to-point, but its table has the figure for one network hop: hwLat[NET][Ring] of
// 2.7 µs for LL and 14 µs for Simple (src/graph/tuning.cc), the same one fairway's rings pay per
// inter-node step. A point-to-point transfer runs LL while its bytes per channel are at most
// NCCL_P2P_LL_THRESHOLD (16 KiB; small transfers use one channel), else Simple
// (src/enqueue.cc: protoLL &= bytes <= nChannels · P2pLLThreshold).
//
// How NCCL spreads a point-to-point operation over channels (p2pPlan), and what that costs.
// NCCL's "nodes" are NVLink domains (a server, or a multi-node NVLink rack), here as in its code:
// - the communicator has p2pnChannels = pow2Up(its channels) CTAs for point-to-point, and each
//   peer may use p2pnChannelsPerPeer of them: on one domain all of them; across domains
//   NCCL_NCHANNELS_PER_NET_PEER where set, else max(1, ⌈NIC GB/s / 14⌉)
//   (NCCL_P2P_PER_CHANNEL_NET_BW), halved until every peer fits in one round of 8 operations
//   per channel (graph/paths.cc ncclTopoGetNchannels, ncclTopoComputeP2pChannels);
// - an operation of b bytes takes nCh = min(nChMin, ⌈b / minPart⌉) parts (nChMin: the per-peer
//   count halved until nChMin · ranks ≤ p2pnChannels), doubled while a part exceeds maxPart
//   (one domain: minPart = chunk/8, maxPart = 32·chunk; several: chunk/2 and chunk), the chunk
//   being NCCL_P2P_NVL_CHUNKSIZE (512 KiB) on one domain, NCCL_P2P_NET_CHUNKSIZE (128 KiB; ×2 on
//   Arm hosts with Blackwell) across domains (enqueue.cc addP2pToPlan; init.cc:830-839);
// - each part is copied by one channel's CTA, whose warps are split evenly between the parts it
//   runs: on one domain each round starts on its own channel, so a rank's send and receive parts
//   spread over p2pnChannels; across domains the rounds of a schedule group of 8 peers start on
//   the same channels (init.cc ncclP2pSchedule, channel.h ncclP2pChannelBaseForRound), so a CTA
//   runs the group's 8 sends and 8 receives. A part moves at most
//   P2P_CTA_COPY_BYTES_PER_SEC / (parts per CTA); Simple moves a part chunk by chunk into the
//   receiver's FIFO, from which the receiver's CTA copies it out, so the last chunk's copy-out
//   is not overlapped: one chunk-time more than the part's own;
// - a rank takes up its peers one after another, in NCCL's round order (peer r + 1, r + 2, …):
//   the d-th peer's parts start d · P2P_PER_PEER_SEC late, whatever the link;
// - a part that crosses the network also pays the proxy's fixed cost and waits for the remote
//   peers the proxy serves before it (P2P_NET_FIXED_SEC, P2P_NET_PER_REMOTE_PEER_SEC).
import { CPU_SPECS } from '../hardware/devices.js';
import { HOP_LATENCY_US, ncclArchOf, type NcclProtocol } from '../hardware/nccl-tuning.js';
import type { Topology } from '../topology/graph.js';
import type { Communicator } from './communicator.js';
import type { CollectiveOp, CollectiveOptions } from './index.js';
import { domainIds, ncclSystem, nvlinkDomains } from './nccl-topology.js';

/** NCCL_P2P_LL_THRESHOLD: the most bytes per channel a point-to-point transfer sends with LL. */
export const P2P_LL_THRESHOLD_BYTES = 16384;

/** The bytes one rank sends one peer in `op` of nccl-tests size `bytes` on `n` ranks. */
function bytesPerPeer(op: CollectiveOp, bytes: number, n: number): number {
  return op === 'alltoall' ? bytes / n : bytes;
}

/** The protocol NCCL runs a point-to-point transfer of `bytes` with (one channel for small ones). */
export function p2pProtocol(bytes: number): NcclProtocol {
  return bytes <= P2P_LL_THRESHOLD_BYTES ? 'LL' : 'Simple';
}

/**
 * `base` with NCCL's point-to-point plan on NVIDIA accelerators (sendrecv and alltoall): its
 * parts per peer and their CTA-bound rate (p2pPlan), and where ranks span several NVLink
 * domains the cross-domain α, unless the user set α (then only the plan); else `base` as is.
 */
export function p2pNetworkOptions(topo: Topology, comm: Communicator, op: CollectiveOp, bytes: number, base: CollectiveOptions, userAlpha = false, netChannelsPerPeer?: number): CollectiveOptions {
  if (op !== 'sendrecv' && op !== 'alltoall') return base;
  if (ncclArchOf(topo.nodes[comm.nodes[0]].spec) === undefined || comm.nodes.length < 2) return base;
  const perPeer = bytesPerPeer(op, bytes, comm.nodes.length);
  const p2p = p2pPlan(topo, comm, op, perPeer, netChannelsPerPeer);
  if (userAlpha || !nvlinkDomains(topo, comm).some((d) => d !== 0)) return { ...base, p2p };
  return { ...base, p2p, alphaCrossSec: HOP_LATENCY_US.net.ring[p2pProtocol(perPeer)] * 1e-6, domainOfNode: domainIds(topo) };
}

/**
 * One CTA's copy rate through NVLink for NCCL's point-to-point kernels (bytes a CTA copies per
 * second, sends and receive copies alike). Derived from a published curve: NCCL 2.28.9
 * alltoall_perf on one HGX B200 (test/fixtures/published/amp-cluster-quality-vultr-b200.yaml,
 * 16 GiB: 22,348 µs): each peer's 2 GiB goes in 32 parts of 64 MiB, 7 peers' sends and receives
 * are 14 parts on each of the 32 CTAs, so a CTA copies 14 · 64 MiB in 22.35 ms: 42.0 GB/s. The
 * same figure gives GB300 NVL72's 4-, 8- and 64-GPU curves (oci-gpu-quickstarts-gb300-alltoall)
 * within a few percent at 4-16 GiB. A CTA's copy rate is set by the bytes its 512 threads keep
 * in flight over the NVLink round trip, not by the SM clock, so it is taken for every NVIDIA
 * generation (A100's all-to-all is NVLink-bound below it).
 */
export const P2P_CTA_COPY_BYTES_PER_SEC = 42.0e9;

/**
 * What a point-to-point transfer across the network costs beyond NCCL's network hop latency
 * (hwLat[NET], which its rings pay per pipelined step): a fixed part, and a part for every
 * remote peer before it, since one proxy thread per GPU posts and completes the network sends
 * and receives of a rank's remote peers one after another. Derived from published curves, no
 * per-case value:
 * - fixed 12 µs: sendrecv on 2 × 8 B200 over 400G InfiniBand, NCCL 2.2x (together-nccl-tests-
 *   b200-sendrecv-scaling, 2x8-run1): 21.6-25.6 µs at 1-16 KiB (LL) and 37-45 µs at
 *   64-512 KiB (Simple), where NCCL's own figures give 11.4 and 24-34 µs: 10-14 µs more, one
 *   remote peer;
 * - 1.25 µs a remote peer: alltoall on 2 × 8 B200, NCCL 2.28.9 (amp-cluster-quality-vultr-b200,
 *   alltoall-2x8): 37-40 µs flat up to 32 KiB with 8 remote peers, 26 µs over the 11.4 µs of
 *   NCCL's figures: 12 + 15 peers × 0.36 (P2P_PER_PEER_SEC) + 7 × 1.25.
 * Checked against a third source (mscclpp-ndmv4-a100-nccl-baselines, A100 over HDR, NCCL 2.1x):
 * 1 KiB alltoall on 2 × 1 GPUs 29.8 µs and on 2 × 8 49.8 µs, where this gives 22.4 and 37.4.
 */
export const P2P_NET_FIXED_SEC = 12e-6;
export const P2P_NET_PER_REMOTE_PEER_SEC = 1.25e-6;

/**
 * What each peer of a grouped point-to-point operation adds before the next peer's parts start
 * on a rank: NCCL takes up a rank's peers in round order (delta 1, 2, … n − 1), so the d-th
 * peer's parts start d times this late. Where it is spent (the host's enqueue of each send and
 * receive, the kernel's set-up of each peer's connection) is not identified; its size is the
 * same on two systems, two NCCL builds and two sources, measured where the bytes move in no
 * time (LL, a few KiB a peer):
 * - HGX B200, NCCL 2.28.9, alltoall on 8 GPUs (amp-cluster-quality-vultr-b200, alltoall-1x8):
 *   10.9-11.4 µs flat from 128 B to 8 KiB, where one sendrecv on the same GPUs takes 9.1-9.6 and
 *   fairway's α and base latency give 8.6: (11.2 − 8.6) / 7 peers = 0.37 µs;
 * - GB300 NVL72, NCCL 2.28.7, alltoall on 64 GPUs of one rack (oci-gpu-quickstarts-gb300-
 *   alltoall, alltoall-16tray-1rack): 31-33 µs flat from 512 KiB to 2 MiB (8-32 KiB a peer),
 *   where the parts' copies take under 2 µs: (32.1 − 9.4) / 63 peers = 0.36 µs.
 * P2P_NET_PER_REMOTE_PEER_SEC was derived from the 2 × 8 B200 alltoall beside this cost: its
 * flat 37.5 µs is 12 µs of proxy, 15 peers of 0.36 µs and 7 remote peers' turns of 1.25 µs
 * over NCCL's network hop.
 */
export const P2P_PER_PEER_SEC = 0.36e-6;

/** NCCL_P2P_NVL_CHUNKSIZE and NCCL_P2P_NET_CHUNKSIZE (init.cc:818-820). */
const P2P_NVL_CHUNK = 512 * 1024;
const P2P_NET_CHUNK = 128 * 1024;
/** NCCL_P2P_PER_CHANNEL_NET_BW, GB/s (paths.cc:918); operations per channel batch (device.h: NCCL_MAX_DEV_WORK_P2P_PER_BATCH). */
const P2P_PER_CHANNEL_NET_GBPS = 14;
const P2P_PER_BATCH = 8;

/** How one rank's point-to-point operations run: parts per peer, a part's rate bound and the unoverlapped last-chunk copy. */
export interface P2pPlan {
  readonly partsPerPeer: number;
  readonly partBytesPerSec: number;
  /** Added to a part's α: its last chunk's copy-out (Simple); 0 for LL. */
  readonly stageSec: number;
  /** Added to the α of a part that crosses the network: the fixed part, and per remote peer before it (P2P_NET_*). */
  readonly netFixedSec: number;
  readonly netPerRemotePeerSec: number;
  /** Added to the α of the parts of a rank's d-th peer, d times (P2P_PER_PEER_SEC). */
  readonly perPeerSec: number;
  /**
   * Send a peer's parts as one transfer at their summed rate (workloads: a training step's
   * all-to-alls would otherwise multiply its graph by the parts). Exact where the parts share
   * one path (NVLink, one rail); it drops their spread over ECMP paths.
   */
  readonly mergeParts?: boolean;
}

const pow2Up = (x: number) => 2 ** Math.ceil(Math.log2(Math.max(1, x)));

/**
 * NCCL's plan for operations of `perPeer` bytes to each peer of `op` on `comm` (see the header);
 * `netChannelsPerPeer` is NCCL_NCHANNELS_PER_NET_PEER where the user set it.
 */
export function p2pPlan(topo: Topology, comm: Communicator, op: CollectiveOp, perPeer: number, netChannelsPerPeer?: number): P2pPlan {
  const sys = ncclSystem(topo, comm);
  const domains = nvlinkDomains(topo, comm);
  // NCCL's "nodes" are NVLink domains: a multi-node NVLink rack is one
  const multi = domains.some((d) => d !== 0);
  const ranks = comm.nodes.length;
  const channels = pow2Up(Math.min(sys.commChannels, 64));
  const perPeerChannels = multi ? netPeerChannels(topo, comm, channels, netChannelsPerPeer) : channels;
  let minChannels = perPeerChannels;
  while (minChannels * ranks > channels && minChannels > 1) minChannels /= 2;
  const chunk = multi ? P2P_NET_CHUNK * (armHosts(topo, comm) && sys.arch === 'blackwell' ? 2 : 1) : P2P_NVL_CHUNK;
  const [minPart, maxPart] = multi ? [chunk / 2, chunk] : [chunk / 8, chunk * 32];
  let parts = Math.max(1, Math.min(minChannels, Math.ceil(perPeer / minPart)));
  while (Math.max(minPart, perPeer / parts) > maxPart && parts <= perPeerChannels / 2) parts *= 2;
  const rate = P2P_CTA_COPY_BYTES_PER_SEC / partsPerCta(op, ranks, parts, channels, multi ? scheduleGroup(domains) : 0);
  const simple = p2pProtocol(perPeer / parts) === 'Simple';
  return { partsPerPeer: parts, partBytesPerSec: rate, stageSec: simple ? Math.min(chunk, perPeer / parts) / rate : 0, netFixedSec: P2P_NET_FIXED_SEC, netPerRemotePeerSec: P2P_NET_PER_REMOTE_PEER_SEC, perPeerSec: P2P_PER_PEER_SEC };
}

/**
 * Channels a peer may use where ranks span NVLink domains (paths.cc ncclTopoGetNchannels,
 * ncclTopoComputeP2pChannels): NCCL_NCHANNELS_PER_NET_PEER where set, else the NIC's
 * ⌈GB/s / 14⌉ (2 where no NIC is known), halved until every peer fits one round of 8
 * operations a channel; a power of two, at most the channels.
 */
function netPeerChannels(topo: Topology, comm: Communicator, channels: number, user?: number): number {
  if (user !== undefined) return Math.min(channels, pow2Up(user));
  const nic = topo.nodes[comm.nodes[0]].homeNics[0];
  const nicChannels = nic === undefined ? 2 : Math.max(1, Math.ceil(nicBytesPerSec(topo, nic) / 1e9 / P2P_PER_CHANNEL_NET_GBPS));
  let c = Math.min(channels, pow2Up(nicChannels));
  while (c * Math.ceil(comm.nodes.length / P2P_PER_BATCH) > channels && c > 1) c /= 2;
  return c;
}

/**
 * NCCL's point-to-point schedule group across NVLink domains (init.cc ncclP2pSchedule): the
 * peers a rank takes up in 8 consecutive rounds, fewer where a domain's ranks are not a
 * multiple of 8 (the greatest common divisor).
 */
function scheduleGroup(domains: Int32Array): number {
  const counts = new Map<number, number>();
  for (const d of domains) counts.set(d, (counts.get(d) ?? 0) + 1);
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  let g = P2P_PER_BATCH;
  for (const n of counts.values()) if (n % g !== 0 || n < g) g = gcd(g, n);
  return g;
}

/**
 * Parts a channel's CTA runs at once, its warps split evenly between them (sendrecv.h): a round's
 * send part and receive part. On one NVLink domain each round starts at its own channel, so the
 * parts spread over the channels and share a CTA only once they outnumber them; across domains
 * the rounds of one schedule group (`group` peers) start at the same channel
 * (channel.h ncclP2pChannelBaseForRound), so an alltoall's CTA carries the group's `group` sends
 * and receives.
 */
function partsPerCta(op: CollectiveOp, ranks: number, parts: number, channels: number, group: number): number {
  const peers = op === 'sendrecv' ? 1 : ranks - 1;
  if (group > 0 && op !== 'sendrecv') return 2 * group;
  return 2 * Math.max(1, (peers * parts) / channels);
}

/** A NIC's network line rate, bytes/s: its fastest link into the fabric (not its PCIe side). */
function nicBytesPerSec(topo: Topology, nic: number): number {
  const { start, dlink } = topo.adjacency();
  let best = 0;
  for (let k = start[nic]; k < start[nic + 1]; k++) {
    const link = topo.links[dlink[k] >> 1];
    if (link.tier !== 'host') best = Math.max(best, link.lineBytesPerSec);
  }
  return best;
}

/** Whether the ranks' hosts have Arm CPUs (Grace): NCCL doubles its network chunk there for Blackwell. */
function armHosts(topo: Topology, comm: Communicator): boolean {
  const server = topo.nodes[comm.nodes[0]].placement.server;
  return topo.nodes.some((n) => n.kind === 'cpu' && n.placement.server === server && CPU_SPECS.get(n.spec)?.vendor === 'arm');
}
