// Folded-Clos fabrics: the k-ary fat-tree, 2- and 3-tier leaf-spine with any radix and a
// down:up oversubscription per tier, rail-optimized leaves (NIC i of every server on a leaf of
// rail i) and several independent planes. Shape, per plane:
//   leaf: d0 down ports, u0 up ports, d0/u0 = oversubscription[0], d0 + u0 = radix;
//   2 tiers: every leaf has u0 uplinks spread evenly over `spines` spines (default u0);
//   3 tiers: pods of L leaves with u0 spines each (one link per leaf–spine pair), spine
//   L down / u1 up (L/u1 = oversubscription[1]); core group j (u1 cores) joins spine j of all pods.
// For radix k and 1:1 this is the k-ary fat-tree: k³/4 hosts, k²/2 leaves, k²/2 spines, k²/4 cores.
import { failInput } from '../core/errors.js';
import * as hw from '../hardware/index.js';
import type { Topology } from './graph.js';
import type { LinkFactory } from './link-factory.js';
import type { FabricPort } from './server-builder.js';
import type { FabricSpec } from './spec.js';

/** Plane of a port: its port index on multi-port NICs, else NICs are spread over planes by rail. */
function planeOf(port: FabricPort, planes: number, multiPort: boolean): number {
  if (planes === 1) return 0;
  return multiPort ? port.port : port.rail % planes;
}

function splitRadix(radix: number, oversubscription: number, path: string): [down: number, up: number] {
  const up = Math.round(radix / (1 + oversubscription));
  if (up < 1 || up >= radix) failInput(path, `radix ${radix} with oversubscription ${oversubscription}:1 leaves no up or down ports`);
  return [radix - up, up];
}

export function buildClos(topo: Topology, links: LinkFactory, f: FabricSpec, ports: FabricPort[]): void {
  if (f.tiers !== 2 && f.tiers !== 3) failInput('fabric.tiers', `must be 2 or 3, got ${f.tiers}`);
  const multiPort = ports.some((p) => p.port > 0);
  const fabricLink = hw.link(f.link ?? ports[0].link.name, 'fabric.link');
  const sw = { latencySec: f.switchLatencySec, capacityBytesPerSec: f.switchCapacityBytesPerSec };
  for (let plane = 0; plane < f.planes; plane++) {
    const mine = ports.filter((p) => planeOf(p, f.planes, multiPort) === plane);
    if (mine.length === 0) continue;
    const prefix = f.planes > 1 ? `p${plane}/` : '';
    const [d0, u0] = splitRadix(f.radix, f.oversubscription[0] ?? 1, 'fabric.oversubscription[0]');

    // Leaves: rail-optimized fabrics fill one set of leaves per rail, ordered (server group, rail).
    const leafOfPort: FabricPort[][] = [];
    if (f.rails) {
      const rails = mine.reduce((a, p) => Math.max(a, p.rail), -1) + 1;
      const byRail: FabricPort[][] = Array.from({ length: rails }, () => []);
      for (const p of mine) byRail[p.rail].push(p);
      const groups = byRail.reduce((a, r) => Math.max(a, Math.ceil(r.length / d0)), -Infinity);
      for (let g = 0; g < groups; g++)
        for (let r = 0; r < rails; r++) {
          const chunk = byRail[r].slice(g * d0, (g + 1) * d0);
          if (chunk.length) leafOfPort.push(chunk);
        }
    } else {
      for (let i = 0; i < mine.length; i += d0) leafOfPort.push(mine.slice(i, i + d0));
    }
    const nLeaves = leafOfPort.length;
    const L = f.tiers === 3 ? splitRadix(f.radix, f.oversubscription[1] ?? 1, 'fabric.oversubscription[1]')[0] : nLeaves;
    const leaves: number[] = [];
    leafOfPort.forEach((members, i) => {
      const rail = f.rails ? members[0].rail : -1;
      const leaf = topo.addNode(`${prefix}leaf${i}`, 'switch', { ...sw, placement: { tier: 0, plane, rail, pod: f.tiers === 3 ? Math.floor(i / L) : 0 } });
      leaves.push(leaf);
      for (const m of members) links.connect(m.node, leaf, m.link, 'host-leaf');
    });

    if (f.tiers === 2) {
      const spines = f.spines ?? u0;
      if (spines < 1 || u0 % spines !== 0) failInput('fabric.spines', `must divide the ${u0} uplinks of each leaf, got ${spines}`);
      if (nLeaves * (u0 / spines) > f.radix)
        failInput('fabric.tiers', `${nLeaves} leaves need spines with ${nLeaves * (u0 / spines)} ports but radix is ${f.radix}; use tiers: 3 or a larger radix`);
      const spineIds: number[] = [];
      for (let s = 0; s < spines; s++) spineIds.push(topo.addNode(`${prefix}spine${s}`, 'switch', { ...sw, placement: { tier: 1, plane, pod: 0 } }));
      for (const leaf of leaves) for (let j = 0; j < u0; j++) links.connect(leaf, spineIds[j % spines], fabricLink, 'leaf-spine');
      continue;
    }
    const u1 = f.radix - L;
    const pods = Math.ceil(nLeaves / L);
    if (pods > f.radix) failInput('fabric.radix', `${pods} pods need core switches with ${pods} ports but radix is ${f.radix}`);
    const podSpines: number[][] = [];
    for (let p = 0; p < pods; p++) {
      const row: number[] = [];
      for (let j = 0; j < u0; j++) row.push(topo.addNode(`${prefix}pod${p}/spine${j}`, 'switch', { ...sw, placement: { tier: 1, plane, pod: p } }));
      podSpines.push(row);
      for (let i = p * L; i < Math.min(nLeaves, (p + 1) * L); i++) for (const s of row) links.connect(leaves[i], s, fabricLink, 'leaf-spine');
    }
    for (let j = 0; j < u0; j++)
      for (let m = 0; m < u1; m++) {
        const core = topo.addNode(`${prefix}core${j * u1 + m}`, 'switch', { ...sw, placement: { tier: 2, plane } });
        for (let p = 0; p < pods; p++) links.connect(podSpines[p][j], core, fabricLink, 'spine-core');
      }
  }
}
