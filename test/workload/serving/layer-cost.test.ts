// One layer's attention with sliding-window layers.
import { describe, expect, it } from 'vitest';
import { ACCELERATOR_SPECS } from '../../../src/hardware/index.js';
import { MODELS } from '../../../src/workload/generators/models.js';
import type { BatchSums, InstanceShape } from '../../../src/workload/serving/instance-shape.js';
import { layerAttentionSec, memSec } from '../../../src/workload/serving/layer-cost.js';

const gptOss = MODELS.get('gpt-oss-120b')!;
const shape: InstanceShape = { model: gptOss, accelerator: ACCELERATOR_SPECS.get('b200')!, tp: 1, weights: 'fp4', kvCache: 'fp8', attention: 'fused', allReduceSec: () => 0 };

describe('layerAttentionSec with sliding windows', () => {
  it('gpt-oss-120b decoding 64 sequences at 8,192 cached: half its layers read 8,193 keys, half 128, so a layer reads the mean; decode attention is the KV read: 64 · (8,193 + 128) / 2 · 2 · 8 heads · 64 · 1 B over HBM', () => {
    const full: BatchSums = { sequences: 64, tokens: 64, sampled: 64, attentionPairs: 64 * 8193, kvTokensRead: 64 * 8193, decodes: 64, decodeKvTokens: 64 * 8193 };
    const windowed: BatchSums = { ...full, windowPairs: 64 * 128, windowKvTokensRead: 64 * 128 };
    const bytes = (tokens: number) => tokens * 2 * 8 * 64 * 1;
    expect(layerAttentionSec(shape, full)).toBeCloseTo(memSec(bytes(64 * 8193), shape.accelerator), 12);
    expect(layerAttentionSec(shape, windowed)).toBeCloseTo((memSec(bytes(64 * 8193), shape.accelerator) + memSec(bytes(64 * 128), shape.accelerator)) / 2, 12);
    // so about half: (8,193 + 128) / (2 · 8,193) = 0.5078
    expect(layerAttentionSec(shape, windowed) / layerAttentionSec(shape, full)).toBeCloseTo(0.5078, 3);
  });
});
