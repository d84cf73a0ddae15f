// The host side as engine resources: each accelerator's math units (FLOP/s) and HBM (bytes/s),
// and each CPU socket's pool of cores (core-seconds per second = cores), from the hardware
// catalogue. A kernel uses both of its accelerator's resources (roofline); a CPU task uses one
// core at most (bound 1) out of its socket's pool.
import { FairwayError } from '../core/errors.js';
import type { FlowEngine } from '../engine/flow-engine.js';
import { ACCELERATOR_SPECS, CPU_SPECS } from '../hardware/index.js';
import type { Topology } from '../topology/graph.js';

export class HostResources {
  private readonly mathOf: Int32Array;
  private readonly hbmOf: Int32Array;
  private readonly coresOf: Int32Array;
  private readonly peakOf: Float64Array;
  private readonly hbmRateOf: Float64Array;

  constructor(
    readonly engine: FlowEngine,
    readonly topo: Topology,
  ) {
    const n = topo.nodes.length;
    this.mathOf = new Int32Array(n).fill(-1);
    this.hbmOf = new Int32Array(n).fill(-1);
    this.coresOf = new Int32Array(n).fill(-1);
    this.peakOf = new Float64Array(n);
    this.hbmRateOf = new Float64Array(n);
    for (const node of topo.nodes) {
      const acc = node.kind === 'accelerator' ? ACCELERATOR_SPECS.get(node.spec) : undefined;
      if (acc) {
        this.mathOf[node.index] = engine.addResource(acc.flopsPerSec);
        this.hbmOf[node.index] = engine.addResource(acc.memoryBytesPerSec);
        this.peakOf[node.index] = acc.flopsPerSec;
        this.hbmRateOf[node.index] = acc.memoryBytesPerSec;
      }
      const cpu = node.kind === 'cpu' ? CPU_SPECS.get(node.spec) : undefined;
      if (cpu) this.coresOf[node.index] = engine.addResource(cpu.cores);
    }
  }

  /** Name and kind of every resource this binding created (for reports). */
  describe(): { resource: number; name: string; kind: 'math' | 'hbm' | 'cores' }[] {
    const out: { resource: number; name: string; kind: 'math' | 'hbm' | 'cores' }[] = [];
    for (const n of this.topo.nodes) {
      if (this.mathOf[n.index] >= 0) out.push({ resource: this.mathOf[n.index], name: `${n.id} math`, kind: 'math' });
      if (this.hbmOf[n.index] >= 0) out.push({ resource: this.hbmOf[n.index], name: `${n.id} HBM`, kind: 'hbm' });
      if (this.coresOf[n.index] >= 0) out.push({ resource: this.coresOf[n.index], name: `${n.id} cores`, kind: 'cores' });
    }
    return out;
  }

  math(node: number): number {
    return this.need(this.mathOf[node], node, 'an accelerator from the catalogue (math units)');
  }

  hbm(node: number): number {
    return this.need(this.hbmOf[node], node, 'an accelerator from the catalogue (HBM)');
  }

  /** The HBM resource of an accelerator, or −1 for any other node (transfers touch HBM at both ends). */
  hbmIfAny(node: number): number {
    return this.hbmOf[node];
  }

  /**
   * Max-min weight of a kernel of `flops` and `bytes` on `node`: 1/(T0·H), T0 its roofline time
   * alone and H the HBM rate. At fill level t every kernel then runs at the same fraction t/H of
   * its own standalone speed, and a memory-bound kernel's HBM use (bytes/s) equals the level t
   * that transfers (weight 1, bytes/s) have, so kernels and collective traffic share HBM fairly
   * in bytes. (With weight 1 a kernel's rate is in kernels/s and would dwarf every transfer.)
   */
  kernelWeight(node: number, flops: number, bytes: number): number {
    const h = this.hbmRateOf[node];
    const t0 = Math.max(flops / this.peakOf[node], bytes / h);
    return 1 / (t0 * h);
  }

  /** Peak FLOP/s of an accelerator. */
  peak(node: number): number {
    this.math(node);
    return this.peakOf[node];
  }

  /**
   * Max-min weight of a hold of math units in FLOP/s (coefficient 1): peak/H, so that at fill
   * level t it takes what a compute-bound kernel takes (kernelWeight × FLOPs = peak/H per level).
   */
  holdWeight(node: number): number {
    return this.peakOf[node] / this.hbmRateOf[node];
  }

  /**
   * Weight of a hold that reserves a share of the math units (e.g. the SMs a collective's
   * kernels occupy): far above any kernel's (10^6 × holdWeight), so progressive filling gives
   * the hold its whole bound before kernels share the rest.
   */
  reservedHoldWeight(node: number): number {
    return 1e6 * this.holdWeight(node);
  }

  cores(node: number): number {
    return this.need(this.coresOf[node], node, 'a CPU from the catalogue (cores)');
  }

  private need(r: number, node: number, what: string): number {
    if (r >= 0) return r;
    const id = this.topo.nodes[node].id;
    throw new FairwayError('E_INPUT', `${id} is not ${what}`, [{ path: id, message: `compute and CPU work need ${what}` }]);
  }
}
