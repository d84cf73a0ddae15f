// The collective dispatch (src/collective/index.ts): counting a collective's operations without
// building them gives exactly the size of the graph that building makes, for every algorithm.
import { describe, expect, test } from 'vitest';
import { defaultCommunicator } from '../../src/collective/communicator.js';
import { ALGORITHMS, buildCollective, collectiveOperations, COLLECTIVE_OPS, DEFAULT_COLLECTIVE_OPTIONS } from '../../src/collective/index.js';
import { ncclPlan } from '../../src/collective/nccl-plan.js';
import { buildTopology } from '../../src/topology/build.js';
import { loadTopologySpec } from '../../src/io/topology-source.js';

describe('collectiveOperations', () => {
  test('equals the built graph’s size: every operation and algorithm on 2 DGX H100 (16 ranks), and NCCL’s plans at 8 B – 1 GiB', () => {
    const topo = buildTopology(loadTopologySpec('rail-optimized:template=dgx-h100,count=2,radix=64'));
    const comm = defaultCommunicator(topo);
    const o = { ...DEFAULT_COLLECTIVE_OPTIONS, channels: 4 };
    let checked = 0;
    for (const op of COLLECTIVE_OPS)
      for (const algorithm of ALGORITHMS[op]) {
        const opts = { ...o, algorithm };
        let built: number;
        try {
          built = buildCollective(topo, op, 1 << 24, comm, opts).size;
        } catch (e) {
          // what cannot be built here (nvls across servers) cannot be counted either: the same error
          expect(() => collectiveOperations(topo, op, 1 << 24, comm, opts)).toThrow((e as Error).message);
          continue;
        }
        expect(collectiveOperations(topo, op, 1 << 24, comm, opts), `${op} ${algorithm}`).toBe(built);
        checked++;
      }
    for (const bytes of [8, 1 << 20, 1 << 30]) {
      const { options } = ncclPlan(topo, comm, 'all_reduce', bytes, DEFAULT_COLLECTIVE_OPTIONS, {});
      expect(collectiveOperations(topo, 'all_reduce', bytes, comm, options)).toBe(buildCollective(topo, 'all_reduce', bytes, comm, options).size);
    }
    // 18 operation and algorithm pairs, all but nvls (one NVLink domain only)
    expect(checked).toBe(17);
  });

  test('a broadcast chain on 1,024 ranks stays within maxSendsPerChunk (2^21) sends, LL and LL128 included: its chunks do not grow with its 1,023 hops', () => {
    const topo = buildTopology(loadTopologySpec('h100-1024gpu-rail'));
    const comm = defaultCommunicator(topo);
    for (const bytes of [1 << 20, 4 << 20, 16 << 20]) {
      const { options } = ncclPlan(topo, comm, 'broadcast', bytes, DEFAULT_COLLECTIVE_OPTIONS, {});
      // one transfer per chunk and hop on each channel: channels × chunks × 1,023, chunks ≤ ⌊2^21 / (1,024 × channels)⌋
      expect(collectiveOperations(topo, 'broadcast', bytes, comm, options), `${bytes} B ${options.protocol}`).toBeLessThanOrEqual(2 ** 21);
    }
  });
});
