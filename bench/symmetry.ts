// Symmetric reduction benchmark: training steps simulated in full and with `symmetric` (one
// replica block per stage simulated, the replicas' gradient and parameter traffic in full;
// workload/generators/symmetry.ts), printing per configuration the step time of each, their
// difference, the largest difference of any rank's breakdown (compute, exposed comm, idle),
// the graph operations, the reduction factor and the wall time, each run in its own process.
//   npm run bench:symmetry [-- --only gpt3-1024]
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

interface Run {
  readonly stepSec: number;
  readonly operations: number;
  readonly wall: number;
  readonly perRank: { computeSec: number; exposedCommSec: number; idleSec: number }[];
}

const CASES: [name: string, model: string, parallel: string, topology: string][] = [
  ['llama2-13b-128', 'llama2-13b', 'tp=8,pp=2,dp=8,seq=4096,globalBatch=256,microBatch=1,zero=1', 'h100-256gpu-rail'],
  ['mixtral-128', 'mixtral-8x7b', 'tp=1,dp=128,ep=8,zero=1,recompute,seq=4096,globalBatch=256,microBatch=1', 'h100-256gpu-rail'],
  ['llama3-70b-256', 'llama3-70b', 'tp=8,pp=4,dp=8,zero=1,recompute,seq=8192,globalBatch=256,microBatch=1', 'h100-256gpu-rail'],
  ['gpt3-512', 'gpt3-175b', 'tp=8,pp=8,dp=8,zero=1,recompute,seq=2048,globalBatch=768,microBatch=1', 'h100-1024gpu-rail'],
  ['mixtral-512', 'mixtral-8x7b', 'tp=1,pp=4,dp=128,ep=8,zero=1,recompute,seq=4096,globalBatch=512,microBatch=1', 'h100-1024gpu-rail'],
  ['gpt3-1024', 'gpt3-175b', 'tp=8,pp=8,dp=16,zero=1,recompute,seq=2048,globalBatch=1536,microBatch=1', 'h100-1024gpu-rail'],
  ['mixtral-1024', 'mixtral-8x7b', 'tp=1,pp=4,dp=256,ep=8,zero=1,recompute,seq=4096,globalBatch=1024,microBatch=1', 'h100-1024gpu-rail'],
];

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const bin = fileURLToPath(new URL('../bin/fairway.js', import.meta.url));

function run(model: string, parallel: string, topology: string): Run {
  const t0 = performance.now();
  const out = execFileSync(process.execPath, [bin, 'simulate', '-m', model, '-p', parallel, '-t', topology, '--no-monitor', '--json'], { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] });
  const wall = (performance.now() - t0) / 1000;
  const r = JSON.parse(out) as Run;
  return { ...r, wall };
}

const only = arg('--only');
console.log('# symmetric reduction against the full simulation (same step, same system)');
console.log('| case | GPUs | full step s | symmetric step s | difference % | worst rank breakdown difference % of step | full operations | symmetric operations | reduction | full wall s | symmetric wall s |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const [name, model, parallel, topology] of CASES) {
  if (only && name !== only) continue;
  const full = run(model, parallel, topology);
  const sym = run(model, `${parallel},symmetric`, topology);
  let worst = 0;
  full.perRank.forEach((b, r) => {
    const s = sym.perRank[r];
    worst = Math.max(worst, Math.abs(b.computeSec - s.computeSec), Math.abs(b.exposedCommSec - s.exposedCommSec), Math.abs(b.idleSec - s.idleSec));
  });
  const pct = (x: number) => (100 * x).toFixed(4);
  console.log(`| ${name} | ${full.perRank.length} | ${full.stepSec.toFixed(4)} | ${sym.stepSec.toFixed(4)} | ${pct(sym.stepSec / full.stepSec - 1)} | ${pct(worst / full.stepSec)} | ${full.operations.toLocaleString('en-US')} | ${sym.operations.toLocaleString('en-US')} | ${(full.operations / sym.operations).toFixed(1)}× | ${full.wall.toFixed(1)} | ${sym.wall.toFixed(1)} |`);
}
