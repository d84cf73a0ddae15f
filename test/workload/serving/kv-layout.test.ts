// Blocks a sequence holds when some layers attend over a sliding window.
import { describe, expect, it } from 'vitest';
import { MODELS } from '../../../src/workload/generators/models.js';
import { blocksHeld, blocksWhile, kvLayout, plainLayout, tokensOfBlocks } from '../../../src/workload/serving/kv-layout.js';

describe('kvLayout', () => {
  it('gpt-oss-120b: 18 full and 18 window layers of 128 keys make two groups of 18 layers, one block each per block of tokens', () => {
    expect(kvLayout(MODELS.get('gpt-oss-120b')!, 16)).toEqual({ blockSize: 16, fullUnits: 1, windowUnits: 1, windowTokens: 128, unitLayers: 18 });
  });

  it('a model without windows is one unit of all its layers, as plainLayout', () => {
    const l = kvLayout(MODELS.get('llama3-8b')!, 16);
    expect(l).toEqual({ ...plainLayout(16), unitLayers: 32 });
    // ⌈1000 / 16⌉ = 63
    expect(blocksHeld(l, 1000)).toBe(63);
    expect(blocksWhile(l, 1000, 512)).toBe(Math.ceil(1512 / 16));
  });

  it('gpt-oss-120b at 1,000 tokens: the full group holds 63 blocks, the window group the 127 tokens before the next one, ⌈127 / 16⌉ + 1 = 9', () => {
    const l = kvLayout(MODELS.get('gpt-oss-120b')!, 16);
    expect(blocksHeld(l, 1000)).toBe(63 + 9);
    // below the window both groups hold every token: 2 × ⌈100 / 16⌉
    expect(blocksHeld(l, 100)).toBe(2 * 7);
    // a step writing 512 more: ⌈1512 / 16⌉ = 95 full; the window group 511 + 127 tokens, ⌈638 / 16⌉ + 1 = 41
    expect(blocksWhile(l, 1000, 512)).toBe(95 + 41);
    // 100 blocks hold 800 tokens when both groups keep them all
    expect(tokensOfBlocks(l, 100)).toBe(800);
  });
});
