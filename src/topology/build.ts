// Builds a Topology from a TopologySpec: server groups first, then the fabric over all their
// network ports, then raw nodes and links. Finally checks that every accelerator can reach
// every other one (through forwarding nodes), so a miswired system fails here, not mid-run.
import { FairwayError, IssueList } from '../core/errors.js';
import { buildClos } from './fabric-clos.js';
import { buildDragonfly, buildTorus } from './fabric-direct.js';
import { Topology } from './graph.js';
import { LinkFactory } from './link-factory.js';
import { buildServerGroup, racksOf, type FabricPort } from './server-builder.js';
import { LINK_SPECS } from '../hardware/index.js';
import type { FabricRouting, FabricSpec, TopologySpec } from './spec.js';

export function buildTopology(spec: TopologySpec): Topology {
  const topo = new Topology(spec.name);
  const links = new LinkFactory(topo, spec.calibration);
  const ports: FabricPort[] = [];
  let racks = 0;
  spec.servers.forEach((g, i) => {
    for (const p of buildServerGroup(topo, links, g, `servers[${i}]`, racks)) ports.push(p);
    racks += racksOf(g);
  });
  const f = spec.fabric;
  topo.routing = resolveRouting(f, ports);
  if (f.type !== 'none' && ports.length === 0) throw new FairwayError('E_INPUT', 'fabric: there are no server network ports to connect', [{ path: 'fabric', message: 'no servers with NICs' }]);
  if (f.type === 'fat-tree' || f.type === 'leaf-spine') buildClos(topo, links, f, ports);
  else if (f.type === 'torus') buildTorus(topo, links, f, ports);
  else if (f.type === 'dragonfly') buildDragonfly(topo, links, f, ports);
  addRaw(topo, spec);
  checkConnected(topo);
  return topo;
}

/**
 * The fabric's routing: as asked, or for `auto` the one its link technology uses. InfiniBand
 * switches forward by destination LID from tables the subnet manager programs (OpenSM's
 * fat-tree routing spreads destinations over up-links, D-mod-k); Ethernet switches hash each
 * flow over equal-cost paths (ECMP).
 */
export function resolveRouting(f: FabricSpec, ports: readonly FabricPort[]): FabricRouting {
  if (f.routing !== 'auto') return f.routing;
  const link = LINK_SPECS.get(f.link ?? ports[0]?.link.name ?? '');
  return link?.type === 'infiniband' ? 'destination' : 'ecmp';
}

function addRaw(topo: Topology, spec: TopologySpec): void {
  const issues = new IssueList();
  const servers = new Map(topo.serverNames.map((n, i) => [n, i]));
  spec.nodes.forEach((n, i) => {
    if (topo.nodeIndex(n.id) !== undefined) return issues.add(`nodes[${i}].id`, `duplicate node id "${n.id}"`);
    let server = -1;
    if (n.server !== undefined) server = servers.get(n.server) ?? (servers.set(n.server, topo.addServer(n.server)), servers.get(n.server) ?? -1);
    topo.addNode(n.id, n.kind, {
      forwards: n.forwards,
      reduces: n.reduction,
      reductionEfficiency: n.reductionEfficiency,
      reductionBytesPerSec: n.reductionBytesPerSec,
      capacityBytesPerSec: n.capacityBytesPerSec,
      latencySec: n.latencySec,
      placement: { server, rack: n.rack ?? -1, pod: n.pod ?? -1, rail: n.rail ?? -1, plane: n.plane ?? -1, tier: n.tier ?? -1 },
    });
  });
  spec.links.forEach((l, i) => {
    const a = topo.nodeIndex(l.a);
    const b = topo.nodeIndex(l.b);
    if (a === undefined) issues.add(`links[${i}].a`, `unknown node id "${l.a}"`);
    if (b === undefined) issues.add(`links[${i}].b`, `unknown node id "${l.b}"`);
    if (a === undefined || b === undefined) return;
    if (a === b) return issues.add(`links[${i}]`, 'a link must join two different nodes');
    const sa = topo.nodes[a].placement.server;
    const sb = topo.nodes[b].placement.server;
    if (sa >= 0 && sb >= 0 && sa !== sb)
      return issues.add(`links[${i}]`, `joins servers ${topo.serverNames[sa]} and ${topo.serverNames[sb]} directly; servers connect through fabric nodes (nodes without a server)`);
    for (let k = 0; k < l.count; k++)
      topo.addLink(a, b, { type: l.type, spec: l.spec, bytesPerSec: l.bytesPerSec, latencySec: l.latencySec, tier: l.tier ?? 'custom' });
  });
  issues.throwIfAny('topology');
}

/** Every accelerator must reach accelerator 0 through forwarding nodes. */
function checkConnected(topo: Topology): void {
  const accs = topo.nodesOfKind('accelerator');
  if (accs.length < 2) return;
  const { start, to } = topo.adjacency();
  const seen = new Uint8Array(topo.nodes.length);
  const queue = [accs[0].index];
  seen[accs[0].index] = 1;
  for (let q = 0; q < queue.length; q++) {
    const u = queue[q];
    if (q > 0 && !topo.nodes[u].forwards) continue;
    for (let e = start[u]; e < start[u + 1]; e++)
      if (!seen[to[e]]) {
        seen[to[e]] = 1;
        queue.push(to[e]);
      }
  }
  const issues = new IssueList();
  for (const a of accs)
    if (!seen[a.index]) issues.add(a.id, `accelerator is not connected to ${accs[0].id}: add a link from it (or its server's NIC) to the fabric`);
  issues.throwIfAny('topology has disconnected accelerators');
}
