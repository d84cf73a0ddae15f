// A serving scenario run end to end: place the instances on the topology (instance i on
// accelerators i·tp … (i+1)·tp − 1 in topology order), cost their tensor-parallel all-reduces by
// simulating them on the topology as `fairway collective` does (NCCL's plan on NVIDIA GPUs) at
// powers of two and interpolating, size each instance's KV cache, then run the requests.
import { FairwayError } from '../core/errors.js';
import { ACCELERATOR_SPECS } from '../hardware/index.js';
import { defaultAttention } from '../hardware/attention-efficiency.js';
import { runServing, type InstanceRole, type ServingInstance, type ServingOptions, type ServingRun } from '../sim/serving/serving-run.js';
import { summarize, type ServingSummary } from '../sim/serving/serving-stats.js';
import { kvBytesPerToken } from '../workload/serving/forward-cost.js';
import { dataParallel, type InstanceShape } from '../workload/serving/instance-shape.js';
import { kvCapacity, type KvCapacity } from '../workload/serving/kv-capacity.js';
import { gpusOf, type ServeSpec } from '../workload/serving/serve-spec.js';
import { rankHosts } from '../host/rank-hosts.js';
import { parseServe } from '../io/serve-file.js';
import { readCollectiveScenario } from './collective-scenario.js';
import { collectiveRows } from './collective-sizes.js';
import { buildSystem } from './system-source.js';
import type { System } from './system.js';
import type { TopologySource } from './scenario.js';

export interface ServeResult {
  readonly spec: ServeSpec;
  readonly system: System;
  readonly shape: InstanceShape;
  readonly capacity: KvCapacity;
  readonly kvBytesPerToken: number;
  readonly run: ServingRun;
  readonly summary: ServingSummary;
  readonly wallSec: number;
}

const MIN_BYTES = 1024;
const MAX_BYTES = 2 ** 28;

/** Seconds of an all-reduce (or all-to-all: each rank's bytes in all, as nccl-tests sizes it) over the first instance's ranks at powers of two from 1 KiB to 256 MiB, simulated on the topology. */
async function collectiveTable(system: System, ids: string[], op: 'all_reduce' | 'alltoall'): Promise<number[]> {
  const c = readCollectiveScenario({ op, minBytes: MIN_BYTES, maxBytes: MAX_BYTES, stepFactor: 2, rankList: ids.join(',') });
  const { rows } = await collectiveRows(system, c);
  return rows.map((row) => row.timeUs * 1e-6);
}

/** Seconds of a collective of `bytes` (an all-reduce or an all-to-all table): log-log interpolation in the table; linear in bytes past its end. */
export function interpolateAllReduce(table: readonly number[], bytes: number): number {
  if (bytes <= MIN_BYTES) return table[0];
  const x = Math.log2(bytes / MIN_BYTES);
  const i = Math.floor(x);
  if (i >= table.length - 1) return table[table.length - 1] * (bytes / (MIN_BYTES * 2 ** (table.length - 1)));
  const f = x - i;
  return Math.exp(Math.log(table[i]) * (1 - f) + Math.log(table[i + 1]) * f);
}

/** The deployment's instances in topology order: each one's tp, pipeline stages and role. */
function placement(spec: ServeSpec): { tp: number; pp: number; role: InstanceRole }[] {
  const d = spec.disaggregated;
  const pool = (n: number, tp: number, pp: number, role: InstanceRole) => Array.from({ length: n }, () => ({ tp, pp, role }));
  if (!d) return pool(spec.instances, spec.tp, spec.pp ?? 1, 'both');
  return [...pool(d.prefill.instances, d.prefill.tp, d.prefill.pp ?? 1, 'prefill'), ...pool(d.decode.instances, d.decode.tp, d.decode.pp ?? 1, 'decode')];
}

/**
 * A pipelined instance's shape: each stage holds ⌈L / pp⌉ of the model's L layers (the slowest
 * stage sets the pace), and hands a step's hidden states to the next stage over the route between
 * the two stages' first accelerators.
 */
function pipelined(shape: InstanceShape, system: System, nodes: readonly number[], pp: number): InstanceShape {
  if (pp <= 1) return shape;
  if (shape.model.layers < pp) throw new FairwayError('E_INPUT', `pp: ${pp} stages for the model's ${shape.model.layers} layers`, [{ path: 'pp', message: 'at most one stage a layer' }]);
  // each boundary k → k + 1 over the route between the two stages' first accelerators (NVLink, or the rail)
  const hops = Array.from({ length: pp - 1 }, (_, k) => {
    const route = system.router.route(nodes[k * shape.tp], nodes[(k + 1) * shape.tp], 0);
    let bytesPerSec = Infinity;
    for (const d of route.links) bytesPerSec = Math.min(bytesPerSec, system.topo.links[d >> 1].bytesPerSec);
    return { bytesPerSec, latencySec: route.latencySec };
  });
  // the last stage's share, whose time the step costs: the first layers (an MoE model's dense ones) sit on earlier stages
  const per = Math.ceil(shape.model.layers / pp);
  const denseLeft = Math.max(0, (shape.model.denseLayers ?? 0) - (pp - 1) * per);
  const stage = { ...shape.model, layers: per, ...(shape.model.denseLayers !== undefined ? { denseLayers: denseLeft } : {}) };
  return { ...shape, model: stage, pp, stageSendSec: (bytes, k = 0) => bytes / hops[k].bytesPerSec + hops[k].latencySec };
}

/** The shape of an instance of `tp` ranks starting at accelerator `ids[0]`, with its all-reduce table. */
async function shapeOf(spec: ServeSpec, system: System, ids: string[]): Promise<InstanceShape> {
  const tp = ids.length;
  const accName = system.topo.nodes[system.topo.nodeIndex(ids[0])!].spec;
  const accelerator = ACCELERATOR_SPECS.get(accName);
  if (!accelerator) throw new FairwayError('E_INPUT', `topology: accelerator "${accName}" has no catalogue entry`, [{ path: 'topology', message: 'use an accelerator from the catalogue' }]);
  if (spec.weights === 'fp8' && accelerator.fp8FlopsPerSec === null) throw new FairwayError('E_INPUT', `precision.weights: ${accName} has no FP8 math; use bf16`, [{ path: 'precision.weights', message: 'no FP8 on this accelerator' }]);
  if (spec.weights === 'fp4' && accelerator.fp4FlopsPerSec === undefined) throw new FairwayError('E_INPUT', `precision.weights: ${accName} has no FP4 math (NVFP4 runs on Blackwell); use fp8 or bf16`, [{ path: 'precision.weights', message: 'no FP4 on this accelerator' }]);
  if (spec.model.heads % tp !== 0) throw new FairwayError('E_INPUT', `tp: ${tp} does not divide the model's ${spec.model.heads} attention heads`, [{ path: 'tp', message: 'choose a divisor of the head count' }]);
  if (spec.expertParallel && spec.model.experts <= 1) throw new FairwayError('E_INPUT', `expertParallel: ${spec.model.name} is a dense model (no experts to spread)`, [{ path: 'expertParallel', message: 'leave it out, or use an MoE model' }]);
  if (spec.expertParallel && spec.model.experts % tp !== 0) throw new FairwayError('E_INPUT', `expertParallel: tp ${tp} does not divide the model's ${spec.model.experts} experts`, [{ path: 'tp', message: 'with expert parallelism each rank holds experts / tp whole experts: choose a divisor of the expert count' }]);
  const table = tp > 1 ? await collectiveTable(system, ids, 'all_reduce') : [];
  const dp = spec.dataParallelAttention === true && tp > 1;
  const a2a = dp ? await collectiveTable(system, ids, 'alltoall') : [];
  return { model: spec.model, accelerator, tp, expertParallel: spec.expertParallel === true, weights: spec.weights, kvCache: spec.kvCache, attention: spec.attention ?? defaultAttention(accelerator), allReduceSec: (bytes) => (tp > 1 ? interpolateAllReduce(table, bytes) : 0), ...(dp ? { dataParallelAttention: true, allToAllSec: (bytes: number) => interpolateAllReduce(a2a, bytes) } : {}) };
}

export async function runServeScenario(spec: ServeSpec, source: TopologySource, o: ServingOptions = {}): Promise<ServeResult> {
  const system = buildSystem(source);
  const accs = system.topo.nodesOfKind('accelerator');
  const need = gpusOf(spec);
  if (need > accs.length) throw new FairwayError('E_INPUT', `the deployment needs ${need} GPUs, but the topology has ${accs.length}`, [{ path: spec.disaggregated ? 'disaggregated' : 'instances', message: `at most ${accs.length} accelerators; use a larger topology or fewer instances` }]);
  const shapes = new Map<number, InstanceShape>();
  const instances: ServingInstance[] = [];
  let at = 0;
  for (const { tp, pp, role } of placement(spec)) {
    // tp × pp accelerators: stage k on the k-th tp of them; the all-reduces are the first stage's
    const ids = accs.slice(at, at + tp).map((n) => n.id);
    const nodes = accs.slice(at, at + tp * pp).map((n) => n.index);
    at += tp * pp;
    // instances of one tp share their collectives (the first one's: the topology repeats); each
    // pipelined instance times its own stage boundaries (a boundary may cross servers in one, not another)
    if (!shapes.has(tp)) shapes.set(tp, await shapeOf(spec, system, ids));
    const shape = pipelined(shapes.get(tp)!, system, nodes, pp);
    const capacity = kvCapacity(shape, spec.scheduler);
    if (capacity.blocks === 0)
      throw new FairwayError('E_INPUT', `the weights (${(capacity.weightBytes / 1e9).toFixed(1)} GB a GPU) and the workspace leave no room for a KV cache in ${(capacity.budgetBytes / 1e9).toFixed(1)} GB`, [{ path: 'tp', message: 'raise tp, use fp8 (or on Blackwell fp4) weights, or a GPU with more memory' }]);
    // data-parallel attention: a sequence's cache lives on one rank, whose share is a tp-th of the instance's blocks
    const sequenceBlocks = dataParallel(shape) ? capacity.blocks / shape.tp : capacity.blocks;
    instances.push({ shape, capacity, role, nodes, sequenceBlocks, ...(spec.scheduler.preemption === 'swap' ? { swap: swapOf(spec, system, shape, capacity, nodes[0]) } : {}) });
  }
  const first = instances[0];
  const fabric = spec.disaggregated || spec.background ? { topo: system.topo, router: system.router, kvBytesPerToken: kvBytesPerToken({ model: spec.model, tp: 1, kvCache: spec.kvCache }) } : undefined;
  const t0 = performance.now();
  const run = runServing(spec, instances, o, fabric);
  return { spec, system, shape: first.shape, capacity: first.capacity, kvBytesPerToken: kvBytesPerToken(first.shape), run, summary: summarize(spec, run), wallSec: (performance.now() - t0) / 1000 };
}

/**
 * Swap preemption on an instance whose first rank is `acc`: the KV blocks `swapSpaceBytes` of
 * host memory holds for one rank, and the rate of the rank's path to its host memory (its
 * socket's DRAM: the slowest link of the route, the PCIe links in a DGX).
 */
function swapOf(spec: ServeSpec, system: System, shape: InstanceShape, capacity: KvCapacity, acc: number): { blocks: number; bytesPerSec: number; ranks: number } {
  const dram = rankHosts(system.topo, system.router, Int32Array.of(acc), false)[0].dram;
  if (dram < 0) throw new FairwayError('E_INPUT', `scheduler.preemption: swap needs host memory, and ${system.topo.nodes[acc].id} has no CPU and memory in its server`, [{ path: 'scheduler.preemption', message: 'use recompute on this system' }]);
  const route = system.router.route(acc, dram, 0);
  let bytesPerSec = Infinity;
  for (const d of route.links) bytesPerSec = Math.min(bytesPerSec, system.topo.links[d >> 1].bytesPerSec);
  const blocks = Math.floor((spec.scheduler.swapSpaceBytes ?? 0) / capacity.blockBytes);
  // data-parallel attention: each rank swaps its own sequences into its own space over its own path
  const ranks = dataParallel(shape) ? shape.tp : 1;
  return { blocks: blocks * ranks, bytesPerSec, ranks };
}

/** The default system of a deployment whose file names none: enough DGX H100 servers for its GPUs (one server, or a rail-optimized fabric of them). */
export function defaultServeTopology(spec: ServeSpec): string {
  const servers = Math.ceil(gpusOf(spec) / 8);
  return servers <= 1 ? 'dgx-h100' : `rail-optimized:template=dgx-h100,count=${servers},radix=64`;
}

/**
 * A serve document (a sweep point's `serve:`) run on `topology`, else on the topology it names,
 * else on the default system. `file` is where relative paths in it (a request trace) are read
 * from: the file it came from, or '<inline>' (relative to the working directory).
 */
export async function runServeDocument(doc: unknown, file: string, topology?: TopologySource, o: ServingOptions = {}): Promise<ServeResult> {
  const { spec, topology: named } = parseServe(doc, file);
  return runServeScenario(spec, topology ?? { ref: named ?? defaultServeTopology(spec) }, o);
}
