// Topology scale benchmark: build the shipped 16,384-GPU rail-optimized fat-tree, then route
// all-pairs-of-rail traffic — every GPU i to every other GPU i (same rail), 8 × 2048 × 2047 =
// 33.5 M routes — accumulating the number of routes on each directed link to show how evenly
// ECMP spreads them. Prints a table; target: build + route < 10 s, < 2 GiB.
//   npm run bench:topology [-- --servers 512]
import { buildTopology, parseTopology, Router } from '../dist/index.js';
import { loadTopologySpec } from '../dist/io/topology-source.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const servers = arg('--servers', 2048);

const t0 = performance.now();
const spec =
  servers === 2048
    ? loadTopologySpec('h100-16k-fat-tree')
    : parseTopology({ name: `dgx-h100 × ${servers}`, servers: [{ template: 'dgx-h100', name: 'dgx', count: servers }], fabric: { type: 'rail-optimized', tiers: 3, radix: 64 } });
const topo = buildTopology(spec);
const tBuilt = performance.now();

const router = new Router(topo, spec.seed);
const out = new Int32Array(64);
const load = new Uint32Array(topo.directedLinkCount);
const rails = 8;
let routes = 0;
let hops = 0;
for (let g = 0; g < rails; g++) {
  const accs = Int32Array.from({ length: servers }, (_, s) => topo.node(`dgx${s}/acc${g}`).index);
  for (let b = 0; b < servers; b++)
    for (let a = 0; a < servers; a++) {
      if (a === b) continue;
      const k = router.routeInto(accs[a], accs[b], 0, out);
      routes++;
      hops += k;
      for (let i = 0; i < k; i++) load[out[i]]++;
    }
}
const tRouted = performance.now();

const byTier = new Map<string, number[]>();
for (const l of topo.links)
  for (const d of [2 * l.index, 2 * l.index + 1]) {
    if (l.tier !== 'leaf-spine' && l.tier !== 'spine-core') continue;
    const key = `${l.tier} ${d & 1 ? 'down' : 'up'}`;
    if (!byTier.has(key)) byTier.set(key, []);
    byTier.get(key)!.push(load[d]);
  }
const rss = process.resourceUsage().maxRSS / 1024;
console.log(`# ${topo.name}: ${topo.nodes.length} nodes, ${topo.links.length} links, ${servers * rails} GPUs`);
console.log('| phase | seconds | detail |');
console.log('|---|---:|---|');
console.log(`| build | ${((tBuilt - t0) / 1000).toFixed(2)} | parse + expand servers and fabric |`);
console.log(`| route | ${((tRouted - tBuilt) / 1000).toFixed(2)} | ${routes} routes, ${hops} hops, ${(((tRouted - tBuilt) * 1e6) / routes).toFixed(0)} ns/route |`);
console.log(`| total | ${((tRouted - t0) / 1000).toFixed(2)} | peak RSS ${rss.toFixed(0)} MiB |`);
console.log('\n| links | count | min routes | mean | max | max/mean |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const [key, v] of [...byTier].sort()) {
  const used = v.filter((x) => x > 0);
  const mean = used.reduce((a, b) => a + b, 0) / Math.max(1, used.length);
  const max = Math.max(...used);
  console.log(`| ${key} (used) | ${used.length} | ${Math.min(...used)} | ${mean.toFixed(0)} | ${max} | ${(max / mean).toFixed(3)} |`);
}
