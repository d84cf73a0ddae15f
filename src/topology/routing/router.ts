// Shortest-path routing with ECMP. A route from src to dst is a list of directed links
// (2·link + dir). It runs inside the source server to one of its ports, through the fabric
// (hop-count shortest, ECMP among equal next hops), and inside the destination server. Among
// equal-length choices of exit and entry port, ports on the endpoint's home NIC win (GPU i uses
// NIC i, as NCCL does); the remaining ties are split by a hash of (seed, src, dst, label).
// Rail matching (NCCL's channel-to-NIC binding with PXN, its default on rail-optimized
// systems): a route from accelerator a to accelerator b of another server leaves a's server
// through the NIC on b's rail (a's server-mate of b's home NIC), reached over PCIe when it
// shares a's switch, else through the accelerator it belongs to (NVLink, then its PCIe): PXN.
// Used only when the relayed route is no longer than the direct one (so never on fabrics
// without rails, across leaf groups, or on tori), so traffic between servers spreads over
// every NIC and stays on its rail.
//
// Cost: exit/entry choices are cached per pair of "port profiles" (nodes whose ports, fabric
// attachment and distances are the same share a profile: every GPU i under the same leaves),
// fabric next hops per (node, destination switch), so a route costs O(hops) after warm-up.
import { FairwayError } from '../../core/errors.js';
import type { Topology } from '../graph.js';
import { Domains, UNREACHABLE, type Domain } from './domains.js';
import { FabricTable } from './fabric-table.js';
import { flowHash, pick } from './ecmp-hash.js';

export interface Route {
  readonly src: number;
  readonly dst: number;
  /** Directed links in order (link = d >> 1, direction = d & 1). */
  readonly links: Int32Array;
  /** Sum of link latencies and of the latencies of the nodes crossed. */
  readonly latencySec: number;
  /**
   * A run's engine resources for this route, kept on it by the runner that made them (sim/
   * op-activities.ts) with the object they belong to: a run starts millions of transfers over a
   * few thousand routes. Not part of the route; another run replaces it.
   */
  resourcesOf?: { readonly owner: object; readonly resources: number[] };
}

interface Exit {
  ord: number;
  fabric: number;
  cost: number;
  pref: boolean;
}

interface Decision {
  cost: number;
  /** Pairs (exit index in profile A, exit index in profile B). */
  pairs: Int32Array;
}

const ROUTE_CACHE_LIMIT = 1 << 20;
const DECISION_TABLE_BUDGET = 1 << 24;

export class Router {
  readonly domains: Domains;
  readonly fabric: FabricTable;
  private readonly profileOf: Int32Array;
  private readonly profiles: Exit[][] = [];
  private readonly profileKeys = new Map<string, number>();
  /** Decision ids + 1 by [profile of src][profile of dst] (0 = not decided yet). */
  private readonly decisionIndex: Int32Array[] = [];
  private decisionIndexSize = 0;
  /** Beyond the table budget (many distinct profiles, e.g. a large torus): a map by pa·2²⁶ + pb. */
  private readonly decisionOverflow = new Map<number, number>();
  private readonly decisions: Decision[] = [];
  /** Routes by source node, then by dst · 1024 + label (small integers hash fast), or a string for other labels. */
  private cache: (Map<number | string, Route> | undefined)[] = [];
  private cached = 0;
  private readonly scratch: Int32Array;
  private readonly scratch2: Int32Array;
  private readonly scratch3: Int32Array;
  /** Rail matching: local indices of accelerators and NICs in their server, each server's NICs, each NIC's home accelerator. */
  private readonly localAcc: Int32Array;
  private readonly localNic: Int32Array;
  private readonly serverNics = new Map<number, number[]>();
  private readonly nicOwner = new Map<number, number>();
  /** Destination routing: each server-facing fabric link's port index (portKey), built on first use. */
  private portKeys: Int32Array | null = null;

  constructor(
    readonly topo: Topology,
    readonly seed = 0,
    readonly options: { readonly pxn?: boolean } = {},
  ) {
    this.domains = new Domains(topo);
    this.fabric = new FabricTable(topo);
    this.profileOf = new Int32Array(topo.nodes.length).fill(-1);
    this.scratch = new Int32Array(topo.nodes.length + 1);
    this.scratch2 = new Int32Array(topo.nodes.length + 1);
    this.scratch3 = new Int32Array(topo.nodes.length + 1);
    this.localAcc = new Int32Array(topo.nodes.length).fill(-1);
    this.localNic = new Int32Array(topo.nodes.length).fill(-1);
    const accCount = new Map<number, number>();
    for (const node of topo.nodes) {
      if (node.placement.server < 0) continue;
      if (node.kind === 'accelerator') {
        const c = accCount.get(node.placement.server) ?? 0;
        this.localAcc[node.index] = c;
        accCount.set(node.placement.server, c + 1);
        if (node.homeNics.length > 0 && !this.nicOwner.has(node.homeNics[0])) this.nicOwner.set(node.homeNics[0], node.index);
      } else if (node.kind === 'nic') {
        const list = this.serverNics.get(node.placement.server) ?? [];
        this.localNic[node.index] = list.length;
        list.push(node.index);
        this.serverNics.set(node.placement.server, list);
      }
    }
  }

  /**
   * Rail-matched relay of a route from accelerator src to accelerator dst of another server:
   * the NIC of src's server on dst's rail when it is on src's PCIe switch, else the accelerator
   * whose home NIC it is (PXN); −1 when src's own route is already on that rail or nothing fits.
   */
  railRelay(src: number, dst: number): number {
    if (this.options.pxn === false) return -1;
    const a = this.topo.nodes[src];
    const b = this.topo.nodes[dst];
    if (this.localAcc[src] < 0 || this.localAcc[dst] < 0 || a.placement.server === b.placement.server || b.homeNics.length === 0) return -1;
    const k = this.localNic[b.homeNics[0]];
    const nic = this.serverNics.get(a.placement.server)?.[k];
    if (nic === undefined || a.homeNics.includes(nic)) return -1;
    // the relay must not lengthen the route, and must shorten what is left of it
    const direct = this.distance(src, dst);
    const across = this.distance(nic, dst);
    if (direct <= 0 || across <= 0 || across >= direct) return -1;
    const near = this.distance(src, nic);
    if (near > 0 && near <= 2 && near + across <= direct) return nic;
    const proxy = this.nicOwner.get(nic);
    if (proxy === undefined || proxy === src) return -1;
    const inside = this.distance(src, proxy);
    const rest = this.distance(proxy, dst);
    return inside > 0 && inside <= 2 && rest > 0 && inside + rest <= direct ? proxy : -1;
  }

  /** The route of flow `label` from src to dst (node indices); cached. Throws if unreachable. */
  route(src: number, dst: number, label = 0): Route {
    const key = label >= 0 && label < 1024 && Number.isInteger(label) ? dst * 1024 + label : `${dst},${label}`;
    let bySrc = this.cache[src];
    const hit = bySrc?.get(key);
    if (hit) return hit;
    const len = this.routeInto(src, dst, label, this.scratch);
    if (len < 0) {
      const a = this.topo.nodes[src].id;
      const b = this.topo.nodes[dst].id;
      throw new FairwayError('E_INPUT', `no route from ${a} to ${b}`, [{ path: `${a} -> ${b}`, message: 'the two nodes are not connected through forwarding nodes' }]);
    }
    const links = this.scratch.slice(0, len);
    const r: Route = { src, dst, links, latencySec: this.latencyOf(links), resourcesOf: undefined };
    if (this.cached >= ROUTE_CACHE_LIMIT || this.cache.length === 0) (this.cache = new Array(this.topo.nodes.length)), (this.cached = 0), (bySrc = undefined);
    if (!bySrc) this.cache[src] = bySrc = new Map();
    bySrc.set(key, r);
    this.cached++;
    return r;
  }

  /** Writes the route into `out` and returns its length, or −1 if dst is unreachable. */
  routeInto(src: number, dst: number, label: number, out: Int32Array): number {
    if (src === dst) return 0;
    const relay = this.railRelay(src, dst);
    if (relay >= 0) {
      const k = this.routeInto(src, relay, label, out);
      const rest = this.routeInto(relay, dst, label, this.scratch2);
      if (k < 0 || rest < 0) return -1;
      out.set(this.scratch2.subarray(0, rest), k);
      return k + rest;
    }
    const h = flowHash(this.seed, src, dst, label);
    const da = this.domains.domainOf[src];
    const db = this.domains.domainOf[dst];
    const dec = this.decide(src, dst);
    if (da >= 0 && da === db) {
      const dom = this.domains.get(da);
      const n = dom.shape.n;
      const internal = dom.shape.dist[this.domains.localIndex[src] * n + this.domains.localIndex[dst]];
      if (internal !== UNREACHABLE && (dec === null || internal < dec.cost)) return this.walkDomain(dom, this.domains.localIndex[src], this.domains.localIndex[dst], h, out, 0);
      if (internal !== UNREACHABLE && internal === dec!.cost) return this.widerOfTie(dom, src, dst, dec!, h, out);
    }
    if (dec === null) return -1;
    return this.throughFabric(src, dst, dec, h, out);
  }

  /**
   * Two nodes of one server as far apart inside it as through the fabric (a GB200 tray's GPUs:
   * through their Grace CPU, or through the rack's NVLink switch): the route whose narrowest
   * link is wider, as NCCL sends GPU peer traffic over NVLink rather than through a CPU; inside on
   * equal width.
   */
  private widerOfTie(dom: Domain, src: number, dst: number, dec: Decision, h: number, out: Int32Array): number {
    const k = this.walkDomain(dom, this.domains.localIndex[src], this.domains.localIndex[dst], h, this.scratch3, 0);
    const f = this.throughFabric(src, dst, dec, h, out);
    if (this.narrowest(this.scratch3, k) >= this.narrowest(out, f)) {
      out.set(this.scratch3.subarray(0, k));
      return k;
    }
    return f;
  }

  /** The smallest bandwidth among the first `k` directed links of `links`. */
  private narrowest(links: Int32Array, k: number): number {
    let min = Infinity;
    for (let i = 0; i < k; i++) min = Math.min(min, this.topo.links[links[i] >> 1].bytesPerSec);
    return min;
  }

  /** The route out of src's server through the fabric into dst's (the pair of exits `dec` chose). */
  private throughFabric(src: number, dst: number, dec: Decision, h: number, out: Int32Array): number {
    const da = this.domains.domainOf[src];
    const db = this.domains.domainOf[dst];
    const p = pick(h, -1, dec.pairs.length >> 1);
    const ea = this.profiles[this.profileOf[src]][dec.pairs[2 * p]];
    const eb = this.profiles[this.profileOf[dst]][dec.pairs[2 * p + 1]];
    let k = 0;
    if (da >= 0) {
      const dom = this.domains.get(da);
      const port = dom.ports[ea.ord];
      k = this.walkDomain(dom, this.domains.localIndex[src], port.inner, h, out, k);
      out[k++] = port.out;
    }
    const key = this.topo.routing !== 'destination' ? h : -1 - (db >= 0 ? this.portKey(this.domains.get(db).ports[eb.ord].in >> 1) : this.topo.links.length + dst);
    k = this.walkFabric(ea.fabric, eb.fabric, key, out, k);
    if (db >= 0) {
      const dom = this.domains.get(db);
      const port = dom.ports[eb.ord];
      out[k++] = port.in;
      k = this.walkDomain(dom, port.inner, this.domains.localIndex[dst], h, out, k);
    }
    return k;
  }

  /** Hop count of the shortest route, or −1 if unreachable. */
  distance(src: number, dst: number): number {
    if (src === dst) return 0;
    const da = this.domains.domainOf[src];
    const dec = this.decide(src, dst);
    let best = dec === null ? UNREACHABLE : dec.cost;
    if (da >= 0 && da === this.domains.domainOf[dst]) {
      const dom = this.domains.get(da);
      best = Math.min(best, dom.shape.dist[this.domains.localIndex[src] * dom.shape.n + this.domains.localIndex[dst]]);
    }
    return best === UNREACHABLE ? -1 : best;
  }

  /** The profile id of a node: equal ids have identical exits (same fabric ports, costs, preference). */
  profile(node: number): number {
    const cached = this.profileOf[node];
    if (cached >= 0) return cached;
    const exits: Exit[] = [];
    const d = this.domains.domainOf[node];
    if (d < 0) exits.push({ ord: -1, fabric: node, cost: 0, pref: false });
    else {
      const dom = this.domains.get(d);
      const n = dom.shape.n;
      const ls = this.domains.localIndex[node];
      const home = this.topo.nodes[node].homeNics;
      dom.ports.forEach((p, ord) => {
        const inner = dom.nodes[p.inner];
        if (p.inner !== ls && !this.topo.nodes[inner].forwards) return;
        const dist = dom.shape.dist[ls * n + p.inner];
        if (dist !== UNREACHABLE) exits.push({ ord, fabric: p.fabric, cost: dist + 1, pref: home.includes(inner) });
      });
    }
    const key = exits.map((e) => `${e.ord}:${e.fabric}:${e.cost}:${e.pref ? 1 : 0}`).join(',');
    let id = this.profileKeys.get(key);
    if (id === undefined) {
      id = this.profiles.length;
      this.profiles.push(exits);
      this.profileKeys.set(key, id);
    }
    this.profileOf[node] = id;
    return id;
  }

  /** Best exit/entry port pairs between two nodes' profiles, or null if none connects. */
  private decide(src: number, dst: number): Decision | null {
    return this.decideProfiles(this.profile(src), this.profile(dst));
  }

  /** Hop count between nodes of two profiles in different servers, or −1 if unreachable. */
  profileDistance(pa: number, pb: number): number {
    const d = this.decideProfiles(pa, pb);
    return d === null ? -1 : d.cost;
  }

  private decideProfiles(pa: number, pb: number): Decision | null {
    let row: Int32Array | undefined = this.decisionIndex[pa];
    if ((row === undefined || row.length <= pb) && this.decisionIndexSize < DECISION_TABLE_BUDGET) {
      const grown = new Int32Array(Math.max(64, 2 * pb + 2));
      if (row) grown.set(row);
      this.decisionIndexSize += grown.length - (row?.length ?? 0);
      row = this.decisionIndex[pa] = grown;
    }
    if (row !== undefined && row.length <= pb) row = undefined;
    const at = row !== undefined ? row[pb] : (this.decisionOverflow.get(pa * 0x4000000 + pb) ?? 0);
    if (at > 0) {
      const hit = this.decisions[at - 1];
      return hit.pairs.length ? hit : null;
    }
    const A = this.profiles[pa];
    const B = this.profiles[pb];
    let best = UNREACHABLE;
    let cands: number[] = [];
    for (let j = 0; j < B.length; j++) {
      const row = this.fabric.row(B[j].fabric);
      for (let i = 0; i < A.length; i++) {
        const df = row[this.fabric.fabricIndex[A[i].fabric]];
        if (df === UNREACHABLE) continue;
        const c = A[i].cost + df + B[j].cost;
        if (c < best) {
          best = c;
          cands = [i, j];
        } else if (c === best) cands.push(i, j);
      }
    }
    const prefer = (side: 0 | 1, ends: Exit[]) => {
      const kept: number[] = [];
      for (let q = 0; q < cands.length; q += 2) if (ends[cands[q + side]].pref) kept.push(cands[q], cands[q + 1]);
      if (kept.length) cands = kept;
    };
    prefer(0, A);
    prefer(1, B);
    const dec: Decision = { cost: best, pairs: Int32Array.from(cands) };
    this.decisions.push(dec);
    if (row !== undefined) row[pb] = this.decisions.length;
    else this.decisionOverflow.set(pa * 0x4000000 + pb, this.decisions.length);
    return cands.length ? dec : null;
  }

  private walkDomain(dom: Domain, from: number, to: number, h: number, out: Int32Array, k: number): number {
    const { n, hopStart, hopLinks } = dom.shape;
    const base = 2 * dom.linkBase;
    let u = from;
    while (u !== to) {
      const at = hopStart[u * n + to];
      const count = hopStart[u * n + to + 1] - at;
      const i = count === 1 ? at : at + pick(h, dom.nodes[u], count);
      out[k++] = hopLinks[2 * i] + base;
      u = hopLinks[2 * i + 1];
    }
    return k;
  }

  /**
   * Destination routing's key for a flow that leaves the fabric over `link` (a switch's link into
   * a server): that port's index when the fabric's server-facing ports are numbered switch by
   * switch, in node order, and by link within a switch. InfiniBand's subnet manager gives every
   * HCA port its own LID and OpenSM's fat-tree routing spreads LIDs over up-links in that order
   * (D-mod-k), so the ports under one leaf, whether NICs of different servers (a rail) or several
   * NICs of one server, reach it over different up-links.
   */
  private portKey(link: number): number {
    if (this.portKeys === null) {
      const keys = new Int32Array(this.topo.links.length).fill(-1);
      const { start, to, dlink } = this.topo.adjacency();
      let next = 0;
      for (let f = 0; f < this.topo.nodes.length; f++) {
        if (this.domains.domainOf[f] !== -1) continue;
        for (let e = start[f]; e < start[f + 1]; e++) if (this.domains.domainOf[to[e]] !== -1) keys[dlink[e] >> 1] = next++;
      }
      this.portKeys = keys;
    }
    const k = this.portKeys[link];
    return k >= 0 ? k : this.topo.links.length + link;
  }

  /**
   * The fabric hops from switch `from` to switch `to`. `h` ≥ 0: the flow's ECMP hash picks each
   * equal-cost next hop; `h` < 0 (destination routing): key d = −1 − h picks d mod k at the first
   * choice of k links, then ⌊d/k⌋ mod k' at the next, as D-mod-k tables do.
   */
  private walkFabric(from: number, to: number, h: number, out: Int32Array, k: number): number {
    const fabric = this.fabric;
    const groups = fabric.groupRow(to);
    const headFabric = fabric.headFabric;
    const target = fabric.fabricIndex[to];
    let { pool, groupStart, groupLen } = fabric;
    let u = fabric.fabricIndex[from];
    let d = -1 - h;
    const choose = (count: number): number => {
      if (h >= 0) return pick(h, u, count);
      const i = d % count;
      d = Math.floor(d / count);
      return i;
    };
    while (u !== target) {
      let g = groups[u];
      if (g === -1) {
        g = fabric.group(fabric.fabricNodes[u], to);
        ({ pool, groupStart, groupLen } = fabric);
      }
      const dl = g <= -2 ? -g - 2 : pool[groupStart[g] + choose(groupLen[g])];
      out[k++] = dl;
      u = headFabric[dl];
    }
    return k;
  }

  private latencyOf(links: Int32Array): number {
    let s = 0;
    for (let i = 0; i < links.length; i++) {
      s += this.topo.links[links[i] >> 1].latencySec;
      if (i > 0) s += this.topo.nodes[this.topo.from(links[i])].latencySec;
    }
    return s;
  }
}
