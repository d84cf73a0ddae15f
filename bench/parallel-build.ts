// Preparation benchmark: building the graph of a 1 GiB hierarchical all-reduce on the shipped
// 16,384-GPU fat-tree, on the main thread (TransferDag) and on the worker pool (plan, then fill
// shared columns) with 1 and 2 workers; checks the graphs are identical. Best of 3 runs each.
//   npm run bench:build
import { buildTopology } from '../dist/index.js';
import { defaultCommunicator } from '../dist/collective/communicator.js';
import { buildCollective, DEFAULT_COLLECTIVE_OPTIONS, type Algorithm } from '../dist/collective/index.js';
import type { TransferDag } from '../dist/graph/index.js';
import { buildHierarchicalParallel, createBuildPool } from '../dist/parallel/parallel-build.js';
import { loadTopologySpec } from '../dist/io/topology-source.js';

const spec = loadTopologySpec('h100-16k-fat-tree');
const topo = buildTopology(spec);
const COLUMNS = ['kind', 'src', 'dst', 'work', 'label', 'delaySec', 'latencyTimes', 'rank', 'depFrom', 'depTo'] as const;
const same = (a: TransferDag, b: TransferDag) => a.size === b.size && COLUMNS.every((k) => a[k].length === b[k].length && a[k].every((x, i) => x === b[k][i]));
const best = async (f: () => unknown) => {
  let t = Infinity;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    await f();
    t = Math.min(t, performance.now() - t0);
  }
  return t / 1000;
};

const pools = [1, 2].map((w) => ({ w, pool: createBuildPool(w) }));
console.log('| algo | ranks | operations | main thread s | pool, 1 worker s | pool, 2 workers s | 2 workers vs main thread | identical |');
console.log('|---|---:|---:|---:|---:|---:|---:|---|');
for (const [algorithm, ranks] of [['hier-hd', 16384], ['hier', 4096]] as [Algorithm, number][]) {
  const comm = defaultCommunicator(topo, ranks);
  const o = { ...DEFAULT_COLLECTIVE_OPTIONS, algorithm };
  const across = algorithm === 'hier-hd' ? 'hd' : 'ring';
  const serial = buildCollective(topo, 'all_reduce', 2 ** 30, comm, o);
  const tSerial = await best(() => buildCollective(topo, 'all_reduce', 2 ** 30, comm, o));
  const times: number[] = [];
  let identical = true;
  for (const { w, pool } of pools) {
    identical &&= same(serial, await buildHierarchicalParallel(pool, topo, comm, 2 ** 30, o, across, 2 * w));
    times.push(await best(() => buildHierarchicalParallel(pool, topo, comm, 2 ** 30, o, across, 2 * w)));
  }
  console.log(`| ${algorithm} | ${ranks} | ${serial.size} | ${tSerial.toFixed(2)} | ${times[0].toFixed(2)} | ${times[1].toFixed(2)} | ${(tSerial / times[1]).toFixed(2)}× | ${identical ? 'yes' : 'NO'} |`);
}
for (const { pool } of pools) await pool.destroy();
