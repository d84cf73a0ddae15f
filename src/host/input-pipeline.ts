// The CPU input pipeline of one accelerator: `workers` loader threads each take samples in turn
// and, per sample, read it from storage into host memory, decode/augment it on one core
// (core-seconds per sample, on the socket's core pool), and copy it to the accelerator over the
// real route (PCIe switches and all). Every stage is an activity sharing its resources with
// everything else, so throughput comes out as min(workers/c, cores/c, storage rate, PCIe rate)
// without being assumed.
import type { TransferDag } from '../graph/index.js';

export interface InputPipelineSpec {
  rank: number;
  workers: number;
  /** Samples in all, dealt to the workers in turn; each worker loads its share one after another. */
  samples: number;
  sampleBytes: number;
  decodeCoreSec: number;
  storage: number;
  cpu: number;
  dram: number;
  accelerator: number;
}

/**
 * Adds the pipeline to `dag`; returns the op that delivers each sample to the accelerator,
 * worker by worker. `workerOf`, if given, receives the worker of every op added.
 */
export function addInputPipeline(dag: TransferDag, p: InputPipelineSpec, workerOf?: number[]): number[] {
  const delivered: number[] = [];
  for (let w = 0; w < p.workers; w++) {
    let prev = -1;
    const mine = Math.floor(p.samples / p.workers) + (w < p.samples % p.workers ? 1 : 0);
    for (let s = 0; s < mine; s++) {
      const read = dag.transfer(p.rank, p.storage, p.dram, p.sampleBytes, w, 0, [prev]);
      const decode = dag.cpu(p.rank, p.cpu, p.decodeCoreSec, [read]);
      prev = dag.transfer(p.rank, p.dram, p.accelerator, p.sampleBytes, w, 0, [decode]);
      delivered.push(prev);
      workerOf?.push(w, w, w);
    }
  }
  return delivered;
}
