// NVSwitch chips as in-network reducers (NVLink SHARP, NCCL's NVLS): how fast one chip's
// reduction units add operands, per switch generation, and how many chips a scale-up domain
// has. A fan-in-n reduction of m output bytes takes (n − 1)·m bytes of additions; a domain's
// chips share that work evenly (every GPU spreads its links over all of them).

/** One NVSwitch generation. */
export interface NvSwitchSpec {
  readonly name: string;
  /** The NVLink generation of its ports (the accelerators' scale-up link). */
  readonly scaleUpLink: string;
  /**
   * Operand bytes one chip's reduction units add per second (a fan-in-n reduction of m bytes is
   * (n − 1)·m of them); undefined where no published measurement binds it.
   */
  readonly reductionBytesPerSec?: number;
  readonly source: string;
}

const GB = 1e9;

/**
 * Generation 4 (NVLink 5, Blackwell). Derived from the one published NVLS run that NVLink's
 * links cannot explain: one GB200 NVL72 rack (72 GPUs, 18 chips) all-reduces 4–8 GiB at
 * 423–429 GB/s algbw (CoreWeave nccl-tests PR #43, test/fixtures/published/coreweave-nccl-tests-
 * gb200-nvl72.yaml), 20% below what its links give 8 × B200 (479 GB/s, whose per-GPU link
 * traffic S(1 + 1/n) is larger), while 6, 7 and 8 B200 GPUs follow the links (stas00
 * ml-engineering). Reduction work per chip, (n − 1)/chips × algbw, is 3.9 × 425 = 1,676 GB/s on
 * the rack and 3.5 × 479 = 1,676 GB/s on 8 B200: the same chips at the same rate, binding on
 * both. In fairway's NVLS pipeline (its per-step barrier and link sharing) 1,740 GB/s a chip
 * reproduces both: 8 × B200 483 GB/s (measured 479), the rack 421 (423–429). NVIDIA's per-chip
 * SHARP figure (FLOP/s) is not what binds here.
 */
const GEN4: NvSwitchSpec = { name: 'nvswitch-gen4', scaleUpLink: 'nvlink5', reductionBytesPerSec: 1740 * GB, source: 'derived: CoreWeave GB200 NVL72 1-rack and S. Bekman 8 x B200 nccl-tests all_reduce at 4-8 GiB (see comment)' };

/** Generation 3 (NVLink 4, Hopper): no published NVLS run on these chips is switch-bound (8 GPUs on 4 chips are link-bound), so unbounded. */
const GEN3: NvSwitchSpec = { name: 'nvswitch-gen3', scaleUpLink: 'nvlink4', source: 'no binding measurement: 8-GPU HGX H100/H200 NVLS runs are link-bound' };

export const NVSWITCH_SPECS: readonly NvSwitchSpec[] = [GEN3, GEN4];

/** The switch generation whose ports are `scaleUpLink`, or undefined. */
export function nvSwitchFor(scaleUpLink: string | null): NvSwitchSpec | undefined {
  return NVSWITCH_SPECS.find((s) => s.scaleUpLink === scaleUpLink);
}

/** Reduction throughput of a domain of `chips` NVSwitch chips on `scaleUpLink` ports (operand bytes/s), or undefined (unbounded). */
export function domainReductionBytesPerSec(scaleUpLink: string | null, chips: number): number | undefined {
  const r = nvSwitchFor(scaleUpLink)?.reductionBytesPerSec;
  return r === undefined ? undefined : r * chips;
}
