// How many graph operations a workload will expand into, estimated from its ops before any is
// expanded: each op on each of its ranks; a collective as its gates and launch (4) and two
// sends per ring step (2 · (g − 1) on a group of g: a ring's steps, in the two slices the
// training generator's collectives use); a send or receive as its half of one transfer and its
// launch (2); anything else one. The algorithm and channels are known only once planned, so it
// is an estimate: rings across servers run on two channels, twice the sends (gpt3-175b-1024gpu:
// 8.67 M graph operations, estimated 8.44 M; llama3-70b-256gpu 0.74 M, estimated 0.71 M;
// Llama 3.1 405B on 16,384 GPUs, data-parallel rings of 128: 89 M, estimated 56 M; small
// workloads of many all-to-alls or tree all-reduces up to 2.3 times more). Used to refuse runs that would
// not fit in memory, and to size the graph's columns before expanding (a larger graph still
// grows as needed).
import type { WorkloadOp, WorkloadSpec } from './spec.js';

/** Graph operations one workload op makes on each rank it runs on, in groups of `g`. */
function perRank(op: WorkloadOp, g: number): number {
  if (op.type === 'collective') return 4 + 2 * Math.max(0, g - 1);
  return op.type === 'send' || op.type === 'recv' ? 2 : 1;
}

/** Estimated graph operations of one iteration of `spec` on `ranks` ranks (ops without a rank list run on all). */
export function estimatedOperations(spec: WorkloadSpec, ranks: number): number {
  return spec.ops.reduce((n, op) => {
    const on = op.ranks?.length ?? ranks;
    return n + on * perRank(op, Math.min(on, op.group?.size ?? on));
  }, 0);
}
