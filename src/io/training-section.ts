// The `training:` section of a workload file (or `--model`/`--parallel` on the command line):
// a model (catalogue name or shape) and a parallelism plan, validated with paths, for the
// transformer training-step generator (src/workload/generators/transformer.ts).
import { FairwayError, IssueList } from '../core/errors.js';
import { MODELS, type TransformerModel } from '../workload/generators/models.js';
import { RECOMPUTE_MODULES, UNMODELLED_MODULES, type RecomputeModule } from '../workload/generators/recompute-modules.js';
import { DEFAULT_PLAN, type TrainingPlan } from '../workload/generators/transformer.js';
import { FieldReader, isDoc, type Doc } from './fields.js';

export interface TrainingSection {
  readonly model: TransformerModel;
  readonly plan: TrainingPlan;
}

const PLAN_FIELDS = ['tp', 'cp', 'pp', 'vpp', 'embeddingInSplit', 'dp', 'ep', 'etp', 'a2aOverlap', 'zero', 'recompute', 'recomputeModules', 'sequenceParallel', 'seq', 'globalBatch', 'microBatch', 'dtypeBytes', 'buckets', 'tpOverlap', 'flashAttention', 'precision', 'attention', 'moeImbalance', 'dispatcher', 'routerFusion', 'gradReduce', 'symmetric', 'offloadLayers', 'mtp', 'layout'];
/** Latent attention's widths (all four with kvLora; qLora optional, 0 = none). */
const MLA_FIELDS = ['qLora', 'kvLora', 'qkNope', 'qkRope', 'vHeadDim'];
export const SHAPE_FIELDS = ['name', 'layers', 'hidden', 'heads', 'kvHeads', 'headDim', 'ffn', 'vocab', 'gated', 'experts', 'topK', 'rope', 'dropout', 'denseLayers', 'denseFfn', 'sharedExperts', 'window', 'windowLayers', ...MLA_FIELDS];

/** `modelPath`: where errors in the model are reported (the --model option on the command line). */
export function readTrainingSection(doc: unknown, iterations: number, issues: IssueList, path = 'training', modelPath = `${path}.model`): TrainingSection | undefined {
  const r = new FieldReader(issues);
  if (!isDoc(doc)) return issues.add(path, 'must be an object such as {model: gpt3-175b, tp: 8, pp: 8, dp: 16, globalBatch: 1536}'), undefined;
  r.known(doc, path, ['model', ...PLAN_FIELDS]);
  const model = readModelField(r, doc.model, modelPath);
  const int = (k: string, min: number, max: number, d: number) => r.int(doc, k, path, min, max, d) ?? d;
  const pp = int('pp', 1, 1024, 1);
  const layout = r.str(doc, 'layout', path) ?? '';
  const plan: TrainingPlan = {
    tp: int('tp', 1, 1024, 1),
    cp: int('cp', 1, 1024, 1),
    pp,
    // with a layout, its virtual stages per pipeline stage unless given
    vpp: int('vpp', 1, 64, layout ? layoutVpp(layout, pp) : 1),
    embeddingInSplit: r.bool(doc, 'embeddingInSplit', path, false),
    dp: int('dp', 1, 1 << 20, 1),
    ep: int('ep', 1, 1024, 1),
    etp: int('etp', 1, 1024, 0),
    a2aOverlap: r.bool(doc, 'a2aOverlap', path, false),
    zero: int('zero', 0, 3, 0) as 0 | 1 | 2 | 3,
    recompute: readRecompute(r, doc, path),
    recomputeModules: readRecomputeModules(r, doc, path),
    sequenceParallel: r.bool(doc, 'sequenceParallel', path, true),
    seq: int('seq', 1, 1 << 24, DEFAULT_PLAN.seq),
    globalBatch: int('globalBatch', 1, 1 << 24, DEFAULT_PLAN.globalBatch),
    microBatch: int('microBatch', 1, 1 << 20, 1),
    dtypeBytes: int('dtypeBytes', 1, 8, 2),
    buckets: int('buckets', 1, 1024, DEFAULT_PLAN.buckets),
    tpOverlap: r.bool(doc, 'tpOverlap', path, false),
    flashAttention: r.bool(doc, 'flashAttention', path, DEFAULT_PLAN.flashAttention),
    precision: r.oneOf(doc, 'precision', path, ['bf16', 'fp8'] as const, 'bf16'),
    attention: r.oneOf(doc, 'attention', path, ['auto', 'flash1', 'flash2', 'fused'] as const, 'auto'),
    moeImbalance: readImbalance(r, doc, path),
    dispatcher: r.oneOf(doc, 'dispatcher', path, ['alltoall', 'flex'] as const, 'alltoall'),
    routerFusion: r.bool(doc, 'routerFusion', path, false),
    gradReduceBytes: r.oneOf(doc, 'gradReduce', path, ['fp32', 'bf16', 'fp16'] as const, 'fp32') === 'fp32' ? 4 : 2,
    symmetric: readSymmetric(r, doc, path),
    offloadLayers: int('offloadLayers', 0, 1 << 16, 0),
    mtp: int('mtp', 0, 64, 0),
    layout,
    iterations,
  };
  return model ? { model, plan } : undefined;
}

/** `symmetric`: true, false or 'auto' (the default: on from 4,096 ranks; generators/symmetry.ts). */
function readSymmetric(r: FieldReader, doc: Doc, path: string): boolean | 'auto' {
  const v = doc.symmetric;
  if (v === undefined || v === 'auto') return 'auto';
  if (typeof v === 'boolean') return v;
  r.issues.add(`${path}.symmetric`, `must be true, false or auto, got ${JSON.stringify(v)}`);
  return 'auto';
}

/**
 * `recompute`: true or 'full' (every layer's forward is recomputed in its backward), false or
 * 'none', or 'selective' (Megatron's selective recomputation of core attention: with flash
 * attention nothing more is recomputed or stored, so it is costed as 'none').
 */
/** A `model:` field: a catalogue name or a shape {layers, hidden, heads, ffn, vocab, ...}. */
export function readModelField(r: FieldReader, value: unknown, path: string): TransformerModel | undefined {
  if (typeof value === 'string') {
    const model = MODELS.get(value);
    if (!model) r.issues.add(path, `unknown model "${value}"; catalogue: ${[...MODELS.keys()].join(', ')}, or give its shape {layers, hidden, heads, ffn, vocab, ...}`);
    return model;
  }
  if (isDoc(value)) return readShape(r, value, path);
  r.issues.add(path, 'required: a catalogue name or a shape');
  return undefined;
}

function readRecompute(r: FieldReader, doc: Doc, path: string): boolean {
  const v = doc.recompute;
  if (v === 'full') return true;
  if (v === 'selective' || v === 'none') return false;
  return r.bool(doc, 'recompute', path, false);
}

/**
 * `recomputeModules`: Megatron's --recompute-modules, a list ([layernorm, moe_act]) or, on the
 * command line, joined with + (layernorm+moe_act); `recompute: selective` alone means core_attn.
 */
function readRecomputeModules(r: FieldReader, doc: Doc, path: string): RecomputeModule[] {
  const v = doc.recomputeModules;
  const base: RecomputeModule[] = doc.recompute === 'selective' ? ['core_attn'] : [];
  if (v === undefined) return base;
  const names = Array.isArray(v) ? v : typeof v === 'string' ? v.split('+') : null;
  if (names === null || names.some((x) => typeof x !== 'string')) {
    r.issues.add(`${path}.recomputeModules`, `must be a list of modules (${RECOMPUTE_MODULES.join(', ')}), e.g. [layernorm, moe_act], or on the command line layernorm+moe_act; got ${JSON.stringify(v)}`);
    return base;
  }
  const out = [...base];
  for (const n of names as string[]) {
    const name = n.trim();
    if (UNMODELLED_MODULES[name]) r.issues.add(`${path}.recomputeModules`, `${name}: ${UNMODELLED_MODULES[name]}; leave it out`);
    else if (!(RECOMPUTE_MODULES as readonly string[]).includes(name)) r.issues.add(`${path}.recomputeModules`, `unknown module "${name}"; use ${RECOMPUTE_MODULES.join(', ')}`);
    else if (!out.includes(name as RecomputeModule)) out.push(name as RecomputeModule);
  }
  return out;
}

/** `moeImbalance`: a number ≥ 1 (the busiest rank's expert tokens over the mean). */
function readImbalance(r: FieldReader, doc: Doc, path: string): number {
  const v = doc.moeImbalance;
  if (v === undefined) return 1;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 1 || v > 64) {
    r.issues.add(`${path}.moeImbalance`, `must be a number from 1 (balanced) to 64, got ${JSON.stringify(v)}`);
    return 1;
  }
  return v;
}

/** The virtual stages per pipeline stage a layout string implies (1 when it does not split evenly: the plan check says why). */
function layoutVpp(layout: string, pp: number): number {
  const stages = layout.replace(/\([^()]*\)\*(\d+)/g, (m, n: string) => m.replace(/\*\d+$/, '').repeat(Math.min(Number(n), 1 << 16))).split('|').length;
  return stages % pp === 0 && stages / pp <= 64 ? stages / pp : 1;
}

/** A shape's latent-attention widths (kvLora, qkNope, qkRope, vHeadDim, qLora; none without kvLora). */
function readLatent(r: FieldReader, doc: Doc, path: string): Pick<TransformerModel, 'mla'> {
  if (doc.kvLora === undefined) {
    for (const k of MLA_FIELDS) if (doc[k] !== undefined) r.issues.add(`${path}.${k}`, 'latent attention needs kvLora (the key/value latent width) too');
    return {};
  }
  const need = (k: string) => {
    if (doc[k] === undefined) r.issues.add(`${path}.${k}`, 'required with kvLora (latent attention)');
    return r.int(doc, k, path, 1, 1 << 20) ?? 1;
  };
  return { mla: { qLora: r.int(doc, 'qLora', path, 0, 1 << 20) ?? 0, kvLora: need('kvLora'), qkNope: need('qkNope'), qkRope: need('qkRope'), v: need('vHeadDim') } };
}

function readShape(r: FieldReader, doc: Doc, path: string): TransformerModel | undefined {
  r.known(doc, path, SHAPE_FIELDS);
  const need = (k: string) => {
    const v = r.int(doc, k, path, 1, 1 << 30);
    if (doc[k] === undefined) r.issues.add(`${path}.${k}`, 'required');
    return v ?? 1;
  };
  const heads = need('heads');
  return {
    name: r.str(doc, 'name', path) ?? 'custom',
    layers: need('layers'),
    hidden: need('hidden'),
    heads,
    kvHeads: r.int(doc, 'kvHeads', path, 1, 1 << 20) ?? heads,
    ...(doc.headDim !== undefined ? { headDim: r.int(doc, 'headDim', path, 1, 1 << 16) } : {}),
    ffn: need('ffn'),
    vocab: need('vocab'),
    gated: r.bool(doc, 'gated', path, false),
    experts: r.int(doc, 'experts', path, 1, 1 << 16) ?? 1,
    topK: r.int(doc, 'topK', path, 1, 1 << 16) ?? 1,
    rope: r.bool(doc, 'rope', path, true),
    dropout: r.bool(doc, 'dropout', path, false),
    ...(doc.denseLayers !== undefined ? { denseLayers: r.int(doc, 'denseLayers', path, 0, 1 << 20) } : {}),
    ...(doc.denseFfn !== undefined ? { denseFfn: r.int(doc, 'denseFfn', path, 1, 1 << 30) } : {}),
    ...(doc.sharedExperts !== undefined ? { sharedExperts: r.int(doc, 'sharedExperts', path, 0, 1 << 10) } : {}),
    ...(doc.window !== undefined ? { window: r.int(doc, 'window', path, 1, 1 << 30) } : {}),
    ...(doc.windowLayers !== undefined ? { windowLayers: r.int(doc, 'windowLayers', path, 0, 1 << 20) } : {}),
    ...readLatent(r, doc, path),
    source: 'workload file',
  };
}

/** `tp=8,pp=8,dp=16,zero=1,recompute` (a bare key is true) as a training section document. */
export function parsePlanString(text: string, option: string): Doc {
  const out: Doc = {};
  for (const part of text.split(',').map((x) => x.trim()).filter(Boolean)) {
    const [k, v] = part.split('=', 2);
    if (!PLAN_FIELDS.includes(k)) throw new FairwayError('E_INPUT', `${option}: unknown setting "${k}"; use ${PLAN_FIELDS.join(', ')}`, [{ path: option, message: `unknown setting ${k}` }]);
    out[k] = v === undefined ? true : v === 'true' ? true : v === 'false' ? false : Number.isFinite(Number(v)) ? Number(v) : v;
  }
  return out;
}


