// What collective builders need of an operation graph: adding transfers and delays. The
// growable graph implements it, and so do the counting and shared-memory writers of parallel builds.

export interface OpSink {
  transfer(rank: number, src: number, dst: number, bytes: number, label: number, delaySec: number, deps?: readonly number[], latencyTimes?: number, bound?: number): number;
  /** A transfer out of switch `sw` of a result its reduction units make by adding `operandBytes` (NVLS's multimem load-reduce). */
  reducedTransfer(rank: number, sw: number, dst: number, bytes: number, operandBytes: number, label: number, delaySec: number, deps?: readonly number[], latencyTimes?: number): number;
  delay(rank: number, delaySec: number, deps?: readonly number[]): number;
  reserve(ops: number, edges?: number): void;
}
