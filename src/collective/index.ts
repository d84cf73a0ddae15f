// Collective operations → DAGs, and nccl-tests' bus-bandwidth factors.
import { FairwayError } from '../core/errors.js';
import type { Communicator } from './communicator.js';
import { TransferDag } from './dag.js';
import { directAllToAll, pairwiseAllToAll } from './direct.js';
import { halvingDoublingAllReduce } from './halving-doubling.js';
import { hierarchicalAllReduce } from './hierarchical.js';
import { ringSteps, type RingOptions } from './ring.js';
import { nvlsAllReduce } from './nvls.js';
import { treeAllReduce } from './tree.js';
import type { Topology } from '../topology/graph.js';

export type CollectiveOp = 'all_reduce' | 'all_gather' | 'reduce_scatter' | 'alltoall';
export const COLLECTIVE_OPS: readonly CollectiveOp[] = ['all_reduce', 'all_gather', 'reduce_scatter', 'alltoall'];
export type Algorithm = 'ring' | 'direct' | 'pairwise' | 'hd' | 'hier' | 'hier-hd' | 'tree' | 'nvls';

/** Algorithms per operation; `auto` tries each and keeps the fastest (by modelled time, as NCCL's tuner). */
export const ALGORITHMS: Record<CollectiveOp, readonly Algorithm[]> = {
  all_reduce: ['ring', 'tree', 'hier', 'hier-hd', 'hd', 'nvls'],
  all_gather: ['ring'],
  reduce_scatter: ['ring'],
  alltoall: ['direct', 'pairwise'],
};

export interface CollectiveOptions extends RingOptions {
  algorithm: Algorithm;
}

export const DEFAULT_COLLECTIVE_OPTIONS: CollectiveOptions = {
  algorithm: 'ring',
  channels: 1,
  chunkBytes: 4 * 2 ** 20,
  alphaSec: 0,
  maxSlices: 16,
  window: 8,
  reduceBytesPerSec: 0,
  maxSteps: 128,
  minPieceBytes: 64 * 1024,
};

/** nccl-tests: busbw = algbw × factor (all-reduce 2(n−1)/n; gather/scatter/all-to-all (n−1)/n). */
export function busBandwidthFactor(op: CollectiveOp, n: number): number {
  return op === 'all_reduce' ? (2 * (n - 1)) / n : (n - 1) / n;
}

/**
 * Builds the DAG of one collective of `bytes` (nccl-tests' size) on a communicator; pass `dag`
 * to add it to an existing graph (collectives that run at the same time and contend).
 */
export function buildCollective(topo: Topology, op: CollectiveOp, bytes: number, comm: Communicator, o: CollectiveOptions, dag = new TransferDag()): TransferDag {
  const n = comm.nodes.length;
  if (op === 'alltoall') {
    if (o.algorithm === 'pairwise') pairwiseAllToAll(dag, comm, bytes, o.alphaSec, o.channels);
    else if (o.algorithm === 'direct' || o.algorithm === 'ring') directAllToAll(dag, comm, bytes, o.alphaSec, o.channels);
    else throw new FairwayError('E_INPUT', `--algo ${o.algorithm} does not implement alltoall`, [{ path: '--algo', message: 'use direct or pairwise' }]);
    return dag;
  }
  if (op === 'all_reduce' && o.algorithm === 'hd') {
    halvingDoublingAllReduce(dag, comm, bytes, o.alphaSec);
    return dag;
  }
  if (op === 'all_reduce' && o.algorithm === 'nvls') {
    nvlsAllReduce(dag, topo, comm, bytes, o);
    return dag;
  }
  if (op === 'all_reduce' && o.algorithm === 'tree') {
    treeAllReduce(dag, comm, bytes, o, 2);
    return dag;
  }
  if (op === 'all_reduce' && (o.algorithm === 'hier' || o.algorithm === 'hier-hd')) {
    hierarchicalAllReduce(dag, topo, comm, bytes, o, o.algorithm === 'hier-hd' ? 'hd' : 'ring');
    return dag;
  }
  if (o.algorithm !== 'ring') throw new FairwayError('E_INPUT', `--algo ${o.algorithm} does not implement ${op}`, [{ path: '--algo', message: 'use ring' }]);
  ringSteps(dag, comm, bytes, op === 'all_reduce' ? 2 * (n - 1) : n - 1, o, undefined, op === 'all_gather' ? 0 : n - 1);
  return dag;
}
