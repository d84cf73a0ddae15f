// The vocabulary of a serving step's cost: an instance's shape (model, accelerator, ranks, how
// experts and attention are spread, precisions, the collectives' timing), one step's batch as
// the sums the cost needs, and the cost's parts.
import type { AttentionImpl } from '../../hardware/attention-efficiency.js';
import { INPUT_BYTES, W4A16_WEIGHT_BYTES } from '../../hardware/gemm-efficiency.js';
import type { AcceleratorSpec } from '../../hardware/types.js';
import type { TransformerModel } from '../generators/models.js';

/** Storage of weights (fp4: NVFP4, with its FP8 scale per 16 values; w4a16: 4-bit weights multiplied at 16 bits) and of the KV cache (bf16 or fp8). */
export type ServingDtype = 'bf16' | 'fp8' | 'fp4' | 'w4a16';
export type KvDtype = Exclude<ServingDtype, 'fp4' | 'w4a16'>;
export const BYTES_OF: Readonly<Record<ServingDtype, number>> = { bf16: 2, fp8: 1, fp4: INPUT_BYTES.fp4, w4a16: W4A16_WEIGHT_BYTES };

export interface InstanceShape {
  readonly model: TransformerModel;
  readonly accelerator: AcceleratorSpec;
  /** Tensor-parallel ranks (MoE: every expert is sharded over them, as TensorRT-LLM and vLLM do by default). */
  readonly tp: number;
  /**
   * MoE with expert parallelism over the same ranks (vLLM's enable_expert_parallel with data
   * parallelism 1): each rank holds experts / tp whole experts; attention stays tensor-parallel,
   * so every rank has every token after the attention all-reduce, runs its own experts on the
   * tokens routed to them, and the layer's second all-reduce sums the ranks' outputs.
   */
  readonly expertParallel?: boolean;
  /**
   * With expertParallel: attention data-parallel over the ranks instead of tensor-parallel
   * (SGLang's --enable-dp-attention; DeepSeek's and Dynamo's wide-EP deployments): each rank runs
   * attention for its own 1/tp of the batch with the whole attention weights and its sequences'
   * whole KV cache, and each MoE layer dispatches tokens to their experts' ranks and combines
   * them with two all-to-alls (`allToAllSec`) instead of two all-reduces.
   */
  readonly dataParallelAttention?: boolean;
  /** Seconds of one all-to-all in which each rank sends `bytes` in all (data-parallel attention). */
  readonly allToAllSec?: (bytes: number) => number;
  /** Weights and GEMM inputs (fp8: FP8 GEMMs at the FP8 plateau; fp4: NVFP4 GEMMs at the FP4 peak, activations quantized too, as TensorRT-LLM runs NVFP4 checkpoints on Blackwell; w4a16: 4-bit weights, BF16 math). */
  readonly weights: ServingDtype;
  readonly kvCache: KvDtype;
  readonly attention: AttentionImpl;
  /** Seconds of one all-reduce of `bytes` over the instance's ranks (0 for tp = 1). */
  readonly allReduceSec: (bytes: number) => number;
  /**
   * Pipeline stages (default 1). With more, `model` is one stage's share (its layers, ⌈L / pp⌉),
   * so stepCost is a stage's time, and `stageSendSec` the time of handing a step's hidden states
   * (bytes) across boundary k (stage k to k + 1; default 0).
   */
  readonly pp?: number;
  readonly stageSendSec?: (bytes: number, boundary?: number) => number;
}

/** One step's batch, summed over its sequences. */
export interface BatchSums {
  /** Sequences in the batch. */
  readonly sequences: number;
  /** New tokens (prefill chunks plus one per decoding sequence). */
  readonly tokens: number;
  /** Sequences that sample a token at the end of the step (decodes, and prefills that finish). */
  readonly sampled: number;
  /** Σ over sequences of new × (context + (new + 1) / 2): the causal query-key pairs of the step. */
  readonly attentionPairs: number;
  /** Σ over sequences of context + new: the KV tokens attention reads. */
  readonly kvTokensRead: number;
  /** Sequences decoding one token, and Σ over them of context + 1 (their share of both sums above); absent: 0. Latent attention runs them in its absorbed form. */
  readonly decodes?: number;
  readonly decodeKvTokens?: number;
  /** With speculative decoding a decoding sequence verifies a window of tokens: their new tokens and causal query-key pairs (absent: decodes and decodeKvTokens, one token each). */
  readonly decodeTokens?: number;
  readonly decodePairs?: number;
  /** A model with sliding-window layers: the causal pairs and the keys read of those layers, each query over at most the window (absent: no windows). */
  readonly windowPairs?: number;
  readonly windowKvTokensRead?: number;
}

export interface StepCost {
  readonly seconds: number;
  readonly gemmSec: number;
  readonly attentionSec: number;
  readonly memorySec: number;
  readonly commSec: number;
  readonly headSec: number;
  /** The step's kernel boundaries: kernels × KERNEL_BOUNDARY_SEC. */
  readonly boundarySec: number;
}

/** Key-value heads one rank holds: its share, or one replicated head when tp exceeds them (vLLM). */
export function kvHeadsPerRank(m: TransformerModel, tp: number): number {
  return Math.max(1, m.kvHeads / tp);
}

/** Whether a shape runs data-parallel attention over more than one rank. */
export const dataParallel = (s: { tp: number; dataParallelAttention?: boolean }) => s.dataParallelAttention === true && s.tp > 1;
