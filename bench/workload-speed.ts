// Workload benchmark: every shipped workload (workloads/*.yaml) simulated as `fairway simulate -w`
// runs it without --trace (monitor 'auto', no counter log; stress points), each in its own process so peak memory is its own;
// prints per workload the graph operations, events, the wall time of each phase (building the
// graph, running it, the per-rank breakdown, the stress points), operations per second end to
// end and the peak resident memory. Never part of npm test.
//   npm run bench:workload [-- --only gpt3-175b-1024gpu] [-- --skip gpt3-175b-1024gpu]
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Row {
  readonly workload: string;
  readonly ranks: number;
  readonly operations: number;
  readonly events: number;
  readonly load: number;
  readonly expand: number;
  readonly run: number;
  readonly breakdown: number;
  readonly report: number;
  readonly total: number;
  readonly rssMiB: number;
}

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};

/** In the child: one workload, timed by phase; prints one JSON row. */
async function one(file: string): Promise<void> {
  const t0 = performance.now();
  const { runScenario } = await import('../dist/scenario/run-scenario.js');
  const { workloadStressPoints } = await import('../dist/report/stress-points.js');
  const r = await runScenario({ workload: { source: { file }, monitor: 'auto', counters: false }, engine: 'wasm' });
  if (r.kind !== 'workload') throw new Error(`${file}: not a workload`);
  const t1 = performance.now();
  workloadStressPoints(r.run, r.system.topo, r.system.router, 5);
  const t2 = performance.now();
  const p = r.run.phaseSec;
  const row: Row = {
    workload: basename(file, '.yaml'),
    ranks: r.run.summary.ranks,
    operations: r.run.summary.operations,
    events: r.run.summary.events,
    load: (t1 - t0) / 1000 - p.expand - p.run - p.breakdown,
    expand: p.expand,
    run: p.run,
    breakdown: p.breakdown,
    report: (t2 - t1) / 1000,
    total: (t2 - t0) / 1000,
    rssMiB: process.resourceUsage().maxRSS / 1024,
  };
  console.log(JSON.stringify(row));
}

function main(): void {
  const root = join(fileURLToPath(import.meta.url), '..', '..');
  const only = arg('--only');
  const skip = arg('--skip');
  const files = readdirSync(join(root, 'workloads'))
    .filter((f) => f.endsWith('.yaml') && (!only || basename(f, '.yaml') === only) && basename(f, '.yaml') !== skip)
    .sort()
    .map((f) => join(root, 'workloads', f));
  if (files.length === 0) throw new Error(`no workload ${only ?? ''} in workloads/`);
  const s = (x: number) => x.toFixed(2);
  console.log('# shipped workloads, one process each (wall seconds by phase; ops/s = graph operations / total)');
  console.log('| workload | ranks | operations | events | load s | build s | run s | breakdown s | report s | total s | ops/s | peak RSS MiB |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const file of files) {
    const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--one', file], { encoding: 'utf8', maxBuffer: 1 << 20 });
    const r = JSON.parse(out.trim().split('\n').pop()!) as Row;
    const opsPerSec = Math.round(r.operations / r.total).toLocaleString('en-US');
    console.log(`| ${r.workload} | ${r.ranks} | ${r.operations.toLocaleString('en-US')} | ${r.events.toLocaleString('en-US')} | ${s(r.load)} | ${s(r.expand)} | ${s(r.run)} | ${s(r.breakdown)} | ${s(r.report)} | ${s(r.total)} | ${opsPerSec} | ${Math.round(r.rssMiB)} |`);
  }
}

const child = arg('--one');
if (child) await one(child);
else main();
