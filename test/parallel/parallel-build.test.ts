// A hierarchical all-reduce built on the worker pool (planned, then filled into shared columns
// by the workers) is the same graph, op for op and edge for edge, as the single-threaded build,
// and so runs to the same times.
import { afterAll, describe, expect, test } from 'vitest';
import { defaultCommunicator } from '../../src/collective/communicator.js';
import { buildCollective, DEFAULT_COLLECTIVE_OPTIONS } from '../../src/collective/index.js';
import { createEngine } from '../../src/engine/index.js';
import { buildHierarchicalParallel, createBuildPool } from '../../src/parallel/parallel-build.js';
import { runDag } from '../../src/sim/dag-runner.js';
import { NetworkResources } from '../../src/topology/network-resources.js';
import { Router } from '../../src/topology/routing/router.js';
import { topologyOf } from '../helpers/topologies.js';

const COLUMNS = ['kind', 'src', 'dst', 'work', 'memBytes', 'label', 'delaySec', 'latencyTimes', 'rank', 'depFrom', 'depTo'] as const;

describe('parallel graph building', () => {
  const pool = createBuildPool(2);
  afterAll(() => pool.destroy());
  const topo = topologyOf({ servers: [{ template: 'dgx-h100', count: 8 }], fabric: { type: 'rail-optimized', radix: 16 } });
  const router = new Router(topo);
  const comm = defaultCommunicator(topo);

  test.each([
    ['hier', 'ring', 0],
    ['hier-hd', 'hd', 0],
  ] as const)('%s (across: %s, reductions at %s B/s) on 64 GPUs, 3 runs per phase: identical graph and times', async (algorithm, across, reduceBytesPerSec) => {
    const o = { ...DEFAULT_COLLECTIVE_OPTIONS, algorithm, channels: 2, reduceBytesPerSec };
    const serial = buildCollective(topo, 'all_reduce', 2 ** 28, comm, o);
    const parallel = await buildHierarchicalParallel(pool, topo, comm, 2 ** 28, o, across, 3);
    expect(parallel.size).toBe(serial.size);
    for (const k of COLUMNS) expect(Array.from(parallel[k]), k).toEqual(Array.from(serial[k]));
    const run = (dag: typeof serial) => {
      const engine = createEngine('wasm');
      return runDag(dag, engine, new NetworkResources(engine, topo), router);
    };
    const [x, y] = [run(serial), run(parallel)];
    expect(y.makespanSec).toBe(x.makespanSec);
    expect(Array.from(y.finishSec)).toEqual(Array.from(x.finishSec));
  });
});
