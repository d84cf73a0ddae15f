// Selective recomputation by module (Megatron-Core's --recompute-granularity selective with
// --recompute-modules): a module's forward activations are not kept for the backward; its forward
// kernels run again there instead. What each module recomputes (layer-kernels.ts names) and the
// activation bytes it stops keeping, per s·b·h of a layer (transformer.ts, layerActivationBytes;
// f: FFN width, k: topK, h: hidden; 1 byte for GEMM inputs kept in FP8):
//   core_attn  the attention core. With fused (flash) attention nothing: the kernel keeps no
//              scores and its backward recomputes them already. Unfused: the scores GEMMs and
//              softmax again, and the 5·a·s/h of scores, probabilities and mask not kept.
//   layernorm  the two norms again; their outputs, the QKV and MLP inputs, not kept: 2 · 2 (FP8 1).
//   moe_act    (MoE) the experts' activation again; its output, FC2's input, not kept: 2·f·k/h (FP8 1).
//   mlp, moe   the whole MLP (router, permutation, FC1, activation, FC2, shared experts) again;
//              only its input kept: the MLP term, ((6 gated | 4) − FP8)·f·k/h. The all-to-alls of a
//              recomputed MoE layer are not run again (an underestimate of its cost).
//   mla_up_proj (latent attention) the query and key/value up-projections again; the up-projected
//              queries, keys and values the attention core reads, not kept (latent-attention.ts).
import type { Kernel } from './layer-kernels.js';

export type RecomputeModule = 'core_attn' | 'layernorm' | 'moe_act' | 'mlp' | 'moe' | 'mla_up_proj';
export const RECOMPUTE_MODULES: readonly RecomputeModule[] = ['core_attn', 'layernorm', 'moe_act', 'mlp', 'moe', 'mla_up_proj'];

/** Megatron-Core modules fairway does not recompute separately. */
export const UNMODELLED_MODULES: Readonly<Record<string, string>> = {
  shared_experts: 'the shared experts are recomputed with the whole MLP (mlp or moe), not on their own',
};

const MLP = ['router', 'permute', 'fc1', 'activation', 'fc2', 'shared.fc1', 'shared.activation', 'shared.fc2'];
const KERNELS: Readonly<Record<RecomputeModule, readonly string[]>> = {
  core_attn: ['scores', 'context', 'softmax'],
  layernorm: ['norms'],
  moe_act: ['activation'],
  mlp: MLP,
  moe: MLP,
  mla_up_proj: ['q_up', 'kv_up'],
};

/** The forward kernels of a layer that `modules` run again in its backward (each once, however many modules name it). */
export function recomputedKernels(forward: readonly Kernel[], modules: readonly RecomputeModule[]): Kernel[] {
  const names = new Set(modules.flatMap((m) => KERNELS[m]));
  return forward.filter((k) => names.has(k.name));
}

/** What a layer's activations are, per s·b·h: the replicated part, the attention's and the MLP's (transformer.ts). */
export interface ActivationTerms {
  readonly replicated: number;
  readonly attention: number;
  readonly scores: number;
  readonly mlp: number;
  /** The MLP's activation output (FC2's input), inside `mlp`. */
  readonly activationOutput: number;
  /** The two norms' outputs (QKV and MLP inputs), inside `replicated`. */
  readonly normOutputs: number;
  /** Latent attention's up-projected queries, keys and values, inside `attention` (0 without). */
  readonly upProjected: number;
}

/** The terms left once `modules` are recomputed. */
export function withoutRecomputed(t: ActivationTerms, modules: readonly RecomputeModule[], moe: boolean): ActivationTerms {
  const has = (m: RecomputeModule) => modules.includes(m);
  const wholeMlp = has('mlp') || (moe && has('moe'));
  return {
    ...t,
    replicated: t.replicated - (has('layernorm') ? t.normOutputs : 0),
    scores: has('core_attn') ? 0 : t.scores,
    attention: t.attention - (has('mla_up_proj') ? t.upProjected : 0),
    mlp: wholeMlp ? 0 : t.mlp - (moe && has('moe_act') ? t.activationOutput : 0),
  };
}
