// Forwarding state of the fabric (nodes outside servers), like a switch's FIB: for each
// destination fabric node t, a row of hop distances from every fabric node (BFS through
// forwarding nodes), and per (node u, destination t) the ECMP group: u's out-links to
// neighbours one hop closer to t. Rows and groups are computed on first use; groups are
// deduplicated (in a fat-tree most are "all uplinks of u"), so memory grows with the
// destinations actually used, not with the square of the fabric.
import { grownTo } from '../../core/typed-arrays.js';
import type { Topology } from '../graph.js';
import { UNREACHABLE } from './domains.js';

export class FabricTable {
  /** Fabric-local index of each node (−1 for server nodes) and the fabric's node list. */
  readonly fabricIndex: Int32Array;
  readonly fabricNodes: Int32Array;
  /** Fabric-local index of the node each directed link ends at (−1 inside servers). */
  readonly headFabric: Int32Array;
  private readonly rows: (Uint16Array | undefined)[];
  private readonly groupRows: (Int32Array | undefined)[];
  /** Links of group g: pool[groupStart[g] .. groupStart[g] + groupLen[g]). */
  pool: Int32Array<ArrayBuffer> = new Int32Array(1024);
  groupStart: Int32Array<ArrayBuffer> = new Int32Array(256);
  groupLen: Int32Array<ArrayBuffer> = new Int32Array(256);
  private poolUsed = 0;
  private scratch: Int32Array<ArrayBuffer> = new Int32Array(64);
  private groups = 0;
  private readonly dedupe = new Map<number, number[]>();

  constructor(private readonly topo: Topology) {
    const n = topo.nodes.length;
    this.fabricIndex = new Int32Array(n).fill(-1);
    const list: number[] = [];
    for (const node of topo.nodes)
      if (node.placement.server < 0) {
        this.fabricIndex[node.index] = list.length;
        list.push(node.index);
      }
    this.fabricNodes = Int32Array.from(list);
    const { head } = topo.adjacency();
    this.headFabric = Int32Array.from(head, (v) => this.fabricIndex[v]);
    this.rows = new Array(list.length);
    this.groupRows = new Array(list.length);
  }

  /** Hop distances to fabric node `t` (global index), indexed by fabric-local index. */
  row(t: number): Uint16Array {
    let r = this.rows[this.fabricIndex[t]];
    if (r) return r;
    const topo = this.topo;
    const { start, to } = topo.adjacency();
    const F = this.fabricNodes.length;
    r = new Uint16Array(F).fill(UNREACHABLE);
    const queue = new Int32Array(F);
    const ft = this.fabricIndex[t];
    r[ft] = 0;
    queue[0] = t;
    let tail = 1;
    for (let q = 0; q < tail; q++) {
      const x = queue[q];
      if (x !== t && !topo.nodes[x].forwards) continue;
      const dx = r[this.fabricIndex[x]];
      for (let e = start[x]; e < start[x + 1]; e++) {
        const fy = this.fabricIndex[to[e]];
        if (fy < 0 || r[fy] !== UNREACHABLE) continue;
        r[fy] = dx + 1;
        queue[tail++] = to[e];
      }
    }
    this.rows[ft] = r;
    return r;
  }

  distance(from: number, t: number): number {
    return this.row(t)[this.fabricIndex[from]];
  }

  /**
   * Next hops toward fabric node t, by fabric-local index of the node: −1 = not yet computed,
   * ≥ 0 = an ECMP group id, ≤ −2 = the single directed link −(value + 2) (most downward hops).
   */
  groupRow(t: number): Int32Array {
    const ft = this.fabricIndex[t];
    return this.groupRows[ft] ?? (this.groupRows[ft] = new Int32Array(this.fabricNodes.length).fill(-1));
  }

  /** Fills and returns the groupRow entry of node u toward fabric node t (see groupRow). */
  group(u: number, t: number): number {
    const gr = this.groupRow(t);
    const fu = this.fabricIndex[u];
    const cached = gr[fu];
    if (cached !== -1) return cached;
    const row = this.row(t);
    const { start, dlink, to } = this.topo.adjacency();
    const want = row[fu] - 1;
    const fi = this.fabricIndex;
    const nodes = this.topo.nodes;
    let count = 0;
    let h = 0x811c9dc5;
    for (let e = start[u]; e < start[u + 1]; e++) {
      const v = to[e];
      const fv = fi[v];
      if (fv < 0 || row[fv] !== want || (v !== t && !nodes[v].forwards)) continue;
      if (count === this.scratch.length) this.scratch = grownTo(this.scratch, count + 1);
      this.scratch[count++] = dlink[e];
      h = Math.imul(h ^ dlink[e], 0x01000193);
    }
    const id = count === 1 ? -this.scratch[0] - 2 : this.intern(this.scratch, count, h >>> 0);
    gr[fu] = id;
    return id;
  }

  private intern(links: Int32Array, count: number, h: number): number {
    const same = this.dedupe.get(h);
    if (same)
      for (const g of same) if (this.sameGroup(g, links, count)) return g;
    if (this.poolUsed + count > this.pool.length) this.pool = grownTo(this.pool, this.poolUsed + count);
    if (this.groups === this.groupStart.length) {
      this.groupStart = grownTo(this.groupStart, this.groups + 1);
      this.groupLen = grownTo(this.groupLen, this.groups + 1);
    }
    const g = this.groups++;
    this.groupStart[g] = this.poolUsed;
    this.groupLen[g] = count;
    this.pool.set(links.subarray(0, count), this.poolUsed);
    this.poolUsed += count;
    if (same) same.push(g);
    else this.dedupe.set(h, [g]);
    return g;
  }

  private sameGroup(g: number, links: Int32Array, count: number): boolean {
    if (this.groupLen[g] !== count) return false;
    const at = this.groupStart[g];
    for (let i = 0; i < count; i++) if (this.pool[at + i] !== links[i]) return false;
    return true;
  }
}
