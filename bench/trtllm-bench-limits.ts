// The batch limits trtllm-bench gives a run that sets none (max_batch_size, max_num_tokens), so
// the validator runs TensorRT-LLM's published offline tables with the batch they ran. Its
// engine-setting heuristic (NVIDIA/TensorRT-LLM, tensorrt_llm/bench/build/tuning.py,
// calc_engine_setting and finetune_setting) sizes the KV cache as the GPUs' memory less the
// weights (parameters × bytes a weight: FP8 1, NVFP4 0.5, else 2), times
// kv_cache_free_gpu_mem_fraction (0.95), and a request as input + output tokens of every layer's
// K and V (2 · layers · max(tp, KV heads) · head size · bytes: FP8 1, else 2; sliding windows
// not counted), all in GiB. The requests that fit, at most 4,096 (over pipeline stages), round up
// to max_batch_size (64 at least; multiples of 32 below 256, of 128 below 1,024, else of 256),
// and that batch × (1 + input / output), at most 32,768, rounds up to max_num_tokens (2,048 at
// least; multiples of 256 below 4,096, of 512 below 8,192, else of 1,024). Not part of fairway's
// model: the benchmark's own configuration.
import { ACCELERATOR_SPECS } from '../dist/hardware/index.js';
import { headDim, MODELS } from '../dist/workload/generators/models.js';
import { parameterCount } from '../dist/workload/serving/forward-cost.js';

const GIB = 1024 ** 3;
const roundUp = (x: number, step: number) => step * Math.ceil(x / step);

export interface BenchLimits {
  /** max_batch_size: sequences a step (over the instance's ranks under attention data parallelism). */
  readonly maxSequences: number;
  /** max_num_tokens: new tokens a step. */
  readonly tokenBudget: number;
}

/** trtllm-bench's limits for `model` on `tp` GPUs of `accelerator` at fixed `input` and `output` lengths; null for an unknown model or GPU, or when nothing fits. */
export function trtllmBenchLimits(model: string, accelerator: string, tp: number, input: number, output: number, weights: string, kvCache: string): BenchLimits | null {
  const m = MODELS.get(model), acc = ACCELERATOR_SPECS.get(accelerator);
  if (!m || !acc) return null;
  const perWeight = weights === 'fp8' ? 1 : weights === 'fp4' ? 0.5 : 2;
  const perKv = kvCache === 'fp8' ? 1 : 2;
  const perToken = (2 * m.layers * Math.max(tp, m.kvHeads) * headDim(m) * perKv) / GIB;
  const available = (tp * acc.memoryBytes - parameterCount(m) * perWeight) / GIB;
  const requests = (available * 0.95) / (perToken * (input + output));
  if (!(requests >= 1)) return null;
  const raw = Math.min(requests, 4096);
  const rawTokens = Math.min(raw * (1 + input / output), 32768);
  const maxSequences = raw < 256 ? Math.max(64, roundUp(raw, 32)) : raw < 1024 ? roundUp(raw, 128) : roundUp(raw, 256);
  const tokenBudget = rawTokens < 4096 ? Math.max(2048, roundUp(rawTokens, 256)) : rawTokens < 8192 ? roundUp(rawTokens, 512) : roundUp(rawTokens, 1024);
  return { maxSequences, tokenBudget };
}
