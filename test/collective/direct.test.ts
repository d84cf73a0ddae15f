import { describe, expect, test } from 'vitest';
import { offsetGrid, P2P_COARSE_STEPS, P2P_OFFSET_STEPS } from '../../src/collective/direct.js';
import { P2P_NET_PER_REMOTE_PEER_SEC, P2P_PER_PEER_SEC, type P2pPlan } from '../../src/collective/nccl-p2p.js';

const p2p: P2pPlan = { partsPerPeer: 1, partBytesPerSec: 21e9, stageSec: 0, netFixedSec: 12e-6, netPerRemotePeerSec: P2P_NET_PER_REMOTE_PEER_SEC, perPeerSec: P2P_PER_PEER_SEC };

describe('directAllToAll: the grid of staggered start offsets', () => {
  test('exact up to 64 peers; above, the largest offset over 64 steps; many large transfers, over 4', () => {
    // 65 ranks: 64 peers, every offset its own (the published 64-GPU GB300 curve is run exactly)
    expect(offsetGrid(65, 1, 1024, { alphaSec: 1e-6, p2p })).toBe(0);
    // 129 ranks of 1 KiB pieces: the largest offset is 128 · (0.36 + 1.25) µs = 206 µs; a step is 1/64 of it
    expect(offsetGrid(129, 1, 1024, { alphaSec: 1e-6, p2p })).toBeCloseTo((128 * 1.61e-6) / P2P_OFFSET_STEPS, 15);
    // 1,024 ranks of 1 MiB pieces: 1,047,552 transfers ≥ 2^18, pieces ≥ 64 KiB: 1/4 of 1.65 ms
    expect(offsetGrid(1024, 1, 2 ** 20, { alphaSec: 1e-6, p2p })).toBeCloseTo((1023 * 1.61e-6) / P2P_COARSE_STEPS, 15);
    // the same ranks with 1 KiB pieces keep the fine grid: transfers that short end before the next start
    expect(offsetGrid(1024, 1, 1024, { alphaSec: 1e-6, p2p })).toBeCloseTo((1023 * 1.61e-6) / P2P_OFFSET_STEPS, 15);
    // no plan (non-NVIDIA accelerators): no offsets to grid
    expect(offsetGrid(1024, 1, 2 ** 20, { alphaSec: 1e-6 })).toBe(0);
  });
});
