// Runs a scenario (scenario.ts): builds its system, then runs its collective at each size (the
// fastest algorithm under 'auto', as NCCL's tuner would pick), its workload, or its serving
// deployment (serve-scenario.ts), and returns the results for a report. The one pipeline from a
// scenario to the solver: `fairway collective`, `fairway simulate`, every sweep point and the
// library call it; the algorithm tuner, which runs inside a workload's expansion with the system
// already built, calls its per-size stage (sim/collective-run.ts) directly.
import type { Communicator } from '../collective/communicator.js';
import type { CollectiveOptions } from '../collective/index.js';
import { FairwayError, inputError } from '../core/errors.js';
import { readInputText } from '../io/read-text.js';
import { parseSizeMatrix } from '../io/size-matrix.js';
import type { CollectiveRow } from '../report/nccl-table.js';
import { runWorkload, type WorkloadRun } from '../sim/workload-run.js';
import { expandWorkload } from '../workload/expand.js';
import { estimatedOperations } from '../workload/size-estimate.js';
import type { WorkloadSpec } from '../workload/spec.js';
import type { CollectiveScenario } from './collective-scenario.js';
import type { Scenario } from './scenario.js';
import { buildSystem } from './system-source.js';
import { runServeDocument, type ServeResult } from './serve-scenario.js';
import type { System } from './system.js';
import { baseOptions, communicatorFor, runCollectiveSizes, type SizeHooks, type SizeStats } from './collective-sizes.js';
import { BASELINE_BYTES, BYTES_PER_OPERATION } from './run-size.js';
import { symmetricOn, trainingOnSystem, resolveWorkload, type ResolvedWorkload, type WorkloadScenario } from './workload-scenario.js';

export interface CollectiveScenarioResult {
  readonly kind: 'collective';
  readonly system: System;
  readonly comm: Communicator;
  readonly scenario: CollectiveScenario;
  /** One row per size, nccl-tests columns. */
  readonly rows: CollectiveRow[];
  /** Per size: the graph's operations and the engine's events and solves. */
  readonly stats: SizeStats[];
}

export interface WorkloadScenarioResult {
  readonly kind: 'workload';
  readonly system: System;
  readonly resolved: ResolvedWorkload;
  readonly run: WorkloadRun;
  /** Wall-clock seconds of the run (not of reading the inputs). */
  readonly wallSec: number;
}

export interface ServeScenarioResult {
  readonly kind: 'serve';
  readonly system: System;
  readonly result: ServeResult;
}

export type ScenarioResult = CollectiveScenarioResult | WorkloadScenarioResult | ServeScenarioResult;

export interface ScenarioHooks extends SizeHooks {
  /** Notes about the inputs (what an import used and left out), as soon as they are known. */
  onNotes?(notes: readonly string[]): void;
  /** Workload: operations finished so far, at every instant. */
  progress?(finished: number, total: number, simSec: number): void;
}

export async function runScenario(s: Scenario, hooks: ScenarioHooks = {}): Promise<ScenarioResult> {
  if (s.collective) return runCollectiveScenario(s, s.collective, hooks);
  if (s.workload) return runWorkloadScenario(s, s.workload, hooks);
  if (s.serve) {
    const result = await runServeDocument(s.serve.doc, s.serve.file, s.topology);
    return { kind: 'serve', system: result.system, result };
  }
  throw new FairwayError('E_INPUT', 'scenario: needs a collective, a workload or a serve document', [{ path: 'collective', message: 'give collective: {op, bytes, ...}, workload: FILE or serve: FILE' }]);
}

/** The engine options of a collective scenario, and its sizes (an all-to-all-v matrix: one row, the mean bytes a rank sends). */
function collectivePlan(c: CollectiveScenario, system: System, comm: Communicator): { o: CollectiveOptions; sizes: readonly number[] } {
  const o = baseOptions(c, system, comm);
  if (c.matrixFile === undefined) return { o, sizes: c.sizes };
  const n = comm.nodes.length;
  const matrix = parseSizeMatrix(readInputText(c.matrixFile, 'collective.matrix'), c.matrixFile, n);
  const mean = matrix.reduce((a, row, i) => a + row.reduce((b, v, j) => b + (i === j ? 0 : v), 0), 0) / n;
  return { o: { ...o, matrix, algorithm: 'direct' }, sizes: [mean] };
}

async function runCollectiveScenario(s: Scenario, c: CollectiveScenario, hooks: ScenarioHooks): Promise<CollectiveScenarioResult> {
  if (!s.topology) throw inputError('topology', 'required: the system the collective runs on');
  hooks.onStage?.('building the topology');
  const system = buildSystem(s.topology);
  const comm = communicatorFor(system, c);
  const { o: base, sizes } = collectivePlan(c, system, comm);
  const { rows, stats } = await runCollectiveSizes(system, comm, c, base, sizes, s.engine ?? 'wasm', hooks);
  return { kind: 'collective', system, comm, scenario: c, rows, stats };
}

/**
 * Refuses, before anything is built, a run whose graph would not fit: one iteration is expanded
 * (a 1/iterations share of the work) and its operations scaled by the iterations (issue 19,
 * item 10: `simulate -i 1000000` grew to 5.8 GB in a minute). The message gives the estimate.
 */
function checkRunSize(spec: WorkloadSpec, system: System, maxMemoryBytes: number | undefined): void {
  if (maxMemoryBytes === undefined) return;
  // one iteration: estimated from the ops before expansion (workload/size-estimate.ts), so a
  // graph too large to build is refused before it is built; more: one iteration expanded and scaled
  const ranks = spec.ranks ?? system.topo.nodes.filter((n) => n.kind === 'accelerator').length;
  const one = spec.iterations <= 1 ? estimatedOperations(spec, ranks) : expandWorkload({ ...spec, iterations: 1 }, system.topo, system.router).dag.size;
  const operations = one * spec.iterations;
  const bytes = BASELINE_BYTES + operations * BYTES_PER_OPERATION;
  if (bytes <= maxMemoryBytes) return;
  const gb = (x: number) => (x >= 1e9 ? `${(x / 1e9).toFixed(1)} GB` : `${(x / 1e6).toFixed(1)} MB`);
  const what = spec.iterations <= 1 ? `one iteration of about ${operations.toLocaleString('en-US')} graph operations (each op on each of its ranks; a collective on g ranks about 4 + 2(g − 1)) needs` : `${spec.iterations.toLocaleString('en-US')} iterations of ${one.toLocaleString('en-US')} operations each need`;
  const fix = spec.iterations <= 1 ? 'simulate fewer ranks or micro-batches, or raise --max-memory on a machine that has it' : 'run fewer iterations (the step time is the same from a few), or raise --max-memory';
  throw new FairwayError('E_INPUT', `${what} about ${gb(bytes)} of memory, more than the ${gb(maxMemoryBytes)} allowed; ${fix}`, [
    { path: spec.iterations <= 1 ? 'ops' : 'iterations', message: `about ${gb(bytes)} needed` },
  ]);
}

/** The spec with `algorithms[op]` for each collective whose algorithm is auto. */
function withAlgorithms(spec: WorkloadSpec, algorithms: Readonly<Record<string, string>> | undefined): WorkloadSpec {
  if (!algorithms) return spec;
  return { ...spec, ops: spec.ops.map((op) => (op.type === 'collective' && op.algorithm === 'auto' && algorithms[op.collective] ? { ...op, algorithm: algorithms[op.collective] } : op)) };
}

async function runWorkloadScenario(s: Scenario, w: WorkloadScenario, hooks: ScenarioHooks): Promise<WorkloadScenarioResult> {
  const resolved = resolveWorkload(w, s.topology);
  if (resolved.notes.length) hooks.onNotes?.(resolved.notes);
  const system = buildSystem(resolved.topology!);
  const symmetric = symmetricOn(resolved.spec, system.topo);
  if (symmetric.note) hooks.onNotes?.([symmetric.note]);
  const built = withAlgorithms(trainingOnSystem(symmetric.spec, system.topo, w.checkMemory !== false), w.algorithms);
  const spec = w.fidelity === 'analytical' ? { ...built, fidelity: w.fidelity } : built;
  checkRunSize(spec, system, w.maxMemoryBytes);
  const t0 = performance.now();
  const run = runWorkload(spec, system.topo, system.router, { engine: s.engine ?? 'wasm', monitor: w.monitor ?? 'auto', counters: w.counters, progress: hooks.progress });
  return { kind: 'workload', system, resolved: { ...resolved, spec }, run, wallSec: (performance.now() - t0) / 1000 };
}
