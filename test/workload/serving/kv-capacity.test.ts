// The KV cache an instance has after weights and workspace.
import { describe, expect, it } from 'vitest';
import { ACCELERATOR_SPECS } from '../../../src/hardware/index.js';
import { MODELS } from '../../../src/workload/generators/models.js';
import { kvCapacity, RUNTIME_HELD_BYTES, workspaceBytes } from '../../../src/workload/serving/kv-capacity.js';

describe('kvCapacity', () => {
  it('Llama 3 8B in BF16 on one H100: 0.9 × 80 GB − 16.06 GB of weights − the workspace, in 16-token blocks of 128 KiB a token', () => {
    const s = { model: MODELS.get('llama3-8b')!, tp: 1, weights: 'bf16' as const, kvCache: 'bf16' as const, accelerator: ACCELERATOR_SPECS.get('h100-sxm')! };
    const o = { memoryUtilization: 0.9, blockSize: 16, tokenBudget: 8192, maxSequences: 256 };
    const c = kvCapacity(s, o);
    // weights: 32 layers × (4096·(32+16)·128 + 32·128·4096 + 3·4096·14336 + 2·4096) + 2·128256·4096 = 8.03e9 parameters × 2 B
    expect(c.weightBytes).toBe(16_060_514_304);
    // workspace: 8192 tokens × (4·4096 + 6144 + 3·14336) × 2 B + 256 rows × 128,256 × 4 B
    expect(workspaceBytes(s, 8192, 256)).toBe(8192 * (4 * 4096 + 6144 + 3 * 14336) * 2 + 256 * 128_256 * 4);
    const kv = 0.9 * s.accelerator.memoryBytes - c.weightBytes - c.workspaceBytes;
    expect(c.blocks).toBe(Math.floor(kv / (16 * 131_072)));
  });

  it('gpt-oss-120b (18 of 36 layers over a window of 128): a block is 16 tokens of one group of 18 layers, half of 16 · 2 · 36 · 8 · 64 · 1 B = 589,824 B in FP8', () => {
    const s = { model: MODELS.get('gpt-oss-120b')!, tp: 1, weights: 'fp4' as const, kvCache: 'fp8' as const, accelerator: ACCELERATOR_SPECS.get('b200')! };
    const c = kvCapacity(s, { memoryUtilization: 0.9, blockSize: 16, tokenBudget: 8192, maxSequences: 256 });
    expect(c.blockBytes).toBe(294_912);
    expect(c.blocks).toBe(Math.floor(c.kvBytes / 294_912));
    expect(c.layout).toMatchObject({ fullUnits: 1, windowUnits: 1, windowTokens: 128, unitLayers: 18 });
  });

  it('memoryBasis free (TensorRT-LLM): 0.95 of what the weights, the workspace and the 1.53 GiB the runtime holds besides leave (TensorRT-LLM issue #1400: 80 GiB − 6,683 MiB − 69,524,783,104 B / 0.9)', () => {
    expect(RUNTIME_HELD_BYTES / 2 ** 30).toBeCloseTo(1.5292, 4);
    const s = { model: MODELS.get('llama3-70b')!, tp: 1, weights: 'fp8' as const, kvCache: 'fp8' as const, accelerator: ACCELERATOR_SPECS.get('h100-sxm')! };
    const c = kvCapacity(s, { memoryUtilization: 0.95, memoryBasis: 'free', blockSize: 32, tokenBudget: 2048, maxSequences: 64 });
    expect(c.kvBytes).toBeCloseTo((s.accelerator.memoryBytes - c.weightBytes - c.workspaceBytes - RUNTIME_HELD_BYTES) * 0.95, 0);
  });

  it('no blocks when the weights do not fit', () => {
    const s = { model: MODELS.get('llama3-70b')!, tp: 1, weights: 'bf16' as const, kvCache: 'bf16' as const, accelerator: ACCELERATOR_SPECS.get('h100-sxm')! };
    expect(kvCapacity(s, { memoryUtilization: 0.9, blockSize: 16, tokenBudget: 8192, maxSequences: 256 }).blocks).toBe(0);
  });
});
