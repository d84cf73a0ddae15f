// Graphviz rendering of a topology: one cluster per server, shapes by node kind, edges labelled
// with their effective bandwidth per direction. `fairway topo --dot | dot -Tsvg > t.svg`.
import { formatBandwidth } from '../core/units.js';
import type { NodeKind, Topology } from '../topology/graph.js';

const SHAPES: Record<NodeKind, string> = {
  accelerator: 'box3d',
  cpu: 'box',
  dram: 'cylinder',
  'pcie-switch': 'diamond',
  nic: 'hexagon',
  switch: 'octagon',
  storage: 'folder',
};

const q = (s: string) => JSON.stringify(s);

export function topologyToDot(topo: Topology): string {
  const out: string[] = [`graph ${q(topo.name)} {`, '  graph [overlap=false, splines=true];', '  node [fontsize=10];', '  edge [fontsize=8];'];
  const byServer = new Map<number, string[]>();
  for (const n of topo.nodes) {
    const line = `${q(n.id)} [shape=${SHAPES[n.kind]}${n.spec ? `, tooltip=${q(n.spec)}` : ''}];`;
    const s = n.placement.server;
    if (s < 0) out.push(`  ${line}`);
    else {
      if (!byServer.has(s)) byServer.set(s, []);
      byServer.get(s)!.push(line);
    }
  }
  for (const [s, lines] of byServer) {
    out.push(`  subgraph ${q(`cluster_${topo.serverNames[s]}`)} {`, `    label=${q(topo.serverNames[s])};`);
    for (const l of lines) out.push(`    ${l}`);
    out.push('  }');
  }
  for (const l of topo.links)
    out.push(`  ${q(topo.nodes[l.a].id)} -- ${q(topo.nodes[l.b].id)} [label=${q(formatBandwidth(l.bytesPerSec))}, tooltip=${q(`${l.spec} (${l.tier})`)}];`);
  out.push('}');
  return out.join('\n') + '\n';
}
