// GEMM efficiency as a function of device, shape and data type: how long cuBLAS-class kernels
// take for C[M×N] = A[M×K]·B[K×N], as a fraction of the dense peak of their data type.
//
//   efficiency = min(plateau(device, dtype) × depth(K), ceiling(device, dtype)) × fill(M, N) × waves(M, N)
//   time       = max(2·M·N·K / (efficiency × peak(dtype)), operand bytes / (HBM × streaming))
//
// - plateau: what the device's library GEMMs reach on large, well-aligned shapes with an
//   unbounded K, as a fraction of the datasheet peak, with the chip saturated at its power limit
//   (as in a training step, where GEMMs run back to back for seconds). It is derived from a
//   measurement at some K (the Maximum Sustainable Matmul FLOPS, MSMF, or where only that is
//   published the boost-clock burst, MAMF; sources per entry) by dividing out depth(K);
// - ceiling: the measurement itself where it is the best of a scan over shapes (MAMF searches
//   M, N and K up to 16–20 k and reports the maximum): no shape, however deep its K, did better,
//   so depth(K) may lower a shallow GEMM below it but never lift a deep one above it. Without the
//   cap the extrapolated plateau put A100 GEMMs of K = 4096 at 276 TFLOP/s, above the 267.9 that
//   the scan found best. FP8 on Hopper has no ceiling: DeepGEMM's rows still rise at K = 16384;
// - waves: wave quantization. The output is cut into tiles of `tile` = [tm, tn]; a GPU runs
//   `sms` tiles at once, so ⌈tiles / sms⌉ waves take the time of full ones:
//   waves = tiles / (⌈tiles / sms⌉ · sms); and partial tiles at the edges compute in full
//   (fill = M·N / tile area), which matters for grouped GEMMs of few rows per group (MoE); a
//   dimension smaller than the tile gets the power-of-two tile that covers it (at least 16);
// - depth: each tile's main loop over K is preceded by filling the pipeline and followed by the
//   epilogue that writes the tile, a fixed time worth `kFill(dtype)` K-steps:
//   depth = K / (K + kFill). BF16: 128 (two 64-deep K-blocks; keeps the MAMF winners, K = 1.5–3 k,
//   within a few percent of the best); FP8: 640, fitted to DeepGEMM's H800 FP8 table at M = 4096
//   (K 512 → 590, 1536 → 990, 2048 → 1025, 7168 → 1304, 16384 → 1358 TFLOP/s).
// The memory bound counts A and B read once and C written once (large GEMMs stream their
// operands through L2; the bound matters only for skinny shapes).
import type { AcceleratorSpec } from './types.js';

/** Data types of GEMM inputs with their own math rate (fp4: NVFP4, 4-bit values with an FP8 scale per 16, on Blackwell). */
export type MathDtype = 'bf16' | 'fp8' | 'fp4';

/** Bytes one GEMM input element takes: NVFP4 is half a byte and an FP8 scale per 16 elements. */
export const INPUT_BYTES: Readonly<Record<MathDtype, number>> = { bf16: 2, fp8: 1, fp4: 0.5 + 1 / 16 };

export interface GemmProfile {
  /** Matmul FLOP/s at unbounded K / datasheet peak per data type, sustained where measured so (fp8 absent: no FP8 math). */
  readonly plateau: { readonly bf16: number; readonly fp8?: number };
  /** The best measured fraction of peak per data type, where it is the maximum of a shape scan: no GEMM exceeds it (absent: no cap). */
  readonly ceiling: { readonly bf16?: number; readonly fp8?: number };
  /** Output tile of the library's large-GEMM kernels, [M, N]. */
  readonly tile: readonly [number, number];
  readonly source: string;
}

/** K-steps worth of fixed time per output tile (pipeline fill and epilogue), per input data type. */
export const K_FILL: Readonly<Record<MathDtype, number>> = { bf16: 128, fp8: 640, fp4: 640 };
/** Fraction of the HBM datasheet rate a GEMM's operand streams reach (as elementwise kernels). */
export const GEMM_STREAMING = 0.9;

/** depth(K) for `dtype`: the fraction of a tile's time spent in its main loop. */
export function depth(k: number, dtype: MathDtype): number {
  return k / (k + K_FILL[dtype]);
}

/** The plateau (unbounded K) of a GEMM measured at `fraction` of peak with reduction depth `k`. */
const atInfinity = (fraction: number, k: number, dtype: MathDtype) => fraction / depth(k, dtype);

const MAMF_SOURCE = 'S. Bekman, ml-engineering, compute/accelerator README "Maximum Achievable Matmul FLOPS comparison table" (mamf-finder.py, torch matmul, BF16 and FP8)';
const MSMF_SOURCE = 'S. Bekman, ml-engineering, compute/accelerator/benchmarks README, "alone vs all-8 concurrent": sustained (MSMF, power-saturated) BF16 of H200 698.6–702.9 TFLOP/s against a 828 burst (MAMF), of B200 1426–1456 against 1733–1757; taken at the MAMF winners\' K (H100: 6144×17920×2816)';
const FP8_SOURCE = 'FP8: DeepGEMM README (deepseek-ai/DeepGEMM, 2025), H800 (H100 SXM silicon), M = 4096 rows fitted as plateau × K / (K + 640) with a burst plateau of 1400 TFLOP/s, times the BF16 sustained/burst ratio (700/828): FP8 GEMMs hit the same power limit';

/**
 * A100 SXM at its 400 W limit: the clock it sustains under dense tensor-core matmul, 1305 MHz,
 * of its 1410 MHz boost (the clock NVIDIA rated A100 systems' HPL Rpeak at; G. K. Lockwood,
 * "Peak FLOPS", glennklockwood.com/garden/peak-FLOPS). No sustained BF16 matmul figure is
 * published for A100; its MAMF (267.9 of 312 TFLOP/s) is a burst at the boost clock.
 */
const A100_SUSTAINED = 1305 / 1410;
const A100_BF16 = (267.9 / 312) * A100_SUSTAINED;
const A100_SOURCE = `${MAMF_SOURCE}: A100 SXM 267.9 of 312 TFLOP/s at 6912×16384×2048 (CUDA 12.1), a burst at the 1410 MHz boost, times the clock A100 sustains at its power limit under tensor-core matmul (1305/1410: the clock of NVIDIA's A100 HPL Rpeak, G. K. Lockwood, "Peak FLOPS"); tile: cuBLAS ampere_bf16_s16816gemm 256×128`;
const HOPPER_BF16 = atInfinity(700 / 989.4, 2816, 'bf16');
const HOPPER_FP8 = ((1400 / 1978.9) * 700) / 828;
/** GB200: its measured BF16 and FP8 MAMF at B200's sustained ratio (sources in the entry). */
const GB200_BF16 = ((1822 / 2500) * 1440) / 1745;
const GB200_FP8 = ((3615.6 / 5000) * 1440) / 1745;
/** B300: its own MAMF (BF16 1769.0 of 2250 at K = 1024, FP8 3353.3 of 4500), at B200's sustained/burst ratio. */
const B300_BF16 = ((1769.0 / 2250) * 1440) / 1745;
const B300_FP8 = ((3353.3 / 4500) * 1440) / 1745;
/** Hopper's BF16 ceiling: the sustained figure at the scan's best shape; FP8 uncapped (DeepGEMM still rises at K = 16384). */
const HOPPER_CEILING = { bf16: 700 / 989.4 };

const PROFILES: ReadonlyMap<string, GemmProfile> = new Map<string, GemmProfile>([
  ['a100-sxm', { plateau: { bf16: atInfinity(A100_BF16, 2048, 'bf16') }, ceiling: { bf16: A100_BF16 }, tile: [256, 128], source: A100_SOURCE }],
  ['a100-sxm-40gb', { plateau: { bf16: atInfinity(A100_BF16, 2048, 'bf16') }, ceiling: { bf16: A100_BF16 }, tile: [256, 128], source: 'the A100 SXM 80GB entry: the same SMs, clocks and 400 W limit (the MAMF table lists A100 SXM without the memory size)' }],
  ['h100-sxm', { plateau: { bf16: HOPPER_BF16, fp8: HOPPER_FP8 }, ceiling: HOPPER_CEILING, tile: [128, 256], source: `${MSMF_SOURCE} (H100 SXM: the same SMs, clocks and 700 W limit as H200; its burst MAMF, 792.1, matches H200's); ${FP8_SOURCE}; tile: CUTLASS/cuBLAS sm90 WGMMA 128×256` }],
  ['h200', { plateau: { bf16: HOPPER_BF16, fp8: HOPPER_FP8 }, ceiling: HOPPER_CEILING, tile: [128, 256], source: `${MSMF_SOURCE}; ${FP8_SOURCE}; tile: sm90 WGMMA 128×256` }],
  ['b200', { plateau: { bf16: atInfinity(1440 / 2250, 2816, 'bf16'), fp8: ((3432.5 / 4500) * 1440) / 1745 }, ceiling: { bf16: 1440 / 2250, fp8: ((3432.5 / 4500) * 1440) / 1745 }, tile: [256, 256], source: `${MSMF_SOURCE}; FP8 MAMF 3432.5 of 4500 TFLOP/s (S. Bekman, H200 → B200 upgrade guide) times B200's sustained/burst ratio (1440/1745), taken as the unbounded-K plateau (the winning shape's K is not published); tile: sm100 2-SM UMMA 256×256` }],
  ['gb200', { plateau: { bf16: atInfinity(GB200_BF16, 2048, 'bf16'), fp8: GB200_FP8 }, ceiling: { bf16: GB200_BF16, fp8: GB200_FP8 }, tile: [256, 256], source: `${MAMF_SOURCE}: GB200 SXM 1822 of 2500 TFLOP/s at 4096×9728×2048, times B200's sustained/burst ratio (1440/1745: the same silicon; no GB200 sustained figure is published); FP8 MAMF 3615.6 of 5000 TFLOP/s at 19456×5120×1536, at the same ratio, taken as the plateau as B200's; tile: sm100 2-SM UMMA 256×256` }],
  // Blackwell Ultra: B300 measured (its burst MAMF ≈ B200's); GB300 unmeasured, GB200's fractions
  ['b300', { plateau: { bf16: atInfinity(B300_BF16, 1024, 'bf16'), fp8: B300_FP8 }, ceiling: { bf16: B300_BF16, fp8: B300_FP8 }, tile: [256, 256], source: `${MAMF_SOURCE}: B300 SXM BF16 1769.0 of 2250 TFLOP/s at 12288×18432×1024 and FP8 3353.3 of 4500 at 3072×6144×7168 (torch 2.9.1+cu130), bursts, times B200's sustained/burst ratio (1440/1745; no B300 sustained figure is published); FP8 taken as the plateau as B200's; tile: sm100 2-SM UMMA 256×256` }],
  ['gb300', { plateau: { bf16: atInfinity(GB200_BF16, 2048, 'bf16'), fp8: GB200_FP8 }, ceiling: { bf16: GB200_BF16, fp8: GB200_FP8 }, tile: [256, 256], source: 'no GB300 matmul measurement: the gb200 entry\'s sustained fractions of the same BF16 and FP8 peaks' }],
  ['mi300x', { plateau: { bf16: atInfinity(781.9 / 1307.4, 4864, 'bf16'), fp8: 0.5 }, ceiling: { bf16: 781.9 / 1307.4, fp8: 0.5 }, tile: [256, 256], source: `${MAMF_SOURCE}: MI300X 781.9 of 1300 TFLOP/s at 4096×10240×4864 (ROCm 6.2; the benchmark notes MI300X reaches its 750 W cap within one kernel, so burst ≈ sustained); FP8 0.5: no published figure, taken below BF16's 0.6; tile: hipBLASLt 256×256` }],
]);

/**
 * Sustained over burst matmul throughput (MSMF / MAMF): how much a tensor-core kernel measured
 * alone, at its boost clock, slows once the chip runs at its power limit for the length of a
 * training step: measured (MSMF/MAMF) on Hopper and Blackwell; on A100 the clock it sustains at
 * its power limit under tensor-core matmul over its boost clock (1305/1410 MHz). 1 where nothing
 * is published.
 */
export function sustainedRatio(acc: AcceleratorSpec): number {
  if (acc.name === 'h100-sxm' || acc.name === 'h200') return 700 / 828;
  if (acc.name === 'b200' || acc.name === 'gb200' || acc.name === 'b300' || acc.name === 'gb300') return 1440 / 1745;
  if (acc.name === 'a100-sxm' || acc.name === 'a100-sxm-40gb') return A100_SUSTAINED;
  return 1;
}

/** Devices without a measured profile: Hopper's sustained fractions and a 128×256 tile. */
const GENERIC: GemmProfile = { plateau: { bf16: HOPPER_BF16, fp8: HOPPER_FP8 }, ceiling: HOPPER_CEILING, tile: [128, 256], source: 'no measurement for this device: Hopper\'s sustained plateaus' };

export function gemmProfile(acc: AcceleratorSpec): GemmProfile {
  return PROFILES.get(acc.name) ?? GENERIC;
}

/** The dense peak of `dtype` on `acc`; fails where the device has no such math (FP8 on A100, FP4 before Blackwell). */
export function dtypePeak(acc: AcceleratorSpec, dtype: MathDtype): number {
  if (dtype === 'bf16') return acc.flopsPerSec;
  if (dtype === 'fp4') {
    if (acc.fp4FlopsPerSec === undefined) throw new RangeError(`${acc.name} has no FP4 math units`);
    return acc.fp4FlopsPerSec;
  }
  if (acc.fp8FlopsPerSec === null) throw new RangeError(`${acc.name} has no FP8 math units`);
  return acc.fp8FlopsPerSec;
}

/** A tile side for a dimension of `size`: the library's, or for smaller sizes the power of two that covers it (at least 16), as libraries pick smaller tiles for small problems. */
function fitTile(tile: number, size: number): number {
  return size >= tile ? tile : Math.max(16, 2 ** Math.ceil(Math.log2(size)));
}

/**
 * Fraction of `dtype`'s peak a GEMM of M×N×K reaches on `acc` (the header's model, without the
 * memory bound); `groups` equal GEMMs launched as one grouped GEMM (MoE experts) share the
 * waves, and each pays for its partial tiles: fill = M·N / (⌈M/tm⌉·tm · ⌈N/tn⌉·tn).
 */
export function gemmEfficiency(acc: AcceleratorSpec, m: number, n: number, k: number, dtype: MathDtype, groups = 1): number {
  const p = gemmProfile(acc);
  // FP4 at FP8's fractions: no FP4 GEMM measurement is published; its kernels are the same UMMA tiles at twice the rate
  const lowPrecision = dtype !== 'bf16' && p.plateau.fp8 !== undefined;
  const plateau = lowPrecision ? p.plateau.fp8! : p.plateau.bf16;
  const ceiling = (lowPrecision ? p.ceiling.fp8 : p.ceiling.bf16) ?? Infinity;
  const [tm, tn] = [fitTile(p.tile[0], m), fitTile(p.tile[1], n)];
  const perGroup = Math.ceil(m / tm) * Math.ceil(n / tn);
  const fill = (m * n) / (perGroup * tm * tn);
  const tiles = groups * perGroup;
  const waves = tiles / (Math.ceil(tiles / acc.sms) * acc.sms);
  return Math.min(plateau * depth(k, dtype), ceiling) * fill * waves;
}

/** Seconds of `groups` GEMMs M×N×K (one grouped launch) with inputs of `dtype` and a 16-bit output, alone on `acc`. */
export function gemmSeconds(acc: AcceleratorSpec, m: number, n: number, k: number, dtype: MathDtype, groups = 1): number {
  const flops = 2 * groups * m * n * k;
  const inBytes = INPUT_BYTES[dtype];
  const bytes = groups * ((m * k + k * n) * inBytes + m * n * 2);
  return Math.max(flops / (gemmEfficiency(acc, m, n, k, dtype, groups) * dtypePeak(acc, dtype)), bytes / (acc.memoryBytesPerSec * GEMM_STREAMING));
}

/**
 * Bytes a weight takes stored as 4 bits with a scale per block and multiplied at 16 bits
 * (weight-only quantization: MXFP4 on Hopper, one E8M0 scale byte per 32 values, as vLLM's
 * Marlin and TensorRT-LLM's W4A16_MXFP4 kernels run gpt-oss there; AWQ/GPTQ INT4 with a 16-bit
 * scale per 128 are 0.516).
 */
export const W4A16_WEIGHT_BYTES = 0.5 + 1 / 32;

/** How a GEMM's weights are stored and multiplied: a math dtype, or 4-bit weights with 16-bit math. */
export type WeightDtype = MathDtype | 'w4a16';

/** Rows of the tensor-core tile weight-only kernels use at small batch (Marlin's m16: Frantar et al., "MARLIN: Mixed-Precision Auto-Regressive Parallel Inference on Large Language Models", 2024, near-4x over FP16 up to batch 16-32). */
export const W4A16_ROW_TILE = 16;

/**
 * gemmSeconds for weights stored as `w`. W4A16 multiplies at the BF16 rate (the weights are
 * widened on the way into the tensor cores; that dequantization is not priced) while its weight
 * operand streams at W4A16_WEIGHT_BYTES a value and the activations at 2. From 128 rows on it
 * runs as a BF16 GEMM of that shape; below, as its kernels do for decode batches, in 16-row
 * tiles spread over every SM (Marlin partitions K in stripes across them) at the efficiency of
 * a GEMM that fills the GPU (8,192 rows), so a small batch pays its padded rows, not a large
 * tile's or an empty wave's.
 */
export function weightGemmSeconds(acc: AcceleratorSpec, m: number, n: number, k: number, w: WeightDtype, groups = 1): number {
  if (w !== 'w4a16') return gemmSeconds(acc, m, n, k, w, groups);
  const rows = m >= 128 ? m : W4A16_ROW_TILE * Math.ceil(m / W4A16_ROW_TILE);
  const flops = 2 * groups * rows * n * k;
  const bytes = groups * (m * k * 2 + k * n * W4A16_WEIGHT_BYTES + m * n * 2);
  return Math.max(flops / (gemmEfficiency(acc, m >= 128 ? m : 8192, n, k, 'bf16', groups) * dtypePeak(acc, 'bf16')), bytes / (acc.memoryBytesPerSec * GEMM_STREAMING));
}

/**
 * Streams Transformer Engine's grouped GEMM spreads its GEMMs over. TE's GroupedLinear (what
 * Megatron-Core's TEGroupedMLP runs a rank's experts with) has one backend, a loop of cuBLAS
 * GEMMs, one per expert, issued round-robin on 4 compute streams
 * (transformer_engine/common/gemm/cublaslt_gemm.cpp, nvte_multi_stream_cublas_gemm: "For now, we
 * only have multi-stream cublas backend"; common/util/multi_stream.cpp, get_num_compute_streams:
 * 4): at most 4 experts' GEMMs share the SMs at a time, so small experts leave waves part-empty
 * where a single grouped kernel would fill them.
 */
export const TE_GEMM_STREAMS = 4;

/**
 * Seconds of `groups` equal GEMMs M×N×K run as Transformer Engine runs a grouped GEMM: separate
 * kernels, `streams` at a time. Each round of up to `streams` concurrent GEMMs shares the waves
 * (gemmSeconds with that many groups); the rounds follow one another on each stream, each
 * after the first paying a kernel boundary (`boundarySec`: launch, drain, pipeline fill).
 */
export function multiStreamGemmSeconds(acc: AcceleratorSpec, m: number, n: number, k: number, dtype: MathDtype, groups: number, boundarySec: number, streams = TE_GEMM_STREAMS): number {
  const full = Math.floor(groups / streams);
  const rest = groups - full * streams;
  const rounds = full + (rest > 0 ? 1 : 0);
  const fullSec = full > 0 ? full * gemmSeconds(acc, m, n, k, dtype, streams) : 0;
  const restSec = rest > 0 ? gemmSeconds(acc, m, n, k, dtype, rest) : 0;
  return fullSec + restSec + (rounds - 1) * boundarySec;
}
