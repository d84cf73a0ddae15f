// Kernel efficiency by class: the fraction of the roofline (max(FLOPs/peak, bytes/HBM)) a
// well-tuned kernel of that class reaches on current accelerators. A kernel of efficiency e is
// charged FLOPs/e and bytes/e, so alone it takes roofline/e and it keeps its units that busy.
// Workload operations override these per operation (`efficiency:`).
/** The kinds of kernel whose efficiency the catalogue knows. */
export type KernelClass = 'roofline' | 'gemm' | 'attention' | 'elementwise';

export interface KernelEfficiency {
  readonly efficiency: number;
  readonly source: string;
}

export const KERNEL_EFFICIENCY: ReadonlyMap<KernelClass, KernelEfficiency> = new Map<KernelClass, KernelEfficiency>([
  ['roofline', { efficiency: 1, source: 'ideal roofline (no derating); the default when an operation names no class' }],
  [
    'gemm',
    {
      efficiency: 0.7,
      source: 'large BF16 GEMMs through cuBLAS reach roughly 650–750 TFLOP/s of the H100 SXM\'s 989 dense peak in public measurements; 0.7 is the middle',
    },
  ],
  [
    'attention',
    {
      efficiency: 0.55,
      source: 'FlashAttention-2 reaches ~35% of H100 peak and FlashAttention-3 up to 75% in FP16 (Shah et al. 2024, arXiv:2407.08608); 0.55 for typical training shapes',
    },
  ],
  [
    'elementwise',
    {
      efficiency: 0.9,
      source: 'memory-bound kernels (copies, norms, activations) stream at ~90% of HBM bandwidth in microbenchmarks (e.g. Luo et al. 2024, "Benchmarking and Dissecting the Nvidia Hopper GPU Architecture")',
    },
  ],
]);

export const KERNEL_CLASSES: readonly KernelClass[] = [...KERNEL_EFFICIENCY.keys()];
