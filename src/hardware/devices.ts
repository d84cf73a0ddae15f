// Catalogue of accelerators, NICs and CPUs with datasheet figures (sources inline). Math
// throughput is dense (no sparsity) BF16 and FP8; memory bandwidth is the datasheet peak; `sms`
// is the datasheet count of streaming multiprocessors (AMD: compute units; Maia 100: its 64
// tiles, Hot Chips 2024). FP8 null: no FP8 math (A100: Ampere has none; Maia 100: MX formats,
// not catalogued).
import { BLACKWELL_NVLINK_HOP_EXTRA_SEC } from './nvlink-hop-latency.js';
import type { AcceleratorSpec, CpuSpec, NicSpec } from './types.js';

const T = 1e12;
const GB = 1e9;
/** Memory as nvidia-smi reports a device's total (MiB): what the driver exposes, not the decimal datasheet figure. */
const MIB = 2 ** 20;

const ACCELERATORS: AcceleratorSpec[] = [
  { name: 'a100-sxm', flopsPerSec: 312 * T, fp8FlopsPerSec: null, sms: 108, memoryBytes: 81920 * MIB, memoryBytesPerSec: 2039 * GB, scaleUpLink: 'nvlink3', scaleUpBytesPerSec: 300 * GB, hostLink: 'pcie-gen4-x16', integratedPorts: 0, integratedPortLink: null, source: 'NVIDIA A100 datasheet (SXM4 80GB); memory: nvidia-smi total of A100-SXM4-80GB, 81,920 MiB' },
  { name: 'a100-sxm-40gb', flopsPerSec: 312 * T, fp8FlopsPerSec: null, sms: 108, memoryBytes: 40960 * MIB, memoryBytesPerSec: 1555 * GB, scaleUpLink: 'nvlink3', scaleUpBytesPerSec: 300 * GB, hostLink: 'pcie-gen4-x16', integratedPorts: 0, integratedPortLink: null, source: 'NVIDIA A100 datasheet (SXM4 40GB: HBM2 1,555 GB/s); memory: nvidia-smi total of A100-SXM4-40GB, 40,960 MiB' },
  { name: 'h100-sxm', flopsPerSec: 989.4 * T, fp8FlopsPerSec: 1978.9 * T, sms: 132, memoryBytes: 81559 * MIB, memoryBytesPerSec: 3350 * GB, scaleUpLink: 'nvlink4', scaleUpBytesPerSec: 450 * GB, hostLink: 'pcie-gen5-x16', integratedPorts: 0, integratedPortLink: null, source: 'NVIDIA H100 datasheet (SXM5); memory: nvidia-smi total of H100 80GB HBM3, 81,559 MiB' },
  { name: 'h200', flopsPerSec: 989.4 * T, fp8FlopsPerSec: 1978.9 * T, sms: 132, memoryBytes: 143771 * MIB, memoryBytesPerSec: 4800 * GB, scaleUpLink: 'nvlink4', scaleUpBytesPerSec: 450 * GB, hostLink: 'pcie-gen5-x16', integratedPorts: 0, integratedPortLink: null, source: 'NVIDIA H200 datasheet (SXM); memory: nvidia-smi total of H200, 143,771 MiB' },
  { name: 'b200', flopsPerSec: 2250 * T, fp8FlopsPerSec: 4500 * T, fp4FlopsPerSec: 10000 * T, sms: 148, memoryBytes: 183359 * MIB, memoryBytesPerSec: 8000 * GB, scaleUpLink: 'nvlink5', scaleUpBytesPerSec: 900 * GB, hostLink: 'pcie-gen5-x16', integratedPorts: 0, integratedPortLink: null, nvlinkHopExtraSec: BLACKWELL_NVLINK_HOP_EXTRA_SEC, source: 'NVIDIA HGX B200 datasheet (per GPU, dense BF16); memory: nvidia-smi total of B200, 183,359 MiB; dense NVFP4 10 PFLOP/s: S. Bekman, ml-engineering, compute/accelerator README peak table (nvfp4 column, from the DGX B200 datasheet)' },
  // GB200's Blackwell GPU runs at the superchip's higher power (up to 1,200 W): 2.5 PFLOP/s dense
  // BF16 and 5 PFLOP/s dense FP8 per GPU against HGX B200's 2.25 and 4.5 (GB200 NVL72 datasheet:
  // 180 / 360 PFLOPS dense over 72 GPUs); HBM3e 186 GB at 8 TB/s per GPU (13.4 TB, 576 TB/s per rack).
  { name: 'gb200', flopsPerSec: 2500 * T, fp8FlopsPerSec: 5000 * T, fp4FlopsPerSec: 10000 * T, sms: 148, memoryBytes: 186 * GB, memoryBytesPerSec: 8000 * GB, scaleUpLink: 'nvlink5', scaleUpBytesPerSec: 900 * GB, hostLink: 'pcie-gen5-x16', integratedPorts: 0, integratedPortLink: null, nvlinkHopExtraSec: BLACKWELL_NVLINK_HOP_EXTRA_SEC, source: 'NVIDIA GB200 NVL72 datasheet (per GPU: 1/72 of the rack\'s dense 180 PFLOPS FP16/BF16 and 360 PFLOPS FP8, 186 GB HBM3e at 8 TB/s); SMs as B200 (the same die pair); host link: its NVLink-C2C to Grace, which the gb200-nvl72 template wires; dense FP4 10 PFLOP/s: 1/72 of the rack\'s 720 (S. Bekman, ml-engineering peak table, fp4 column)' },
  // Blackwell Ultra (B300 on HGX, GB300 on the NVL72 rack): the same BF16 and FP8 tensor rates as
  // B200 / GB200 (its gains are dense FP4, 13-15 PFLOP/s, and a doubled special-function rate for
  // attention's exponentials, neither of which fairway's precisions use), more SMs and 12-high
  // HBM3e stacks. Per GPU: HGX B300 2.25 / 4.5 PFLOP/s dense BF16 / FP8, 270 GB at 7.7 TB/s,
  // PCIe Gen6 to the host; GB300 NVL72 2.5 / 5 PFLOP/s (1/72 of the rack's 180 / 360 PFLOPS
  // dense), 279 GB at 8 TB/s (576 TB/s a rack). Sources: G. K. Lockwood, "B300"
  // (glennklockwood.com/garden/processors/B300: HGX B300 dense rates, PCIe Gen6, GB300 NVL72's
  // 360 PF FP8 and 576 TB/s); Verda, "NVIDIA GB300 NVL72: GPU Architecture & Performance"
  // (verda.com/blog/gb300-nvl72-architecture, per-GPU memory: B300 270 GB, GB300 279 GB); 160
  // SMs (20,480 CUDA cores) as awesomeagents.ai's GB300 NVL72 page gives them.
  { name: 'b300', flopsPerSec: 2250 * T, fp8FlopsPerSec: 4500 * T, fp4FlopsPerSec: 15000 * T, sms: 160, memoryBytes: 270 * GB, memoryBytesPerSec: 7700 * GB, scaleUpLink: 'nvlink5', scaleUpBytesPerSec: 900 * GB, hostLink: 'pcie-gen6-x16', integratedPorts: 0, integratedPortLink: null, nvlinkHopExtraSec: BLACKWELL_NVLINK_HOP_EXTRA_SEC, source: 'HGX B300 per GPU (dense BF16 2.25, FP8 4.5 PFLOP/s; 270 GB HBM3e at 7.7 TB/s; 160 SMs; PCIe Gen6): Lockwood "B300", Verda "GB300 NVL72" per-GPU table; dense NVFP4 15 PFLOP/s: S. Bekman, ml-engineering peak table (nvfp4 column, from the DGX B300 datasheet)' },
  { name: 'gb300', flopsPerSec: 2500 * T, fp8FlopsPerSec: 5000 * T, fp4FlopsPerSec: 15000 * T, sms: 160, memoryBytes: 279 * GB, memoryBytesPerSec: 8000 * GB, scaleUpLink: 'nvlink5', scaleUpBytesPerSec: 900 * GB, hostLink: 'pcie-gen6-x16', integratedPorts: 0, integratedPortLink: null, nvlinkHopExtraSec: BLACKWELL_NVLINK_HOP_EXTRA_SEC, source: 'GB300 NVL72 per GPU (1/72 of the rack\'s dense 180 PFLOPS BF16 and 360 PFLOPS FP8, 576 TB/s HBM; 279 GB HBM3e): Lockwood "B300", Verda "GB300 NVL72"; host link: its NVLink-C2C to Grace, which the gb300-nvl72 template wires; dense FP4 15 PFLOP/s: 1/72 of the rack\'s 1,080 (S. Bekman, ml-engineering peak table, fp4 column)' },
  { name: 'mi300x', flopsPerSec: 1307.4 * T, fp8FlopsPerSec: 2614.9 * T, sms: 304, memoryBytes: 192 * GB, memoryBytesPerSec: 5300 * GB, scaleUpLink: 'infinity-fabric-mi300', scaleUpBytesPerSec: 448 * GB, hostLink: 'pcie-gen5-x16', integratedPorts: 0, integratedPortLink: null, source: 'AMD Instinct MI300X datasheet' },
  // Microsoft Maia 100: 64 GB HBM2E at 1.8 TB/s, ~0.8 PFLOP/s BF16, 12 × 400GbE integrated
  // (600 GB/s), PCIe Gen5 x8 to the host. Source: Microsoft, "Inside Maia 100" (Hot Chips 2024).
  { name: 'maia-100', flopsPerSec: 800 * T, fp8FlopsPerSec: null, sms: 64, memoryBytes: 64 * GB, memoryBytesPerSec: 1800 * GB, scaleUpLink: 'ethernet-400g', scaleUpBytesPerSec: 600 * GB, hostLink: 'pcie-gen5-x8', integratedPorts: 12, integratedPortLink: 'ethernet-400g', source: 'Microsoft Maia 100, Hot Chips 2024' },
  { name: 'l40s', flopsPerSec: 362 * T, fp8FlopsPerSec: 733 * T, sms: 142, memoryBytes: 48 * GB, memoryBytesPerSec: 864 * GB, scaleUpLink: null, scaleUpBytesPerSec: 0, hostLink: 'pcie-gen4-x16', integratedPorts: 0, integratedPortLink: null, source: 'NVIDIA L40S datasheet' },
];

const NICS: NicSpec[] = [
  { name: 'connectx-6', ports: 1, portLink: 'infiniband-hdr', hostLink: 'pcie-gen4-x16', source: 'NVIDIA ConnectX-6 VPI: 200 Gb/s, PCIe Gen4 x16' },
  { name: 'connectx-7', ports: 1, portLink: 'infiniband-ndr', hostLink: 'pcie-gen5-x16', source: 'NVIDIA ConnectX-7: 400 Gb/s NDR/400GbE, PCIe Gen5 x16' },
  { name: 'connectx-7-eth', ports: 1, portLink: 'ethernet-400g', hostLink: 'pcie-gen5-x16', source: 'NVIDIA ConnectX-7: 400GbE RoCE, PCIe Gen5 x16' },
  { name: 'connectx-8', ports: 1, portLink: 'infiniband-xdr', hostLink: 'pcie-gen6-x16', source: 'NVIDIA ConnectX-8 SuperNIC: 800 Gb/s, PCIe Gen6 x16' },
];

const CPUS: CpuSpec[] = [
  { name: 'xeon-8480c', cores: 56, memoryLink: 'ddr5-4800', memoryChannels: 8, interSocketLink: 'upi-4x16gt', vendor: 'intel', source: 'Intel Xeon Platinum 8480C (DGX H100): 56 cores, 8 × DDR5-4800' },
  { name: 'epyc-9654', cores: 96, memoryLink: 'ddr5-4800', memoryChannels: 12, interSocketLink: 'xgmi-4x', vendor: 'amd', source: 'AMD EPYC 9654: 96 cores, 12 × DDR5-4800' },
  { name: 'grace', cores: 72, memoryLink: 'lpddr5x-grace', memoryChannels: 1, interSocketLink: null, vendor: 'arm', source: 'NVIDIA Grace: 72 Arm Neoverse V2 cores, LPDDR5X 512 GB/s' },
];

export const ACCELERATOR_SPECS: ReadonlyMap<string, AcceleratorSpec> = new Map(ACCELERATORS.map((s) => [s.name, s]));
export const NIC_SPECS: ReadonlyMap<string, NicSpec> = new Map(NICS.map((s) => [s.name, s]));
export const CPU_SPECS: ReadonlyMap<string, CpuSpec> = new Map(CPUS.map((s) => [s.name, s]));
