// The kernel → resource mapping: what a kernel, a CPU task or a hold of math units asks of the
// engine on a host's resources (host-resources.ts).
//   kernel: one unit of work at coefficients (FLOPs, HBM bytes) on the accelerator's math units
//           and HBM, so alone it runs for the roofline time max(FLOPs/peak, bytes/HBM); its
//           max-min weight (kernelWeight) shares both fairly with other kernels and transfers;
//   CPU task: core-seconds on the socket's cores by one thread (rate bound 1 core);
//   hold:   a reserved fraction of the math units (bound fraction × peak, a weight above any
//           kernel's) until released.
import type { StartOptions } from '../engine/flow-engine.js';
import type { HostResources } from './host-resources.js';

/** An engine activity: its amount of work, the resources it uses (and coefficients), its options. */
export interface HostActivity {
  readonly amount: number;
  readonly resources: number[];
  readonly coefficients?: number[];
  readonly options: StartOptions;
}

/** A kernel of `flops` and `bytes` through HBM on accelerator `node` (at least one of them > 0). */
export function kernelActivity(host: HostResources, node: number, flops: number, bytes: number, delaySec: number): HostActivity {
  const resources: number[] = [];
  const coefficients: number[] = [];
  if (flops > 0) resources.push(host.math(node)), coefficients.push(flops);
  if (bytes > 0) resources.push(host.hbm(node)), coefficients.push(bytes);
  return { amount: 1, resources, coefficients, options: { delaySec, weight: host.kernelWeight(node, flops, bytes) } };
}

/** `coreSeconds` of work by one thread on CPU socket `node`. */
export function cpuActivity(host: HostResources, node: number, coreSeconds: number, delaySec: number): HostActivity {
  return { amount: coreSeconds, resources: [host.cores(node)], options: { bound: 1, delaySec } };
}

/** `fraction` of accelerator `node`'s math units, held until cancelled (the amount never runs out). */
export function holdActivity(host: HostResources, node: number, fraction: number): HostActivity {
  return { amount: 1e300, resources: [host.math(node)], options: { bound: fraction * host.peak(node), weight: host.reservedHoldWeight(node) } };
}
