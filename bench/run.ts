// Solver benchmark: prints tables (never part of npm test).
//   single solves of random systems: one max-min solve of N activities, Wasm vs TS, incidences/s;
//   event-driven problems (fat-tree permutation with Poisson arrivals, all-to-all on one switch,
//   concurrent ring all-reduce steps on a fat-tree): wall time, solves, Wasm vs TS in one run;
//   then every shipped workload end to end: operations/s and peak memory (workload-speed.ts).
// Usage: node dist-bench/run.js [--quick] [--only single|perm|a2a|ring|workload] [--ts-max N]
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createEngine, replayFlows, type EngineKind, type FlowProblem } from '../dist/index.js';
import { SeededRandom } from '../dist/core/random.js';
import { allToAll, fatTree, permutation, ringAllReduce } from './problems.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const tsMax = args.includes('--ts-max') ? Number(args[args.indexOf('--ts-max') + 1]) : quick ? 20_000 : 100_000;

const fmt = (x: number, d = 0): string => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const rssMiB = (): number => process.resourceUsage().maxRSS / 1024;

function table(title: string, head: string[], rows: string[][]): void {
  console.log(`\n### ${title}\n`);
  console.log(`| ${head.join(' | ')} |`);
  console.log(`|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`);
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
}

function singleSolve(kind: EngineKind, n: number, seed: number): { ms: number; incidences: number } {
  const rnd = new SeededRandom(seed);
  const e = createEngine(kind);
  const R = Math.max(16, Math.floor(n / 8));
  for (let r = 0; r < R; r++) e.addResource(rnd.logUniform(1e3, 1e6));
  let incidences = 0;
  const res: number[] = [], coef: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = 1 + rnd.int(6);
    res.length = 0;
    coef.length = 0;
    for (let j = 0; j < k; j++) {
      res.push(rnd.int(R));
      coef.push(rnd.logUniform(0.5, 2));
    }
    incidences += k;
    e.startOn(1 + rnd.next(), res, coef, rnd.chance(0.1) ? { bound: rnd.logUniform(1, 100) } : rnd.chance(0.3) ? { weight: rnd.logUniform(0.5, 2) } : undefined);
  }
  const t0 = performance.now();
  e.nextEventTime(); // the one solve of everything started
  return { ms: performance.now() - t0, incidences };
}

function runSingles(): void {
  const sizes = quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000];
  const rows: string[][] = [];
  for (const n of sizes) {
    singleSolve('wasm', Math.min(n, 10_000), 99); // warm-up
    const w = singleSolve('wasm', n, 7);
    const t = singleSolve('ts', n, 7);
    rows.push([fmt(n), fmt(w.incidences), fmt(w.ms, 1), fmt(w.incidences / (w.ms / 1000) / 1e6, 1), fmt(t.ms, 1), fmt(t.incidences / (t.ms / 1000) / 1e6, 1), fmt(t.ms / w.ms, 2)]);
  }
  table('Single solve of a random system (all activities at once; full progressive filling)', ['activities', 'incidences', 'Wasm ms', 'Wasm M inc/s', 'TS ms', 'TS M inc/s', 'TS/Wasm'], rows);
}

function replay(kind: EngineKind, p: FlowProblem): { ms: number; solves: number; events: number; incidences: number } {
  const e = createEngine(kind);
  const t0 = performance.now();
  const { stats } = replayFlows(p, e);
  return { ms: performance.now() - t0, solves: stats.solves, events: stats.completed, incidences: stats.incidenceUpdates };
}

function runEvents(title: string, cases: [string, () => FlowProblem][]): void {
  const rows: string[][] = [];
  for (const [name, make] of cases) {
    const p = make();
    const n = p.flowIds.length;
    const w = replay('wasm', p);
    const t = n <= tsMax ? replay('ts', p) : undefined;
    rows.push([
      name,
      fmt(n),
      fmt(p.routeLinks.length),
      fmt(w.solves),
      fmt(w.ms, 0),
      fmt((w.ms * 1000) / w.solves, 1),
      fmt(w.incidences / (w.ms / 1000) / 1e6, 1),
      t ? fmt(t.ms, 0) : '-',
      t ? fmt(t.ms / w.ms, 1) : '-',
      fmt(rssMiB()),
    ]);
  }
  table(title, ['problem', 'flows', 'incidences', 'solves', 'Wasm ms', 'µs/solve', 'M inc upd/s', 'TS ms', 'TS/Wasm', 'peak RSS MiB'], rows);
}

console.log(`fairway solver benchmark — node ${process.version}, ${quick ? 'quick' : 'full'} run; TS reference runs up to ${fmt(tsMax)} flows`);
if (!only || only === 'single') runSingles();
if (!only || only === 'perm') {
  const sizes = quick ? [1_000, 10_000, 100_000] : [1_000, 10_000, 100_000, 1_000_000];
  runEvents('Fat-tree k=8 permutation traffic, Poisson arrivals at 50% load (SimGrid peer: permA)', sizes.map((n) => [`permA ${fmt(n)}`, () => permutation(fatTree(8), n, 1)]));
  runEvents('Fat-tree k=16, growing active set (permB)', [[`permB k16 ${fmt(10_000)}`, () => permutation(fatTree(16), 10_000, 1)]]);
}
if (!only || only === 'a2a') {
  const ns = quick ? [100, 200] : [100, 317, 1000];
  runEvents('All-to-all on one switch, 1 MB per pair, 100% offered load', ns.map((n) => [`a2a N=${n}`, () => allToAll(n, 1)]));
}
if (!only || only === 'ring') {
  runEvents('Concurrent ring all-reduce steps (64 MB) on a fat-tree, rings of 16', [
    ['ring k8 g16', () => ringAllReduce(fatTree(8), 16, 1)],
    ['ring k16 g16', () => ringAllReduce(fatTree(16), 16, 1)],
  ]);
}
if (!only || only === 'workload') {
  // the simulation layer end to end: every shipped workload in its own process (workload-speed.ts)
  console.log('\n### Shipped workloads end to end (operations/s, peak memory; npm run bench:workload)\n');
  const script = new URL('./workload-speed.js', import.meta.url);
  execFileSync(process.execPath, [fileURLToPath(script), ...(quick ? ['--skip', 'gpt3-175b-1024gpu'] : [])], { stdio: 'inherit' });
}
