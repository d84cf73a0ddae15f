// How many KV-cache blocks an instance has: what is left of each rank's HBM, at the engine's
// memory-utilisation share, after the weights and the activation workspace of the largest step,
// in blocks of `blockSize` tokens (vLLM's paged KV cache: gpu_memory_utilization 0.9 and 16-token
// blocks by default; it profiles the workspace with a dummy step of max_num_batched_tokens). With
// data-parallel attention each rank caches its own sequences, so the instance has tp ranks' blocks.
// With sliding-window layers a block is one group of layers' (kv-layout.ts): blockBytes says how big.
import { headDim } from '../generators/models.js';
import { kvBytesPerToken, weightBytesPerRank } from './forward-cost.js';
import { dataParallel, type InstanceShape } from './instance-shape.js';
import { kvLayout, type KvLayout } from './kv-layout.js';

export interface KvCapacity {
  readonly blocks: number;
  readonly blockSize: number;
  /** Bytes of one block on one rank: blockSize tokens of all layers, or of one layer group (kv-layout.ts). */
  readonly blockBytes: number;
  /** How many blocks a sequence holds for its tokens. */
  readonly layout: KvLayout;
  /** Per rank: HBM the engine takes, the weights, the workspace and the KV cache, in bytes. */
  readonly budgetBytes: number;
  readonly weightBytes: number;
  readonly workspaceBytes: number;
  readonly kvBytes: number;
}

/**
 * Activation workspace of a step of `tokens` tokens and `sequences` sampled rows on one rank:
 * the hidden state and its residual, the QKV and FFN intermediates (16-bit), and FP32 logits.
 */
export function workspaceBytes(s: Pick<InstanceShape, 'model' | 'tp'>, tokens: number, sequences: number): number {
  const m = s.model;
  const qkv = ((m.heads + 2 * m.kvHeads) * headDim(m)) / s.tp;
  const ffn = ((m.gated ? 3 : 2) * m.ffn * m.topK) / s.tp;
  return tokens * (4 * m.hidden + qkv + ffn) * 2 + sequences * (m.vocab / s.tp) * 4;
}

/**
 * What a GPU holds besides the engine's weights and activations when TensorRT-LLM measures its
 * free memory: the driver's reservation (CUDA sees less than the datasheet capacity: 79.2 of an
 * H100's 79.6 GiB), the CUDA context and the runtime's own buffers. From TensorRT-LLM issue #1400's
 * log (A100 80 GB, TensorRT-LLM 0.8): 6,683 MiB of engine, 69,524,783,104 B of KV cache at
 * kv_cache_free_gpu_mem_fraction 0.9, so 71.94 GiB were free of the GPU's 80: 1.53 GiB held besides.
 */
export const RUNTIME_HELD_BYTES = 80 * 2 ** 30 - 6683 * 2 ** 20 - 69_524_783_104 / 0.9;

/**
 * `memoryBasis` 'total': the engine takes memoryUtilization of the HBM and the KV cache gets what
 * the weights and workspace leave of it (vLLM's gpu_memory_utilization; the CUDA context lies in
 * the share it leaves); 'free': the KV cache takes memoryUtilization of what the weights, the
 * workspace and what the runtime holds besides (RUNTIME_HELD_BYTES) leave free (TensorRT-LLM's
 * kv_cache_free_gpu_mem_fraction).
 */
export function kvCapacity(s: Pick<InstanceShape, 'model' | 'tp' | 'weights' | 'kvCache' | 'accelerator' | 'dataParallelAttention'>, o: { memoryUtilization: number; memoryBasis?: 'total' | 'free'; blockSize: number; tokenBudget: number; maxSequences: number }): KvCapacity {
  const weightBytes = weightBytesPerRank(s);
  const work = workspaceBytes(s, o.tokenBudget, o.maxSequences);
  const hbm = s.accelerator.memoryBytes;
  const budgetBytes = o.memoryBasis === 'free' ? weightBytes + work + Math.max(0, hbm - weightBytes - work - RUNTIME_HELD_BYTES) * o.memoryUtilization : hbm * o.memoryUtilization;
  const kvBytes = budgetBytes - weightBytes - work;
  const layout = kvLayout(s.model, o.blockSize);
  const blockBytes = layout.windowUnits > 0 ? (o.blockSize * kvBytesPerToken(s) * layout.unitLayers) / s.model.layers : o.blockSize * kvBytesPerToken(s);
  // data-parallel attention: each rank caches its own sequences whole, so the instance holds tp ranks' blocks
  const blocks = Math.max(0, Math.floor(kvBytes / blockBytes)) * (dataParallel(s) ? s.tp : 1);
  return { blocks, blockSize: o.blockSize, blockBytes, layout, budgetBytes, weightBytes, workspaceBytes: work, kvBytes: Math.max(0, kvBytes) };
}
