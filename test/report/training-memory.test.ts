// The memory line simulate prints for a generated training step: the plan's memory model
// against the accelerator's HBM, with what is offloaded.
import { describe, expect, test } from 'vitest';
import { parseWorkload } from '../../src/io/workload-file.js';
import { trainingMemory, trainingMemoryText } from '../../src/report/training-memory.js';

describe('training memory', () => {
  test('a training plan: the memory model\'s parts against the accelerator\'s HBM, and its offloaded layers', () => {
    // gpt-1.3b on one H100, micro-batch 1 of 2048, no ZeRO, 6 of 24 layers offloaded:
    // weights 2 bytes, grads 4 (FP32 reduction), Adam 12 a parameter; activations 34·sbh a layer
    // (sbh = 2048·2048; Korthikanti et al. with dropout, fused attention) for 24 − 6 + 1 = 19 layers
    const spec = parseWorkload({ name: 't', training: { model: 'gpt-1.3b', seq: 2048, globalBatch: 2, offloadLayers: 6 } }, 'test');
    const m = trainingMemory(spec)!;
    expect(m.accelerator).toBe('h100-sxm');
    // the catalogue's H100: 79.65 GiB usable of its 80 GB
    expect(m.capacityBytes).toBe(85520809984);
    expect(m.parts.activations).toBeCloseTo(19 * 34 * 2048 * 2048, 0);
    const params = m.parts.weights / 2;
    expect(m.parts.grads).toBeCloseTo(4 * params, 0);
    expect(m.parts.optimizer).toBeCloseTo(12 * params, 0);
    expect(m.bytesPerRank).toBeCloseTo(m.parts.weights + m.parts.grads + m.parts.optimizer + m.parts.activations, 0);
    expect(m.offloadLayers).toBe(6);
    const gb = (x: number) => (x / 1e9).toFixed(1);
    expect(trainingMemoryText(m)).toBe(
      `${gb(m.bytesPerRank)} GB of the h100-sxm's 85.5 GB (${((100 * m.bytesPerRank) / 85520809984).toFixed(0)}%): weights ${gb(m.parts.weights)} GB, grads ${gb(m.parts.grads)} GB, optimizer ${gb(m.parts.optimizer)} GB, activations ${gb(m.parts.activations)} GB; the activations of 6 layers offloaded to host memory`,
    );
  });

  test('a workload that is not a generated training step has none', () => {
    const spec = parseWorkload({ name: 'k', ops: [{ id: 'a', type: 'compute', flops: 1e9 }] }, 'test');
    expect(trainingMemory(spec)).toBeUndefined();
  });
});
