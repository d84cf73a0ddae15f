// The small kernels an MoE layer launches around its experts in a training forward pass, as
// Megatron-Core runs it: the router's, the token dispatcher's preprocess and its permutations.
// Each is tiny (tensors of tokens × experts, a few split sizes) or, for the permutations, already
// costed by its bytes, so each costs the GPU one kernel boundary (hardware/kernel-boundary.ts)
// and the host one launch; training-stage.ts adds them to the layer's memory-bound kernels (the
// backward launches twice as many, as for every kernel).
//
//   router: 72 kernels with Megatron-Core's default (moe_router_fusion off), "mainly for
//     calculating the routing map ... and for calculating and counting the aux loss"; 31 with the
//     fusion (Megatron-LM docs/discussions/deepseek-v3-gb200-optimization, §2.1.4, at eb0783b6).
//     Megatron-Bridge's performance configs turn it on for every MoE model (scripts/performance/
//     configs/{deepseek,gpt_oss,qwen3|qwen,kimi}/*_llm_pretrain.py: moe_router_fusion = True at
//     v0.2.0 and v0.4.2).
//   alltoall dispatcher (megatron/core/transformer/moe/token_dispatcher.py at d98e8a64, fused
//     permutations): the preprocess's split sizes (the routing map's sum over tokens, the
//     per-rank sums of the send and receive splits, the local experts' slice and its sums: 6)
//     and their 3 device-to-host copies: 9; the global permute (Transformer Engine's
//     moe_permute: 3 passes building the row map, 1 copying: 4), the local sort after the
//     all-to-all and the unsort before the combine (2 each), the unpermute (1): 9.
//   flex dispatcher (DeepEP, HybridEP): its fused preprocess brings the router and preprocess to
//     17 kernels with the router fused (the same guide, §2.2.1), 41 more without (72 − 31); then
//     the local permute (4) and the unpermute (1).
// The NCCL kernels of the all-to-alls and of the split sizes' all-gather are communication,
// costed as collectives.
import type { Dispatcher } from './layer-kernels.js';

/** Kernels of an MoE layer's router: Megatron-Core's unfused routing and aux loss, or with moe_router_fusion. */
export const ROUTER_KERNELS = { unfused: 72, fused: 31 } as const;

/** The alltoall dispatcher's preprocess (split sizes and their copies to the host) and its permutations. */
export const ALLTOALL_KERNELS = { preprocess: 9, permutations: 9 } as const;

/** The flex dispatcher's router and preprocess with the router fused, and its permutations. */
export const FLEX_KERNELS = { routerAndPreprocess: 17, permutations: 5 } as const;

/** Kernels an MoE layer's router and dispatcher launch in one forward pass. */
export function moeBlockKernels(dispatcher: Dispatcher, routerFusion: boolean): number {
  const unfusedExtra = routerFusion ? 0 : ROUTER_KERNELS.unfused - ROUTER_KERNELS.fused;
  if (dispatcher === 'flex') return FLEX_KERNELS.routerAndPreprocess + unfusedExtra + FLEX_KERNELS.permutations;
  return ROUTER_KERNELS.fused + unfusedExtra + ALLTOALL_KERNELS.preprocess + ALLTOALL_KERNELS.permutations;
}
