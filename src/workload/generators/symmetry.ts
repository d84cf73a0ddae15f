// Symmetric reduction of a training step: data-parallel replicas on alike servers do the same
// thing at the same time, so one block of each pipeline stage stands for the others. A stage's
// ranks are tp·cp·dp consecutive ones (rank = tp_rank + tp·cp_rank + tp·cp·dp_rank +
// tp·cp·dp·stage, transformer.ts); its first tp·cp·ep hold whole TP, CP and EP groups and are
// simulated in full. The others run only the collectives over the replicas (gradients,
// parameters), whose traffic stays on the fabric; their breakdown is their block's.
import type { Topology } from '../../topology/graph.js';
import { expertLayout } from './expert-layout.js';
import type { TrainingPlan } from './transformer.js';

/** From this many ranks, a plan whose `symmetric` is 'auto' (the default) runs reduced. */
export const SYMMETRIC_AUTO_RANKS = 4096;

/** Whether `p` runs reduced: asked (true), or 'auto' at SYMMETRIC_AUTO_RANKS ranks or more with two replica blocks or more. */
export function symmetryIn(p: TrainingPlan): boolean {
  if (p.symmetric !== 'auto') return p.symmetric;
  return p.tp * p.cp * p.pp * p.dp >= SYMMETRIC_AUTO_RANKS && reductionFactor(p) >= 2;
}

/**
 * Ranks per stage that are simulated: tp·cp·ep (every TP, CP and EP group of the block lies
 * inside it); with folded experts (expert-layout.ts: EP groups of ep consecutive ranks across
 * TP × DP) the larger of tp and ep, one of which divides the other.
 */
export function symmetricBlock(p: TrainingPlan): number {
  return expertLayout(p).folded ? Math.max(p.tp, p.ep) * p.cp : p.tp * p.cp * p.ep;
}

/** The simulated rank that rank `r` mirrors (itself when it is simulated). */
export function representativeOf(p: TrainingPlan, r: number): number {
  const stage = p.tp * p.cp * p.dp;
  return r - (r % stage) + ((r % stage) % symmetricBlock(p));
}

/** How many ranks each simulated one stands for (itself included). */
export function reductionFactor(p: TrainingPlan): number {
  return (p.tp * p.cp * p.dp) / symmetricBlock(p);
}

/**
 * Why one replica block cannot stand for the others on this system although the system is
 * symmetric (null when it can): the block's ranks (its TP, CP and EP groups) span more than one
 * NVLink domain, so its own traffic (the all-to-alls, above all) crosses the fabric, where the
 * other blocks' traffic, not simulated, would share links with the gradient collectives that are.
 * `domainOf(r)`: rank r's NVLink domain.
 */
export function blockSpread(p: TrainingPlan, domainOf: (rank: number) => number): string | null {
  const n = symmetricBlock(p);
  const domains = new Set<number>();
  for (let r = 0; r < n; r++) domains.add(domainOf(r));
  if (domains.size < 2) return null;
  return `a replica block (ranks 0-${n - 1}, its TP, CP and EP groups) spans ${domains.size} NVLink domains: its traffic crosses the fabric, where the other blocks' (not simulated) would share links with their gradient collectives`;
}

/**
 * Why the system is not symmetric enough to stand one replica block for the others (null when
 * it is): accelerators of more than one kind, links of one tier and kind that differ in
 * bandwidth or latency (a degraded or mixed link), nodes of one kind that differ, or a fabric
 * switch with more bandwidth down than up (oversubscribed: the replicas' pipeline traffic,
 * not simulated, would contend with what is).
 */
export function asymmetry(topo: Topology): string | null {
  const accs = new Set(topo.nodesOfKind('accelerator').map((n) => n.spec));
  if (accs.size > 1) return `the accelerators differ (${[...accs].join(', ')})`;
  const links = new Map<string, string>();
  for (const l of topo.links) {
    const kinds = [topo.nodes[l.a].kind, topo.nodes[l.b].kind].sort().join('-');
    const key = `${l.tier} ${l.type} ${kinds}`;
    const value = `${l.bytesPerSec}/${l.latencySec}`;
    const seen = links.get(key);
    if (seen === undefined) links.set(key, value);
    else if (seen !== value) return `${l.type} links of tier ${l.tier} (${kinds}) differ in bandwidth or latency, e.g. ${topo.nodes[l.a].id} – ${topo.nodes[l.b].id}`;
  }
  const nodes = new Map<string, string>();
  for (const n of topo.nodes) {
    const key = `${n.kind} ${n.spec}`;
    const value = `${n.capacityBytesPerSec}/${n.latencySec}`;
    const seen = nodes.get(key);
    if (seen === undefined) nodes.set(key, value);
    else if (seen !== value) return `${n.kind} nodes ${n.spec ? `of ${n.spec} ` : ''}differ, e.g. ${n.id}`;
  }
  return oversubscribed(topo);
}

/** The first fabric switch with more bandwidth on its links down (tier "x-T") than up (tier "T-y"), as a reason. */
function oversubscribed(topo: Topology): string | null {
  const { start, dlink } = topo.adjacency();
  for (const sw of topo.nodesOfKind('switch')) {
    const sums = new Map<string, number>();
    for (let e = start[sw.index]; e < start[sw.index + 1]; e++) {
      const l = topo.links[dlink[e] >> 1];
      sums.set(l.tier, (sums.get(l.tier) ?? 0) + l.bytesPerSec);
    }
    for (const [tier, down] of sums) {
      const level = tier.split('-').pop()!;
      for (const [other, up] of sums) if (other !== tier && other.startsWith(`${level}-`) && down > up * (1 + 1e-9)) return `the fabric is oversubscribed at ${sw.id} (${(down / up).toFixed(2)}:1 down to up)`;
    }
  }
  return null;
}
