// SimAI / AICB workload files (the ASTRA-sim layer table) as a workload (docs/workload.md):
//   line 1: the parallelism (`MICRO`, or `HYBRID_TRANSFORMER_FWD_IN_BCKWD` with
//           model_parallel_NPU_group (tp), ep, pp, vpp, ga, all_gpus, …, pp_comm);
//   line 2: the number of layers;
//   then per layer: name, −1, forward compute (ns), forward comm type and bytes, input-gradient
//           compute, comm type and bytes, weight-gradient compute, comm type and bytes, update time.
// Groups (Megatron order, tensor-parallel innermost): forward and input-gradient collectives run
// in the tensor-parallel group, weight-gradient collectives in the data-parallel group; a
// `_EP` suffix means the expert-parallel group (ep ranks within a data-parallel group) and
// `_DP_EP` the data-parallel group of one expert (dp/ep ranks). `MICRO` files run every
// collective over all ranks, one after another.
// Every rank runs the table once: it already lists every micro-batch of the step (SimAI does not
// repeat it ga times): the forward over the layers in order, then the backward in reverse
// (input-gradient compute and collective, weight-gradient compute, its weight-gradient
// collective on a stream of its own, overlapping what follows), then the update. Pipeline
// stages are not modelled as transfers: SimAI uses pp_comm only in its analytical bubble; here
// pp only sizes the data-parallel groups.
import { basename } from 'node:path';
import { FairwayError } from '../core/errors.js';

const COMM: Record<string, string> = { ALLREDUCE: 'all_reduce', ALLGATHER: 'all_gather', REDUCESCATTER: 'reduce_scatter', ALLTOALL: 'alltoall', BROADCAST: 'broadcast', REDUCE: 'reduce' };

export interface AicbImport {
  readonly doc: Record<string, unknown>;
  readonly layers: number;
  readonly ranks?: number;
  readonly parallel: Readonly<Record<string, number>>;
}

interface Layer {
  name: string;
  fwd: [ns: number, comm: string, bytes: number];
  ig: [ns: number, comm: string, bytes: number];
  wg: [ns: number, comm: string, bytes: number];
  update: number;
}

const bad = (file: string, line: number, why: string): never => {
  throw new FairwayError('E_INPUT', `${file}:${line}: ${why}`, [{ path: `${file}:${line}`, message: why }]);
};

export function parseAicbText(text: string, file: string): AicbImport {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  if (lines.length < 2) bad(file, 1, 'an AICB workload starts with the parallelism line and the layer count');
  const head = lines[0].split(/\s+/);
  const kind = head[0];
  if (kind !== 'MICRO' && !kind.startsWith('HYBRID_TRANSFORMER'))
    bad(file, 1, `unsupported parallelism "${kind}": expected MICRO or HYBRID_TRANSFORMER_FWD_IN_BCKWD`);
  const parallel: Record<string, number> = {};
  for (let i = 1; i < head.length - 1; i++) {
    const key = head[i].replace(/:$/, '');
    const v = Number(head[i + 1]);
    if (Number.isFinite(v) && !Number.isFinite(Number(head[i]))) parallel[key] = v;
  }
  const count = Number(lines[1]);
  if (!Number.isInteger(count) || count < 1) bad(file, 2, `the layer count must be a whole number, got "${lines[1]}"`);
  if (lines.length - 2 !== count) bad(file, 2, `the file says ${count} layers but has ${lines.length - 2}`);
  const layers: Layer[] = lines.slice(2).map((l, i) => {
    const f = l.split(/\s+/);
    if (f.length < 12) bad(file, i + 3, `a layer has 12 fields (name, −1, then fwd, ig and wg compute/comm type/bytes, update), got ${f.length}`);
    const num = (k: number) => {
      const v = Number(f[k]);
      if (!Number.isFinite(v) || v < 0) bad(file, i + 3, `field ${k + 1} ("${f[k]}") must be a number ≥ 0`);
      return v;
    };
    const comm = (k: number) => {
      const base = f[k].replace(/_(DP_EP|EP)$/, '');
      if (f[k] !== 'NONE' && !Object.hasOwn(COMM, base)) bad(file, i + 3, `unknown collective "${f[k]}"; known: ${Object.keys(COMM).join(', ')} (with _EP or _DP_EP), NONE`);
      return f[k];
    };
    return { name: f[0], fwd: [num(2), comm(3), num(4)], ig: [num(5), comm(6), num(7)], wg: [num(8), comm(9), num(10)], update: num(11) };
  });
  return { doc: kind === 'MICRO' ? microDoc(layers, file) : hybridDoc(layers, parallel, file), layers: count, ranks: parallel.all_gpus, parallel };
}

function microDoc(layers: Layer[], file: string): Record<string, unknown> {
  const ops: Record<string, unknown>[] = [];
  layers.forEach((l, i) => {
    for (const [, type, bytes] of [l.fwd, l.ig, l.wg]) {
      if (type === 'NONE' || bytes === 0) continue;
      ops.push({ id: `${l.name}.${i}.${ops.length}`, type: 'collective', op: COMM[type.replace(/_(DP_EP|EP)$/, '')], bytes, ...(ops.length ? { after: [ops[ops.length - 1].id] } : {}) });
    }
  });
  if (ops.length === 0) bad(file, 3, 'no collectives in the MICRO workload');
  return { name: basename(file), launch: 0, ops };
}

function hybridDoc(layers: Layer[], p: Record<string, number>, file: string): Record<string, unknown> {
  const tp = p.model_parallel_NPU_group ?? 1;
  const pp = p.pp ?? 1;
  const ep = p.ep ?? 1;
  const n = p.all_gpus ?? tp * pp;
  const dp = n / (tp * pp);
  if (!Number.isInteger(dp) || dp < 1) bad(file, 1, `all_gpus (${n}) must be a multiple of model_parallel_NPU_group × pp (${tp} × ${pp})`);
  if (dp % ep !== 0) bad(file, 1, `ep (${ep}) must divide the data-parallel size (${dp})`);
  const groups: Record<string, { size: number; stride?: number }> = { tp: { size: tp }, dp: { size: dp, stride: tp }, ep: { size: ep, stride: tp }, dpep: { size: dp / ep, stride: tp * ep }, pp: { size: pp, stride: tp * dp } };
  const groupOf = (type: string, weightGrad: boolean) => (type.endsWith('_DP_EP') ? groups.dpep : type.endsWith('_EP') ? groups.ep : weightGrad ? groups.dp : groups.tp);
  const ops: Record<string, unknown>[] = [];
  let last = '';
  const push = (op: Record<string, unknown>, chain = true) => {
    ops.push({ ...op, ...(chain && last ? { after: [last] } : {}) });
    if (chain) last = op.id as string;
  };
  const collective = (id: string, type: string, bytes: number, weightGrad: boolean, chain: boolean) =>
    push({ id, type: 'collective', op: COMM[type.replace(/_(DP_EP|EP)$/, '')], bytes, group: groupOf(type, weightGrad), slices: 2, ...(chain ? {} : { stream: 'dp' }) }, chain);
  const reductions: string[] = [];
  layers.forEach((l, i) => {
    const id = `f${i}`;
    if (l.fwd[0] > 0) push({ id, type: 'compute', seconds: l.fwd[0] * 1e-9 });
    if (l.fwd[1] !== 'NONE' && l.fwd[2] > 0) collective(`${id}.comm`, l.fwd[1], l.fwd[2], false, true);
  });
  for (let i = layers.length - 1; i >= 0; i--) {
    const l = layers[i];
    const id = `b${i}`;
    if (l.ig[0] > 0) push({ id: `${id}.ig`, type: 'compute', seconds: l.ig[0] * 1e-9 });
    if (l.ig[1] !== 'NONE' && l.ig[2] > 0) collective(`${id}.ig.comm`, l.ig[1], l.ig[2], false, true);
    if (l.wg[0] > 0) push({ id: `${id}.wg`, type: 'compute', seconds: l.wg[0] * 1e-9 });
    // the weight gradients' collective runs on its own stream, overlapping the rest of the backward
    if (l.wg[1] !== 'NONE' && l.wg[2] > 0) {
      const rid = `${id}.wg.comm`;
      ops.push({ id: rid, type: 'collective', op: COMM[l.wg[1].replace(/_(DP_EP|EP)$/, '')], bytes: l.wg[2], group: groupOf(l.wg[1], true), slices: 2, stream: 'dp', ...(last ? { after: [last] } : {}) });
      reductions.push(rid);
    }
  }
  const update = layers.reduce((s, l) => s + l.update, 0);
  ops.push({ id: 'update', type: 'compute', seconds: Math.max(update, 1) * 1e-9, after: [...(last ? [last] : []), ...reductions] });
  return { name: basename(file), ranks: n, launch: 0, ops };
}
