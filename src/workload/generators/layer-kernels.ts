// The kernels one rank runs for a transformer layer (and for the embedding and the output
// layer) in a forward or backward pass, as Megatron-Core with Transformer Engine launches them,
// each costed alone on the accelerator: GEMMs by the shape model of hardware/gemm-efficiency.ts,
// flash attention by hardware/attention-efficiency.ts, memory-bound kernels (norms, rotary,
// activation, residual adds, dropout, FP8 casts, MoE permutation, cross-entropy) by their HBM
// bytes. A pass of a model chunk is the sum of its kernels.
//
// Per rank (tp-way tensor, cp-way context parallel, sequence parallelism sp): t = b·s/cp tokens
// of the micro-batch, t_sp = t/tp where sp splits the norm/residual region; q = heads·d and
// kv = kvHeads·d are the query and key/value widths; E = 2 bytes (BF16 activations).
//   forward GEMMs:  QKV [t × (q + 2kv)/tp × h], proj [t × h × q/tp], FC1 [t·k × f'/tp × h],
//                   FC2 [t·k × h × f/tp] (f' = 2f gated; k = topK experts per token); MoE:
//                   FC1 and FC2 are grouped GEMMs over the rank's E = experts/ep experts, each
//                   of t·k·imbalance/E rows (imbalance: the busiest rank's tokens over the mean),
//                   run as Transformer Engine does: one kernel per expert, 4 streams at a time
//                   (gemm-efficiency.ts, multiStreamGemmSeconds),
//                   and the router [t × experts × h]; with folded experts (etp = 1 < tp,
//                   expert-layout.ts) a rank routes t/tp tokens to whole experts (f, not f/tp)
//   backward GEMMs: per forward GEMM [M × N × K], dgrad [M × K × N] and wgrad [K × N × M]
//   attention:      causal flash attention over s keys (attention-efficiency.ts), backward 2.5×;
//                   layers with a sliding window of w keys as causal over 2·w + 128 (a band)
//   memory forward: two norms 2·t_sp·h·E each, two residual adds 3·t_sp·h·E (+1 byte of dropout
//                   mask each with dropout), rotary 2·t·(q + kv)/tp·E, activation 3·R·f/etp·E
//                   gated (2· ungated; R = t·k·imbalance routed rows, t dense), MoE token
//                   permutations (permuteBytes: 7·R + t rows of h·E with the alltoall dispatcher
//                   and several local experts, 4·R with flex);
//                   FP8: the GEMM inputs not written by a norm quantized, FP8_QUANTIZE_BYTES each
//                   (quantizedInputs: the projection's and FC2's inputs; MoE the experts' FC1 input
//                   and the shared experts' inputs);
//   memory backward: twice the forward bytes (each reads the gradient and its saved input and
//                   writes one gradient) but the permutations (as many: a permutation's gradient
//                   is the inverse one), FP8: each GEMM's output gradient quantized.
//   output layer (last stage): final norm, LM head GEMM [t × V/tp × h] in BF16, cross-entropy
//                   in FP32 over the t × V/tp logits: 10 bytes per logit forward (read BF16,
//                   write and re-read FP32 exponentials), 6 backward (read them, write BF16 grads)
//   embedding (first stage): gather 2·t_sp·h·E forward, scatter-add 2·t_sp·h·E backward.
//   multi-head latent attention (models with `mla`): its GEMMs, attention core widths, latent
//                   norms and rotary as latent-attention.ts gives them, in place of QKV and proj.
//   shared experts (MoE with sharedExperts S): FC1 [t × S·f'/tp × h] and FC2 [t × h × S·f/tp]
//                   over every token, their activation (3 | 2)·t·S·f/tp·E.
import { attentionEfficiency, BACKWARD_RATIO, causalAttentionFlops, windowSequence, type AttentionImpl } from '../../hardware/attention-efficiency.js';
import { dtypePeak, gemmSeconds, multiStreamGemmSeconds, type MathDtype } from '../../hardware/gemm-efficiency.js';
import { KERNEL_BOUNDARY_SEC } from '../../hardware/kernel-boundary.js';
import { KERNEL_EFFICIENCY } from '../../hardware/kernel-efficiency.js';
import type { AcceleratorSpec } from '../../hardware/types.js';
import { expertSplit } from './expert-layout.js';
import { latentAttentionGemms, latentAttentionTokenBytes, latentAttentionWidth, latentMemoryBytes } from './latent-attention.js';
import { headDim, windowLayerCount, type TransformerModel } from './models.js';

const E = 2;

/** What the kernels need of a plan. */
export interface KernelPlan {
  readonly seq: number;
  readonly microBatch: number;
  readonly tp: number;
  readonly cp: number;
  readonly sequenceParallel: boolean;
  readonly precision: MathDtype;
  readonly attention: AttentionImpl;
  /** Fused (flash) attention; false: Megatron's unfused path (two batched GEMMs, softmax and dropout over the s × s scores). */
  readonly flashAttention: boolean;
  /** Expert parallelism, expert tensor parallelism (0: tp; expert-layout.ts) and the busiest rank's expert tokens over the mean (MoE; 1: balanced). */
  readonly ep: number;
  readonly etp: number;
  readonly moeImbalance: number;
  /** MoE: how tokens reach their experts (permuteBytes). */
  readonly dispatcher: Dispatcher;
}

/** Megatron-Core's MoE token dispatcher: alltoall (NCCL's all-to-all, the default) or flex (DeepEP, HybridEP). */
export type Dispatcher = 'alltoall' | 'flex';

/**
 * Bytes per element Transformer Engine's FP8 quantization of a training GEMM input moves: it
 * reads BF16 (2) and writes a row-wise FP8 copy for the GEMM and a column-wise one for the
 * weight gradient (1 + 1; MXFP8 adds a scale per 32, left out): "four tensors need to be
 * allocated, namely {row-wise, col-wise} * {data, scaling factor}" (Megatron-LM
 * docs/discussions/deepseek-v3-gb200-optimization, §2.1.2).
 */
export const FP8_QUANTIZE_BYTES = 4;

export type KernelKind = 'gemm' | 'attention' | 'memory';

/** One kernel (or one kind of kernel summed over a layer), costed alone. */
export interface Kernel {
  readonly name: string;
  readonly kind: KernelKind;
  readonly flops: number;
  readonly bytes: number;
  readonly seconds: number;
}

/** The sums of a pass: math (GEMMs and attention) FLOPs and seconds, memory-bound bytes and seconds. */
export interface PassCost {
  readonly mathFlops: number;
  readonly mathSeconds: number;
  readonly memoryBytes: number;
  readonly memorySeconds: number;
}

type Phase = 'forward' | 'backward';
/** A GEMM [M × N × K] of `dtype`, `groups` of them launched as one grouped GEMM (MoE experts; default 1). */
type Gemm = readonly [name: string, m: number, n: number, k: number, dtype: MathDtype, groups?: number];

/** Tokens of one micro-batch on one rank, and those of the sequence-parallel region. */
function tokens(p: KernelPlan): { t: number; tsp: number } {
  const t = (p.microBatch * p.seq) / p.cp;
  return { t, tsp: p.sequenceParallel ? t / p.tp : t };
}

function layerGemms(m: TransformerModel, p: KernelPlan): Gemm[] {
  const { t } = tokens(p);
  const d = headDim(m);
  const q = m.heads * d;
  const kv = m.kvHeads * d;
  const h = m.hidden;
  const k = m.topK;
  const dt = p.precision;
  // MoE: the busiest rank's experts, as one grouped GEMM over its experts/ep local experts, each of
  // r·k·imbalance/(experts/ep) rows, r the tokens the rank routes (t, or t/tp with folded experts:
  // every rank sends r·k token copies and, balanced, receives as many); their FFN split over etp
  const moe = m.experts > 1;
  const { etp, routedShare } = moe ? expertSplit(p) : { etp: p.tp, routedShare: 1 };
  const r = t * routedShare;
  const local = moe ? m.experts / p.ep : 1;
  const rows = moe ? Math.ceil((r * k * p.moeImbalance) / local) : t;
  const attention: Gemm[] = m.mla ? latentAttentionGemms(m.mla, m.heads, h, p.tp, t).map(([name, a, b, c]) => [name, a, b, c, dt]) : [['qkv', t, (q + 2 * kv) / p.tp, h, dt], ['proj', t, h, q / p.tp, dt]];
  const out: Gemm[] = [...attention, ['fc1', rows, ((m.gated ? 2 : 1) * m.ffn) / etp, h, dt, local], ['fc2', rows, h, m.ffn / etp, dt, local]];
  if (moe) out.push(['router', r, m.experts, h, 'bf16']);
  // shared experts: a dense FFN of sharedExperts·f over every token, split over TP like the dense layers
  const shared = moe ? (m.sharedExperts ?? 0) * m.ffn : 0;
  if (shared > 0) out.push(['shared.fc1', t, ((m.gated ? 2 : 1) * shared) / p.tp, h, dt], ['shared.fc2', t, h, shared / p.tp, dt]);
  return out;
}

function gemmKernels(acc: AcceleratorSpec, gemms: readonly Gemm[], phase: Phase): Kernel[] {
  const out: Kernel[] = [];
  // a rank's experts: Transformer Engine's grouped GEMM, one cuBLAS kernel per expert on 4 streams
  const seconds = (a: number, b: number, c: number, dt: MathDtype, g: number) => (g > 1 ? multiStreamGemmSeconds(acc, a, b, c, dt, g, KERNEL_BOUNDARY_SEC) : gemmSeconds(acc, a, b, c, dt));
  const one = (name: string, a: number, b: number, c: number, dt: MathDtype, g: number) => out.push({ name, kind: 'gemm', flops: 2 * g * a * b * c, bytes: 0, seconds: seconds(a, b, c, dt, g) });
  for (const [name, m, n, k, dt, g = 1] of gemms) {
    if (phase === 'forward') one(name, m, n, k, dt, g);
    else one(`${name}.dgrad`, m, k, n, dt, g), one(`${name}.wgrad`, k, n, m, dt, g);
  }
  return out;
}

/** Seconds of a memory-bound kernel moving `bytes` on `acc` (elementwise class). */
export function elementwiseSeconds(acc: AcceleratorSpec, bytes: number): number {
  return bytes / (acc.memoryBytesPerSec * KERNEL_EFFICIENCY.get('elementwise')!.efficiency);
}

function memoryKernel(acc: AcceleratorSpec, name: string, bytes: number): Kernel {
  return { name, kind: 'memory', flops: 0, bytes, seconds: elementwiseSeconds(acc, bytes) };
}

/** The kernels of one transformer layer in `phase` on one rank. */
export function layerKernels(m: TransformerModel, p: KernelPlan, acc: AcceleratorSpec, phase: Phase): Kernel[] {
  const { t, tsp } = tokens(p);
  const d = headDim(m);
  const q = m.heads * d;
  const kv = m.kvHeads * d;
  const h = m.hidden;
  const k = m.topK;
  const moe = m.experts > 1;
  const { etp, routedShare } = moe ? expertSplit(p) : { etp: p.tp, routedShare: 1 };
  const r = t * routedShare;
  const gemms = layerGemms(m, p);
  const out = gemmKernels(acc, gemms, phase);
  out.push(...(p.flashAttention ? flashAttention(m, p, acc, phase) : unfusedAttention(m, p, acc, phase)));
  const mask = m.dropout ? 1 : 0;
  const latent = m.mla ? latentMemoryBytes(m.mla, m.heads / p.tp, t, E) : undefined;
  // routed rows: the token copies the (busiest) rank's experts take
  const routed = r * k * (moe ? p.moeImbalance : 1);
  // bytes forward and how many times that backward: 2 (each reads the gradient and its saved
  // input, writes one gradient), but a permutation's gradient is the inverse permutation: 1
  const mem: [string, number, number][] = [
    ['norms', 2 * 2 * tsp * h * E + (latent?.norms ?? 0), 2],
    ['residuals', 2 * tsp * h * (3 * E + mask), 2],
    ['activation', (m.gated ? 3 : 2) * routed * (m.ffn / etp) * E, 2],
  ];
  if (m.rope) mem.push(['rotary', latent ? latent.rotary : 2 * t * ((q + kv) / p.tp) * E, 2]);
  if (moe) mem.push(['permute', permuteBytes(p.dispatcher, routed, r, m.experts / p.ep) * h * E, 1]);
  const shared = moe ? (m.sharedExperts ?? 0) * m.ffn : 0;
  if (shared > 0) mem.push(['shared.activation', (m.gated ? 3 : 2) * t * (shared / p.tp) * E, 2]);
  for (const [name, bytes, backward] of mem) out.push(memoryKernel(acc, name, (phase === 'forward' ? 1 : backward) * bytes));
  if (p.precision === 'fp8') out.push(memoryKernel(acc, 'fp8-casts', FP8_QUANTIZE_BYTES * (phase === 'forward' ? quantizedInputs(m, p, t, routed, etp, shared) : gradientElements(gemms))));
  return out;
}

/**
 * Rows (of the hidden width) one MoE layer's token permutations move in a forward pass, read
 * and written, for `routed` rows taken by the rank's `local` experts out of the `tokens` it
 * routes. Megatron-Core's dispatchers (Megatron-LM docs/discussions/deepseek-v3-gb200-
 * optimization, §2.1.1; megatron/core/transformer/moe/token_dispatcher.py):
 *   alltoall (NCCL's all-to-all): a global permute before the all-to-all copies each token to
 *     its experts (reads and writes the routed rows); with more than one local expert a local
 *     permute after it sorts the received rows by expert (sort_chunks_by_idxs: reads and writes
 *     them), undone before the combine's all-to-all the same way; the global unpermute reads the
 *     routed rows and writes the tokens, each the sum of its copies;
 *   flex (DeepEP, HybridEP): the global permute is inside the communication kernel; the local
 *     permute after dispatch and the unpermute before combine read and write the routed rows.
 */
export function permuteBytes(dispatcher: Dispatcher, routed: number, tokens: number, local: number): number {
  if (dispatcher === 'flex') return 4 * routed;
  const sort = local > 1 ? 4 * routed : 0;
  return 2 * routed + sort + routed + tokens;
}

/**
 * Elements a forward pass quantizes to FP8 outside a norm (Transformer Engine's LayerNormLinear
 * writes QKV's input in FP8 itself): the projection's input, FC2's input (Megatron-Core computes
 * the activation itself, megatron/core/transformer/mlp.py, and TERowParallelLinear or
 * GroupedLinear quantizes its output), and with MoE the experts' FC1 input (the permuted tokens:
 * GroupedLinear quantizes each expert's rows, tex.fused_multi_quantize) and the shared experts'
 * FC1 and FC2 inputs.
 */
function quantizedInputs(m: TransformerModel, p: KernelPlan, t: number, routed: number, etp: number, shared: number): number {
  const proj = (t * (m.mla ? m.heads * m.mla.v : m.heads * headDim(m))) / p.tp;
  const experts = m.experts > 1 ? routed * m.hidden : 0;
  const sharedInputs = shared > 0 ? t * m.hidden + (t * shared) / p.tp : 0;
  return proj + (routed * m.ffn) / etp + experts + sharedInputs;
}

/** Elements of the output gradients a backward pass quantizes: one per FP8 GEMM output. */
function gradientElements(gemms: readonly Gemm[]): number {
  return gemms.filter((g) => g[4] === 'fp8').reduce((s, [, gm, gn, , , g = 1]) => s + gm * gn * g, 0);
}

/**
 * Causal flash attention over the sequence, one kernel (attention-efficiency.ts). With sliding
 * windows on some layers, the layer's kernel is the mean over the model's layers of the windowed
 * one (causal over windowSequence) and the full one, so a stage's layers sum to what they run.
 */
function flashAttention(m: TransformerModel, p: KernelPlan, acc: AcceleratorSpec, phase: Phase): Kernel[] {
  const windowed = windowLayerCount(m) / m.layers;
  const full = attentionOver(m, p, acc, phase, p.seq);
  if (windowed === 0) return [full];
  const band = attentionOver(m, p, acc, phase, windowSequence(p.seq, m.window ?? 0));
  const mix = (a: number, b: number) => (1 - windowed) * a + windowed * b;
  return [{ ...full, flops: mix(full.flops, band.flops), seconds: mix(full.seconds, band.seconds) }];
}

/** A causal flash-attention kernel whose queries see up to `s` keys. */
function attentionOver(m: TransformerModel, p: KernelPlan, acc: AcceleratorSpec, phase: Phase, s: number): Kernel {
  const { t } = tokens(p);
  const d = headDim(m);
  const fwdFlops = causalAttentionFlops(t, s, m.heads / p.tp, m.mla ? latentAttentionWidth(m.mla) : d);
  const flops = phase === 'forward' ? fwdFlops : BACKWARD_RATIO * fwdFlops;
  const io = m.mla ? latentAttentionTokenBytes(m.mla, m.heads / p.tp, E) : undefined;
  const perToken = io ? (io.inputs + io.output) / 2 : (((m.heads + m.kvHeads) * d) / p.tp) * E;
  const bytes = (phase === 'forward' ? 2 : 4) * t * perToken;
  const eff = attentionEfficiency(acc, p.attention, phase, d, s);
  return { name: 'attention', kind: 'attention', flops, bytes, seconds: Math.max(flops / (eff * acc.flopsPerSec), bytes / acc.memoryBytesPerSec) };
}

/**
 * Megatron's unfused attention (before flash attention): per head, scores = Q·Kᵀ [s × s × d] and
 * context = P·V [s × d × s] as batched GEMMs over the whole s × s (the causal mask is applied,
 * not skipped), a fused scale-mask-softmax over the scores (read and write, 2 · E bytes per
 * score) and, with dropout, dropout on the probabilities (2 · E + 1 mask byte). Backward: each
 * GEMM's two operand gradients, per head like the forward (dQ = dS·K and dK = dSᵀ·Q, each
 * [s × d × s]; dP = dC·Vᵀ [s × s × d] and dV = Pᵀ·dC [s × d × s]): no operand is shared across
 * heads, so none is a weight gradient reduced over every row; softmax backward (reads
 * probabilities and gradient, writes one: 3 · E) and dropout backward (2 · E + 1). Batched over
 * the local heads as one GEMM of rows = heads · b · s rows.
 */
function unfusedAttention(m: TransformerModel, p: KernelPlan, acc: AcceleratorSpec, phase: Phase): Kernel[] {
  const d = headDim(m);
  const s = p.seq;
  const rows = (p.microBatch / p.cp) * s * (m.heads / p.tp); // query rows over all local heads
  const scores = rows * s;
  const shapes: [string, number, number, number][] =
    phase === 'forward'
      ? [['scores', rows, s, d], ['context', rows, d, s]]
      : [['scores.dq', rows, d, s], ['scores.dk', rows, d, s], ['context.dp', rows, s, d], ['context.dv', rows, d, s]];
  const out: Kernel[] = shapes.map(([name, a, b, c]) => ({ name, kind: 'attention', flops: 2 * a * b * c, bytes: 0, seconds: gemmSeconds(acc, a, b, c, 'bf16') }));
  const dropout = m.dropout ? 2 * E + 1 : 0;
  out.push(memoryKernel(acc, 'softmax', scores * (phase === 'forward' ? 2 * E + dropout : 3 * E + dropout)));
  return out;
}

/** The output layer's kernels on the last stage: final norm, LM head GEMM (BF16), cross-entropy. */
export function headKernels(m: TransformerModel, p: KernelPlan, acc: AcceleratorSpec, phase: Phase): Kernel[] {
  const { t, tsp } = tokens(p);
  const v = m.vocab / p.tp;
  const out = gemmKernels(acc, [['lm-head', t, v, m.hidden, 'bf16']], phase);
  const scale = phase === 'forward' ? 1 : 2;
  out.push(memoryKernel(acc, 'final-norm', scale * 2 * tsp * m.hidden * E));
  out.push(memoryKernel(acc, 'cross-entropy', t * v * (phase === 'forward' ? 10 : 6)));
  return out;
}

/** The embedding lookup (forward) or its gradient's scatter-add (backward) on the first stage. */
export function embeddingKernels(m: TransformerModel, p: KernelPlan, acc: AcceleratorSpec): Kernel[] {
  return [memoryKernel(acc, 'embedding', 2 * tokens(p).tsp * m.hidden * E)];
}

/** The sums of `kernels` as a pass cost. */
export function passCost(kernels: readonly Kernel[]): PassCost {
  let mathFlops = 0;
  let mathSeconds = 0;
  let memoryBytes = 0;
  let memorySeconds = 0;
  for (const k of kernels) {
    if (k.kind === 'memory') (memoryBytes += k.bytes), (memorySeconds += k.seconds);
    else (mathFlops += k.flops), (mathSeconds += k.seconds);
  }
  return { mathFlops, mathSeconds, memoryBytes, memorySeconds };
}

/** `a` + `b` × `times`. */
export function addCost(a: PassCost, b: PassCost, times = 1): PassCost {
  return { mathFlops: a.mathFlops + times * b.mathFlops, mathSeconds: a.mathSeconds + times * b.mathSeconds, memoryBytes: a.memoryBytes + times * b.memoryBytes, memorySeconds: a.memorySeconds + times * b.memorySeconds };
}

export const ZERO_COST: PassCost = { mathFlops: 0, mathSeconds: 0, memoryBytes: 0, memorySeconds: 0 };

/** The efficiency a pass's math op declares: its FLOPs over `dtype`'s peak × its summed kernel seconds (plus `extraSec`, e.g. the pass's kernel boundaries). */
export function mathEfficiency(c: PassCost, acc: AcceleratorSpec, dtype: MathDtype, extraSec = 0): number {
  return c.mathSeconds > 0 ? c.mathFlops / (dtypePeak(acc, dtype) * (c.mathSeconds + extraSec)) : 1;
}
