// How many graph operations a workload will expand into, estimated from its ops before any is
// expanded: each op on each of its ranks, a collective as about 20 transfers, a send or receive
// as its half of one transfer and its launch, anything else one. A collective's transfers depend
// on its algorithm, group and channels, known only once planned: the shipped training workloads
// measure 15–35 a collective and rank (gpt3-175b-1024gpu: 8.67 M graph operations, estimated
// 9.1 M; llama3-70b-256gpu 0.74 M, estimated 0.78 M; llama2-13b-128gpu 0.36 M, estimated
// 0.19 M). Used to refuse runs that would not fit in memory, and to size the graph's columns
// before expanding (a larger graph still grows as needed).
import type { WorkloadSpec } from './spec.js';

/** Graph operations one workload op makes on each rank it runs on. */
const EXPANSION: Partial<Record<string, number>> = { collective: 20, send: 2, recv: 2 };

/** Estimated graph operations of one iteration of `spec` on `ranks` ranks (ops without a rank list run on all). */
export function estimatedOperations(spec: WorkloadSpec, ranks: number): number {
  return spec.ops.reduce((n, op) => n + (op.ranks?.length ?? ranks) * (EXPANSION[op.type] ?? 1), 0);
}
