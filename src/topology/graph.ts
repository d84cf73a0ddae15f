// The system graph: typed nodes (accelerator, cpu, dram, pcie-switch, nic, switch, storage) and
// full-duplex links. Each direction of a link is a separate shared resource: directed link
// d = 2·link + dir, dir 0 = a→b, dir 1 = b→a. A node may also carry an internal capacity (a
// switch backplane) that every route crossing it uses. Adjacency is kept in CSR arrays so that
// routing over 100k+ links touches only typed memory.
import type { FabricRouting } from './spec.js';
import { FairwayError } from '../core/errors.js';
import type { LinkType } from '../hardware/types.js';

export type NodeKind = 'accelerator' | 'cpu' | 'dram' | 'pcie-switch' | 'nic' | 'switch' | 'storage';
export const NODE_KINDS: readonly NodeKind[] = ['accelerator', 'cpu', 'dram', 'pcie-switch', 'nic', 'switch', 'storage'];

/** Grouping metadata; -1 where it does not apply. `tier` is a switch's level (0 = leaf). */
export interface Placement {
  server: number;
  rack: number;
  pod: number;
  rail: number;
  plane: number;
  tier: number;
}

export interface TopoNode {
  readonly index: number;
  readonly id: string;
  readonly kind: NodeKind;
  readonly placement: Placement;
  /** Whether routes may pass through this node (accelerators, DRAM and storage are endpoints). */
  readonly forwards: boolean;
  /** Internal capacity in bytes/s used by every route crossing the node; 0 = not modelled. */
  readonly capacityBytesPerSec: number;
  /** Traversal latency added to routes crossing the node. */
  readonly latencySec: number;
  /** Catalogue name of the device, when it came from the catalogue. */
  readonly spec: string;
  /** NICs this node prefers for network traffic (GPU i → NIC i), breaking ties between equal paths. */
  homeNics: number[];
  /** A switch that can reduce data in the network (NVLink SHARP / NVLS). */
  readonly reduces: boolean;
  /**
   * Payload bytes per wire byte of in-switch reduction traffic (multimem loads and stores carry
   * request and reduction overheads beyond the link's own efficiency); 1 = link-bound.
   */
  readonly reductionEfficiency: number;
  /**
   * Operand bytes per second the switch's reduction units add (a fan-in-n reduction of m bytes
   * is (n − 1)·m of them), shared by every reduction it runs; 0 = unbounded.
   */
  readonly reductionBytesPerSec: number;
}

export interface TopoLink {
  readonly index: number;
  readonly a: number;
  readonly b: number;
  readonly type: LinkType;
  /** Catalogue name of the link, or 'custom'. */
  readonly spec: string;
  /** Effective bandwidth per direction (line × efficiency), what the engine uses. */
  readonly bytesPerSec: number;
  readonly lineBytesPerSec: number;
  readonly latencySec: number;
  /** Where the link sits: 'host' inside a server, 'scale-up', or a fabric tier like 'leaf-spine'. */
  readonly tier: string;
}

export interface NodeOptions {
  placement?: Partial<Placement>;
  forwards?: boolean;
  capacityBytesPerSec?: number;
  latencySec?: number;
  spec?: string;
  reduces?: boolean;
  reductionEfficiency?: number;
  reductionBytesPerSec?: number;
}

export interface LinkOptions {
  type: LinkType;
  spec?: string;
  bytesPerSec: number;
  lineBytesPerSec?: number;
  latencySec: number;
  tier: string;
}

/** Out-links of node u are dlink[start[u] .. start[u+1]) leading to to[...]; head[d] is where directed link d ends. */
export interface Adjacency {
  start: Int32Array;
  dlink: Int32Array;
  to: Int32Array;
  head: Int32Array;
}

const FORWARDING_KINDS: ReadonlySet<NodeKind> = new Set(['cpu', 'pcie-switch', 'nic', 'switch']);
const NO_PLACEMENT: Placement = { server: -1, rack: -1, pod: -1, rail: -1, plane: -1, tier: -1 };

export class Topology {
  readonly nodes: TopoNode[] = [];
  readonly links: TopoLink[] = [];
  readonly serverNames: string[] = [];
  private readonly byId = new Map<string, number>();
  private csr: Adjacency | null = null;

  /** How fabric switches pick among equal-cost up-links (FabricSpec.routing). */
  routing: FabricRouting = 'ecmp';

  constructor(readonly name: string) {}

  addNode(id: string, kind: NodeKind, opts: NodeOptions = {}): number {
    if (this.byId.has(id)) throw new FairwayError('E_INPUT', `duplicate node id "${id}"`, [{ path: id, message: 'duplicate node id' }]);
    const index = this.nodes.length;
    this.nodes.push({
      index,
      id,
      kind,
      placement: { ...NO_PLACEMENT, ...opts.placement },
      forwards: opts.forwards ?? FORWARDING_KINDS.has(kind),
      capacityBytesPerSec: opts.capacityBytesPerSec ?? 0,
      latencySec: opts.latencySec ?? 0,
      spec: opts.spec ?? '',
      homeNics: [],
      reduces: opts.reduces ?? false,
      reductionEfficiency: opts.reductionEfficiency ?? 1,
      reductionBytesPerSec: opts.reductionBytesPerSec ?? 0,
    });
    this.byId.set(id, index);
    this.csr = null;
    return index;
  }

  addLink(a: number, b: number, opts: LinkOptions): number {
    const index = this.links.length;
    this.links.push({
      index,
      a,
      b,
      type: opts.type,
      spec: opts.spec ?? 'custom',
      bytesPerSec: opts.bytesPerSec,
      lineBytesPerSec: opts.lineBytesPerSec ?? opts.bytesPerSec,
      latencySec: opts.latencySec,
      tier: opts.tier,
    });
    this.csr = null;
    return index;
  }

  /** Registers a server (a routing domain) and returns its index for node placement. */
  addServer(name: string): number {
    this.serverNames.push(name);
    return this.serverNames.length - 1;
  }

  nodeIndex(id: string): number | undefined {
    return this.byId.get(id);
  }

  node(id: string): TopoNode {
    const i = this.byId.get(id);
    if (i === undefined) throw new FairwayError('E_INPUT', `unknown node id "${id}"`, [{ path: id, message: 'unknown node id' }]);
    return this.nodes[i];
  }

  get directedLinkCount(): number {
    return this.links.length * 2;
  }

  from(dlink: number): number {
    const l = this.links[dlink >> 1];
    return dlink & 1 ? l.b : l.a;
  }

  to(dlink: number): number {
    const l = this.links[dlink >> 1];
    return dlink & 1 ? l.a : l.b;
  }

  /** Directed id of a link in the direction leaving node `from`. */
  directed(link: number, from: number): number {
    return this.links[link].a === from ? 2 * link : 2 * link + 1;
  }

  /** CSR adjacency (see Adjacency). */
  adjacency(): Adjacency {
    if (this.csr) return this.csr;
    const n = this.nodes.length;
    const start = new Int32Array(n + 1);
    for (const l of this.links) {
      start[l.a + 1]++;
      start[l.b + 1]++;
    }
    for (let i = 0; i < n; i++) start[i + 1] += start[i];
    const fill = start.slice(0, n);
    const dlink = new Int32Array(2 * this.links.length);
    const to = new Int32Array(2 * this.links.length);
    for (const l of this.links) {
      dlink[fill[l.a]] = 2 * l.index;
      to[fill[l.a]++] = l.b;
      dlink[fill[l.b]] = 2 * l.index + 1;
      to[fill[l.b]++] = l.a;
    }
    const head = new Int32Array(2 * this.links.length);
    for (const l of this.links) {
      head[2 * l.index] = l.b;
      head[2 * l.index + 1] = l.a;
    }
    this.csr = { start, dlink, to, head };
    return this.csr;
  }

  nodesOfKind(kind: NodeKind): TopoNode[] {
    return this.nodes.filter((n) => n.kind === kind);
  }
}
