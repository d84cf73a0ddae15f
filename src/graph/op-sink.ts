// What collective builders need of an operation graph: adding transfers and delays. The
// growable graph implements it, and so do the counting and shared-memory writers of parallel builds.

export interface OpSink {
  transfer(rank: number, src: number, dst: number, bytes: number, label: number, delaySec: number, deps?: readonly number[], latencyTimes?: number, bound?: number): number;
  delay(rank: number, delaySec: number, deps?: readonly number[]): number;
  reserve(ops: number, edges?: number): void;
}
