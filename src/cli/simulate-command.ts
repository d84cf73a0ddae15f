// `fairway simulate --workload W [--topology T]`: runs a workload (every rank's kernels, host
// work, copies and collectives) on a topology and prints the step time and where it goes.
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { FairwayError } from '../core/errors.js';
import { formatDuration } from '../core/units.js';
import type { EngineKind } from '../engine/index.js';
import { parseWorkloadText } from '../io/workload-file.js';
import { dagToChromeTrace } from '../report/chrome-trace.js';
import { stressPoints } from '../report/stress-points.js';
import { runWorkload } from '../sim/workload-run.js';
import { buildTopology } from '../topology/build.js';
import { Router } from '../topology/routing/router.js';
import { checkWritable, readInputText, writeStdout, writeWhole } from './output.js';
import { loadTopologySpec } from './topo-command.js';

interface SimulateOptions {
  workload: string;
  topology?: string;
  json?: boolean;
  out?: string;
  force?: boolean;
  engine: EngineKind;
  trace?: string;
}

export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .summary('run a workload (kernels, host work, copies, collectives) on a topology')
    .description(
      [
        'Expands the workload for every rank and iteration into one graph of kernels (roofline on each accelerator\'s math units and HBM), host-thread work (kernel launches, CPU tasks on the socket\'s cores), host↔device copies over the PCIe route and collectives over the fabric, all sharing resources max-min, and prints the step time with compute, host and collective time per step.',
        '',
        'The workload format is documented in docs/workload.md; a workload may name its topology (relative to the file), --topology overrides it.',
      ].join('\n'),
    )
    .requiredOption('-w, --workload <file>', 'workload file (.yaml/.json)')
    .option('-t, --topology <topology>', 'topology file, shipped name or builder spec (default: the workload\'s own)')
    .option('--json', 'print the result as JSON')
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .option('--force', 'replace --out if it exists')
    .option('--engine <kind>', 'solver: wasm or ts', 'wasm')
    .option('--trace <file>', 'write a Chrome/Perfetto trace: per rank, a host-thread, a kernel and a transfer track')
    .addHelpText('after', '\nExamples:\n  fairway simulate -w workloads/launch-bound-inference.yaml\n  fairway simulate -w workloads/dp-step-overlap.yaml --json')
    .action(async (opts: SimulateOptions) => runSimulate(opts));
}

async function runSimulate(opts: SimulateOptions): Promise<void> {
  if (opts.engine !== 'wasm' && opts.engine !== 'ts') throw new FairwayError('E_INPUT', `--engine must be "wasm" or "ts", got "${opts.engine}"`, [{ path: '--engine', message: 'unknown engine' }]);
  if (opts.out) checkWritable(opts.out, opts.force === true);
  if (opts.trace) checkWritable(opts.trace, opts.force === true);
  const spec = parseWorkloadText(readInputText(opts.workload, '--workload'), opts.workload);
  const topologyArg = opts.topology ?? (spec.topology ? resolve(dirname(opts.workload), spec.topology) : undefined);
  if (!topologyArg) throw new FairwayError('E_INPUT', 'no topology: give --topology or a `topology:` field in the workload', [{ path: '--topology', message: 'required' }]);
  const tspec = loadTopologySpec(topologyArg);
  const topo = buildTopology(tspec);
  const t0 = performance.now();
  const router = new Router(topo, tspec.seed);
  const { summary: r, dag, run } = runWorkload(spec, topo, router, opts.engine);
  const wall = (performance.now() - t0) / 1000;
  const stress = stressPoints(dag, run, topo, router, true, 5);
  const out = opts.json
    ? `${JSON.stringify({ workload: spec.name, topology: topo.name, ...r, stressPoints: stress, wallSec: +wall.toFixed(3) }, null, 2)}\n`
    : [
        `workload ${spec.name} on ${topo.name}: ${r.ranks} rank(s), ${r.iterations} iteration(s)`,
        `step time:        ${formatDuration(r.stepSec)}   (total ${formatDuration(r.makespanSec)})`,
        `compute per step: ${formatDuration(r.computeSec)}   (kernels running, mean over ranks)`,
        `host per step:    ${formatDuration(r.hostSec)}   (launches and CPU work on the host thread)`,
        `collectives:      ${formatDuration(r.collectiveSec)}   (per step, from all ranks ready to done)`,
        `simulation:       ${r.operations} operations, ${r.events} events, ${r.solves} solves, ${wall.toFixed(2)} s wall`,
        '',
        'stress points (average utilization over the run):',
        ...stress.map((p) => `  ${(100 * p.utilization).toFixed(1).padStart(5)}%  ${p.resource}`),
        '',
      ].join('\n');
  if (opts.trace) writeWhole(opts.trace, [dagToChromeTrace(dag, run, topo, spec.name, true)]);
  if (opts.out) writeWhole(opts.out, [out]);
  else await writeStdout([out]);
}
