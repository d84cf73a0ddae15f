// Link utilization per fabric tier: for every tier the topology names (inside a server "host",
// "scale-up", and the fabric's tiers such as "leaf-spine"), the mean and the largest average
// utilization of its link directions over the run (bytes carried over capacity × run time), the
// busiest direction, and the bytes it carried in all. Where the tiers differ is where a fabric
// is over- or under-provisioned for the workload.
import type { DagRunResult } from '../sim/dag-runner.js';
import type { TransferDag } from '../graph/index.js';
import type { Topology } from '../topology/graph.js';
import type { Router } from '../topology/routing/router.js';
import { linkLoads } from './stress-points.js';

export interface TierUtilization {
  readonly tier: string;
  /** Link directions in the tier (two per link). */
  readonly directions: number;
  /** Of those, directions that carried any bytes. */
  readonly used: number;
  readonly meanUtilization: number;
  readonly maxUtilization: number;
  /** The busiest direction, "a → b" ("" when the tier carried nothing). */
  readonly busiest: string;
  readonly bytes: number;
}

/** Every tier with links, in the order the topology first uses them. */
export function tierUtilization(dag: TransferDag, run: DagRunResult, topo: Topology, router: Router): TierUtilization[] {
  const T = run.makespanSec;
  const load = linkLoads(dag, topo, router);
  const tiers = new Map<string, { directions: number; used: number; sum: number; max: number; busiest: string; bytes: number }>();
  topo.links.forEach((l, li) => {
    const t = tiers.get(l.tier) ?? { directions: 0, used: 0, sum: 0, max: -1, busiest: '', bytes: 0 };
    for (const dir of [0, 1]) {
      const bytes = load[2 * li + dir];
      const u = T > 0 ? bytes / (l.bytesPerSec * T) : 0;
      t.directions++;
      t.bytes += bytes;
      t.sum += u;
      if (bytes > 0) t.used++;
      if (u > t.max && bytes > 0) {
        const [a, b] = dir === 0 ? [l.a, l.b] : [l.b, l.a];
        t.max = u;
        t.busiest = `${topo.nodes[a].id} → ${topo.nodes[b].id}`;
      }
    }
    tiers.set(l.tier, t);
  });
  return [...tiers].map(([tier, t]) => ({ tier, directions: t.directions, used: t.used, meanUtilization: t.sum / t.directions, maxUtilization: Math.max(0, t.max), busiest: t.busiest, bytes: t.bytes }));
}
