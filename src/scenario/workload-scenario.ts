// A workload scenario: where the workload comes from (a workload file or document, a model and
// a parallelism plan, Chakra traces, an AICB layer table), how many iterations, and whether to
// watch resources. Resolving it gives the workload spec, the topology it names or, for traces
// that name none, a default system of DGX H100s sized to the ranks, and notes for the user
// about what an import used and left out.
import { dirname, resolve } from 'node:path';
import { defaultCommunicator } from '../collective/communicator.js';
import { domainIds } from '../collective/nccl-topology.js';
import { FairwayError } from '../core/errors.js';
import { ACCELERATOR_SPECS } from '../hardware/index.js';
import { parseAicbText } from '../io/aicb-workload.js';
import { chakraWorkload } from '../io/chakra-workload.js';
import { readInputText } from '../io/read-text.js';
import { modelArgument } from '../io/model-argument.js';
import { parsePlanString } from '../io/training-section.js';
import { parseWorkload, parseWorkloadText, trainingSpecOn } from '../io/workload-file.js';
import type { Topology } from '../topology/graph.js';
import { checkMemory } from '../workload/generators/memory-model.js';
import type { WorkloadSpec } from '../workload/spec.js';
import { asymmetry, blockSpread, reductionFactor, SYMMETRIC_AUTO_RANKS, symmetricBlock, symmetryIn } from '../workload/generators/symmetry.js';
import type { TopologySource } from './scenario.js';

export type WorkloadSource =
  | { readonly file: string }
  | { readonly doc: unknown; readonly label: string }
  | { readonly model: string; readonly parallel: string }
  | { readonly chakra: string }
  | { readonly aicb: string };

export interface WorkloadScenario {
  readonly source: WorkloadSource;
  /** Overrides the workload's own iteration count. */
  readonly iterations?: number;
  /** Watch every resource (bottleneck times, trace counters): true, false, or 'auto' (up to 1M operations). */
  readonly monitor?: boolean | 'auto';
  /** Keep the watched resources' usage changes for a trace's counters (default true; false saves a tenth of a run that writes no trace). */
  readonly counters?: boolean;
  /** Refuse a generated training plan that does not fit the accelerators' memory (default true). */
  readonly checkMemory?: boolean;
  /** Refuse a run whose estimated memory exceeds this many bytes, before building it (default: no check; the CLI gives 80% of the machine's memory). */
  readonly maxMemoryBytes?: number;
  /** 'analytical': collectives NCCL plans as their closed-form time, no transfers (WorkloadSpec.fidelity); default 'flow'. */
  readonly fidelity?: 'flow' | 'analytical';
  /** The algorithm of the collectives whose algo is auto, by operation (e.g. from an ASTRA-sim system config). */
  readonly algorithms?: Readonly<Record<string, string>>;
}

export interface ResolvedWorkload {
  readonly spec: WorkloadSpec;
  /** The workload's own topology, or a default system; undefined when it names none. */
  readonly topology?: TopologySource;
  /** Set when the topology is a default system (said after the topology's name). */
  readonly topologyNote?: string;
  /** What an import used and left out, one line each, for the user. */
  readonly notes: readonly string[];
}

/**
 * One DGX H100 per 8 ranks, on a non-blocking leaf-spine when there are several: two tiers of
 * radix-64 switches reach 2,048 NICs (64 leaves of 32 down-ports), a
 * third tier beyond (the 9,216-GPU SimAI example: 288 leaves need it).
 */
export const TWO_TIER_MAX_NICS = (64 * 64) / 2;
export function defaultSystem(ranks: number): { doc: unknown; label: string; note: string } {
  const servers = Math.ceil(ranks / 8);
  const tiers = servers * 8 > TWO_TIER_MAX_NICS ? 3 : 2;
  const fabric = { type: 'leaf-spine', radix: 64, ...(tiers === 3 ? { tiers } : {}) };
  const doc = servers === 1 ? { name: 'default-1-dgx-h100', servers: [{ template: 'dgx-h100' }] } : { name: `default-${servers}-dgx-h100`, servers: [{ template: 'dgx-h100', count: servers }], fabric };
  const net = ranks > 8 ? ` on a non-blocking ${tiers}-tier leaf-spine` : '';
  return { doc, label: 'default topology', note: `(no --topology given: a default system of ${servers} DGX H100${net}, catalogue H100 parameters; --topology names another)` };
}

function fromAicb(file: string): ResolvedWorkload {
  const imported = parseAicbText(readInputText(file, '--aicb'), file);
  const spec = parseWorkload(imported.doc, file);
  if (!spec.ranks) spec.ranks = imported.ranks;
  const notes: string[] = [];
  if (imported.parallel.model_parallel_NPU_group !== undefined && imported.parallel.all_gpus === undefined)
    notes.push(`aicb: the header has no all_gpus: ${spec.ranks ?? 'all'} rank(s), data-parallel groups of 1 (weight-gradient collectives do nothing)`);
  const d = defaultSystem(spec.ranks ?? 8);
  return { spec, topology: d, topologyNote: d.note, notes };
}

function fromChakra(prefix: string): ResolvedWorkload {
  const imported = chakraWorkload(prefix);
  const spec = parseWorkload(imported.doc, prefix);
  const notes = [`${imported.nodes} nodes on ${imported.ranks} rank(s)`];
  if (imported.ignoredAttributes.size > 0) notes.push(`attributes not used: ${[...imported.ignoredAttributes].map(([k, c]) => `${k} (${c})`).join(', ')}`);
  if (imported.danglingDependencies > 0) notes.push(`${imported.danglingDependencies} dependencies on nodes absent from the trace taken as met`);
  if (imported.droppedControlDependencies > 0) notes.push(`${imported.droppedControlDependencies} control dependencies contradicting a dependency the other way dropped`);
  if (imported.ranks === 1 && (imported.doc.ops as { type: string }[]).some((o) => o.type === 'collective')) notes.push('one rank only: its collectives have no peers and take no time');
  // one non-blocking H100 system sized to the trace
  const d = defaultSystem(imported.ranks);
  return { spec, topology: d, topologyNote: d.note, notes: [`chakra: ${notes.join('; ')}`] };
}

/** The workload, its topology (given, its own, or a default) and notes; `given` wins over the workload's own topology. */
export function resolveWorkload(w: WorkloadScenario, given?: TopologySource): ResolvedWorkload {
  const s = w.source;
  let r: ResolvedWorkload;
  if ('aicb' in s) r = fromAicb(s.aicb);
  else if ('chakra' in s) r = fromChakra(s.chakra);
  else if ('file' in s) {
    const spec = parseWorkloadText(readInputText(s.file, '--workload'), s.file);
    r = { spec, topology: spec.topology ? { ref: resolve(dirname(s.file), spec.topology) } : undefined, notes: [] };
  } else if ('model' in s) r = { spec: parseWorkload({ training: { model: modelArgument(s.model, '--model'), ...parsePlanString(s.parallel, '--parallel') } }, '--model'), notes: [] };
  else r = { spec: parseWorkload(s.doc, s.label), notes: [] };
  if (w.iterations !== undefined) r.spec.iterations = w.iterations;
  if (given) r = { ...r, topology: given, topologyNote: undefined };
  if (!r.topology) throw new FairwayError('E_INPUT', 'no topology: give --topology or a `topology:` field in the workload', [{ path: '--topology', message: 'required' }]);
  return r;
}

/**
 * A generated training plan on the system: refused when it does not fit the accelerators'
 * memory (the catalogue's HBM size, with `checkFits`), and its kernels costed on the system's
 * accelerator (the first one; generated plans run on one kind).
 */
/**
 * A training step that runs symmetric (training.symmetric true, or 'auto' at 4,096 ranks or
 * more) on `topo`: as asked, with a note saying what is simulated; or, where the system is not
 * symmetric or a replica block spans NVLink domains (generators/symmetry.ts), the full
 * simulation and a note saying why.
 */
export function symmetricOn(spec: WorkloadSpec, topo: Topology): { spec: WorkloadSpec; note?: string } {
  const t = spec.training;
  if (!t || !symmetryIn(t.plan)) return { spec };
  const auto = t.plan.symmetric === 'auto' ? ` (on by default from ${SYMMETRIC_AUTO_RANKS.toLocaleString('en-US')} ranks; training.symmetric: false runs every rank)` : '';
  const why = asymmetry(topo) ?? blockSpread(t.plan, rankDomains(topo, spec.ranks));
  if (why !== null) return { spec: { ...spec, training: { ...t, plan: { ...t.plan, symmetric: false }, accelerator: '' } }, note: `symmetric: off, every rank simulated: ${why}` };
  const k = reductionFactor(t.plan);
  return { spec, note: `symmetric${auto}: ${symmetricBlock(t.plan)} ranks of each stage simulated, standing for ${k} alike replica blocks (their gradient and parameter collectives run on every rank, in full; the other ranks' breakdown is their block's)` };
}

/** Each rank's NVLink domain on `topo` (ranks are the accelerators in communicator order). */
function rankDomains(topo: Topology, ranks: number | undefined): (rank: number) => number {
  const nodes = defaultCommunicator(topo, ranks, 1).nodes;
  const ids = domainIds(topo);
  return (r) => ids[nodes[r]];
}

export function trainingOnSystem(spec: WorkloadSpec, topo: Topology, checkFits: boolean): WorkloadSpec {
  if (!spec.training) return spec;
  const acc = topo.nodesOfKind('accelerator')[0];
  const accSpec = acc ? ACCELERATOR_SPECS.get(acc.spec) : undefined;
  if (!accSpec) return spec;
  if (checkFits) checkMemory(spec.training.model, spec.training.plan, accSpec);
  return trainingSpecOn(spec, accSpec);
}
