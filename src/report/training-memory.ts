// The memory a generated training step holds on each rank (the plan's memory model,
// workload/generators/transformer.ts: weights, gradients, optimizer state and activations, after
// ZeRO sharding, recomputation and activation offloading) against its accelerator's HBM: what
// `simulate` reports beside the step time, so a plan that fits shows its headroom too.
import { ACCELERATOR_SPECS } from '../hardware/index.js';
import { memoryPerRank } from '../workload/generators/memory-model.js';
import type { WorkloadSpec } from '../workload/spec.js';

export interface TrainingMemory {
  /** Bytes per rank at the step's peak (the busiest stage's), and the accelerator's HBM. */
  readonly bytesPerRank: number;
  readonly capacityBytes: number;
  readonly accelerator: string;
  /** weights, grads, optimizer, activations: bytes per rank. */
  readonly parts: Readonly<Record<string, number>>;
  /** Layers whose activations are offloaded to host memory (the plan's offloadLayers). */
  readonly offloadLayers: number;
}

/** The memory of a generated training step (undefined for workloads that are not one). */
export function trainingMemory(spec: WorkloadSpec): TrainingMemory | undefined {
  const t = spec.training;
  const acc = t && ACCELERATOR_SPECS.get(t.accelerator);
  if (!t || !acc) return undefined;
  const mem = memoryPerRank(t.model, t.plan);
  return { bytesPerRank: mem.bytes, capacityBytes: acc.memoryBytes, accelerator: acc.name, parts: mem.parts, offloadLayers: t.plan.offloadLayers };
}

const gb = (x: number) => `${(x / 1e9).toFixed(1)} GB`;

/** One line: total against HBM, the parts, and what is offloaded. */
export function trainingMemoryText(m: TrainingMemory): string {
  const parts = Object.entries(m.parts).map(([k, v]) => `${k} ${gb(v)}`).join(', ');
  const share = `${((100 * m.bytesPerRank) / m.capacityBytes).toFixed(0)}%`;
  const offload = m.offloadLayers > 0 ? `; the activations of ${m.offloadLayers} layers offloaded to host memory` : '';
  return `${gb(m.bytesPerRank)} of the ${m.accelerator}'s ${gb(m.capacityBytes)} (${share}): ${parts}${offload}`;
}
