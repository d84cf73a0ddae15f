// Shapes of the hardware catalogue. Every bandwidth is per direction, in bytes/s. A spec keeps
// the line rate (what the datasheet says) apart from the effective fraction actually reached
// (what measurements show), so calibration is explicit: the engine uses line × efficiency.

export type LinkType =
  | 'nvlink'
  | 'pcie'
  | 'ethernet'
  | 'infiniband'
  | 'memory'
  | 'inter-socket'
  | 'c2c'
  | 'infinity-fabric'
  | 'on-chip'
  | 'storage';

export interface LinkSpec {
  readonly name: string;
  readonly type: LinkType;
  /** Datasheet line rate, per direction. */
  readonly lineBytesPerSec: number;
  /** Fraction of the line rate that data transfers reach (0 < e ≤ 1). */
  readonly efficiency: number;
  /** One-way latency of one hop over this link (serialisation-independent part). */
  readonly latencySec: number;
  readonly source: string;
}

export interface AcceleratorSpec {
  readonly name: string;
  /** Dense BF16 math throughput. */
  readonly flopsPerSec: number;
  /** Dense FP8 math throughput; null where the math units have no FP8 path (A100, Maia 100). */
  readonly fp8FlopsPerSec: number | null;
  /** Dense NVFP4 math throughput (4-bit inputs with block scales); absent where the math units have no FP4 path (before Blackwell). */
  readonly fp4FlopsPerSec?: number;
  /** Streaming multiprocessors (NVIDIA) or compute units (AMD), etc.: how many GEMM output tiles run at once (gemm-efficiency.ts). */
  readonly sms: number;
  readonly memoryBytes: number;
  readonly memoryBytesPerSec: number;
  /** Scale-up link (NVLink, Infinity Fabric, Ethernet mesh) and its total bandwidth per direction. */
  readonly scaleUpLink: string | null;
  readonly scaleUpBytesPerSec: number;
  /** Host interface (a PCIe generation × width from the link catalogue). */
  readonly hostLink: string;
  /** Integrated network ports (Maia 100: 12 × 400GbE), 0 when the device needs a separate NIC. */
  readonly integratedPorts: number;
  readonly integratedPortLink: string | null;
  /** Seconds one NVLink hop of an NCCL collective step costs above NCCL's tuning table (hardware/nvlink-hop-latency.ts); absent: none. */
  readonly nvlinkHopExtraSec?: number;
  readonly source: string;
}

export interface NicSpec {
  readonly name: string;
  readonly ports: number;
  /** Network link type of each port (a name in the link catalogue). */
  readonly portLink: string;
  readonly hostLink: string;
  readonly source: string;
}

export interface CpuSpec {
  readonly name: string;
  readonly cores: number;
  /** Memory bandwidth of one socket (all channels), line rate. */
  readonly memoryLink: string;
  readonly memoryChannels: number;
  readonly interSocketLink: string | null;
  /**
   * Who makes it, as NCCL's tuner tells hosts apart: on AMD x86 hosts it charges 2 µs (not 1)
   * of network overhead per ring step and caps LL across nodes lower (tuning.cc:178-183,
   * 225-233). Absent: Intel.
   */
  readonly vendor?: 'intel' | 'amd' | 'arm';
  readonly source: string;
}
