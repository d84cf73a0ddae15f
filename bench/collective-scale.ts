// Collective scale benchmark: 1 GiB all-reduce on the shipped 16,384-GPU fat-tree with the
// hierarchical algorithm (rings inside servers, halving-doubling across them) and a flat ring
// (32,766 steps, merged 256 at a time into 128 sends per rank), all-to-all on
// 1,024 GPUs (pairwise), and smaller cases, printing events, solves, operations, simulated time, busbw, wall time and memory.
//   npm run bench:collective [-- --ranks 4096] [-- --algo hier]
import { buildTopology, Router } from '../dist/index.js';
import { defaultCommunicator } from '../dist/collective/communicator.js';
import { DEFAULT_COLLECTIVE_OPTIONS, type Algorithm, type CollectiveOp } from '../dist/collective/index.js';
import { runCollective } from '../dist/sim/collective-run.js';
import { loadTopologySpec } from '../dist/io/topology-source.js';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const t0 = performance.now();
const spec = loadTopologySpec('h100-16k-fat-tree');
const topo = buildTopology(spec);
const router = new Router(topo, spec.seed);
console.log(`# ${topo.name}: built in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
console.log('| op | algo | ranks | size | operations | events | solves | simulated ms | busbw GB/s | wall s | peak RSS MiB |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');

const cases: [CollectiveOp, Algorithm, number, number][] = arg('--ranks')
  ? [['all_reduce', (arg('--algo') ?? 'hier-hd') as Algorithm, Number(arg('--ranks')), 2 ** 30]]
  : [
      ['all_reduce', 'hier-hd', 1024, 2 ** 30],
      ['all_reduce', 'hier', 1024, 2 ** 30],
      ['alltoall', 'direct', 256, 2 ** 30],
      ['alltoall', 'pairwise', 1024, 2 ** 30],
      ['all_reduce', 'hier-hd', 16384, 2 ** 30],
      ['all_reduce', 'ring', 16384, 2 ** 30],
    ];
for (const [op, algorithm, ranks, size] of cases) {
  const t = performance.now();
  const r = runCollective(topo, router, defaultCommunicator(topo, ranks), op, size, { ...DEFAULT_COLLECTIVE_OPTIONS, algorithm, alphaSec: 1e-6 });
  const wall = (performance.now() - t) / 1000;
  const rss = process.resourceUsage().maxRSS / 1024;
  console.log(`| ${op} | ${algorithm} | ${ranks} | ${size} | ${r.operations} | ${r.events} | ${r.solves} | ${(r.makespanSec * 1e3).toFixed(3)} | ${(r.busbwBytesPerSec / 1e9).toFixed(1)} | ${wall.toFixed(2)} | ${rss.toFixed(0)} |`);
}
