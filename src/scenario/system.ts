// The system a scenario runs on: its topology spec, the built topology and its router (ECMP
// seeded by the spec). Node-free (the browser entry builds systems from specs); reading a
// topology argument or document is system-source.ts.
import { buildTopology } from '../topology/build.js';
import type { Topology } from '../topology/graph.js';
import { Router } from '../topology/routing/router.js';
import type { TopologySpec } from '../topology/spec.js';

export interface System {
  readonly spec: TopologySpec;
  readonly topo: Topology;
  readonly router: Router;
}

/** The system of a parsed topology spec: the topology built and routed. */
export function systemOf(spec: TopologySpec): System {
  const topo = buildTopology(spec);
  return { spec, topo, router: new Router(topo, spec.seed) };
}
