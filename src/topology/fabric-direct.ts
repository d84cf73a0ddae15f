// Direct fabrics where every router carries hosts: the 2D/3D torus (wrap-around links in each
// dimension; a dimension of size 2 has one link, size 1 none) and the dragonfly (groups of
// all-to-all routers; every pair of groups joined by one global link, spread round-robin over
// the routers of each group, so g − 1 ≤ routersPerGroup × globalLinksPerRouter).
import { failInput } from '../core/errors.js';
import * as hw from '../hardware/index.js';
import type { Topology } from './graph.js';
import type { LinkFactory } from './link-factory.js';
import type { FabricPort } from './server-builder.js';
import type { FabricSpec } from './spec.js';

function attachHosts(topo: Topology, links: LinkFactory, ports: FabricPort[], routers: number[], perRouter: number): void {
  if (ports.length > routers.length * perRouter)
    failInput('fabric.hostsPerRouter', `${ports.length} network ports do not fit on ${routers.length} routers × ${perRouter} host ports`);
  ports.forEach((p, i) => links.connect(p.node, routers[Math.floor(i / perRouter)], p.link, 'host-router'));
}

export function buildTorus(topo: Topology, links: LinkFactory, f: FabricSpec, ports: FabricPort[]): void {
  const dims = f.dims ?? [];
  if (dims.length < 1 || dims.length > 3 || dims.some((d) => !Number.isInteger(d) || d < 1)) failInput('fabric.dims', 'must list 1 to 3 positive router counts, e.g. [4, 4, 4]');
  const total = dims.reduce((a, b) => a * b, 1);
  const fabricLink = hw.link(f.link ?? ports[0]?.link.name ?? 'ethernet-400g', 'fabric.link');
  const routers: number[] = [];
  for (let r = 0; r < total; r++) routers.push(topo.addNode(`router${r}`, 'switch', { latencySec: f.switchLatencySec, capacityBytesPerSec: f.switchCapacityBytesPerSec, placement: { tier: 0 } }));
  const stride = dims.map((_, d) => dims.slice(0, d).reduce((a, b) => a * b, 1));
  for (let r = 0; r < total; r++)
    dims.forEach((size, d) => {
      const c = Math.floor(r / stride[d]) % size;
      if (size === 1 || (size === 2 && c === 1)) return;
      const next = r + (((c + 1) % size) - c) * stride[d];
      links.connect(routers[r], routers[next], fabricLink, 'router-router', f.bytesPerSec);
    });
  attachHosts(topo, links, ports, routers, f.hostsPerRouter ?? Math.ceil(ports.length / total));
}

export function buildDragonfly(topo: Topology, links: LinkFactory, f: FabricSpec, ports: FabricPort[]): void {
  const g = f.groups ?? 0;
  const a = f.routersPerGroup ?? 0;
  if (!Number.isInteger(g) || g < 2) failInput('fabric.groups', 'must be a whole number ≥ 2');
  if (!Number.isInteger(a) || a < 1) failInput('fabric.routersPerGroup', 'must be a whole number ≥ 1');
  const h = f.globalLinksPerRouter ?? Math.ceil((g - 1) / a);
  if ((g - 1) > a * h) failInput('fabric.globalLinksPerRouter', `${g} groups need ${g - 1} global links per group but ${a} routers × ${h} give ${a * h}`);
  const fabricLink = hw.link(f.link ?? ports[0]?.link.name ?? 'ethernet-400g', 'fabric.link');
  const routers: number[] = [];
  for (let gi = 0; gi < g; gi++)
    for (let r = 0; r < a; r++)
      routers.push(topo.addNode(`g${gi}/router${r}`, 'switch', { latencySec: f.switchLatencySec, capacityBytesPerSec: f.switchCapacityBytesPerSec, placement: { tier: 0, pod: gi } }));
  for (let gi = 0; gi < g; gi++)
    for (let x = 0; x < a; x++) for (let y = x + 1; y < a; y++) links.connect(routers[gi * a + x], routers[gi * a + y], fabricLink, 'local', f.bytesPerSec);
  const used = new Int32Array(g);
  for (let i = 0; i < g; i++)
    for (let j = i + 1; j < g; j++) {
      const ri = routers[i * a + (Math.floor(used[i]++ / h) % a)];
      const rj = routers[j * a + (Math.floor(used[j]++ / h) % a)];
      links.connect(ri, rj, fabricLink, 'global', f.bytesPerSec);
    }
  attachHosts(topo, links, ports, routers, f.hostsPerRouter ?? Math.ceil(ports.length / routers.length));
}
