// Fidelity benchmark: every collective NCCL runs on each shipped topology with NVIDIA GPUs
// (all-reduce, all-gather and reduce-scatter on all its GPUs, 8 B to 1 GiB ×32), computed at
// both fidelities — analytical (NCCL's closed form for its tuner's pick, no graph) and flow
// (the transfers simulated with contention) — printing per case the wall time of each, the
// analytical time's error against flow by size, and the medians; then
// the shipped workloads at both levels (analytical: collectives NCCL plans as their closed form
// inside the step, simulate --fidelity analytical). Never part of npm test.
// Then every shipped sweep, all its points at both levels (what `sweep --refine` prunes with).
//   npm run bench:fidelity [-- --only dgx-h100-1node]
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectiveRows } from '../dist/scenario/collective-sizes.js';
import { readCollectiveScenario } from '../dist/scenario/collective-scenario.js';
import { buildSystem } from '../dist/scenario/system-source.js';
import { ncclRuns } from '../dist/collective/nccl-plan.js';
import { runScenario } from '../dist/scenario/run-scenario.js';
import { parseSweepText } from '../dist/io/sweep-file.js';
import { runSweep } from '../dist/parallel/run-sweep.js';
import { analyticalSweep } from '../dist/sweep/refine.js';
import { defaultCommunicator } from '../dist/collective/communicator.js';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const only = arg('--only');
const OPS = ['all_reduce', 'all_gather', 'reduce_scatter'] as const;
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const pct = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}`;

const topologies = readdirSync(join(root, 'topologies'))
  .filter((f) => f.endsWith('.yaml') && (!only || basename(f, '.yaml') === only))
  .sort();
console.log('# collectives at two fidelities: analytical (closed form) vs flow (simulated); error = (analytical − flow) / flow of the time');
console.log('| topology | op | ranks | flow wall s | analytical wall ms | speed-up | error at 8 B | at 256 KiB | at 8 MiB | at 256 MiB | median \\|error\\| |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
const all: number[] = [];
for (const file of topologies) {
  const system = buildSystem({ ref: join(root, 'topologies', file) });
  const n = system.topo.nodesOfKind('accelerator').length;
  // the shipped 16,384-GPU fabric is left to bench:collective (its flow runs take minutes)
  if (n < 2 || n > 1024) continue;
  for (const op of OPS) {
    if (!ncclRuns(system.topo, defaultCommunicator(system.topo), op, 'auto')) continue;
    const doc = { op, minBytes: 8, maxBytes: '1G', stepFactor: 32 };
    const t0 = performance.now();
    const flow = await collectiveRows(system, readCollectiveScenario(doc));
    const t1 = performance.now();
    const analytical = await collectiveRows(system, readCollectiveScenario({ ...doc, fidelity: 'analytical' }));
    const t2 = performance.now();
    const err = flow.rows.map((f, i) => analytical.rows[i].timeUs / f.timeUs - 1);
    all.push(...err.map(Math.abs));
    const at = (bytes: number) => {
      const i = flow.rows.findIndex((r) => r.sizeBytes === bytes);
      return i < 0 ? '' : pct(err[i]);
    };
    const speedup = (t1 - t0) / Math.max(t2 - t1, 1e-3);
    console.log(`| ${basename(file, '.yaml')} | ${op} | ${n} | ${((t1 - t0) / 1000).toFixed(2)} | ${(t2 - t1).toFixed(1)} | ${speedup.toFixed(0)}× | ${at(8)} | ${at(256 * 1024)} | ${at(8 * 2 ** 20)} | ${at(256 * 2 ** 20)} | ${(100 * median(err.map(Math.abs))).toFixed(1)} |`);
  }
}
console.log(`\nmedian |error| over every size and case: ${(100 * median(all)).toFixed(1)}%`);

// workloads: collectives NCCL plans as their closed form inside the step (simulate --fidelity analytical)
console.log('\n# shipped workloads at two fidelities: step time, operations and wall time; error = (analytical − flow) / flow of the step');
console.log('| workload | flow step s | analytical step s | error % | flow operations | analytical operations | flow wall s | analytical wall s |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const file of readdirSync(join(root, 'workloads')).filter((f) => f.endsWith('.yaml') && (!only || basename(f, '.yaml') === only)).sort()) {
  const level = async (fidelity: 'flow' | 'analytical') => {
    const t0 = performance.now();
    const r = await runScenario({ workload: { source: { file: join(root, 'workloads', file) }, monitor: false, fidelity } });
    if (r.kind !== 'workload') throw new Error(`${file}: not a workload`);
    return { step: r.run.summary.stepSec, ops: r.run.summary.operations, wall: (performance.now() - t0) / 1000 };
  };
  const f = await level('flow');
  const a = await level('analytical');
  console.log(`| ${basename(file, '.yaml')} | ${f.step.toFixed(4)} | ${a.step.toFixed(4)} | ${pct(a.step / f.step - 1)} | ${f.ops.toLocaleString('en-US')} | ${a.ops.toLocaleString('en-US')} | ${f.wall.toFixed(2)} | ${a.wall.toFixed(2)} |`);
}
// sweeps: every point at both levels (what --refine K's first pass sees, against the full sweep)
console.log('\n# shipped sweeps at two fidelities, every point (one worker): wall time of each pass; error = (analytical − flow) / flow of each point\'s time (collective) or step (workload); best: the point with the least, at each level');
console.log('| sweep | points | flow wall s | analytical wall s | median \\|error\\| % | worst error % | best point, flow | best point, analytical |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const file of readdirSync(join(root, 'sweeps')).filter((f) => f.endsWith('.yaml') && (!only || basename(f, '.yaml') === only)).sort()) {
  const path = join(root, 'sweeps', file);
  const spec = parseSweepText(readFileSync(path, 'utf8'), path);
  if (spec.base.serve !== undefined) {
    console.log(`| ${basename(file, '.yaml')} | ${spec.listed.length + spec.axes.reduce((n, x) => n * x.values.length, spec.axes.length ? 1 : 0)} | — | — | — | — | — | — (a serve sweep has one level: its steps are costed, its KV transfers simulated) |`);
    continue;
  }
  const pass = async (s: typeof spec) => {
    const t0 = performance.now();
    const records = await runSweep(s, { workers: 1 });
    return { records, wall: (performance.now() - t0) / 1000 };
  };
  const f = await pass(spec);
  const a = await pass(analyticalSweep(spec));
  const time = (m: Record<string, unknown> | undefined) => Number(m?.timeUs ?? m?.stepMs ?? NaN);
  const errs: number[] = [];
  for (const r of f.records) {
    const q = a.records.find((x) => x.index === r.index);
    if (r.ok && q?.ok) errs.push(time(q.metrics) / time(r.metrics) - 1);
  }
  const best = (records: typeof f.records) => records.filter((r) => r.ok).sort((x, y) => time(x.metrics) - time(y.metrics) || x.index - y.index)[0]?.index ?? '—';
  const worst = errs.reduce((w, e) => (Math.abs(e) > Math.abs(w) ? e : w), 0);
  console.log(`| ${basename(file, '.yaml')} | ${f.records.length} | ${f.wall.toFixed(2)} | ${a.wall.toFixed(2)} | ${(100 * median(errs.map(Math.abs))).toFixed(1)} | ${pct(worst)} | ${best(f.records)} | ${best(a.records)} |`);
}
