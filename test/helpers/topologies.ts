// Building topologies in tests from the same documents users write.
import { parseTopology } from '../../src/io/topology-file.js';
import { buildTopology } from '../../src/topology/build.js';
import type { Topology } from '../../src/topology/graph.js';

export function topologyOf(doc: Record<string, unknown>): Topology {
  return buildTopology(parseTopology(doc, 'test'));
}

export function id(topo: Topology, nodeId: string): number {
  return topo.node(nodeId).index;
}

/** Node ids along a route, starting at its source. */
export function pathIds(topo: Topology, src: number, links: Int32Array): string[] {
  return [topo.nodes[src].id, ...Array.from(links, (d) => topo.nodes[topo.to(d)].id)];
}
