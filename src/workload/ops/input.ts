// An input operation: the rank's data loader (host/input-pipeline.ts) loads batch i once the
// consumers of batch i−prefetch−1 are done (its buffer is free); the rank waits for it (input
// stall) from when the consumers of batch i−1 are done.
import { FairwayError } from '../../core/errors.js';
import { TransferDag } from '../../graph/index.js';
import { addInputPipeline } from '../../host/input-pipeline.js';
import type { Expansion, RankExpander } from '../expansion.js';
import type { RankOverride } from '../spec.js';
import { CAT_INPUT, CAT_TRACE } from '../timeline.js';
import type { OpExpander } from './op-expander.js';

/** The loader's work for one batch on rank r, after `start`; returns the op that ends it. */
function loadBatch(x: Expansion, r: number, o: RankOverride | undefined, bytes: number, start: number): number {
  const host = x.hosts[r];
  const sub = new TransferDag();
  const workerOf: number[] = [];
  addInputPipeline(sub, { rank: r, workers: x.op.workers, samples: o?.samples ?? x.op.samples, sampleBytes: bytes, decodeCoreSec: o?.coreSeconds ?? x.op.coreSeconds, storage: host.storage, cpu: host.cpu, dram: host.dram, accelerator: x.accs[r] }, workerOf);
  const base = x.dag.size;
  const end = x.dag.append(sub, start);
  for (let k = 0; k < sub.size; k++) x.interval(r, CAT_TRACE, base + k, `loader ${workerOf[k]}`);
  return end;
}

const inputOn: RankExpander = (x, r, o, bytes) => {
  const { op, it } = x;
  if (x.hosts[r].storage < 0)
    throw new FairwayError('E_INPUT', `${x.path}: the input pipeline needs a storage drive in ${x.topo.nodes[x.accs[r]].id}'s server`, [{ path: x.path, message: 'add storage: N to the server group of the topology' }]);
  const consumers = x.plan.consumers[x.i];
  const freed = it - op.prefetch - 1;
  const slots = freed >= 0 ? consumers.map((c) => x.past(it - freed)[c][r]) : [];
  const start = x.dag.delay(r, 0, [...x.depsOf(r), ...slots]);
  const end = loadBatch(x, r, o, bytes, start);
  x.span(r, CAT_TRACE, start, end);
  // the step waits for this batch from when the rank is done with the previous one
  const previous = it > 0 ? consumers.map((c) => x.past(1)[c][r]) : [];
  const awaited = previous.some((p) => p >= 0) ? x.dag.delay(r, 0, [start, ...previous]) : start;
  x.span(r, CAT_INPUT, awaited, end);
  x.done(r, end);
};

export const inputExpander: OpExpander = {
  prefetch: (op) => op.prefetch,
  expand: (x: Expansion) => x.eachRank(inputOn),
};
