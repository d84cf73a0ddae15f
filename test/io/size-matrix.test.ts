// All-to-all-v size matrices: parsing, validation, and the transfers they produce.
import { describe, expect, test } from 'vitest';
import { defaultCommunicator } from '../../src/collective/communicator.js';
import { DEFAULT_COLLECTIVE_OPTIONS } from '../../src/collective/index.js';
import { parseSizeMatrix } from '../../src/io/size-matrix.js';
import { runCollective } from '../../src/sim/collective-run.js';
import { Router } from '../../src/topology/routing/router.js';
import { topologyOf } from '../helpers/topologies.js';

describe('size matrix', () => {
  test('units and the diagonal; all problems listed', () => {
    expect(parseSizeMatrix('[[0, "1MiB"], [2048, 5]]', 'm.json', 2)).toEqual([[0, 2 ** 20], [2048, 5]]);
    expect(() => parseSizeMatrix('[[0, -1], [0]]', 'm.json', 2)).toThrow(/2 problems/);
    expect(() => parseSizeMatrix('[[0]]', 'm.json', 2)).toThrow(expect.objectContaining({ issues: [{ path: '', message: 'must be a list of 2 rows (one per rank), got 1 rows' }] }));
  });

  test('all-to-all-v on an ideal switch: the busiest port sets the time', () => {
    // 3 ranks at 10 GB/s: rank 0 sends 1 GB to each of 1 and 2 (2 GB out of its port), rank 1
    // sends 1 GB to 2: rank 2 receives 2 GB. Both ports carry 2 GB: 0.2 s (+ α = 0).
    const nodes = [{ id: 'sw', kind: 'switch' }, ...[0, 1, 2].map((i) => ({ id: `g${i}`, kind: 'accelerator' }))];
    const links = [0, 1, 2].map((i) => ({ a: `g${i}`, b: 'sw', bandwidth: 10e9 }));
    const topo = topologyOf({ nodes, links });
    const matrix = [[0, 1e9, 1e9], [0, 0, 1e9], [0, 0, 0]];
    const r = runCollective(topo, new Router(topo), defaultCommunicator(topo), 'alltoall', 1e9, { ...DEFAULT_COLLECTIVE_OPTIONS, algorithm: 'direct', matrix });
    expect(r.operations).toBe(3);
    expect(r.makespanSec).toBeCloseTo(0.2, 12);
  });
});
