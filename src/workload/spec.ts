// A workload: the operations every rank runs (SPMD), in program order with dependencies and
// streams, repeated for a number of iterations. Kernels (compute, memcpy) are launched by the
// rank's host thread first; a stream runs its operations in order; different streams overlap.
// An operation may run on a subset of ranks, in groups of ranks (collectives, send/recv), and
// carry per-rank overrides of its sizes.
import type { MathDtype } from '../hardware/gemm-efficiency.js';
import type { KernelClass } from '../hardware/kernel-efficiency.js';

/** Every op type, in the order error messages list them. */
export const WORKLOAD_OP_TYPES = ['compute', 'collective', 'memcpy', 'cpu', 'input', 'send', 'recv'] as const;
export type WorkloadOpType = (typeof WORKLOAD_OP_TYPES)[number];

/** Kernel classes with catalogued efficiencies (src/hardware/kernel-efficiency.ts). */
export type { KernelClass };

/** Ranks split into groups of `size`, members `stride` apart (Megatron-style: TP stride 1, DP stride TP). */
export interface RankGrouping {
  size: number;
  stride: number;
}

/** Per-rank values replacing an operation's own on the listed ranks. */
export interface RankOverride {
  ranks: number[];
  flops?: number;
  bytes?: number;
  coreSeconds?: number;
  samples?: number;
}

export interface WorkloadOp {
  id: string;
  type: WorkloadOpType;
  /** Ids of operations (same iteration) this one waits for. */
  after: string[];
  /** Stream name; operations of one stream run one after another. */
  stream: string;
  /** Ranks the operation runs on (undefined: all); elsewhere it is skipped and passes its dependencies on. */
  ranks?: number[];
  /** collective, send, recv, memcpy peer: the groups of ranks they run within (undefined: one group of all ranks). */
  group?: RankGrouping;
  /** compute: FLOPs and HBM bytes (roofline). */
  flops: number;
  bytes: number;
  /** Kernels this operation stands for (a fused layer stack): the host thread pays that many launches. */
  kernels: number;
  /** compute: kernel class, and an efficiency overriding the class's catalogued one. */
  kernelClass: KernelClass;
  efficiency?: number;
  /** compute: data type of its math ('fp8': FLOPs at the accelerator's FP8 peak, efficiency relative to it). */
  dtype: MathDtype;
  /** collective: nccl-tests name and algorithm ('auto': the fastest alone, see sim/algorithm-tuner.ts), and pipelining slices per step (undefined: the default). */
  collective: string;
  algorithm: string;
  slices?: number;
  /** collective: fraction of each member's math units its kernels occupy while it runs (NCCL's SMs). */
  sm?: number;
  /** memcpy: host memory → accelerator, back, within the accelerator's HBM, or to a peer rank's accelerator. */
  direction: 'h2d' | 'd2h' | 'd2d' | 'peer';
  /** send/recv, memcpy peer: the partner's offset within the group (+1 next, −1 previous); wrap around the group ends or skip. */
  peer: number;
  wrap: boolean;
  /** send/recv: matching tag (a send pairs with a recv of the same tag). */
  tag: number;
  /** cpu: core-seconds on the rank's host socket (one thread). input: decode core-seconds per sample. */
  coreSeconds: number;
  /** input: loader workers, samples per step (per rank), batches loaded ahead. */
  workers: number;
  samples: number;
  prefetch: number;
  overrides: RankOverride[];
}

export interface WorkloadSpec {
  /** Set when the ops were generated from a model and a parallelism plan (`training:`). */
  training?: { readonly model: import('./generators/models.js').TransformerModel; readonly plan: import('./generators/transformer.js').TrainingPlan; /** The accelerator the kernels were costed on. */ readonly accelerator: string };
  name: string;
  /** Topology file, relative to the workload file. */
  topology?: string;
  /** Number of ranks (the first accelerators in topology order); default all. */
  ranks?: number;
  iterations: number;
  /** CPU cost of launching one kernel on the host thread. */
  launchSec: number;
  /** CUDA-graph mode: one launch per iteration for all kernels. */
  graph: boolean;
  /** Eager sends: data leaves when the sender is ready, a recv completes once it has arrived (else rendezvous: both sides ready). */
  eager: boolean;
  ops: WorkloadOp[];
  /**
   * 'analytical': each collective NCCL plans is one delay of its closed-form time (NCCL's
   * latency + size / bus bandwidth, no transfers, no contention on the fabric); the rest runs
   * as at 'flow' (the default): collectives as their simulated transfers. Set by the scenario
   * (simulate --fidelity), not by workload files.
   */
  fidelity?: 'flow' | 'analytical';
}
