// NCCL's point-to-point operations (sendrecv, and alltoall as grouped send/receive) between
// NVLink domains: a transfer that crosses the network pays NCCL's per-hop network latency for
// the protocol it runs, where one inside a domain keeps the standalone α. NCCL's tuner does not
// cost point-to-point, but its table has the figure for one network hop: hwLat[NET][Ring] of
// 2.7 µs for LL and 14 µs for Simple (src/graph/tuning.cc), the same one fairway's rings pay per
// inter-node step. A point-to-point transfer runs LL while its bytes per channel are at most
// NCCL_P2P_LL_THRESHOLD (16 KiB; small transfers use one channel), else Simple
// (src/enqueue.cc: protoLL &= bytes <= nChannels · P2pLLThreshold).
import { HOP_LATENCY_US, ncclArchOf, type NcclProtocol } from '../hardware/nccl-tuning.js';
import type { Topology } from '../topology/graph.js';
import type { Communicator } from './communicator.js';
import type { CollectiveOp, CollectiveOptions } from './index.js';
import { domainIds, nvlinkDomains } from './nccl-topology.js';

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
 * `base` with the cross-domain α of NCCL's point-to-point on NVIDIA accelerators: sendrecv and
 * alltoall whose ranks span several NVLink domains, unless the user set α; else `base` as is.
 */
export function p2pNetworkOptions(topo: Topology, comm: Communicator, op: CollectiveOp, bytes: number, base: CollectiveOptions, userAlpha = false): CollectiveOptions {
  if (userAlpha || (op !== 'sendrecv' && op !== 'alltoall')) return base;
  if (ncclArchOf(topo.nodes[comm.nodes[0]].spec) === undefined) return base;
  if (!nvlinkDomains(topo, comm).some((d) => d !== 0)) return base;
  const protocol = p2pProtocol(bytesPerPeer(op, bytes, comm.nodes.length));
  return { ...base, alphaCrossSec: HOP_LATENCY_US.net.ring[protocol] * 1e-6, domainOfNode: domainIds(topo) };
}
