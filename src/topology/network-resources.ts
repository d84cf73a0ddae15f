// Binds a Topology to a flow engine: one resource per link direction (capacity = effective
// bandwidth) and one per node that has an internal capacity. A route becomes the engine
// incidences of a transfer: coefficient 1 on every directed link and on every node it crosses
// (a switch backplane carries each byte once), so contention between any transfers sharing
// a PCIe uplink, a NIC, a switch or a cable falls out of the max-min solve. A switch that
// reduces in the network also has its reduction units as a resource (in operand bytes/s).
import type { LinkType } from '../hardware/types.js';
import type { FlowEngine, ResourceId } from '../engine/flow-engine.js';
import type { Topology } from './graph.js';
import type { Route } from './routing/router.js';

export class NetworkResources {
  /** Resource of directed link d. */
  readonly linkResource: Int32Array;
  /** Resource of node n's internal capacity, or −1. */
  readonly nodeResource: Int32Array;
  /** Resource of switch n's reduction units (in-network reduction, operand bytes/s), or −1 (unbounded). */
  readonly reductionResource: Int32Array;

  constructor(
    readonly engine: FlowEngine,
    readonly topo: Topology,
  ) {
    this.linkResource = new Int32Array(topo.directedLinkCount);
    for (const l of topo.links) {
      this.linkResource[2 * l.index] = engine.addResource(l.bytesPerSec);
      this.linkResource[2 * l.index + 1] = engine.addResource(l.bytesPerSec);
    }
    this.nodeResource = new Int32Array(topo.nodes.length).fill(-1);
    for (const n of topo.nodes) if (n.capacityBytesPerSec > 0) this.nodeResource[n.index] = engine.addResource(n.capacityBytesPerSec);
    this.reductionResource = new Int32Array(topo.nodes.length).fill(-1);
    for (const n of topo.nodes) if (n.reduces && n.reductionBytesPerSec > 0) this.reductionResource[n.index] = engine.addResource(n.reductionBytesPerSec);
  }

  /** Name and kind of every resource this binding created (for reports). */
  describe(): { resource: ResourceId; name: string; kind: 'link' | 'switch'; linkType?: LinkType }[] {
    const out: { resource: ResourceId; name: string; kind: 'link' | 'switch'; linkType?: LinkType }[] = [];
    for (const l of this.topo.links) {
      out.push({ resource: this.linkResource[2 * l.index], name: `${this.topo.nodes[l.a].id} → ${this.topo.nodes[l.b].id}`, kind: 'link', linkType: l.type });
      out.push({ resource: this.linkResource[2 * l.index + 1], name: `${this.topo.nodes[l.b].id} → ${this.topo.nodes[l.a].id}`, kind: 'link', linkType: l.type });
    }
    for (const n of this.topo.nodes) if (this.nodeResource[n.index] >= 0) out.push({ resource: this.nodeResource[n.index], name: n.id, kind: 'switch' });
    for (const n of this.topo.nodes) if (this.reductionResource[n.index] >= 0) out.push({ resource: this.reductionResource[n.index], name: `${n.id} (in-switch reduction)`, kind: 'switch' });
    return out;
  }

  /** The resources a transfer along `route` uses, in route order (links, and crossed nodes). */
  resourcesOf(route: Route): ResourceId[] {
    const out: ResourceId[] = [];
    const links = route.links;
    for (let i = 0; i < links.length; i++) {
      if (i > 0) {
        const r = this.nodeResource[this.topo.from(links[i])];
        if (r >= 0) out.push(r);
      }
      out.push(this.linkResource[links[i]]);
    }
    return out;
  }

  /** Starts a transfer of `bytes` along `route`, active after the route's latency. */
  startTransfer(bytes: number, route: Route, options: { bound?: number; weight?: number; extraDelaySec?: number } = {}): number {
    return this.engine.startOn(bytes, this.resourcesOf(route), undefined, {
      bound: options.bound,
      weight: options.weight,
      delaySec: route.latencySec + (options.extraDelaySec ?? 0),
    });
  }
}
