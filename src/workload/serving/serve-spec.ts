// A serving deployment as a typed value (docs/serve.md): the model and how each instance holds
// it, the scheduler every instance runs, how requests are routed, the load, and the latency
// objectives goodput is counted against.
import type { AttentionImpl } from '../../hardware/attention-efficiency.js';
import type { TransformerModel } from '../generators/models.js';
import type { KvDtype, ServingDtype } from './instance-shape.js';
import type { Speculation } from './speculative.js';

/** decode-first: running sequences (decodes, unfinished prefill chunks) are scheduled before new ones, mixed in one batch (vLLM). prefill-first: a step admits and prefills waiting requests alone; decodes run when none can be admitted (SGLang's default). */
export type SchedulerPolicy = 'decode-first' | 'prefill-first';

export interface SchedulerConfig {
  readonly preset: string;
  readonly policy: SchedulerPolicy;
  /** Split long prompts over steps within the token budget; off: a prompt is scheduled whole (a step may then exceed the budget by one prompt). */
  readonly chunkedPrefill: boolean;
  /** New tokens one step may process (max_num_batched_tokens / chunked_prefill_size). */
  readonly tokenBudget: number;
  /** Sequences in a step at most (max_num_seqs / max_running_requests). */
  readonly maxSequences: number;
  /** Tokens per KV block. */
  readonly blockSize: number;
  /** Share of each rank's HBM the engine takes (gpu_memory_utilization / mem_fraction_static), or with memoryBasis 'free' the share of what weights and workspace leave that the KV cache takes (kv_cache_free_gpu_mem_fraction). */
  readonly memoryUtilization: number;
  readonly memoryBasis: 'total' | 'free';
  /** Host seconds per step not hidden under the GPU's work (scheduling, sampling, detokenising). */
  readonly stepOverheadSec: number;
  /**
   * Share of a request's output the scheduler reserves KV blocks for before admitting it, on top
   * of its prompt: 0 admits on the prompt alone and preempts when blocks run out (vLLM); 1 admits
   * only what can finish without eviction (TensorRT-LLM's GUARANTEED_NO_EVICT).
   */
  readonly reserveOutput: number;
  /**
   * Prefix caching (vLLM's enable_prefix_caching, SGLang's radix cache): the share of each
   * prompt found already cached when the request is admitted, in whole blocks; those tokens are
   * not computed again (at least the prompt's last token is). Their blocks still count against
   * the cache as the request's own: sharing between requests is not modelled. Default 0.
   */
  readonly prefixHitRate?: number;
  /**
   * What preemption does with a sequence's KV cache: 'recompute' (the default: freed, and
   * computed again at re-admission; vLLM, SGLang) or 'swap' (copied to host memory over the
   * GPU's PCIe path and back at re-admission, the step waiting for both; vLLM V0's swap mode),
   * while `swapSpaceBytes` a GPU holds it (vLLM's swap_space, default 4 GiB); beyond, recompute.
   */
  readonly preemption?: 'recompute' | 'swap';
  readonly swapSpaceBytes?: number;
  /**
   * Which steps replay a captured CUDA graph (one host launch) and which the host launches kernel
   * by kernel (`launchSec` each, beside the GPU's work: a step takes the longer of the two):
   * 'all' (the default; vLLM V1's piecewise graphs), 'decode' (decode-only steps: vLLM V0,
   * SGLang and TensorRT-LLM capture those; prefill and mixed steps run eager) or 'none' (eager).
   */
  readonly cudaGraphs?: 'all' | 'decode' | 'none';
  /** Host seconds to launch one kernel when eager (default 5 µs, as workload files'). */
  readonly launchSec?: number;
  /** Speculative decoding (speculative.ts): each decode step verifies 1 + tokens per sequence and keeps what is accepted. */
  readonly speculative?: Speculation;
}

export type LengthSpec = { readonly fixed: number } | { readonly uniform: readonly [number, number] };

/** A request as the load gives it: arrival (s, from 0), prompt and output tokens. */
export interface RequestSpec {
  readonly arrivalSec: number;
  readonly input: number;
  readonly output: number;
}

export type LoadSpec =
  | {
      readonly kind: 'poisson';
      readonly rate: number;
      readonly requests: number;
      readonly input: LengthSpec;
      readonly output: LengthSpec;
      readonly seed: number;
      /** Gaps drawn from a gamma distribution of this shape at the same mean (vLLM's benchmark --burstiness): 1 (the default) is Poisson, below 1 bursts, above 1 evener. */
      readonly burstiness?: number;
    }
  | { readonly kind: 'concurrency'; readonly concurrency: number; readonly requests: number; readonly input: LengthSpec; readonly output: LengthSpec; readonly seed: number }
  | { readonly kind: 'trace'; readonly requests: readonly RequestSpec[]; readonly source: string };

/** round-robin; least-loaded: fewest tokens still to compute or generate; kv-aware (NVIDIA Dynamo's KV router): the least of the prompt tokens it would compute there (less a cached shared prefix) plus that load. */
export type RouterPolicy = 'round-robin' | 'least-loaded' | 'kv-aware';

/** Requests sharing prompt prefixes: each request belongs to one of `groups` (drawn uniformly from `seed`), whose first `tokens` prompt tokens are the same (a system prompt, a shared document). */
export interface PrefixGroups {
  readonly groups: number;
  readonly tokens: number;
  readonly seed: number;
}

/** A pool of identical instances. */
export interface Pool {
  readonly instances: number;
  readonly tp: number;
  /** Pipeline stages (default 1). */
  readonly pp?: number;
}

export interface ServeSpec {
  readonly name: string;
  readonly model: TransformerModel;
  /** Instances (replicas) and the tensor-parallel ranks of each; instance i holds accelerators i·tp … (i+1)·tp − 1 in topology order. */
  readonly instances: number;
  readonly tp: number;
  /**
   * Pipeline stages of each instance (default 1; vLLM's pipeline_parallel_size): an instance spans
   * tp × pp accelerators, stage k on the k-th tp of them holding a pp-th of the layers; up to pp
   * batches are in flight at once, each passing the stages in turn (forward-cost.ts, serving-run.ts).
   */
  readonly pp?: number;
  /**
   * Disaggregated serving: prompts run on the prefill pool, which samples the first token and
   * sends the request's KV cache over the fabric to a decode instance, which generates the rest.
   * The prefill instances come first in topology order, then the decode ones. Absent: every
   * instance does both (`instances` × `tp`).
   */
  readonly disaggregated?: {
    readonly prefill: Pool;
    readonly decode: Pool;
    /** How the KV cache moves: 'request' (the default: the whole prompt's after the first token) or 'layer' (streamed as each prefill step computes it; sim/serving/kv-handoff.ts). */
    readonly kvTransfer?: 'request' | 'layer';
  };
  /** MoE: experts spread whole over each instance's tp ranks (expert parallelism) instead of each sharded over them (forward-cost.ts); default false. */
  readonly expertParallel?: boolean;
  /** With expertParallel: attention data-parallel over each instance's ranks, the MoE layers' tokens moved by all-to-alls (forward-cost.ts); default false. */
  readonly dataParallelAttention?: boolean;
  readonly weights: ServingDtype;
  readonly kvCache: KvDtype;
  /** Attention kernels; undefined: the accelerator's default. */
  readonly attention?: AttentionImpl;
  readonly scheduler: SchedulerConfig;
  readonly router: RouterPolicy;
  /** Shared prompt prefixes (load.prefixes): each instance keeps the prefixes its prefills computed in its free KV blocks, least recently used first out, and a request whose group's prefix is there computes only the rest. */
  readonly prefixes?: PrefixGroups;
  /**
   * Other traffic on the same fabric: a collective (e.g. a training job's gradient all-reduce)
   * over the given accelerators, started every `everySec` from 0, `count` times; it shares links
   * max-min with the KV transfers.
   */
  readonly background?: { readonly op: 'all_reduce' | 'all_gather' | 'reduce_scatter' | 'alltoall'; readonly bytes: number; readonly ranks: readonly string[]; readonly everySec: number; readonly count: number };
  readonly load: LoadSpec;
  /** Objectives for goodput: a request counts when its TTFT and its TPOT are both within them. */
  readonly slo: { readonly ttftSec: number; readonly tpotSec: number };
}

/** Engine presets: the scheduler each engine runs by default on one H100-class GPU. */
export const SCHEDULER_PRESETS: Readonly<Record<string, Omit<SchedulerConfig, 'preset'>>> = {
  // vLLM V1 (0.8+): chunked prefill always on, decodes first then prefill chunks in one batch;
  // max_num_batched_tokens 8192 and max_num_seqs 256 for online serving on data-centre GPUs
  // (vllm/engine/arg_utils.py usage-context defaults), gpu_memory_utilization 0.9, block 16.
  vllm: { policy: 'decode-first', chunkedPrefill: true, tokenBudget: 8192, maxSequences: 256, blockSize: 16, memoryUtilization: 0.9, memoryBasis: 'total', stepOverheadSec: 0, reserveOutput: 0 },
  // SGLang: prefill batches run ahead of decode batches (schedule_policy fcfs), chunked_prefill_size
  // 8192, max_running_requests from memory (capped here at 1024), page size 1 (a block per token
  // would be 1; 16 keeps the block count small and changes capacity by < 1 block per sequence),
  // mem_fraction_static ≈ 0.88 on 80 GB GPUs; admission reserves new_token_ratio of each
  // request's remaining output, which decays from 0.7 to its floor of 0.1 while nothing is
  // retracted: its steady state, 0.1, here.
  sglang: { policy: 'prefill-first', chunkedPrefill: true, tokenBudget: 8192, maxSequences: 1024, blockSize: 16, memoryUtilization: 0.88, memoryBasis: 'total', stepOverheadSec: 0, reserveOutput: 0.1 },
  // TensorRT-LLM's in-flight batching: the GUARANTEED_NO_EVICT capacity scheduler (a request is
  // admitted only with blocks for its prompt and its whole output), max_num_tokens 8192, chunked
  // context, and a batch of up to 2048 sequences with kv_cache_free_gpu_mem_fraction 0.95 as
  // trtllm-bench runs it.
  trtllm: { policy: 'decode-first', chunkedPrefill: true, tokenBudget: 8192, maxSequences: 2048, blockSize: 32, memoryUtilization: 0.95, memoryBasis: 'free', stepOverheadSec: 0, reserveOutput: 1 },
};

/** GPUs the deployment uses. */
export function gpusOf(spec: Pick<ServeSpec, 'instances' | 'tp' | 'pp' | 'disaggregated'>): number {
  const d = spec.disaggregated;
  return d ? d.prefill.instances * d.prefill.tp * (d.prefill.pp ?? 1) + d.decode.instances * d.decode.tp * (d.decode.pp ?? 1) : spec.instances * spec.tp * (spec.pp ?? 1);
}
