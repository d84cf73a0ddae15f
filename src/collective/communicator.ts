// A communicator: the ranks of a collective, each placed on an accelerator of the topology.
// Default: every accelerator in topology order (server by server, GPU 0..7), as NCCL numbers
// ranks when one process drives one GPU.
import { FairwayError } from '../core/errors.js';
import type { Topology } from '../topology/graph.js';

export interface Communicator {
  /** Node index of each rank's accelerator. */
  readonly nodes: Int32Array;
}

/** The first `ranks` accelerators (default all); collectives need at least 2 (`minRanks`). */
export function defaultCommunicator(topo: Topology, ranks?: number, minRanks = 2): Communicator {
  const accs = topo.nodesOfKind('accelerator').map((n) => n.index);
  const n = ranks ?? accs.length;
  if (!Number.isInteger(n) || n < minRanks || n > accs.length)
    throw new FairwayError('E_INPUT', `ranks: need ${minRanks} to ${accs.length} ranks on this topology, got ${n}`, [{ path: 'ranks', message: `the topology has ${accs.length} accelerators` }]);
  return { nodes: Int32Array.from(accs.slice(0, n)) };
}

export function communicatorOf(topo: Topology, ids: readonly string[], minRanks = 2): Communicator {
  if (ids.length < minRanks) throw new FairwayError('E_INPUT', `ranks: need at least ${minRanks} ranks, got ${ids.length}`, [{ path: 'ranks', message: 'too few ranks' }]);
  const nodes = ids.map((id, i) => {
    const idx = topo.nodeIndex(id);
    if (idx === undefined || topo.nodes[idx].kind !== 'accelerator')
      throw new FairwayError('E_INPUT', `ranks[${i}]: "${id}" is not an accelerator of the topology`, [{ path: `ranks[${i}]`, message: 'unknown accelerator id' }]);
    return idx;
  });
  if (new Set(nodes).size !== nodes.length) throw new FairwayError('E_INPUT', 'ranks: an accelerator appears twice', [{ path: 'ranks', message: 'duplicate rank' }]);
  return { nodes: Int32Array.from(nodes) };
}
