// NCCL's point-to-point between NVLink domains (src/collective/nccl-p2p.ts): a transfer that
// crosses the network pays NCCL's network hop latency for its protocol (hwLat[NET][Ring]: LL
// 2.7 µs up to 16 KiB, Simple 14 µs above), one inside a domain keeps the standalone α.
import { describe, expect, test } from 'vitest';
import { defaultCommunicator } from '../../src/collective/communicator.js';
import { DEFAULT_COLLECTIVE_OPTIONS, STANDALONE_LATENCIES, type CollectiveOptions } from '../../src/collective/index.js';
import { P2P_CTA_COPY_BYTES_PER_SEC, P2P_NET_FIXED_SEC, P2P_NET_PER_REMOTE_PEER_SEC, P2P_PER_PEER_SEC, p2pNetworkOptions, p2pPlan, p2pProtocol } from '../../src/collective/nccl-p2p.js';
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

  test('α unchanged in one NVLink domain or where the user set it (the part plan still applies); a collective NCCL tunes untouched', () => {
    const inOne = p2pNetworkOptions(one, defaultCommunicator(one), 'sendrecv', 65536, base);
    expect(inOne.alphaCrossSec).toBeUndefined();
    expect(inOne.p2p).toBeDefined();
    expect(p2pNetworkOptions(two, defaultCommunicator(two), 'all_gather', 65536, base)).toBe(base);
    const userAlpha = p2pNetworkOptions(two, defaultCommunicator(two), 'sendrecv', 65536, base, true);
    expect(userAlpha.alphaCrossSec).toBeUndefined();
    expect(userAlpha.p2p).toBeDefined();
  });

  test("NCCL's parts: alltoall on one DGX H100 (32 p2p channels, 4 a peer at least) and across two (4 a network peer, halved to 2)", () => {
    const c1 = defaultCommunicator(one);
    // 16 MiB on 8 ranks: 2 MiB a peer in min(4, 2 MiB / 64 KiB) = 4 parts of 512 KiB; the rank's
    // 7 · 4 = 28 rounds' parts fit its 32 channels, each CTA a send part and a receive part:
    // 42 / 2 = 21 GB/s; Simple: one 512 KiB chunk's copy-out more
    const mid = p2pPlan(one, c1, 'alltoall', 2 * 2 ** 20);
    expect(mid.partsPerPeer).toBe(4);
    expect(mid.partBytesPerSec).toBeCloseTo(P2P_CTA_COPY_BYTES_PER_SEC / 2, 3);
    expect(mid.stageSec).toBeCloseTo(512 * 1024 / (P2P_CTA_COPY_BYTES_PER_SEC / 2), 15);
    // 16 GiB: 2 GiB a peer, parts doubled from 4 while a part exceeds 32 · 512 KiB and parts ≤ 16: 32 of 64 MiB; 7 · 32 parts on 32 CTAs, 2 · 7 = 14 a CTA
    const big = p2pPlan(one, c1, 'alltoall', 2 * 2 ** 30);
    expect(big.partsPerPeer).toBe(32);
    expect(big.partBytesPerSec).toBeCloseTo(P2P_CTA_COPY_BYTES_PER_SEC / 14, 3);
    // LL (≤ 16 KiB a part): no copy-out stage
    expect(p2pPlan(one, c1, 'alltoall', 1024).stageSec).toBe(0);
    // two servers: 400 Gb/s NICs need ⌈50 / 14⌉ = 4 channels a peer; 16 ranks: at least 2 (2 · 16 ≤ 32);
    // parts of 64-128 KiB (the network chunk), doubled up to 4
    const c2 = defaultCommunicator(two);
    expect(p2pPlan(two, c2, 'alltoall', 65536).partsPerPeer).toBe(1);
    expect(p2pPlan(two, c2, 'alltoall', 2 ** 20).partsPerPeer).toBe(4);
  });

  test('sendrecv of 64 KiB on 2 × DGX H100: the two transfers that cross the network set the time: α 14 µs, one peer\'s set-up, the proxy\'s 12 µs, one part at half a CTA\'s 42 GB/s and its copy-out', () => {
    // Every rank sends to r + 1: 7 → 8 and 15 → 0 cross the fabric and are the slowest (the
    // others ride NVLink with α 1 µs). Plain: α 1 µs, S at the NIC's rate B. NCCL's plan: one part
    // (64 KiB ≤ the 128 KiB network chunk) on a CTA it shares with its receive part: 21 GB/s;
    // α 14 µs + one peer's set-up (0.36 µs) + the proxy's fixed 12 µs (its only remote peer) +
    // S / 21 GB/s of copy-out, moved at 21 GB/s < B.
    const comm = defaultCommunicator(two);
    const S = 65536;
    const nic = two.nodes[comm.nodes[7]].homeNics[0];
    const B = Math.min(...two.links.filter((l) => l.a === nic || l.b === nic).map((l) => l.bytesPerSec));
    expect(B).toBeGreaterThan(P2P_CTA_COPY_BYTES_PER_SEC);
    const plain = runCollective(two, router, comm, 'sendrecv', S, base).makespanSec;
    const p2p = runCollective(two, router, comm, 'sendrecv', S, p2pNetworkOptions(two, comm, 'sendrecv', S, base)).makespanSec;
    expect(p2p - plain).toBeCloseTo(13e-6 + P2P_PER_PEER_SEC + P2P_NET_FIXED_SEC + (4 * S) / P2P_CTA_COPY_BYTES_PER_SEC - S / B, 12);
  });

  test('alltoall of 1 KiB on 2 × DGX H100: a rank\'s 8 remote peers wait their turn at the proxy, the last 7 × 1.25 µs after the first', () => {
    // 64 B a peer, LL, one part; NVLink peers take α 1 µs, remote peers 2.7 µs + 12 µs + k · 1.25 µs
    // (k = 0 … 7): the last remote send sets the time, 8.75 µs later than with no proxy turns
    const comm = defaultCommunicator(two);
    const o = p2pNetworkOptions(two, comm, 'alltoall', 1024, base);
    const noTurns = { ...o, p2p: { ...o.p2p!, netPerRemotePeerSec: 0 } };
    const withTurns = runCollective(two, router, comm, 'alltoall', 1024, o).makespanSec;
    expect(withTurns - runCollective(two, router, comm, 'alltoall', 1024, noTurns).makespanSec).toBeCloseTo(7 * P2P_NET_PER_REMOTE_PEER_SEC, 12);
  });
  test('alltoall of 1 KiB on one DGX H100: a rank takes up its 7 peers in turn, the last 7 × 0.36 µs after the first', () => {
    // 128 B a peer, LL, one part a peer, all on NVLink: every send is α and a few bytes, so the
    // last peer's set-up, 7 · P2P_PER_PEER_SEC = 2.52 µs, is all that separates the two runs
    // (published: 11.2 µs on 8 B200 against 9.1-9.6 for one sendrecv; nccl-p2p.ts)
    const comm = defaultCommunicator(one);
    const o = p2pNetworkOptions(one, comm, 'alltoall', 1024, base);
    expect(o.p2p!.perPeerSec).toBe(0.36e-6);
    const none = { ...o, p2p: { ...o.p2p!, perPeerSec: 0 } };
    const t = runCollective(one, router, comm, 'alltoall', 1024, o).makespanSec;
    expect(t - runCollective(one, router, comm, 'alltoall', 1024, none).makespanSec).toBeCloseTo(7 * 0.36e-6, 12);
  });
  test("across two DGX H100 a schedule group's 8 peers start on the same channels: an alltoall part gets 1/16 of a CTA", () => {
    // NCCL's rounds across NVLink domains go in groups of 8 peers that share a base channel
    // (channel.h ncclP2pChannelBaseForRound), so a CTA carries 8 sends and 8 receives:
    // 42 / 16 = 2.625 GB/s a part; sendrecv has one peer a round: 42 / 2
    const c2 = defaultCommunicator(two);
    expect(p2pPlan(two, c2, 'alltoall', 2 ** 20).partBytesPerSec).toBeCloseTo(P2P_CTA_COPY_BYTES_PER_SEC / 16, 3);
    expect(p2pPlan(two, c2, 'sendrecv', 2 ** 20).partBytesPerSec).toBeCloseTo(P2P_CTA_COPY_BYTES_PER_SEC / 2, 3);
  });

  test('NCCL_NCHANNELS_PER_NET_PEER = 1 caps a 2 × 8 alltoall at one CTA a schedule group: 8 GiB of a 16 GiB alltoall leave each rank at 21 GB/s', () => {
    // 16 ranks, 1 GiB a peer in one part (one channel a peer), 8 remote peers on one CTA:
    // each at 42 / 16 GB/s, the rank's 8 GiB to the other server at 8 · 2.625 = 21 GB/s
    // (under the NIC's 50): 8 GiB / 21 GB/s = 409 ms; published (NCCL 2.28.9, 2 × HGX B200 with
    // this setting): 380 ms. NCCL's default of 4 a peer leaves the NIC the bound.
    const comm = defaultCommunicator(two);
    const S = 16 * 2 ** 30;
    const capped = p2pNetworkOptions(two, comm, 'alltoall', S, base, false, 1);
    expect(capped.p2p!.partsPerPeer).toBe(1);
    const t = runCollective(two, router, comm, 'alltoall', S, capped).makespanSec;
    expect(t).toBeCloseTo((8 * 2 ** 30) / (8 * (P2P_CTA_COPY_BYTES_PER_SEC / 16)), 2);
    const free = runCollective(two, router, comm, 'alltoall', S, p2pNetworkOptions(two, comm, 'alltoall', S, base)).makespanSec;
    expect(free).toBeLessThan(t / 1.5);
  });

  test("a multi-node NVLink rack is one NCCL node: two GB300 trays plan as one domain (512 KiB NVLink chunk, 4 parts at 4 MiB a peer)", () => {
    const trays = buildTopology(loadTopologySpec('gb300-nvl72:count=2'));
    const plan = p2pPlan(trays, defaultCommunicator(trays), 'alltoall', 4 * 2 ** 20);
    // 8 ranks, 32 channels: 4 parts a peer of 1 MiB (≤ 32 · 512 KiB, no doubling), on their own CTAs
    expect(plan.partsPerPeer).toBe(4);
    expect(plan.partBytesPerSec).toBeCloseTo(P2P_CTA_COPY_BYTES_PER_SEC / 2, 3);
    expect(plan.stageSec).toBeCloseTo(512 * 1024 / (P2P_CTA_COPY_BYTES_PER_SEC / 2), 15);
  });
});
