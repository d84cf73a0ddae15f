// `fairway simulate --workload W [--topology T]`: runs a workload (every rank's kernels, host
// work, copies and collectives) on a topology and prints the step time, where each rank's
// time goes, and the resources that limit it. The flags fill in a workload scenario, run
// through the one scenario pipeline (scenario/run-scenario.ts).
import type { Command } from 'commander';
import { FairwayError, failInput } from '../core/errors.js';
import { formatDuration } from '../core/units.js';
import type { EngineKind } from '../engine/index.js';
import { MODELS } from '../workload/generators/models.js';
import { resourceClass, workloadStressPoints, type WorkloadStressPoints } from '../report/stress-points.js';
import { workloadTrace } from '../report/workload-trace.js';
import { readAstraSystemAlgorithms } from '../io/astra-system.js';
import { workloadHtml, type WorkloadReport } from '../report/html-report.js';
import { kernelRoofline } from '../report/kernel-roofline.js';
import { rankTracks } from '../report/rank-timeline.js';
import { tierUtilization } from '../report/tier-utilization.js';
import { trainingMemory, trainingMemoryText, type TrainingMemory } from '../report/training-memory.js';
import type { Topology } from '../topology/graph.js';
import type { Router } from '../topology/routing/router.js';
import type { RankBreakdown } from '../sim/breakdown.js';
import type { WorkloadRun } from '../sim/workload-run.js';
import { runScenario, type WorkloadScenarioResult } from '../scenario/run-scenario.js';
import type { WorkloadSource } from '../scenario/workload-scenario.js';
import type { WorkloadSpec } from '../workload/spec.js';
import { checkDistinct, checkWritable, positiveInt, writeResults, maxMemoryOption } from './output.js';
import { makeProgress } from './progress.js';

interface SimulateOptions {
  workload?: string;
  chakra?: string;
  aicb?: string;
  model?: string;
  parallel?: string;
  topology?: string;
  iterations?: string;
  maxMemory?: string;
  json?: boolean;
  out?: string;
  force?: boolean;
  engine: EngineKind;
  trace?: string;
  html?: string;
  top: string;
  monitor?: boolean;
  fidelity?: string;
  astraSystem?: string;
}

export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .summary('run a workload (kernels, host work, copies, collectives) on a topology')
    .description(
      [
        "Expands the workload for every rank and iteration into one graph of kernels (roofline on each accelerator's math units and HBM), host-thread work (kernel launches, CPU tasks on the socket's cores), the input pipeline, host↔device copies over the PCIe route, send/recv and collectives over the fabric, all sharing resources max-min.",
        '',
        'Prints the step time and, per rank, where it goes: compute, exposed communication, host-bound (the accelerator waits for kernel launches or CPU work), input stall, and idle; then the stress points: resources by average utilization and by time spent as a bottleneck (saturated while in use).',
        '',
        'The workload format is documented in docs/workload.md; a workload may name its topology (relative to the file), --topology overrides it.',
      ].join('\n'),
    )
    .option('-w, --workload <file>', 'workload file (.yaml/.json)')
    .option('--chakra <prefix>', 'Chakra execution traces PREFIX.<rank>.et (or .et.gz), one per rank, instead of a workload file')
    .option('--aicb <file>', 'a SimAI/AICB workload (layer table) instead of a workload file')
    .option('-m, --model <name|shape|file>', `a transformer training step instead of a file: a catalogue name (${[...MODELS.keys()].join(', ')}), a shape layers=80,hidden=8192,heads=64,kvHeads=8,ffn=28672,vocab=128256,gated (all fields: fairway workload gen --help), or a .yaml/.json file holding one`)
    .option('-p, --parallel <plan>', 'with --model: tp=8,cp=1,pp=8,vpp=1,embeddingInSplit,dp=16,ep=1,etp=1,a2aOverlap,zero=1,recompute,recomputeModules=layernorm+moe_act,precision=bf16|fp8,attention=auto|fused|flash2|flash1,moeImbalance=1,dispatcher=alltoall|flex,routerFusion,gradReduce=fp32|bf16,offloadLayers=0,mtp=0,layout=Et*4|(t*4|)*14tmL,seq=2048,globalBatch=1536,microBatch=1,buckets=4,tpOverlap,symmetric (see docs/workload.md)', '')
    .option('-t, --topology <topology>', "topology file, shipped name or builder spec (default: the workload's own); an ASTRA-sim analytical network config (.yml) is read as one")
    .option('--astra-system <file>', "an ASTRA-sim system config (JSON): its implementation per collective (ring; direct: two-shot all-reduce, direct all-to-all; halvingDoubling: hd; doubleBinaryTree: tree) for the workload's collectives whose algo is auto; what it sets that a workload does not apply (endpoint-delay, local-mem-bw, the scheduler) is listed on stderr")
    .option('-i, --iterations <n>', "iterations to run (default: the workload's own)")
    .option('--max-memory <size>', 'refuse, before building it, a run whose graph is estimated to need more memory than this (bytes with K, M, G: 16G); default: 80% of this machine\'s memory')
    .option('--json', 'print the result as JSON (summary, per-rank breakdown, stress points)')
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .option('--force', 'replace --out / --trace / --html if they exist')
    .option('--engine <kind>', 'solver: wasm or ts', 'wasm')
    .option('--trace <file>', 'write a Chrome/Perfetto trace: per rank a track per stream, the host thread and each loader worker; counters of the busiest resources')
    .option('--html <file>', 'write an HTML report: the per-rank breakdown as stacked bars, the stress points by resource class, link utilization per fabric tier, rank timelines and the kernels on the roofline (docs/outputs.md)')
    .option('--top <n>', 'stress points to list', '5')
    .option('--fidelity <level>', "flow: every collective's transfers simulated on the fabric, shared max-min with everything else; analytical: each collective NCCL plans takes NCCL's closed-form time (latency + size / bus bandwidth) as one delay, no transfers and no fabric contention (kernels, host and other traffic as at flow): a few times faster on large steps (npm run bench:fidelity gives the error)", 'flow')
    .option('--monitor', 'watch every resource during the run (bottleneck times, trace counters) even above 1M operations')
    .option('--no-monitor', 'do not watch resources: stress points by average utilization only, from the totals (much faster on very large runs)')
    .addHelpText('after', '\nExamples:\n  fairway simulate -w workloads/launch-bound-inference.yaml\n  fairway simulate --model llama2-13b --parallel tp=8,pp=2,dp=8,globalBatch=128 -t topologies/h100-256gpu-rail.yaml\n  fairway simulate -w workloads/dp-step-overlap.yaml --json\n  fairway simulate -w workloads/input-bound-vision.yaml --trace vision.json\n  fairway simulate --chakra traces/allreduce   (reads traces/allreduce.0.et, .1.et, …)\n  fairway simulate --aicb GPT13B_megatron_tp8.txt')
    .action(async (opts: SimulateOptions) => runSimulate(opts));
}

/** Where the workload comes from: exactly one of -w, --model, --chakra, --aicb. */
function workloadSource(opts: SimulateOptions): WorkloadSource {
  const sources = [opts.workload, opts.model, opts.chakra, opts.aicb].filter((x) => x !== undefined).length;
  if (sources !== 1) throw new FairwayError('E_INPUT', 'give one of a workload file (-w), a model (--model), Chakra traces (--chakra) or an AICB workload (--aicb)', [{ path: '--workload', message: sources ? 'more than one given' : 'required' }]);
  if (opts.aicb) return { aicb: opts.aicb };
  if (opts.chakra) return { chakra: opts.chakra };
  if (opts.workload) return { file: opts.workload };
  return { model: opts.model!, parallel: opts.parallel ?? '' };
}

function fidelityOf(v: string | undefined): 'flow' | 'analytical' {
  if (v === undefined || v === 'flow' || v === 'analytical') return v ?? 'flow';
  return failInput('--fidelity', `must be flow or analytical, got "${v}"`);
}

async function runSimulate(opts: SimulateOptions): Promise<void> {
  if (opts.engine !== 'wasm' && opts.engine !== 'ts') throw new FairwayError('E_INPUT', `--engine must be "wasm" or "ts", got "${opts.engine}"`, [{ path: '--engine', message: 'unknown engine' }]);
  const top = positiveInt(opts.top, '--top', 1000);
  checkDistinct([['--out', opts.out], ['--trace', opts.trace], ['--html', opts.html]]);
  if (opts.out) checkWritable(opts.out, opts.force === true);
  if (opts.trace) checkWritable(opts.trace, opts.force === true, '--trace');
  if (opts.html) checkWritable(opts.html, opts.force === true, '--html');
  const source = workloadSource(opts);
  const iterations = opts.iterations === undefined ? undefined : positiveInt(opts.iterations, '--iterations', 1_000_000);
  const maxMemoryBytes = maxMemoryOption(opts.maxMemory);
  const astra = opts.astraSystem === undefined ? undefined : readAstraSystemAlgorithms(opts.astraSystem);
  if (astra) process.stderr.write(astra.notes.map((n) => `${n}\n`).join(''));
  const progress = makeProgress('simulate');
  const result = (await runScenario(
    { topology: opts.topology === undefined ? undefined : { ref: opts.topology }, workload: { source, iterations, monitor: opts.monitor ?? 'auto', counters: opts.trace !== undefined, maxMemoryBytes, fidelity: fidelityOf(opts.fidelity), ...(astra ? { algorithms: astra.algorithms } : {}) }, engine: opts.engine },
    {
      onNotes: (notes) => process.stderr.write(notes.map((n) => `${n}\n`).join('')),
      progress: (done, total, sim) => progress.update(done, total, `operations, t=${formatDuration(sim)}`),
    },
  )) as WorkloadScenarioResult;
  progress.finish();
  await writeReports(opts, result, top);
}

/** The text or JSON report to --out or stdout, and the --trace and --html files. */
async function writeReports(opts: SimulateOptions, result: WorkloadScenarioResult, top: number): Promise<void> {
  const { run: w, system, resolved, wallSec } = result;
  const { topo, router } = system;
  const spec = resolved.spec;
  const note = resolved.topologyNote ?? '';
  // without the monitor: average utilization from what every operation moved (exact), no bottleneck times
  const stress = workloadStressPoints(w, topo, router, top);
  const r = w.summary;
  const algorithms = algorithmCounts(spec, w);
  const memory = trainingMemory(spec);
  const out = opts.json
    ? `${JSON.stringify({ schema: 'fairway.simulate/1', workload: spec.name, topology: topo.name, ...(note ? { note } : {}), ...(spec.fidelity === 'analytical' ? { fidelity: spec.fidelity } : {}), ...r, monitored: w.monitor !== undefined, collectiveAlgorithms: algorithms, ...(memory ? { trainingMemory: memory } : {}), perRank: w.perRank.map((b) => ({ ...b, accelerator: topo.nodes[w.expanded.accelerators[b.rank]].id })), stressPoints: stress }, null, 2)}\n`
    : textReport(spec.name + (spec.fidelity === 'analytical' ? ' (analytical collectives)' : ''), topo.name + (note ? ` ${note}` : ''), w, algorithms, stress, memory);
  // all outputs or none (issue 19, item 13)
  const html = opts.html ? await workloadHtml(htmlReport(spec, topo.name + (note ? ` ${note}` : ''), w, algorithms, stress, system)) : '';
  await writeResults(opts.out ? undefined : [out], [[opts.trace, () => [workloadTrace(spec, w, topo)]], [opts.html, () => [html]], [opts.out, () => [out]]]);
  // wall-clock time varies from run to run: stderr, so the report is byte-identical for one input (issue 19, item 19)
  process.stderr.write(`fairway simulate: simulated in ${wallSec.toFixed(2)} s\n`);
}

/** Collective instances per operation and algorithm (what `auto` chose), e.g. {all_reduce: {nvls: 8}}. */
function algorithmCounts(spec: WorkloadSpec, w: WorkloadRun): Record<string, Record<string, number>> {
  const counts: Record<string, Record<string, number>> = {};
  for (const c of w.expanded.collectives) {
    const per = (counts[spec.ops[c.op].collective ?? ''] ??= {});
    per[c.algorithm] = (per[c.algorithm] ?? 0) + 1;
  }
  return counts;
}

/** Every rank when few, else the 8 with the most non-compute time. */
function ranksShown(w: WorkloadRun): RankBreakdown[] {
  const busy = (b: RankBreakdown) => b.idleSec + b.inputStallSec + b.hostBoundSec;
  return w.perRank.length <= 16 ? w.perRank : [...w.perRank].sort((a, b) => busy(b) - busy(a) || a.rank - b.rank).slice(0, 8);
}
const ranksNote = (w: WorkloadRun) => `the 8 ranks with the most non-compute time of ${w.perRank.length}`;

function htmlReport(spec: WorkloadSpec, topoName: string, w: WorkloadRun, algorithms: Record<string, Record<string, number>>, stress: WorkloadStressPoints, system: { topo: Topology; router: Router }): WorkloadReport {
  const name = spec.name;
  const memory = trainingMemory(spec);
  const r = w.summary;
  const shown = w.perRank.length > 1 ? ranksShown(w).slice(0, 8) : w.perRank;
  const used = Object.entries(algorithms).map(([op, per]) => `${op}: ${Object.entries(per).map(([a, k]) => `${a} ×${k}`).join(', ')}`);
  return {
    title: `${name} on ${topoName}`,
    stepSec: r.stepSec,
    summary: [
      ['ranks, iterations', `${r.ranks}, ${r.iterations}`],
      ['step time', formatDuration(r.stepSec)],
      ['busy per step', `communication ${formatDuration(r.commSec)} (incl. overlapped), host thread ${formatDuration(r.hostSec)}`],
      ...(used.length ? [['collective algorithms', used.join('; ')] as [string, string]] : []),
      ...(memory ? [['memory per rank', trainingMemoryText(memory)] as [string, string]] : []),
      ['simulation', `${r.operations.toLocaleString('en-US')} operations, ${r.events.toLocaleString('en-US')} events, ${r.solves.toLocaleString('en-US')} solves`],
    ],
    ranks: [{ label: 'mean of ranks', ...r }, ...(w.perRank.length > 1 ? ranksShown(w).map((b) => ({ label: `rank ${b.rank}`, ...b })) : [])],
    ranksNote: w.perRank.length > 16 ? ranksNote(w) : undefined,
    byUtilization: stress.byUtilization,
    byClass: stress.byClass,
    byBottleneck: w.monitor ? stress.byBottleneck : undefined,
    makespanSec: r.makespanSec,
    timelines: shown.map((b) => ({ label: `rank ${b.rank} (${system.topo.nodes[w.expanded.accelerators[b.rank]].id})`, tracks: rankTracks(spec, w, b.rank) })),
    tiers: tierUtilization(w.expanded.dag, w.run, system.topo, system.router),
    roofline: kernelRoofline(spec, w, system.topo, shown[0]?.rank ?? 0),
  };
}

const pct = (x: number, of: number) => (of > 0 ? `${((100 * x) / of).toFixed(1)}%` : '-');

function textReport(name: string, topoName: string, w: WorkloadRun, algorithms: Record<string, Record<string, number>>, stress?: WorkloadStressPoints, memory?: TrainingMemory): string {
  const r = w.summary;
  const step = r.stepSec;
  const row = (label: string, b: Pick<RankBreakdown, 'computeSec' | 'exposedCommSec' | 'hostBoundSec' | 'inputStallSec' | 'idleSec'>) =>
    `  ${label.padEnd(22)}${[b.computeSec, b.exposedCommSec, b.hostBoundSec, b.inputStallSec, b.idleSec].map((x) => `${formatDuration(x).padStart(10)} ${pct(x, step).padStart(6)}`).join('')}`;
  const lines = [
    `workload ${name} on ${topoName}: ${r.ranks} rank(s), ${r.iterations} iteration(s)`,
    `step time: ${formatDuration(step)}   (total ${formatDuration(r.makespanSec)})`,
    '',
    `per step${' '.repeat(16)}${['compute', 'exposed comm', 'host-bound', 'input stall', 'idle'].map((h) => h.padStart(17)).join('')}`,
    row('mean of ranks', r),
  ];
  if (w.perRank.length > 1) for (const b of ranksShown(w)) lines.push(row(`rank ${b.rank}`, b));
  if (w.perRank.length > 16) lines.push(`  (${ranksNote(w)}; --json lists all)`);
  lines.push(`busy per step: communication ${formatDuration(r.commSec)} (incl. overlapped), host thread ${formatDuration(r.hostSec)}`);
  const used = Object.entries(algorithms).map(([op, per]) => `${op} ${Object.entries(per).map(([a, k]) => `${a} ×${k}`).join(', ')}`);
  if (used.length) lines.push(`collective algorithms used (auto: the fastest alone per group shape): ${used.join('; ')}`);
  if (memory) lines.push(`memory per rank (the plan's memory model): ${trainingMemoryText(memory)}`);
  if (stress) {
    lines.push('', 'stress points by utilization (average over the run):');
    lines.push(...stress.byUtilization.map((p) => `  ${pct(p.utilization, 1).padStart(6)}  ${p.resource}`));
    lines.push('the most utilized of each resource class:');
    lines.push(...stress.byClass.filter((p, i) => i === 0 || resourceClass(stress.byClass[i - 1]) !== resourceClass(p)).map((p) => `  ${resourceClass(p).padEnd(22)}${pct(p.utilization, 1).padStart(6)}  ${p.resource}`));
    lines.push('stress points by time as a bottleneck (saturated while in use):');
    if (!w.monitor) lines.push(`  (not watched: ${r.operations.toLocaleString('en-US')} operations; run with --monitor for bottleneck times)`);
    else lines.push(...(stress.byBottleneck.length ? stress.byBottleneck.map((p) => `  ${pct(p.bottleneckSec, r.makespanSec).padStart(6)}  ${formatDuration(p.bottleneckSec).padStart(10)}  ${p.resource}`) : ['  (none: no resource was ever saturated)']));
  }
  lines.push('', `simulation: ${r.operations} operations, ${r.events} events, ${r.solves} solves`, '');
  return lines.join('\n');
}

