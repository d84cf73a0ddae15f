// Catalogue of interconnects: PCIe generations and widths, NVLink generations, Ethernet and
// InfiniBand ports, DDR5 channels, inter-socket and chip-to-chip links. Line rates are per
// direction from the standards/datasheets; efficiencies and latencies are typical measured
// values (sources inline) and can be overridden per topology file.
import type { LinkSpec } from './types.js';

const GB = 1e9;

// PCIe: lanes × transfer rate × encoding / 8 bits. Gen4 16 GT/s and Gen5 32 GT/s use 128b/130b;
// Gen6 64 GT/s uses PAM4 FLITs (242 of 256 bytes carry TLP data). Source: PCI-SIG base specs
// 4.0/5.0/6.0. Efficiency 0.85: TLP+DLLP overhead at 256-byte max payload (~10%) plus flow
// control; matches cudaMemcpy pinned H2D of ~53-55 GB/s on Gen5 x16 (H100) and ~26 GB/s on Gen4
// x16 (A100) in NVIDIA's bandwidthTest. Latency 150 ns per hop: PCIe switch port-to-port
// latency of Broadcom PEX89000-class Gen5 switches (~115 ns) plus link/retimer delay.
function pcie(gen: 4 | 5 | 6, lanes: 8 | 16): LinkSpec {
  const perLane = gen === 4 ? (16 * 128) / 130 / 8 : gen === 5 ? (32 * 128) / 130 / 8 : (64 * 242) / 256 / 8;
  return {
    name: `pcie-gen${gen}-x${lanes}`,
    type: 'pcie',
    lineBytesPerSec: perLane * lanes * GB,
    efficiency: 0.85,
    latencySec: 150e-9,
    source: `PCI-SIG PCIe ${gen}.0 base spec (${gen === 6 ? '64 GT/s FLIT' : gen === 5 ? '32 GT/s 128b/130b' : '16 GT/s 128b/130b'}); efficiency from bandwidthTest`,
  };
}

const SPECS: LinkSpec[] = [
  pcie(4, 8), pcie(4, 16), pcie(5, 8), pcie(5, 16), pcie(6, 8), pcie(6, 16),
  // NVLink per GPU, all links aggregated (traffic is striped over every link to the NVSwitch
  // planes, so one aggregate pipe models it). NVLink3: 12 links × 25 GB/s/dir (A100);
  // NVLink4: 18 × 25 (H100/H200); NVLink5: 18 × 50 (B200/GB200). Source: NVIDIA A100/H100/B200
  // datasheets. Efficiency 0.8: nccl-tests ring all-reduce busbw ~360 GB/s of 450 on DGX H100
  // without NVLS. Latency ~0.5 us per GPU-NVSwitch hop (NCCL's LL protocol tuning tables).
  { name: 'nvlink3', type: 'nvlink', lineBytesPerSec: 300 * GB, efficiency: 0.8, latencySec: 0.5e-6, source: 'NVIDIA A100 datasheet: 600 GB/s bidirectional' },
  { name: 'nvlink4', type: 'nvlink', lineBytesPerSec: 450 * GB, efficiency: 0.8, latencySec: 0.5e-6, source: 'NVIDIA H100 datasheet: 900 GB/s bidirectional' },
  { name: 'nvlink5', type: 'nvlink', lineBytesPerSec: 900 * GB, efficiency: 0.8, latencySec: 0.5e-6, source: 'NVIDIA B200 datasheet: 1.8 TB/s bidirectional' },
  // Network ports. Efficiency: RoCEv2/IB headers at 4 KiB MTU cost ~2-3%; ib_write_bw reaches
  // ~97% of 400 Gb/s on ConnectX-7. Latency: ~0.6 us per switch hop for Ethernet (Tomahawk-class
  // cut-through plus cable and SerDes), ~0.25 us for NDR InfiniBand (Quantum-2 switch ~130 ns).
  { name: 'ethernet-100g', type: 'ethernet', lineBytesPerSec: 12.5 * GB, efficiency: 0.95, latencySec: 0.6e-6, source: 'IEEE 802.3 100GBASE' },
  { name: 'ethernet-200g', type: 'ethernet', lineBytesPerSec: 25 * GB, efficiency: 0.95, latencySec: 0.6e-6, source: 'IEEE 802.3 200GBASE' },
  { name: 'ethernet-400g', type: 'ethernet', lineBytesPerSec: 50 * GB, efficiency: 0.95, latencySec: 0.6e-6, source: 'IEEE 802.3bs 400GBASE' },
  { name: 'ethernet-800g', type: 'ethernet', lineBytesPerSec: 100 * GB, efficiency: 0.95, latencySec: 0.6e-6, source: 'IEEE 802.3df 800GBASE' },
  { name: 'infiniband-hdr', type: 'infiniband', lineBytesPerSec: 25 * GB, efficiency: 0.97, latencySec: 0.25e-6, source: 'InfiniBand HDR 200 Gb/s' },
  { name: 'infiniband-ndr', type: 'infiniband', lineBytesPerSec: 50 * GB, efficiency: 0.97, latencySec: 0.25e-6, source: 'InfiniBand NDR 400 Gb/s; ConnectX-7 ib_write_bw ~390 Gb/s' },
  { name: 'infiniband-xdr', type: 'infiniband', lineBytesPerSec: 100 * GB, efficiency: 0.97, latencySec: 0.25e-6, source: 'InfiniBand XDR 800 Gb/s' },
  // Memory. DDR5-4800: 4800 MT/s × 8 bytes = 38.4 GB/s per channel (JEDEC JESD79-5); STREAM
  // triad reaches ~75% of the channel sum on Sapphire Rapids / Genoa. ~90 ns idle load latency.
  { name: 'ddr5-4800', type: 'memory', lineBytesPerSec: 38.4 * GB, efficiency: 0.75, latencySec: 90e-9, source: 'JEDEC JESD79-5 DDR5-4800; STREAM ~75%' },
  // Grace LPDDR5X: 480 GB at up to 512 GB/s per Grace CPU (NVIDIA Grace datasheet), as one pipe.
  { name: 'lpddr5x-grace', type: 'memory', lineBytesPerSec: 512 * GB, efficiency: 0.8, latencySec: 110e-9, source: 'NVIDIA Grace CPU datasheet: 512 GB/s LPDDR5X' },
  // Sapphire Rapids: up to 4 UPI 2.0 links at 16 GT/s, ~32 GB/s per direction each.
  { name: 'upi-4x16gt', type: 'inter-socket', lineBytesPerSec: 128 * GB, efficiency: 0.75, latencySec: 130e-9, source: 'Intel Xeon 4th gen: 4 × UPI 2.0 16 GT/s' },
  // AMD Genoa: 4 xGMI links between sockets, ~36 GB/s per direction each at 32 Gbps.
  { name: 'xgmi-4x', type: 'inter-socket', lineBytesPerSec: 144 * GB, efficiency: 0.75, latencySec: 130e-9, source: 'AMD EPYC 9004: 4 × xGMI3' },
  // NVLink-C2C between Grace and Hopper/Blackwell: 900 GB/s bidirectional.
  { name: 'nvlink-c2c', type: 'c2c', lineBytesPerSec: 450 * GB, efficiency: 0.85, latencySec: 0.2e-6, source: 'NVIDIA GH200/GB200 datasheets: NVLink-C2C 900 GB/s' },
  // AMD Infinity Fabric between MI300X GPUs: 128 GB/s bidirectional per peer link (7 links).
  { name: 'infinity-fabric-mi300', type: 'infinity-fabric', lineBytesPerSec: 64 * GB, efficiency: 0.8, latencySec: 0.5e-6, source: 'AMD Instinct MI300X datasheet: 7 × 128 GB/s peer links' },
  // On-die connection between an accelerator and its integrated NIC; wide enough not to bind.
  { name: 'on-chip', type: 'on-chip', lineBytesPerSec: 2000 * GB, efficiency: 1, latencySec: 50e-9, source: 'modelling choice: integrated NIC on the same die' },
  // NVMe drive (Gen4 x4 class, ~7 GB/s sequential read).
  { name: 'nvme-gen4', type: 'storage', lineBytesPerSec: 7 * GB, efficiency: 0.9, latencySec: 80e-6, source: 'typical PCIe Gen4 x4 NVMe SSD datasheets' },
];

/**
 * In-switch reduction (NVLink SHARP, NCCL's NVLS) moves payload at this fraction of the NVLink
 * rate above: multimem loads send read requests up the same links and the switch reduces
 * between request and reply. Calibrated on 8×H100/H200 nccl-tests at 8 GiB, where NVLS's time
 * is its link-bound pipeline plus NCCL_STEP_SYNC per step (nccl-tuning.ts NVLS_STEP_SYNC_US):
 * Azure ND H100 v5 (NCCL 2.18.5) 31,391 µs and ND H200 v5 (2.20.5) 31,319 µs, i.e. 479–480
 * GB/s busbw (test/fixtures/published/azure-ai-benchmarking-guide-nd-h{1,2}00-v5.yaml; Alaya
 * NeW Cloud's table reports 460–480), reached by the simulated pipeline at 0.925. Before the
 * per-step barrier was modelled the same plateau gave 0.85, which left mid sizes 30% fast.
 */
export const NVLINK_SHARP_EFFICIENCY = 0.925;

/**
 * The same fraction per NVLink generation: 0.925 on NVLink4 switches (above) and 0.82 on
 * NVLink5, calibrated the same way on 8×B200 nccl-tests at 8 GiB: 838 GB/s busbw, 17.94 ms
 * (S. Bekman, ml-engineering, NVLS on by default, test/fixtures/published/stas00-ml-engineering-
 * 8xb200.yaml ramp8g-n8-allreduce-default); NCCL's own tuner assumes 0.74.
 */
export function nvlinkSharpEfficiency(scaleUpLink: string | null): number {
  return scaleUpLink === 'nvlink5' ? 0.82 : NVLINK_SHARP_EFFICIENCY;
}

export const LINK_SPECS: ReadonlyMap<string, LinkSpec> = new Map(SPECS.map((s) => [s.name, s]));
