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

  constructor(
    readonly engine: FlowEngine,
    readonly topo: Topology,
  ) {
    const n = topo.nodes.length;
    this.mathOf = new Int32Array(n).fill(-1);
    this.hbmOf = new Int32Array(n).fill(-1);
    this.coresOf = new Int32Array(n).fill(-1);
    for (const node of topo.nodes) {
      const acc = node.kind === 'accelerator' ? ACCELERATOR_SPECS.get(node.spec) : undefined;
      if (acc) {
        this.mathOf[node.index] = engine.addResource(acc.flopsPerSec);
        this.hbmOf[node.index] = engine.addResource(acc.memoryBytesPerSec);
      }
      const cpu = node.kind === 'cpu' ? CPU_SPECS.get(node.spec) : undefined;
      if (cpu) this.coresOf[node.index] = engine.addResource(cpu.cores);
    }
  }

  math(node: number): number {
    return this.need(this.mathOf[node], node, 'an accelerator from the catalogue (math units)');
  }

  hbm(node: number): number {
    return this.need(this.hbmOf[node], node, 'an accelerator from the catalogue (HBM)');
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
