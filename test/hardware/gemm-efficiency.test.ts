// The GEMM shape model (src/hardware/gemm-efficiency.ts) against hand-derived values: wave
// quantization, the K-loop depth, the plateaus derived from their published measurements, the
// memory bound, and the FP8 peak.
import { describe, expect, test } from 'vitest';
import { depth, dtypePeak, gemmEfficiency, gemmProfile, gemmSeconds, K_FILL, multiStreamGemmSeconds, sustainedRatio, TE_GEMM_STREAMS, weightGemmSeconds } from '../../src/hardware/gemm-efficiency.js';
import { ACCELERATOR_SPECS } from '../../src/hardware/index.js';

const h100 = ACCELERATOR_SPECS.get('h100-sxm')!;
const a100 = ACCELERATOR_SPECS.get('a100-sxm')!;

describe('GEMM efficiency', () => {
  test('plateaus come from the published measurements: sustained 700 of 989 TFLOP/s at K = 2816 (H100 BF16)', () => {
    // plateau = (700 / 989.4) / depth(2816) with depth(K) = K / (K + 128)
    const bf16 = gemmProfile(h100).plateau.bf16;
    expect(bf16).toBeCloseTo(700 / 989.4 / (2816 / (2816 + 128)), 12);
    // so a GEMM at the measured K and a perfect wave count reproduces the measurement
    expect(bf16 * depth(2816, 'bf16') * h100.flopsPerSec).toBeCloseTo(700e12, -6);
    // FP8: DeepGEMM's burst plateau 1400 of 1978.9, times the sustained/burst ratio 700/828
    expect(gemmProfile(h100).plateau.fp8).toBeCloseTo((1400 / 1978.9) * (700 / 828), 12);
    expect(sustainedRatio(h100)).toBeCloseTo(700 / 828, 12);
    // A100: the clock it sustains at its 400 W limit under tensor-core matmul, 1305 of 1410 MHz
    expect(sustainedRatio(a100)).toBeCloseTo(1305 / 1410, 12);
  });

  test('the best measured shape is a ceiling: a deeper K does not lift a GEMM above it (MAMF is the maximum of a scan)', () => {
    // A100: 267.9 of 312 at K = 2048 was the scan's best (a burst at the 1410 MHz boost), sustained
    // at 1305 MHz: 0.8587 · 1305/1410 = 0.7947 (248 TFLOP/s); the plateau extrapolated to K = 4096
    // gives 0.7947 · (2176/2048) · 4096/4224 = 0.8188, capped at 0.7947
    const sustained = (267.9 / 312) * (1305 / 1410);
    const big = (acc: typeof a100, k: number) => gemmEfficiency(acc, 256 * 108 * 4, 128 * 8, k, 'bf16');
    expect(gemmProfile(a100).plateau.bf16 * depth(4096, 'bf16')).toBeCloseTo(0.8188, 4);
    expect(big(a100, 4096)).toBeCloseTo(sustained, 12);
    expect(big(a100, 1 << 16)).toBeCloseTo(sustained, 12);
    // below the measured K the pipeline fill still lowers it: K = 512 → plateau · 512/640
    expect(big(a100, 512)).toBeCloseTo(gemmProfile(a100).plateau.bf16 * (512 / 640), 12);
    // H100 BF16: capped at the sustained 700 of 989.4 (K = 8192 would extrapolate to 0.7283)
    expect(gemmEfficiency(h100, 128 * 132, 256, 8192, 'bf16')).toBeCloseTo(700 / 989.4, 12);
    // H100 FP8 is not capped: DeepGEMM still rises at K = 16384
    expect(gemmEfficiency(h100, 128 * 132, 256, 16384, 'fp8')).toBeCloseTo(gemmProfile(h100).plateau.fp8! * depth(16384, 'fp8'), 12);
  });

  test('GB200: its own MAMF (BF16 1822 of 2500 at K = 2048, FP8 3615.6 of 5000) at B200\'s sustained ratio', () => {
    const gb200 = ACCELERATOR_SPECS.get('gb200')!;
    expect([gb200.flopsPerSec, gb200.fp8FlopsPerSec]).toEqual([2500e12, 5000e12]);
    expect(sustainedRatio(gb200)).toBeCloseTo(1440 / 1745, 12);
    // ceiling 1822/2500 · 1440/1745 = 0.6014: 1503 TFLOP/s sustained against B200's 1440
    expect(gemmProfile(gb200).ceiling.bf16! * 2500).toBeCloseTo(1503.5, 1);
    // FP8: 3615.6 · 1440/1745 = 2983.6 TFLOP/s of 5000
    expect(gemmProfile(gb200).ceiling.fp8! * 5000).toBeCloseTo(2983.6, 1);
  });

  test('depth: a tile pays K_FILL K-steps of fixed time (BF16 128, FP8 640)', () => {
    expect(K_FILL).toEqual({ bf16: 128, fp8: 640, fp4: 640 });
    expect(depth(128, 'bf16')).toBe(0.5);
    expect(depth(640, 'fp8')).toBe(0.5);
    // the fit to DeepGEMM's H800 FP8 rows at M = 4096 (burst 1400 TFLOP/s × depth): K 2048 → 1067 (measured 1025), 16384 → 1347 (1358)
    expect(1400 * depth(2048, 'fp8')).toBeCloseTo(1066.7, 0);
    expect(1400 * depth(16384, 'fp8')).toBeCloseTo(1347.4, 0);
  });

  test('waves: 4096 × 4096 on 132 SMs with 128 × 256 tiles is 512 tiles in 4 waves of 132', () => {
    // tiles = 32 · 16 = 512, waves = ⌈512/132⌉ = 4, efficiency 512 / 528
    // (K = 4096 is deep enough that the ceiling, 700/989.4, applies rather than plateau · depth)
    const e = gemmEfficiency(h100, 4096, 4096, 4096, 'bf16');
    expect(e).toBeCloseTo((700 / 989.4) * (512 / 528), 12);
    // one tile more than a full wave costs a whole wave: 133 tiles (M = 133·128, N = 256) run at 133/264
    const w = gemmEfficiency(h100, 133 * 128, 256, 1 << 20, 'bf16') / (700 / 989.4);
    expect(w).toBeCloseTo(133 / 264, 12);
  });

  test('a skinny GEMM is memory-bound: M = 1 streams its K × N weights', () => {
    // 1 × 8192 × 8192 in BF16: 2 · 8192² bytes of weights (plus the vectors) at 90% of 3.35 TB/s
    const bytes = (8192 + 8192 * 8192) * 2 + 8192 * 2;
    expect(gemmSeconds(h100, 1, 8192, 8192, 'bf16')).toBeCloseTo(bytes / (3350e9 * 0.9), 12);
  });

  test('FP8 runs at the FP8 peak; A100 has none', () => {
    expect(dtypePeak(h100, 'fp8')).toBeCloseTo(1978.9e12, -6);
    expect(dtypePeak(h100, 'bf16')).toBeCloseTo(989.4e12, -6);
    expect(() => dtypePeak(a100, 'fp8')).toThrow(/a100-sxm has no FP8/);
    // the same large GEMM in FP8 takes less time than in BF16 by the ratio of peak × plateau × depth
    const [m, n, k] = [8192, 8192, 8192];
    const ratio = gemmSeconds(h100, m, n, k, 'bf16') / gemmSeconds(h100, m, n, k, 'fp8');
    const p = gemmProfile(h100).plateau;
    // BF16 at its ceiling (700/989.4), FP8 at plateau · depth
    expect(ratio).toBeCloseTo((1978.9 * p.fp8! * depth(k, 'fp8')) / (989.4 * (700 / 989.4)), 9);
  });

  test('partial tiles compute in full; small dimensions get a smaller power-of-two tile', () => {
    // M = 200 rows: two 128-row tiles, fill 200/256; M = 100 (< 128): one 128-row tile, fill 100/128;
    // M = 60: a 64-row tile, fill 60/64. N = 4096 (16 full tiles), K huge (depth → its limit)
    const e = (m: number) => gemmEfficiency(h100, m, 4096, 1 << 20, 'bf16', 64) / (700 / 989.4);
    // 64 groups keep the waves full enough that fill alone differs: compare against the same tile count
    const waves = (tiles: number) => tiles / (Math.ceil(tiles / 132) * 132);
    expect(e(200)).toBeCloseTo((200 / 256) * waves(64 * 2 * 16), 12);
    expect(e(100)).toBeCloseTo((100 / 128) * waves(64 * 16), 12);
    expect(e(60)).toBeCloseTo((60 / 64) * waves(64 * 16), 12);
  });

  test("Transformer Engine's grouped GEMM: one kernel per expert, 4 streams at a time, so small experts leave waves part-empty", () => {
    // Qwen3-30B-A3B's FC1 on a B200 rank (EP 8: 16 local experts; micro-batch 4 × 4096 tokens, top-8
    // of 128: 1024 rows an expert), FP8, N = 2·768 = 1536, K = 2048, tile 256×256, 148 SMs.
    const b200 = ACCELERATOR_SPECS.get('b200')!;
    const [m, n, k] = [1024, 1536, 2048];
    expect(TE_GEMM_STREAMS).toBe(4);
    // per expert 4 × 6 = 24 tiles; 4 concurrent: 96 tiles in one wave of 148 (0.6486 full),
    // where one grouped kernel of 16 would run 384 tiles in 3 waves (0.8649 full)
    const perRound = gemmSeconds(b200, m, n, k, 'fp8', 4);
    expect(gemmEfficiency(b200, m, n, k, 'fp8', 4) / gemmEfficiency(b200, m, n, k, 'fp8', 16)).toBeCloseTo((96 / 148) / (384 / 444), 12);
    // 16 experts: 4 rounds, 3 boundaries between them on each stream
    expect(multiStreamGemmSeconds(b200, m, n, k, 'fp8', 16, 3.44e-6)).toBeCloseTo(4 * perRound + 3 * 3.44e-6, 15);
    expect(multiStreamGemmSeconds(b200, m, n, k, 'fp8', 16, 0) / gemmSeconds(b200, m, n, k, 'fp8', 16)).toBeCloseTo(384 / 444 / (96 / 148), 9);
    // up to 4 experts: one round, the grouped figure; 6 experts: a round of 4 and one of 2
    expect(multiStreamGemmSeconds(b200, m, n, k, 'fp8', 3, 1e-6)).toBe(gemmSeconds(b200, m, n, k, 'fp8', 3));
    expect(multiStreamGemmSeconds(b200, m, n, k, 'fp8', 6, 1e-6)).toBeCloseTo(perRound + gemmSeconds(b200, m, n, k, 'fp8', 2) + 1e-6, 15);
  });
});

describe('Blackwell Ultra', () => {
  test('B300 from its own MAMF (BF16 1769.0 of 2250, FP8 3353.3 of 4500) at B200\'s sustained ratio; GB300 takes GB200\'s fractions (no measurement)', () => {
    const get = (n: string) => ACCELERATOR_SPECS.get(n)!;
    expect(gemmProfile(get('b300')).ceiling.bf16).toBeCloseTo((1769.0 / 2250) * (1440 / 1745), 12);
    expect(gemmProfile(get('b300')).plateau.fp8).toBeCloseTo((3353.3 / 4500) * (1440 / 1745), 12);
    expect(gemmProfile(get('gb300')).ceiling).toEqual(gemmProfile(get('gb200')).ceiling);
    expect(gemmProfile(get('gb200')).ceiling.fp8).toBeCloseTo((3615.6 / 5000) * (1440 / 1745), 12);
    expect([get('b300').flopsPerSec, get('b300').fp8FlopsPerSec]).toEqual([get('b200').flopsPerSec, get('b200').fp8FlopsPerSec]);
    expect(sustainedRatio(get('gb300'))).toBe(1440 / 1745);
  });
});

describe('NVFP4', () => {
  const b200 = ACCELERATOR_SPECS.get('b200')!;
  test('Blackwell runs FP4 at its own dense peak (B200 10, GB300 15 PFLOP/s); Hopper has none', () => {
    expect(dtypePeak(b200, 'fp4')).toBe(10_000e12);
    expect(dtypePeak(ACCELERATOR_SPECS.get('gb300')!, 'fp4')).toBe(15_000e12);
    expect(() => dtypePeak(h100, 'fp4')).toThrow(/no FP4 math/);
  });

  test('an FP4 GEMM reaches FP8\'s fraction of its peak (no FP4 measurement): a large square GEMM on B200 takes 4.5 / 10 of the FP8 time', () => {
    expect(gemmEfficiency(b200, 8192, 8192, 8192, 'fp4')).toBe(gemmEfficiency(b200, 8192, 8192, 8192, 'fp8'));
    expect(gemmSeconds(b200, 8192, 8192, 8192, 'fp4') / gemmSeconds(b200, 8192, 8192, 8192, 'fp8')).toBeCloseTo(4.5 / 10, 12);
  });

  test('a decode GEMM reads its FP4 weights: half a byte and an FP8 scale per 16 values, 0.5625 B a weight', () => {
    // M = 8 rows through an 8192 × 8192 weight: bytes = 8·8192·0.5625 (A) + 8192·8192·0.5625 (B) + 8·8192·2 (C), at 0.9 of 8 TB/s
    const bytes = 8 * 8192 * 0.5625 + 8192 * 8192 * 0.5625 + 8 * 8192 * 2;
    expect(gemmSeconds(b200, 8, 8192, 8192, 'fp4')).toBeCloseTo(bytes / (8000e9 * 0.9), 15);
  });
});

describe('weight-only 4-bit (w4a16)', () => {
  test('a decode GEMM reads 4-bit weights with a scale byte per 32 (0.53125 B a weight) and 16-bit activations', () => {
    // M = 8 rows through an 8192 × 8192 weight on H100: 8·8192·2 (A) + 8192·8192·0.53125 (B) + 8·8192·2 (C) bytes at 0.9 of 3.35 TB/s
    const bytes = 8 * 8192 * 2 + 8192 * 8192 * 0.53125 + 8 * 8192 * 2;
    expect(weightGemmSeconds(h100, 8, 8192, 8192, 'w4a16')).toBeCloseTo(bytes / (3350e9 * 0.9), 15);
    // about 3.7 times faster than the same GEMM in BF16 (2 B a weight)
    expect(gemmSeconds(h100, 8, 8192, 8192, 'bf16') / weightGemmSeconds(h100, 8, 8192, 8192, 'w4a16')).toBeCloseTo((8 * 8192 * 4 + 8192 * 8192 * 2) / bytes, 12);
  });

  test('a prefill GEMM multiplies at the BF16 rate: a large square GEMM takes BF16\'s time; other dtypes pass through to gemmSeconds', () => {
    expect(weightGemmSeconds(h100, 8192, 8192, 8192, 'w4a16')).toBe(gemmSeconds(h100, 8192, 8192, 8192, 'bf16'));
    expect(weightGemmSeconds(h100, 64, 4096, 4096, 'fp8', 4)).toBe(gemmSeconds(h100, 64, 4096, 4096, 'fp8', 4));
  });
});
