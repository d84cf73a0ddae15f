// What an architect reads first about a system: counts by node kind, links by type and tier,
// per-switch-tier down/up bandwidth and oversubscription, bisection bandwidth, diameter and
// accelerators per NIC.
//   bisection: max flow from the first half of the servers (by order) to the second half,
//     through the fabric only (servers do not relay); inside a lone server, from the first
//     half of its accelerators to the other half. Per direction, bytes/s (effective rates).
//   diameter: the longest shortest route, in links, between two accelerators. Accelerators
//     with identical attachment share a routing profile, so this is exact over profile pairs;
//     above 3,000 profiles a deterministic sample of 3,000 is used and the result says so.
import type { FabricRouting } from './spec.js';
import type { LinkType } from '../hardware/types.js';
import { NODE_KINDS, type NodeKind, type Topology } from './graph.js';
import { maxFlow } from './max-flow.js';
import type { Router } from './routing/router.js';

export interface LinkGroupSummary {
  type: LinkType;
  spec: string;
  tier: string;
  count: number;
  lineBytesPerSec: number;
  bytesPerSec: number;
}

export interface SwitchTierSummary {
  tier: number;
  switches: number;
  downBytesPerSec: number;
  upBytesPerSec: number;
  /** down / up; Infinity at the top tier. */
  oversubscription: number;
}

export interface TopologySummary {
  name: string;
  servers: number;
  nodes: Record<NodeKind, number>;
  links: number;
  linkGroups: LinkGroupSummary[];
  switchTiers: SwitchTierSummary[];
  /** How fabric switches pick among equal-cost up-links (fabric.routing, `auto` resolved). */
  routing: FabricRouting;
  bisectionBytesPerSec: number;
  bisectionPerAcceleratorBytesPerSec: number;
  diameterHops: number;
  diameterSampled: boolean;
  acceleratorsPerNic: number;
  maxAcceleratorsPerHomeNic: number;
}

const DIAMETER_PROFILES = 3000;

/** `onPhase`: told before each long stage (the bisection's max flow, the diameter's searches), and during the diameter's searches how many of its profile pairs are done, for progress on large topologies. */
export function summarize(topo: Topology, router: Router, onPhase: (stage: string, done?: number, total?: number) => void = () => {}): TopologySummary {
  const nodes = Object.fromEntries(NODE_KINDS.map((k) => [k, 0])) as Record<NodeKind, number>;
  for (const n of topo.nodes) nodes[n.kind]++;
  const groups = new Map<string, LinkGroupSummary>();
  for (const l of topo.links) {
    const key = `${l.type}|${l.spec}|${l.tier}|${l.lineBytesPerSec}|${l.bytesPerSec}`;
    const g = groups.get(key);
    if (g) g.count++;
    else groups.set(key, { type: l.type, spec: l.spec, tier: l.tier, count: 1, lineBytesPerSec: l.lineBytesPerSec, bytesPerSec: l.bytesPerSec });
  }
  const homeCount = new Map<number, number>();
  for (const n of topo.nodes) if (n.kind === 'accelerator') for (const h of n.homeNics) homeCount.set(h, (homeCount.get(h) ?? 0) + 1);
  const acc = nodes.accelerator;
  onPhase('bisection bandwidth (max flow between the halves)');
  const bisection = bisectionBytesPerSec(topo);
  onPhase('diameter (shortest paths between accelerators)');
  const { hops, sampled } = diameter(topo, router, (done, total) => onPhase('diameter: profile pairs', done, total));
  return {
    name: topo.name,
    servers: topo.serverNames.length,
    nodes,
    links: topo.links.length,
    linkGroups: [...groups.values()],
    switchTiers: switchTiers(topo),
    routing: topo.routing,
    bisectionBytesPerSec: bisection,
    bisectionPerAcceleratorBytesPerSec: acc > 1 ? bisection / Math.floor(acc / 2) : 0,
    diameterHops: hops,
    diameterSampled: sampled,
    acceleratorsPerNic: nodes.nic > 0 ? acc / nodes.nic : 0,
    // a reduce, not a spread into max: 250 k NICs as arguments overflow the call stack
    maxAcceleratorsPerHomeNic: [...homeCount.values()].reduce((a, b) => Math.max(a, b), 0),
  };
}

function switchTiers(topo: Topology): SwitchTierSummary[] {
  const byTier = new Map<number, SwitchTierSummary>();
  const fabricSwitch = (i: number) => topo.nodes[i].kind === 'switch' && topo.nodes[i].placement.server < 0 && topo.nodes[i].placement.tier >= 0;
  for (const n of topo.nodes)
    if (fabricSwitch(n.index) && !byTier.has(n.placement.tier))
      byTier.set(n.placement.tier, { tier: n.placement.tier, switches: 0, downBytesPerSec: 0, upBytesPerSec: 0, oversubscription: Infinity });
  for (const n of topo.nodes) if (fabricSwitch(n.index)) byTier.get(n.placement.tier)!.switches++;
  for (const l of topo.links)
    for (const [s, o] of [[l.a, l.b], [l.b, l.a]]) {
      if (!fabricSwitch(s)) continue;
      const t = byTier.get(topo.nodes[s].placement.tier)!;
      const other = fabricSwitch(o) ? topo.nodes[o].placement.tier : -1;
      if (other < t.tier) t.downBytesPerSec += l.bytesPerSec;
      else if (other > t.tier) t.upBytesPerSec += l.bytesPerSec;
    }
  const tiers = [...byTier.values()].sort((a, b) => a.tier - b.tier);
  for (const t of tiers) t.oversubscription = t.upBytesPerSec > 0 ? t.downBytesPerSec / t.upBytesPerSec : Infinity;
  return tiers;
}

export function bisectionBytesPerSec(topo: Topology): number {
  const S = topo.serverNames.length;
  if (S >= 2) {
    const half = Math.floor(S / 2);
    const src = new Set<number>();
    const dst = new Set<number>();
    for (const l of topo.links)
      for (const [inner, outer] of [[l.a, l.b], [l.b, l.a]]) {
        const s = topo.nodes[inner].placement.server;
        if (s < 0 || topo.nodes[outer].placement.server >= 0) continue;
        (s < half ? src : dst).add(inner);
      }
    return maxFlow(topo, [...src], [...dst], (x) => topo.nodes[x].placement.server < 0);
  }
  const accs = topo.nodesOfKind('accelerator').map((n) => n.index);
  if (accs.length < 2) return 0;
  const half = Math.floor(accs.length / 2);
  return maxFlow(topo, accs.slice(0, half), accs.slice(half), () => true);
}

function diameter(topo: Topology, router: Router, onPairs: (done: number, total: number) => void = () => {}): { hops: number; sampled: boolean } {
  const byProfile = new Map<number, number>();
  const members = new Map<number, number>();
  let hops = 0;
  const perServer = new Map<number, number[]>();
  for (const n of topo.nodes) {
    if (n.kind !== 'accelerator') continue;
    const p = router.profile(n.index);
    if (!byProfile.has(p)) byProfile.set(p, n.index);
    members.set(p, (members.get(p) ?? 0) + 1);
    const s = n.placement.server;
    if (s >= 0 && (perServer.get(s)?.length ?? 0) < 16) perServer.set(s, [...(perServer.get(s) ?? []), n.index]);
  }
  // Inside one server (the first of each distinct size is enough for homogeneous groups).
  const seenSizes = new Set<number>();
  for (const members of perServer.values()) {
    if (seenSizes.has(members.length)) continue;
    seenSizes.add(members.length);
    for (const a of members) for (const b of members) hops = Math.max(hops, router.distance(a, b));
  }
  let reps = [...byProfile.keys()];
  const sampled = reps.length > DIAMETER_PROFILES;
  if (sampled) {
    const step = reps.length / DIAMETER_PROFILES;
    reps = Array.from({ length: DIAMETER_PROFILES }, (_, i) => reps[Math.floor(i * step)]);
  }
  // Across servers: fabric nodes have their own profiles, so pairs of profiles cover every pair.
  // (a profile with a single accelerator has no pair with itself)
  const total = reps.length * reps.length;
  let done = 0;
  for (const a of reps) {
    for (const b of reps) if (a !== b || (members.get(a) ?? 0) > 1) hops = Math.max(hops, router.profileDistance(a, b));
    onPairs((done += reps.length), total);
  }
  return { hops, sampled };
}
