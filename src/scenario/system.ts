// The system a scenario runs on: its topology spec, the built topology and its router (ECMP
// seeded by the spec), from a topology document or a reference to one.
import { loadTopologySpec } from '../io/topology-source.js';
import { parseTopology } from '../io/topology-file.js';
import { buildTopology } from '../topology/build.js';
import type { Topology } from '../topology/graph.js';
import { Router } from '../topology/routing/router.js';
import type { TopologySpec } from '../topology/spec.js';
import type { TopologySource } from './scenario.js';

export interface System {
  readonly spec: TopologySpec;
  readonly topo: Topology;
  readonly router: Router;
}

export function buildSystem(source: TopologySource): System {
  const spec = 'ref' in source ? loadTopologySpec(source.ref) : parseTopology(source.doc, source.label);
  const topo = buildTopology(spec);
  return { spec, topo, router: new Router(topo, spec.seed) };
}
