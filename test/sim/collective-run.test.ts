// One collective run on its own: the base latency comes first, in the time and in every
// operation's start and finish; a bad base latency is refused.
import { describe, expect, test } from 'vitest';
import { defaultCommunicator } from '../../src/collective/communicator.js';
import { DEFAULT_COLLECTIVE_OPTIONS } from '../../src/collective/index.js';
import { runCollective } from '../../src/sim/collective-run.js';
import { Router } from '../../src/topology/routing/router.js';
import { topologyOf } from '../helpers/topologies.js';

describe('runCollective', () => {
  // 4 accelerators on one switch at B = 100 GB/s, no latency: a ring all-reduce of S = 4 MiB in
  // one chunk is 2(n−1) steps of S/(nB) = 6 × 10.486 µs.
  const B = 100e9;
  const nodes = [{ id: 'sw', kind: 'switch' }, ...Array.from({ length: 4 }, (_, i) => ({ id: `g${i}`, kind: 'accelerator' }))];
  const topo = topologyOf({ nodes, links: Array.from({ length: 4 }, (_, i) => ({ a: `g${i}`, b: 'sw', bandwidth: B })) });
  const router = new Router(topo);
  const comm = defaultCommunicator(topo);
  const S = 4 * 2 ** 20;
  const o = { ...DEFAULT_COLLECTIVE_OPTIONS, algorithm: 'ring' as const, chunkBytes: 2 ** 40 };

  test('base latency L: time L + 2(n−1)S/(nB); the first sends start at L', () => {
    const L = 6.6e-6;
    const r = runCollective(topo, router, comm, 'all_reduce', S, { ...o, baseLatencySec: L });
    expect(r.makespanSec).toBeCloseTo(L + (6 * S) / (4 * B), 15);
    expect(Math.min(...r.startSec)).toBeCloseTo(L, 15);
    expect(Math.max(...r.finishSec)).toBeCloseTo(r.makespanSec, 15);
    expect(r.busbwBytesPerSec).toBeCloseTo((S / r.makespanSec) * 1.5, 3);
  });

  test('a negative or non-finite base latency is refused; a missing one is 0', () => {
    expect(() => runCollective(topo, router, comm, 'all_reduce', S, { ...o, baseLatencySec: -1e-6 })).toThrow(/baseLatencySec must be a finite number ≥ 0/);
    expect(() => runCollective(topo, router, comm, 'all_reduce', S, { ...o, baseLatencySec: NaN })).toThrow(/baseLatencySec/);
    const { baseLatencySec: _, ...without } = o;
    expect(runCollective(topo, router, comm, 'all_reduce', S, without as typeof o).makespanSec).toBeCloseTo((6 * S) / (4 * B), 15);
  });
});
