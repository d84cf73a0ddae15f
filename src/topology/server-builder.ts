// Expands a server group into nodes and links: CPU sockets with their DRAM and inter-socket
// link, PCIe switches, accelerators on their host links, NICs (separate or integrated), the
// scale-up fabric (one NVSwitch-like switch per server or per rack, or a full mesh) and NVMe
// drives. Returns the network ports that a fabric builder wires to switches.
import * as hw from '../hardware/index.js';
import type { LinkSpec } from '../hardware/types.js';
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
  const accSpec = hw.accelerator(g.accelerator, `${path}.accelerator`);
  const cpuSpec = hw.cpu(g.cpu, `${path}.cpu`);
  const memLink = hw.link(cpuSpec.memoryLink, `${path}.cpu`);
  const nicSpec = g.nic === null ? null : hw.nic(g.nic, `${path}.nic`);
  const accHost = hw.link(g.acceleratorLink ?? accSpec.hostLink, `${path}.acceleratorLink`);
  const nicHost = nicSpec ? hw.link(g.nicLink ?? nicSpec.hostLink, `${path}.nicLink`) : null;
  const portLink = nicSpec ? hw.link(nicSpec.portLink, `${path}.nic`) : hw.link(accSpec.integratedPortLink ?? 'ethernet-400g', `${path}.accelerator`);
  const onChip = hw.link('on-chip');
  const upLink = g.scaleUp.type === 'none' ? null : hw.link(g.scaleUp.link ?? accSpec.scaleUpLink ?? 'nvlink4', `${path}.scaleUp.link`);
  const ports: FabricPort[] = [];
  let domainSwitch = -1;

  for (let s = 0; s < g.count; s++) {
    const sname = `${g.name}${s}`;
    const server = topo.addServer(sname);
    const rack = g.scaleUp.type === 'switch' && g.scaleUp.serversPerDomain > 1 ? rackBase + Math.floor(s / g.scaleUp.serversPerDomain) : -1;
    const at = { server, rack };
    const cpus: number[] = [];
    for (let k = 0; k < g.sockets; k++) {
      const c = topo.addNode(`${sname}/cpu${k}`, 'cpu', { placement: at, spec: cpuSpec.name });
      const d = topo.addNode(`${sname}/dram${k}`, 'dram', { placement: at, spec: memLink.name });
      links.connect(c, d, memLink, 'host', memLink.lineBytesPerSec * cpuSpec.memoryChannels);
      cpus.push(c);
    }
    if (cpuSpec.interSocketLink !== null) {
      const isl = hw.link(cpuSpec.interSocketLink);
      for (let a = 0; a < cpus.length; a++) for (let b = a + 1; b < cpus.length; b++) links.connect(cpus[a], cpus[b], isl, 'host');
    }
    const accHome = new Int32Array(g.accelerators).fill(-1);
    const nicHome = new Int32Array(g.nics).fill(-1);
    const switches: number[] = [];
    g.pcie.forEach((p, j) => {
      const n = topo.addNode(`${sname}/pcie${j}`, 'pcie-switch', { placement: at });
      links.connect(cpus[p.socket], n, hw.link(p.uplink), 'host', p.bytesPerSec);
      switches.push(n);
      for (const a of p.accelerators) accHome[a] = n;
      for (const c of p.nics) nicHome[c] = n;
    });
    const socketOf = (i: number, n: number) => cpus[Math.floor((i * cpus.length) / n)];

    const accs: number[] = [];
    for (let i = 0; i < g.accelerators; i++) {
      const a = topo.addNode(`${sname}/acc${i}`, 'accelerator', { placement: at, spec: accSpec.name });
      links.connect(accHome[i] >= 0 ? accHome[i] : socketOf(i, g.accelerators), a, accHost, 'host');
      accs.push(a);
    }
    const nics: number[] = [];
    for (let i = 0; i < g.nics; i++) {
      if (nicSpec && nicHost) {
        const n = topo.addNode(`${sname}/nic${i}`, 'nic', { placement: { ...at, rail: i }, spec: nicSpec.name });
        links.connect(nicHome[i] >= 0 ? nicHome[i] : socketOf(i, g.nics), n, nicHost, 'host');
        nics.push(n);
      } else {
        const n = topo.addNode(`${sname}/nic${i}`, 'nic', { placement: { ...at, rail: i }, spec: `${accSpec.name}-integrated` });
        links.connect(accs[i], n, onChip, 'host');
        nics.push(n);
      }
    }
    for (let i = 0; i < accs.length; i++) topo.nodes[accs[i]].homeNics = nics.length ? [nics[Math.floor((i * nics.length) / accs.length)]] : [];
    for (let i = 0; i < nics.length; i++) for (let p = 0; p < g.fabricPorts; p++) ports.push({ node: nics[i], server, rail: i, port: p, link: portLink });

    if (upLink !== null && g.scaleUp.type === 'switch') {
      const per = g.scaleUp.serversPerDomain;
      const reduces = g.scaleUp.reduction === true;
      const reductionEfficiency = g.scaleUp.reductionEfficiency;
      if (per <= 1) domainSwitch = topo.addNode(`${sname}/nvswitch`, 'switch', { placement: at, reduces, reductionEfficiency });
      else if (s % per === 0) domainSwitch = topo.addNode(`${g.name}-rack${rack - rackBase}/nvswitch`, 'switch', { placement: { rack }, reduces, reductionEfficiency });
      const perAcc = g.scaleUp.bytesPerSec ?? (g.scaleUp.link === undefined ? accSpec.scaleUpBytesPerSec : undefined);
      for (const a of accs) links.connect(a, domainSwitch, upLink, 'scale-up', perAcc);
    } else if (upLink !== null && g.scaleUp.type === 'mesh') {
      const ends = nicSpec === null ? nics : accs;
      for (let a = 0; a < ends.length; a++)
        for (let b = a + 1; b < ends.length; b++)
          for (let k = 0; k < g.scaleUp.linksPerPair; k++) links.connect(ends[a], ends[b], upLink, 'scale-up', g.scaleUp.bytesPerSec);
    }
    const nvme = hw.link('nvme-gen4');
    for (let k = 0; k < g.storage; k++) {
      const d = topo.addNode(`${sname}/nvme${k}`, 'storage', { placement: at, spec: nvme.name });
      links.connect(cpus[k % cpus.length], d, nvme, 'host');
    }
  }
  return ports;
}

/** Racks used by a group (for numbering racks across groups). */
export function racksOf(g: ServerGroupSpec): number {
  return g.scaleUp.type === 'switch' && g.scaleUp.serversPerDomain > 1 ? Math.ceil(g.count / g.scaleUp.serversPerDomain) : 0;
}
