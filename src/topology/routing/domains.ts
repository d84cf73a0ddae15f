// Routing domains: the nodes of one server (placement.server) form a domain; nodes without a
// server form the fabric. Routes never transit a third server (hosts do not forward fabric
// traffic), so a shortest route is: inside the source server to a port, through the fabric,
// into the destination server. Each domain keeps its all-pairs hop distances (servers have
// tens of nodes) and its ports: links from a domain node to a fabric node. Built lazily.
import type { Topology } from '../graph.js';

export const UNREACHABLE = 0xffff;

export interface DomainPort {
  /** Local index of the node inside the domain, and the fabric node it links to. */
  inner: number;
  fabric: number;
  /** Directed links inner → fabric and fabric → inner. */
  out: number;
  in: number;
}

/**
 * Routing tables of a server layout, shared by every server built the same way: hop distances
 * dist[u * n + t] between local nodes (through forwarding nodes), and next hops from u toward t
 * at hopLinks[hopStart[u*n+t] .. hopStart[u*n+t+1]) as (directed link − 2·linkBase, next local).
 */
export interface DomainShape {
  n: number;
  dist: Uint16Array;
  hopStart: Int32Array;
  hopLinks: Int32Array;
}

export interface Domain {
  nodes: Int32Array;
  shape: DomainShape;
  /** Added (×2) to the shape's relative directed links; 0 for a layout of its own. */
  linkBase: number;
  ports: DomainPort[];
}

export class Domains {
  readonly domainOf: Int32Array;
  readonly localIndex: Int32Array;
  private readonly members: number[][];
  private readonly cache: (Domain | undefined)[];
  private readonly shapes = new Map<string, DomainShape>();

  constructor(private readonly topo: Topology) {
    const n = topo.nodes.length;
    this.domainOf = new Int32Array(n);
    this.localIndex = new Int32Array(n);
    this.members = Array.from({ length: topo.serverNames.length }, () => []);
    for (const node of topo.nodes) {
      const s = node.placement.server;
      this.domainOf[node.index] = s;
      if (s >= 0) {
        this.localIndex[node.index] = this.members[s].length;
        this.members[s].push(node.index);
      } else this.localIndex[node.index] = -1;
    }
    this.cache = new Array(this.members.length);
  }

  get(d: number): Domain {
    return this.cache[d] ?? (this.cache[d] = this.build(d));
  }

  private build(d: number): Domain {
    const topo = this.topo;
    const { start, dlink, to } = topo.adjacency();
    const nodes = Int32Array.from(this.members[d]);
    const n = nodes.length;
    const inner: number[] = [];
    for (const g of nodes)
      for (let e = start[g]; e < start[g + 1]; e++) if ((dlink[e] & 1) === 0 && this.domainOf[to[e]] === d) inner.push(dlink[e] >> 1);
    inner.sort((x, y) => x - y);
    // Servers expanded by one builder have contiguous nodes and links in the same order, so
    // their tables are equal up to an offset: share one shape among all of them.
    const affine = n > 0 && nodes[n - 1] - nodes[0] === n - 1 && (inner.length === 0 || inner[inner.length - 1] - inner[0] === inner.length - 1);
    const linkBase = affine && inner.length ? inner[0] : 0;
    let shape: DomainShape | undefined;
    let key = '';
    if (affine) {
      const parts = [String(n)];
      for (const g of nodes) parts.push(`${topo.nodes[g].kind[0]}${topo.nodes[g].forwards ? 1 : 0}`);
      for (const l of inner) parts.push(`${topo.links[l].a - nodes[0]}-${topo.links[l].b - nodes[0]}:${topo.links[l].bytesPerSec}`);
      key = parts.join(',');
      shape = this.shapes.get(key);
    }
    if (!shape) {
      shape = this.buildShape(d, nodes, linkBase);
      if (affine) this.shapes.set(key, shape);
    }
    const ports: DomainPort[] = [];
    for (let i = 0; i < n; i++) {
      const g = nodes[i];
      for (let e = start[g]; e < start[g + 1]; e++) {
        const f = to[e];
        if (this.domainOf[f] !== -1 || !topo.nodes[f].forwards) continue;
        ports.push({ inner: i, fabric: f, out: dlink[e], in: dlink[e] ^ 1 });
      }
    }
    return { nodes, shape, linkBase, ports };
  }

  private buildShape(d: number, nodes: Int32Array, linkBase: number): DomainShape {
    const topo = this.topo;
    const { start, dlink, to } = topo.adjacency();
    const n = nodes.length;
    const dist = new Uint16Array(n * n).fill(UNREACHABLE);
    // Among routes with the fewest hops, the one with the least Σ 1/bandwidth wins (GPU to GPU
    // over NVSwitch rather than through their shared PCIe switch): slow[u * n + t].
    const slow = new Float64Array(n * n);
    const queue = new Int32Array(n);
    const cost = (e: number) => 1 / topo.links[dlink[e] >> 1].bytesPerSec;
    const usable = (v: number, t: number) => this.domainOf[v] === d && (this.localIndex[v] === t || topo.nodes[v].forwards);
    for (let t = 0; t < n; t++) {
      dist[t * n + t] = 0;
      queue[0] = t;
      let tail = 1;
      for (let q = 0; q < tail; q++) {
        const x = queue[q];
        const gx = nodes[x];
        if (q > 0) {
          let best = Infinity;
          for (let e = start[gx]; e < start[gx + 1]; e++) {
            const y = to[e];
            if (!usable(y, t) || dist[this.localIndex[y] * n + t] !== dist[x * n + t] - 1) continue;
            best = Math.min(best, cost(e) + slow[this.localIndex[y] * n + t]);
          }
          slow[x * n + t] = best;
        }
        if (x !== t && !topo.nodes[gx].forwards) continue;
        const dx = dist[x * n + t];
        for (let e = start[gx]; e < start[gx + 1]; e++) {
          const y = to[e];
          if (this.domainOf[y] !== d) continue;
          const ly = this.localIndex[y];
          if (dist[ly * n + t] !== UNREACHABLE) continue;
          dist[ly * n + t] = dx + 1;
          queue[tail++] = ly;
        }
      }
    }
    const hopStart = new Int32Array(n * n + 1);
    const hops: number[] = [];
    for (let u = 0; u < n; u++)
      for (let t = 0; t < n; t++) {
        hopStart[u * n + t] = hops.length >> 1;
        const want = dist[u * n + t] - 1;
        if (u === t || dist[u * n + t] === UNREACHABLE) continue;
        const gu = nodes[u];
        for (let e = start[gu]; e < start[gu + 1]; e++) {
          const v = to[e];
          if (!usable(v, t)) continue;
          const lv = this.localIndex[v];
          if (dist[lv * n + t] === want && Math.abs(cost(e) + slow[lv * n + t] - slow[u * n + t]) <= 1e-9 * slow[u * n + t]) hops.push(dlink[e] - 2 * linkBase, lv);
        }
      }
    hopStart[n * n] = hops.length >> 1;
    return { n, dist, hopStart, hopLinks: Int32Array.from(hops) };
  }
}
