// A workload: the operations every rank runs (SPMD), in program order with dependencies and
// streams, repeated for a number of iterations. Kernels (compute, memcpy) are launched by the
// rank's host thread first; a stream runs its operations in order; different streams overlap.

export type WorkloadOpType = 'compute' | 'collective' | 'memcpy' | 'cpu' | 'input';

export interface WorkloadOp {
  id: string;
  type: WorkloadOpType;
  /** Ids of earlier operations (same iteration) this one waits for. */
  after: string[];
  /** Stream name; operations of one stream run one after another. */
  stream: string;
  /** compute: FLOPs and HBM bytes (roofline). */
  flops: number;
  bytes: number;
  /** collective: nccl-tests name and algorithm ('auto' = fastest). */
  collective: string;
  algorithm: string;
  /** memcpy: direction between host memory and the accelerator. */
  direction: 'h2d' | 'd2h';
  /** cpu: core-seconds on the rank's host socket (one thread). input: decode core-seconds per sample. */
  coreSeconds: number;
  /** input: loader workers, samples per step (per rank) and bytes per sample. */
  workers: number;
  samples: number;
}

export interface WorkloadSpec {
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
  ops: WorkloadOp[];
}
