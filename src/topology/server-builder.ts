// Expands a server group into nodes and links: CPU sockets with their DRAM and inter-socket
// link, PCIe switches, accelerators on their host links, NICs (separate or integrated), the
// scale-up fabric (one NVSwitch-like switch per server or per rack, or a full mesh) and NVMe
// drives. Returns the network ports that a fabric builder wires to switches.
import * as hw from '../hardware/index.js';
import type { AcceleratorSpec, CpuSpec, LinkSpec, NicSpec } from '../hardware/types.js';
import type { Topology } from './graph.js';
import type { LinkFactory } from './link-factory.js';
import type { ServerGroupSpec } from './spec.js';

/** One network port of a server, to be attached to the fabric. */
export interface FabricPort {
  node: number;
  server: number;
  /** Local NIC index (rail in rail-optimized fabrics). */
  rail: number;
  /** Port index on the NIC (plane in multi-plane fabrics). */
  port: number;
  link: LinkSpec;
}

export function buildServerGroup(topo: Topology, links: LinkFactory, g: ServerGroupSpec, path: string, rackBase: number): FabricPort[] {
  const builder = new GroupBuilder(topo, links, g, groupHardware(g, path), rackBase);
  for (let s = 0; s < g.count; s++) builder.server(s);
  return builder.ports;
}

/** The hardware of a group, looked up once: its specs and the link of each kind of attachment. */
interface GroupHardware {
  readonly accSpec: AcceleratorSpec;
  readonly cpuSpec: CpuSpec;
  readonly memLink: LinkSpec;
  readonly nicSpec: NicSpec | null;
  readonly accHost: LinkSpec;
  readonly nicHost: LinkSpec | null;
  readonly portLink: LinkSpec;
  readonly onChip: LinkSpec;
  readonly upLink: LinkSpec | null;
}

function groupHardware(g: ServerGroupSpec, path: string): GroupHardware {
  const accSpec = hw.accelerator(g.accelerator, `${path}.accelerator`);
  const cpuSpec = hw.cpu(g.cpu, `${path}.cpu`);
  const memLink = hw.link(cpuSpec.memoryLink, `${path}.cpu`);
  const nicSpec = g.nic === null ? null : hw.nic(g.nic, `${path}.nic`);
  const accHost = hw.link(g.acceleratorLink ?? accSpec.hostLink, `${path}.acceleratorLink`);
  const nicHost = nicSpec ? hw.link(g.nicLink ?? nicSpec.hostLink, `${path}.nicLink`) : null;
  const portLink = nicSpec ? hw.link(nicSpec.portLink, `${path}.nic`) : hw.link(accSpec.integratedPortLink ?? 'ethernet-400g', `${path}.accelerator`);
  const onChip = hw.link('on-chip');
  const upLink = g.scaleUp.type === 'none' ? null : hw.link(g.scaleUp.link ?? accSpec.scaleUpLink ?? 'nvlink4', `${path}.scaleUp.link`);
  return { accSpec, cpuSpec, memLink, nicSpec, accHost, nicHost, portLink, onChip, upLink };
}

/** One server being built: its name, index, rack and the placement of its nodes. */
interface Server {
  readonly s: number;
  readonly sname: string;
  readonly server: number;
  readonly rack: number;
  readonly at: { server: number; rack: number };
}

/** Adds a group's servers one by one; a rack's scale-up switch is shared by its consecutive servers. */
class GroupBuilder {
  readonly ports: FabricPort[] = [];
  private domainSwitch = -1;

  constructor(
    private readonly topo: Topology,
    private readonly links: LinkFactory,
    private readonly g: ServerGroupSpec,
    private readonly hardware: GroupHardware,
    private readonly rackBase: number,
  ) {}

  /** Server s: sockets, PCIe switches, accelerators, NICs and their fabric ports, scale-up, storage. */
  server(s: number): void {
    const { g, topo } = this;
    const sname = `${g.name}${s}`;
    const server = topo.addServer(sname);
    const rack = g.scaleUp.type === 'switch' && g.scaleUp.serversPerDomain > 1 ? this.rackBase + Math.floor(s / g.scaleUp.serversPerDomain) : -1;
    const sv: Server = { s, sname, server, rack, at: { server, rack } };
    const cpus = this.sockets(sv);
    const { accHome, nicHome } = this.pcieSwitches(sv, cpus);
    const socketOf = (i: number, n: number) => cpus[Math.floor((i * cpus.length) / n)];
    const accs = this.accelerators(sv, accHome, socketOf);
    const nics = this.nics(sv, nicHome, socketOf, accs);
    for (let i = 0; i < accs.length; i++) topo.nodes[accs[i]].homeNics = nics.length ? [nics[Math.floor((i * nics.length) / accs.length)]] : [];
    for (let i = 0; i < nics.length; i++) for (let p = 0; p < g.fabricPorts; p++) this.ports.push({ node: nics[i], server, rail: i, port: p, link: this.hardware.portLink });
    this.scaleUp(sv, accs, nics);
    this.storage(sv, cpus);
  }

  /** CPU sockets, each with its DRAM, all pairs joined by the inter-socket link; the CPU nodes. */
  private sockets({ sname, at }: Server): number[] {
    const { cpuSpec, memLink } = this.hardware;
    const cpus: number[] = [];
    for (let k = 0; k < this.g.sockets; k++) {
      const c = this.topo.addNode(`${sname}/cpu${k}`, 'cpu', { placement: at, spec: cpuSpec.name });
      const d = this.topo.addNode(`${sname}/dram${k}`, 'dram', { placement: at, spec: memLink.name });
      this.links.connect(c, d, memLink, 'host', memLink.lineBytesPerSec * cpuSpec.memoryChannels);
      cpus.push(c);
    }
    if (cpuSpec.interSocketLink !== null) {
      const isl = hw.link(cpuSpec.interSocketLink);
      for (let a = 0; a < cpus.length; a++) for (let b = a + 1; b < cpus.length; b++) this.links.connect(cpus[a], cpus[b], isl, 'host');
    }
    return cpus;
  }

  /** PCIe switches on their sockets; the switch each accelerator and NIC sits behind (-1: straight on a socket). */
  private pcieSwitches({ sname, at }: Server, cpus: readonly number[]): { accHome: Int32Array; nicHome: Int32Array } {
    const accHome = new Int32Array(this.g.accelerators).fill(-1);
    const nicHome = new Int32Array(this.g.nics).fill(-1);
    this.g.pcie.forEach((p, j) => {
      const n = this.topo.addNode(`${sname}/pcie${j}`, 'pcie-switch', { placement: at });
      this.links.connect(cpus[p.socket], n, hw.link(p.uplink), 'host', p.bytesPerSec);
      for (const a of p.accelerators) accHome[a] = n;
      for (const c of p.nics) nicHome[c] = n;
    });
    return { accHome, nicHome };
  }

  /** Accelerators on their host links, behind their PCIe switch or spread over the sockets. */
  private accelerators({ sname, at }: Server, accHome: Int32Array, socketOf: (i: number, n: number) => number): number[] {
    const { accSpec, accHost } = this.hardware;
    const accs: number[] = [];
    for (let i = 0; i < this.g.accelerators; i++) {
      const a = this.topo.addNode(`${sname}/acc${i}`, 'accelerator', { placement: at, spec: accSpec.name });
      this.links.connect(accHome[i] >= 0 ? accHome[i] : socketOf(i, this.g.accelerators), a, accHost, 'host');
      accs.push(a);
    }
    return accs;
  }

  /** NICs (rail i): separate cards on their host links, or integrated in accelerator i. */
  private nics({ sname, at }: Server, nicHome: Int32Array, socketOf: (i: number, n: number) => number, accs: readonly number[]): number[] {
    const { accSpec, nicSpec, nicHost, onChip } = this.hardware;
    const nics: number[] = [];
    for (let i = 0; i < this.g.nics; i++) {
      if (nicSpec && nicHost) {
        const n = this.topo.addNode(`${sname}/nic${i}`, 'nic', { placement: { ...at, rail: i }, spec: nicSpec.name });
        this.links.connect(nicHome[i] >= 0 ? nicHome[i] : socketOf(i, this.g.nics), n, nicHost, 'host');
        nics.push(n);
      } else {
        const n = this.topo.addNode(`${sname}/nic${i}`, 'nic', { placement: { ...at, rail: i }, spec: `${accSpec.name}-integrated` });
        this.links.connect(accs[i], n, onChip, 'host');
        nics.push(n);
      }
    }
    return nics;
  }

  /** The scale-up fabric: each accelerator to its server's or rack's switch, or a full mesh. */
  private scaleUp({ s, sname, rack, at }: Server, accs: readonly number[], nics: readonly number[]): void {
    const { g, topo, links } = this;
    const { accSpec, nicSpec, upLink } = this.hardware;
    if (upLink !== null && g.scaleUp.type === 'switch') {
      const per = g.scaleUp.serversPerDomain;
      const reduces = g.scaleUp.reduction === true;
      const { reductionEfficiency, reductionBytesPerSec } = g.scaleUp;
      const reduction = { reduces, reductionEfficiency, reductionBytesPerSec };
      if (per <= 1) this.domainSwitch = topo.addNode(`${sname}/nvswitch`, 'switch', { placement: at, ...reduction });
      else if (s % per === 0) this.domainSwitch = topo.addNode(`${g.name}-rack${rack - this.rackBase}/nvswitch`, 'switch', { placement: { rack }, ...reduction });
      const perAcc = g.scaleUp.bytesPerSec ?? (g.scaleUp.link === undefined ? accSpec.scaleUpBytesPerSec : undefined);
      for (const a of accs) links.connect(a, this.domainSwitch, upLink, 'scale-up', perAcc);
    } else if (upLink !== null && g.scaleUp.type === 'mesh') {
      const ends = nicSpec === null ? nics : accs;
      for (let a = 0; a < ends.length; a++)
        for (let b = a + 1; b < ends.length; b++)
          for (let k = 0; k < g.scaleUp.linksPerPair; k++) links.connect(ends[a], ends[b], upLink, 'scale-up', g.scaleUp.bytesPerSec);
    }
  }

  /** NVMe drives, spread over the sockets. */
  private storage({ sname, at }: Server, cpus: readonly number[]): void {
    const nvme = hw.link('nvme-gen4');
    for (let k = 0; k < this.g.storage; k++) {
      const d = this.topo.addNode(`${sname}/nvme${k}`, 'storage', { placement: at, spec: nvme.name });
      this.links.connect(cpus[k % cpus.length], d, nvme, 'host');
    }
  }
}

/** Racks used by a group (for numbering racks across groups). */
export function racksOf(g: ServerGroupSpec): number {
  return g.scaleUp.type === 'switch' && g.scaleUp.serversPerDomain > 1 ? Math.ceil(g.count / g.scaleUp.serversPerDomain) : 0;
}
