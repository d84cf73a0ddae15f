// NCCL's point-to-point between NVLink domains (src/collective/nccl-p2p.ts): a transfer that
// crosses the network pays NCCL's network hop latency for its protocol (hwLat[NET][Ring]: LL
// 2.7 µs up to 16 KiB, Simple 14 µs above), one inside a domain keeps the standalone α.
import { describe, expect, test } from 'vitest';
import { defaultCommunicator } from '../../src/collective/communicator.js';
import { DEFAULT_COLLECTIVE_OPTIONS, STANDALONE_LATENCIES, type CollectiveOptions } from '../../src/collective/index.js';
import { p2pNetworkOptions, p2pProtocol } from '../../src/collective/nccl-p2p.js';
import { loadTopologySpec } from '../../src/io/topology-source.js';
import { runCollective } from '../../src/sim/collective-run.js';
import { buildTopology } from '../../src/topology/build.js';
import { Router } from '../../src/topology/routing/router.js';

const twoSpec = loadTopologySpec('rail-optimized:template=dgx-h100,count=2,radix=64');
const two = buildTopology(twoSpec);
const router = new Router(two, twoSpec.seed);
const one = buildTopology(loadTopologySpec('dgx-h100'));
const base: CollectiveOptions = { ...DEFAULT_COLLECTIVE_OPTIONS, algorithm: 'direct', alphaSec: STANDALONE_LATENCIES.alphaSec };

describe("NCCL's point-to-point across NVLink domains", () => {
  test('the protocol: LL up to NCCL_P2P_LL_THRESHOLD (16 KiB), Simple above', () => {
    expect(p2pProtocol(16384)).toBe('LL');
    expect(p2pProtocol(16385)).toBe('Simple');
  });

  test('cross-domain α: sendrecv 64 KiB runs Simple (14 µs); alltoall of 256 KiB on 16 ranks sends 16 KiB a peer, LL (2.7 µs)', () => {
    const comm = defaultCommunicator(two);
    expect(p2pNetworkOptions(two, comm, 'sendrecv', 65536, base).alphaCrossSec).toBeCloseTo(14e-6, 15);
    expect(p2pNetworkOptions(two, comm, 'alltoall', 262144, base).alphaCrossSec).toBeCloseTo(2.7e-6, 15);
    expect(p2pNetworkOptions(two, comm, 'alltoall', 262144 + 16, base).alphaCrossSec).toBeCloseTo(14e-6, 15);
  });

  test('unchanged: one NVLink domain, a collective NCCL tunes, or an α the user set', () => {
    expect(p2pNetworkOptions(one, defaultCommunicator(one), 'sendrecv', 65536, base)).toBe(base);
    expect(p2pNetworkOptions(two, defaultCommunicator(two), 'all_gather', 65536, base)).toBe(base);
    expect(p2pNetworkOptions(two, defaultCommunicator(two), 'sendrecv', 65536, base, true)).toBe(base);
  });

  test('sendrecv of 64 KiB on 2 × DGX H100: the two transfers that cross the network set the time, 13 µs later (14 − 1)', () => {
    // Every rank sends to r + 1: 7 → 8 and 15 → 0 cross the fabric (NIC, 50 GB/s) and are the
    // slowest (the others ride NVLink at 360 GB/s with the same α); their α goes from 1 to 14 µs.
    const comm = defaultCommunicator(two);
    const S = 65536;
    const plain = runCollective(two, router, comm, 'sendrecv', S, base).makespanSec;
    const p2p = runCollective(two, router, comm, 'sendrecv', S, p2pNetworkOptions(two, comm, 'sendrecv', S, base)).makespanSec;
    expect(p2p - plain).toBeCloseTo(13e-6, 12);
  });
});
