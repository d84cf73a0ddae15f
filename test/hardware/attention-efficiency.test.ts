// Flash-attention costs (src/hardware/attention-efficiency.ts): causal FLOPs and the efficiency
// factors for head dimension, sequence length and the sustained clock.
import { describe, expect, test } from 'vitest';
import { attentionEfficiency, attentionProfile, causalAttentionFlops, defaultAttention, FLASH1_SLOWDOWN, windowSequence } from '../../src/hardware/attention-efficiency.js';
import { ACCELERATOR_SPECS } from '../../src/hardware/index.js';

const h100 = ACCELERATOR_SPECS.get('h100-sxm')!;
const a100 = ACCELERATOR_SPECS.get('a100-sxm')!;

describe('flash attention', () => {
  test('causal FLOPs: half of 4·t·s·heads·d plus the diagonal blocks', () => {
    // t = 8192 tokens of one 8192-long sequence, 32 heads of 128: full 4·8192²·4096 = 1.0995e12;
    // causal half × (1 + 128/8192)
    expect(causalAttentionFlops(8192, 8192, 32, 128)).toBeCloseTo(2 * 8192 * 8192 * 4096 * (1 + 128 / 8192), -3);
    // a sequence no longer than a block computes the whole square
    expect(causalAttentionFlops(64, 64, 1, 128)).toBe(4 * 64 * 64 * 128);
  });

  test('efficiency: the table at head dim 128 and 8 k, less for narrow heads and short sequences, times the sustained clock', () => {
    const fused = attentionProfile(h100, 'fused');
    expect(attentionEfficiency(h100, 'fused', 'forward', 128, 8192)).toBeCloseTo(fused.forward * (700 / 828), 12);
    // head dim 64: × 0.85; 2048 tokens: × (2048/2560)/(8192/8704)
    const e = attentionEfficiency(h100, 'fused', 'backward', 64, 2048);
    expect(e).toBeCloseTo(fused.backward * 0.85 * (2048 / 2560 / (8192 / 8704)) * (700 / 828), 12);
    // A100 has no fused (FlashAttention-3 class) kernels: auto picks FlashAttention-2; its paper's
    // burst figure at the sustained clock, 1305 of 1410 MHz
    expect(defaultAttention(a100)).toBe('flash2');
    expect(defaultAttention(h100)).toBe('fused');
    expect(attentionEfficiency(a100, 'flash2', 'forward', 128, 8192)).toBeCloseTo((200 / 312) * (1305 / 1410), 12);
  });

  test('FlashAttention-1 class: FlashAttention-2 / 1.9, the middle of "1.3–2.5× faster than FlashAttention in Triton" (Dao 2023 §4.1)', () => {
    expect(FLASH1_SLOWDOWN).toBe(1.9);
    // A100: 200 / 312 forward and 165 / 312 backward, each / 1.9, at the sustained clock 1305 / 1410
    expect(attentionEfficiency(a100, 'flash1', 'forward', 128, 8192)).toBeCloseTo((200 / 312 / 1.9) * (1305 / 1410), 12);
    expect(attentionEfficiency(a100, 'flash1', 'backward', 128, 8192)).toBeCloseTo((165 / 312 / 1.9) * (1305 / 1410), 12);
    // H100: FlashAttention-2's 330 / 989 / 1.9, times the sustained clock 700 / 828
    expect(attentionEfficiency(h100, 'flash1', 'forward', 128, 8192)).toBeCloseTo((330 / 989 / 1.9) * (700 / 828), 12);
    // a device with only a fused entry (B200) derives it from that: cuDNN's 1574 of 2500, / 1.9
    expect(attentionProfile(ACCELERATOR_SPECS.get('b200')!, 'flash1').forward).toBeCloseTo(1574 / 2500 / 1.9, 12);
  });

  test('Blackwell: cuDNN 9.22\'s published causal head-dim-128 8k runs; Blackwell Ultra\'s doubled exponential rate shows in the forward', () => {
    // GB200 1574 forward, 1332 backward TFLOP/s of 2500; GB300 1856 and 1435; B200 and B300 as their Grace siblings
    const sustained = 1440 / 1745;
    expect(attentionEfficiency(ACCELERATOR_SPECS.get('gb200')!, 'fused', 'forward', 128, 8192)).toBeCloseTo(0.6296 * sustained, 12);
    expect(attentionEfficiency(ACCELERATOR_SPECS.get('gb300')!, 'fused', 'backward', 128, 8192)).toBeCloseTo(0.574 * sustained, 12);
    expect(attentionProfile(ACCELERATOR_SPECS.get('b300')!, 'fused').forward).toBeCloseTo(0.7424, 12);
    expect(attentionProfile(ACCELERATOR_SPECS.get('b200')!, 'fused').backward).toBeCloseTo(0.5328, 12);
  });

  test('a sliding window of w keys costs causal attention over 2·w + 128: the band\'s w + 128 keys a query', () => {
    // GPT-OSS: w = 128 in 4096-token sequences: s_eq = 384, whose causal kernel reads
    // (384 + 128) / 2 = 256 = w + 128 keys a query
    expect(windowSequence(4096, 128)).toBe(384);
    expect(causalAttentionFlops(8192, 384, 64, 64)).toBeCloseTo(4 * 8192 * 64 * 64 * 256, -3);
    // no window, or one as long as the sequence: the sequence itself
    expect(windowSequence(4096, 0)).toBe(4096);
    expect(windowSequence(4096, 4096)).toBe(4096);
    // H200, 2 × 4096 tokens, 64 heads of 64: the band takes a quarter of full causal attention's
    // forward (the length factor at 384 is 384/896 of 8192/8704, against 4096/4608)
    const h200 = ACCELERATOR_SPECS.get('h200')!;
    const seconds = (s: number) => causalAttentionFlops(8192, s, 64, 64) / (attentionEfficiency(h200, 'fused', 'forward', 64, s) * h200.flopsPerSec);
    const ratio = ((256 / 2112) * (4096 / 4608)) / (384 / 896);
    expect(seconds(384) / seconds(4096)).toBeCloseTo(ratio, 12);
    expect(ratio).toBeCloseTo(0.2514, 4);
  });
});
