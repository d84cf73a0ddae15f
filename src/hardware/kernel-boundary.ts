// The boundary between two dependent kernels on one GPU: the next kernel's launch, its blocks
// waiting for the last blocks of the one before, and its memory pipeline filling before it
// streams at full rate. Nothing useful moves meanwhile, so a chain of short kernels (a decode
// step: a few kernels a layer, each reading a few tens of MB of weights) reaches well under the
// HBM rate a single long stream does.
//
// Source: Hazy Research, "Look Ma, No Bubbles! Designing a Low-Latency Megakernel for
// Llama-1B" (Spector et al., 2025-05-27): on an H100, batch-1 decoding of Llama-3.2-1B as one
// megakernel uses 78% of the HBM bandwidth and is over 1.5× faster than SGLang (kernels
// separated by CUDA graphs; an empty kernel still costs 1.3 µs there, 2.1 µs without graphs).
// Llama-3.2-1B reads W = 2.47 GB of BF16 weights a token, W / B = 0.737 ms at 3.35 TB/s; SGLang
// then takes 1.5 · W / (0.78 B) = 1.418 ms. fairway costs that step without boundaries at
// 0.853 ms (serving/forward-cost.ts: its GEMMs by hardware/gemm-efficiency.ts, streaming at
// most 0.9 of HBM) and counts 164 kernels in it (16 layers × 10, the embedding gather, final
// norm, LM head and sampling): the difference, 0.564 ms / 164, is 3.44 µs a kernel boundary.
// Measured on Hopper and taken for the other GPUs in the catalogue, which launch and drain
// kernels the same way; a device measurement (bench/device/) would replace it.

/** Seconds one kernel boundary costs a chain of dependent kernels (launch, drain, pipeline fill). */
export const KERNEL_BOUNDARY_SEC = 3.44e-6;
