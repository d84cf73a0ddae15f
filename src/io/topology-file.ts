// Topology files (JSON or YAML): parse, validate every field with its path, expand templates
// and produce a TopologySpec. All problems are reported at once; nothing is built from a file
// with errors. The fields are documented in docs/topology.md.
import { parse as parseYaml } from 'yaml';
import { FairwayError, IssueList } from '../core/errors.js';
import { ACCELERATOR_SPECS, CPU_SPECS, LINK_SPECS, NIC_SPECS, NVLINK_SHARP_EFFICIENCY } from '../hardware/index.js';
import type { LinkType } from '../hardware/types.js';
import { NODE_KINDS, type NodeKind } from '../topology/graph.js';
import { SERVER_TEMPLATES } from '../topology/server-templates.js';
import { DEFAULT_FABRIC, FABRIC_ROUTINGS, type FabricSpec, type LinkOverride, type PcieSwitchSpec, type RawLinkSpec, type RawNodeSpec, type ServerGroupSpec, type TopologySpec } from '../topology/spec.js';
import { FieldReader, isDoc, join, type Doc } from './fields.js';

const LINK_TYPES: readonly LinkType[] = ['nvlink', 'pcie', 'ethernet', 'infiniband', 'memory', 'inter-socket', 'c2c', 'infinity-fabric', 'on-chip', 'storage'];
const FABRIC_TYPES = ['none', 'fat-tree', 'leaf-spine', 'rail-optimized', 'torus', 'dragonfly'] as const;
const MAX_SERVERS = 1_000_000;
const MAX_NODES = 5_000_000;

/**
 * The largest YAML text fairway parses, and the deepest nesting of any input document. YAML
 * parsing costs about 0.6 GB of memory and seconds per MB of input (issue 19, item 9), so a
 * file that large is refused with a pointer to JSON, which parses a hundred times faster (up to
 * MAX_INPUT_BYTES); fairway's own documents nest a few levels, so deeper YAML is refused up front.
 */
export const MAX_YAML_BYTES = 4 * 2 ** 20;
export const MAX_DEPTH = 64;

/** The deepest nesting of [ and { in `text` outside quoted strings (a linear pre-scan, so a hostile file is refused before the parser recurses). */
export function bracketDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') max = Math.max(max, ++depth);
    else if ((c === ']' || c === '}') && depth > 0) depth--;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) while (i < text.length && text[i] !== '\n') i++;
  }
  return max;
}

/** Parses YAML `text` within the size and depth bounds (JSON needs none: V8's parser is fast and reports its own depth limit). */
export function parseYamlBounded(text: string, file: string): unknown {
  if (text.length > MAX_YAML_BYTES)
    throw new FairwayError('E_INPUT', `${file}: YAML larger than ${MAX_YAML_BYTES / 2 ** 20} MiB (${(text.length / 2 ** 20).toFixed(1)} MiB); write it as JSON (.json), which fairway reads up to 1 GiB`, [{ path: '', message: 'YAML too large' }]);
  const depth = bracketDepth(text);
  if (depth > MAX_DEPTH) throw new FairwayError('E_INPUT', `${file}: nested ${depth} levels deep; fairway reads documents nested at most ${MAX_DEPTH} levels`, [{ path: '', message: 'nested too deeply' }]);
  return parseYaml(text, { prettyErrors: true, logLevel: 'error' }); // YAML warnings would go to stderr as process warnings
}

/** Parses JSON or YAML text (by file extension; JSON also parses as YAML) into a document. */
export function parseDocumentText(text: string, file: string): unknown {
  const yaml = /\.ya?ml$/i.test(file);
  try {
    return yaml ? parseYamlBounded(text, file) : JSON.parse(text);
  } catch (e) {
    if (e instanceof FairwayError) throw e;
    const msg = (e as Error).message.split('\n')[0];
    throw new FairwayError('E_INPUT', `${file}: not valid ${yaml ? 'YAML' : 'JSON'}: ${msg}`, [{ path: '', message: msg }]);
  }
}

export function parseTopologyText(text: string, file: string): TopologySpec {
  return parseTopology(parseDocumentText(text, file), file);
}

export function parseTopology(doc: unknown, what = 'topology'): TopologySpec {
  const issues = new IssueList();
  const r = new FieldReader(issues);
  if (!isDoc(doc)) throw new FairwayError('E_INPUT', `${what}: the document must be an object with servers/fabric or nodes/links`, [{ path: '', message: 'not an object' }]);
  r.known(doc, '', ['name', 'seed', 'servers', 'fabric', 'nodes', 'links', 'calibration']);
  const { fabric, hosts: fabricHosts } = readFabric(r, r.object(doc, 'fabric', '') ?? {}, 'fabric');
  let serverDocs = doc.servers === undefined ? [] : Array.isArray(doc.servers) ? doc.servers : [doc.servers];
  if (serverDocs.length === 0 && fabric.type !== 'none') {
    const hosts = fabric.type === 'fat-tree' && fabric.k !== undefined ? fabric.k ** 3 / 4 : fabricHosts;
    if (hosts > MAX_SERVERS) issues.add(fabric.type === 'fat-tree' ? 'fabric.k' : 'fabric.hosts', `${hosts} hosts exceed the limit of ${MAX_SERVERS}; use a smaller fabric`);
    else if (hosts > 0) serverDocs = [{ template: 'host', count: hosts }];
  }
  const servers: ServerGroupSpec[] = [];
  const names = new Set<string>();
  serverDocs.forEach((s, i) => {
    const g = readServerGroup(r, s, `servers[${i}]`);
    if (!g) return;
    if (names.has(g.name)) issues.add(`servers[${i}].name`, `duplicate server group name "${g.name}"; give each group its own name`);
    names.add(g.name);
    servers.push(g);
  });
  const estimate = servers.reduce((n, g) => n + g.count * (g.accelerators + g.nics + 2 * g.sockets + g.pcie.length + g.storage + 1), 0);
  if (estimate > MAX_NODES) issues.add('servers', `about ${estimate} nodes exceed the limit of ${MAX_NODES}; reduce count`);
  const spec: TopologySpec = {
    name: r.str(doc, 'name', '', what) ?? what,
    seed: r.int(doc, 'seed', '', 0, 2 ** 31 - 1, 0) ?? 0,
    servers,
    fabric,
    nodes: r.list(doc, 'nodes', '').map((n, i) => readNode(r, n, `nodes[${i}]`)).filter((n): n is RawNodeSpec => n !== null),
    links: r.list(doc, 'links', '').map((l, i) => readLink(r, l, `links[${i}]`)).filter((l): l is RawLinkSpec => l !== null),
    calibration: readCalibration(r, r.object(doc, 'calibration', '') ?? {}, 'calibration'),
  };
  if (servers.length === 0 && spec.nodes.length === 0 && issues.empty) issues.add('', 'describe the system with servers (and a fabric) or with nodes and links');
  issues.throwIfAny(`${what}: invalid topology`);
  return spec;
}

/** The fabric, and the number of default hosts (`hosts`) to create when no servers are given. */
function readFabric(r: FieldReader, d: Doc, path: string): { fabric: FabricSpec; hosts: number } {
  r.known(d, path, ['type', 'k', 'hosts', 'tiers', 'radix', 'oversubscription', 'rails', 'planes', 'spines', 'link', 'bandwidth', 'switchLatency', 'switchCapacity', 'dims', 'hostsPerRouter', 'groups', 'routersPerGroup', 'globalLinksPerRouter', 'routing']);
  const type = r.oneOf(d, 'type', path, FABRIC_TYPES, 'none');
  const f: FabricSpec = { ...DEFAULT_FABRIC, type: type === 'rail-optimized' ? 'leaf-spine' : type, rails: r.bool(d, 'rails', path, type === 'rail-optimized') };
  const hosts = r.int(d, 'hosts', path, 1, MAX_SERVERS, 0) ?? 0;
  if (type === 'fat-tree') {
    const k = r.int(d, 'k', path, 2, 256);
    if (k === undefined) r.issues.add(join(path, 'k'), 'a fat-tree needs k, the switch radix (an even number, e.g. 8)');
    else if (k % 2) r.issues.add(join(path, 'k'), `must be even, got ${k}`);
    else Object.assign(f, { k, radix: k, tiers: 3, oversubscription: [1, 1] });
  } else {
    f.tiers = r.int(d, 'tiers', path, 2, 3, 2) ?? 2;
    f.radix = r.int(d, 'radix', path, 2, 1024, 64) ?? 64;
  }
  const os = d.oversubscription;
  if (typeof os === 'number') f.oversubscription = [os, 1];
  else if (os !== undefined) {
    if (Array.isArray(os) && os.every((x) => typeof x === 'number' && x > 0)) f.oversubscription = os as number[];
    else r.issues.add(join(path, 'oversubscription'), 'must be a number > 0 (down:up of the leaves) or a list per tier, e.g. [3, 1]');
  }
  if (f.oversubscription.some((x) => !(x > 0))) r.issues.add(join(path, 'oversubscription'), 'every ratio must be > 0');
  f.planes = r.int(d, 'planes', path, 1, 64, 1) ?? 1;
  f.spines = r.int(d, 'spines', path, 1, 4096);
  f.link = r.str(d, 'link', path);
  if (f.link !== undefined && !LINK_SPECS.has(f.link)) r.issues.add(join(path, 'link'), `unknown link type "${f.link}"; known: ${[...LINK_SPECS.keys()].join(', ')}`);
  f.bytesPerSec = r.quantity(d, 'bandwidth', path, 'bandwidth');
  f.switchLatencySec = r.quantity(d, 'switchLatency', path, 'duration', { allowZero: true }) ?? 0;
  f.switchCapacityBytesPerSec = r.quantity(d, 'switchCapacity', path, 'bandwidth', { allowZero: true }) ?? 0; // 0: non-blocking, as documented (issue 19, item 20)
  f.routing = r.oneOf(d, 'routing', path, FABRIC_ROUTINGS, 'auto');
  f.dims = r.intList(d, 'dims', path, 1, 4096);
  f.hostsPerRouter = r.int(d, 'hostsPerRouter', path, 1, 4096);
  f.groups = r.int(d, 'groups', path, 2, 4096);
  f.routersPerGroup = r.int(d, 'routersPerGroup', path, 1, 4096);
  f.globalLinksPerRouter = r.int(d, 'globalLinksPerRouter', path, 1, 4096);
  if (f.type === 'torus' && f.dims === undefined) r.issues.add(join(path, 'dims'), 'a torus needs dims, e.g. [4, 4, 4]');
  const routers = f.type === 'torus' ? (f.dims ?? []).reduce((a, b) => a * b, 1) : f.type === 'dragonfly' ? (f.groups ?? 0) * (f.routersPerGroup ?? 0) : 0;
  if (routers > MAX_NODES / 4) r.issues.add(path, `${routers} routers exceed the limit of ${MAX_NODES / 4}; use fewer`);
  if (f.type === 'dragonfly' && (f.groups === undefined || f.routersPerGroup === undefined))
    r.issues.add(path, 'a dragonfly needs groups and routersPerGroup');
  if ((f.type === 'torus' || f.type === 'dragonfly') && f.planes !== 1) r.issues.add(join(path, 'planes'), `${f.type} fabrics have one plane`);
  return { fabric: f, hosts };
}

const SERVER_FIELDS = ['name', 'count', 'template', 'accelerator', 'accelerators', 'acceleratorLink', 'scaleUp', 'cpu', 'sockets', 'nic', 'nics', 'nicLink', 'fabricPorts', 'pcie', 'storage'];

function readServerGroup(r: FieldReader, s: unknown, path: string): ServerGroupSpec | null {
  if (!isDoc(s)) {
    r.issues.add(path, 'must be an object such as {template: dgx-h100, count: 32}');
    return null;
  }
  r.known(s, path, SERVER_FIELDS);
  const template = r.str(s, 'template', path);
  const base = template === undefined ? undefined : SERVER_TEMPLATES.get(template);
  if (template !== undefined && base === undefined) r.issues.add(join(path, 'template'), `unknown server template "${template}"; known: ${[...SERVER_TEMPLATES.keys()].join(', ')}`);
  const issuesBefore = r.issues.total;
  const name = r.str(s, 'name', path, (template ?? 'server').split('-')[0]) ?? 'server';
  if (!/^[A-Za-z][\w.-]*$/.test(name)) r.issues.add(join(path, 'name'), 'must start with a letter and use letters, digits, _ . -');
  const need = <T>(v: T | undefined, field: string): T | undefined => {
    if (v === undefined) r.issues.add(join(path, field), `required (or give a template: ${[...SERVER_TEMPLATES.keys()].join(', ')})`);
    return v;
  };
  const catalogue = (key: string, table: ReadonlyMap<string, unknown>, what: string, fallback: string | null | undefined): string | undefined => {
    const v = r.str(s, key, path) ?? fallback ?? undefined;
    if (v !== undefined && !table.has(v)) r.issues.add(join(path, key), `unknown ${what} "${v}"; known: ${[...table.keys()].join(', ')}`);
    return v;
  };
  const accelerator = need(catalogue('accelerator', ACCELERATOR_SPECS, 'accelerator', base?.accelerator), 'accelerator');
  const accelerators = need(r.int(s, 'accelerators', path, 1, 1024, base?.accelerators), 'accelerators') ?? 1;
  const cpu = need(catalogue('cpu', CPU_SPECS, 'CPU', base?.cpu), 'cpu');
  const sockets = r.int(s, 'sockets', path, 1, 8, base?.sockets ?? 1) ?? 1;
  const integrated = accelerator !== undefined && (ACCELERATOR_SPECS.get(accelerator)?.integratedPorts ?? 0) > 0;
  const nicDefault = s.nic === undefined && integrated ? null : base?.nic;
  const nic = s.nic === null ? null : catalogue('nic', NIC_SPECS, 'NIC', nicDefault) ?? null;
  const nics = integrated && nic === null ? accelerators : r.int(s, 'nics', path, 0, 1024, base?.nics ?? 0) ?? 0;
  if (!integrated && nic === null && nics > 0) r.issues.add(join(path, 'nic'), `${accelerator} has no integrated network ports: name a NIC model`);
  const scaleUp = readScaleUp(r, s, path, base?.scaleUp);
  const fabricPorts = r.int(s, 'fabricPorts', path, 1, 64, base?.fabricPorts ?? 1) ?? 1;
  if (integrated && nic === null && accelerator !== undefined) {
    const total = ACCELERATOR_SPECS.get(accelerator)!.integratedPorts;
    const used = (scaleUp.type === 'mesh' ? scaleUp.linksPerPair * (accelerators - 1) : 0) + fabricPorts;
    if (used > total) r.issues.add(join(path, 'fabricPorts'), `${accelerator} has ${total} network ports but the mesh and fabric use ${used}`);
  }
  const links: [string, string | undefined][] = [['acceleratorLink', r.str(s, 'acceleratorLink', path, base?.acceleratorLink)], ['nicLink', r.str(s, 'nicLink', path, base?.nicLink)]];
  for (const [k, v] of links) if (v !== undefined && !LINK_SPECS.has(v)) r.issues.add(join(path, k), `unknown link type "${v}"; known: ${[...LINK_SPECS.keys()].join(', ')}`);
  const pcie = s.pcie === undefined ? base?.pcie ?? [] : r.list(s, 'pcie', path).map((p, j) => readPcie(r, p, `${path}.pcie[${j}]`));
  const placed = (key: 'accelerators' | 'nics', n: number) => {
    const seen = new Set<number>();
    pcie.forEach((p, j) => p[key].forEach((x, q) => {
      if (x >= n) r.issues.add(`${path}.pcie[${j}].${key}[${q}]`, `there are only ${n} ${key} (indices 0..${n - 1})`);
      else if (seen.has(x)) r.issues.add(`${path}.pcie[${j}].${key}[${q}]`, `${key.slice(0, -1)} ${x} is already behind another PCIe switch`);
      seen.add(x);
    }));
  };
  placed('accelerators', accelerators);
  placed('nics', nics);
  for (const [j, p] of pcie.entries()) if (p.socket >= sockets) r.issues.add(`${path}.pcie[${j}].socket`, `there are only ${sockets} sockets`);
  const g: ServerGroupSpec = {
    name,
    count: r.int(s, 'count', path, 1, MAX_SERVERS, 1) ?? 1,
    template,
    accelerator: accelerator ?? '',
    accelerators,
    acceleratorLink: links[0][1],
    scaleUp,
    cpu: cpu ?? '',
    sockets,
    nic,
    nics,
    nicLink: links[1][1],
    fabricPorts,
    pcie,
    storage: r.int(s, 'storage', path, 0, 64, base?.storage ?? 0) ?? 0,
  };
  return r.issues.total > issuesBefore ? null : g;
}

function readScaleUp(r: FieldReader, s: Doc, path: string, base: ServerGroupSpec['scaleUp'] | undefined): ServerGroupSpec['scaleUp'] {
  const d = r.object(s, 'scaleUp', path);
  const p = join(path, 'scaleUp');
  const out = { ...(base ?? { type: 'none' as const, linksPerPair: 1, serversPerDomain: 1 }) };
  if (!d) return out;
  r.known(d, p, ['type', 'link', 'bandwidth', 'linksPerPair', 'serversPerDomain', 'reduction', 'reductionEfficiency', 'reductionBandwidth']);
  out.type = r.oneOf(d, 'type', p, ['switch', 'mesh', 'none'] as const, out.type);
  out.link = r.str(d, 'link', p, out.link);
  if (out.link !== undefined && !LINK_SPECS.has(out.link)) r.issues.add(join(p, 'link'), `unknown link type "${out.link}"; known: ${[...LINK_SPECS.keys()].join(', ')}`);
  out.bytesPerSec = r.quantity(d, 'bandwidth', p, 'bandwidth') ?? out.bytesPerSec;
  out.linksPerPair = r.int(d, 'linksPerPair', p, 1, 64, out.linksPerPair) ?? 1;
  out.serversPerDomain = r.int(d, 'serversPerDomain', p, 1, 4096, out.serversPerDomain) ?? 1;
  out.reduction = r.bool(d, 'reduction', p, out.reduction ?? false);
  out.reductionEfficiency = r.fraction(d, 'reductionEfficiency', p) ?? out.reductionEfficiency ?? (out.reduction ? NVLINK_SHARP_EFFICIENCY : undefined);
  if (d.reductionEfficiency !== undefined && !(out.reduction && out.type === 'switch')) r.issues.add(join(p, 'reductionEfficiency'), 'only a scale-up switch with reduction: true reduces in the network');
  out.reductionBytesPerSec = r.quantity(d, 'reductionBandwidth', p, 'bandwidth') ?? (out.reduction ? out.reductionBytesPerSec : undefined);
  if (d.reductionBandwidth !== undefined && !(out.reduction && out.type === 'switch')) r.issues.add(join(p, 'reductionBandwidth'), 'only a scale-up switch with reduction: true reduces in the network');
  return out;
}

function readPcie(r: FieldReader, p: unknown, path: string): PcieSwitchSpec {
  const fallback: PcieSwitchSpec = { socket: 0, uplink: 'pcie-gen5-x16', accelerators: [], nics: [] };
  if (!isDoc(p)) {
    r.issues.add(path, 'must be an object such as {socket: 0, uplink: pcie-gen5-x16, accelerators: [0, 1], nics: [0]}');
    return fallback;
  }
  r.known(p, path, ['socket', 'uplink', 'bandwidth', 'accelerators', 'nics']);
  const uplink = r.str(p, 'uplink', path, 'pcie-gen5-x16') ?? 'pcie-gen5-x16';
  if (!LINK_SPECS.has(uplink)) r.issues.add(join(path, 'uplink'), `unknown link type "${uplink}"; known: ${[...LINK_SPECS.keys()].filter((k) => k.startsWith('pcie')).join(', ')}`);
  return {
    socket: r.int(p, 'socket', path, 0, 7, 0) ?? 0,
    uplink,
    bytesPerSec: r.quantity(p, 'bandwidth', path, 'bandwidth'),
    accelerators: r.intList(p, 'accelerators', path, 0, 1 << 20) ?? [],
    nics: r.intList(p, 'nics', path, 0, 1 << 20) ?? [],
  };
}

function readNode(r: FieldReader, n: unknown, path: string): RawNodeSpec | null {
  if (!isDoc(n)) {
    r.issues.add(path, 'must be an object such as {id: sw0, kind: switch}');
    return null;
  }
  r.known(n, path, ['id', 'kind', 'server', 'forwards', 'reduction', 'reductionEfficiency', 'reductionBandwidth', 'capacity', 'latency', 'rack', 'pod', 'rail', 'plane', 'tier']);
  const id = r.str(n, 'id', path);
  if (id === undefined) r.issues.add(join(path, 'id'), 'required');
  const kind = r.oneOf<NodeKind>(n, 'kind', path, NODE_KINDS, 'switch');
  if (n.kind === undefined) r.issues.add(join(path, 'kind'), `required: one of ${NODE_KINDS.join(', ')}`);
  const small = (k: string) => r.int(n, k, path, 0, 1 << 24);
  return {
    id: id ?? '',
    kind,
    server: r.str(n, 'server', path),
    forwards: n.forwards === undefined ? undefined : r.bool(n, 'forwards', path, false),
    reduction: r.bool(n, 'reduction', path, false),
    reductionEfficiency: n.reductionEfficiency !== undefined && !(n.reduction === true && kind === 'switch') ? (r.issues.add(join(path, 'reductionEfficiency'), 'only a switch with reduction: true reduces in the network'), undefined) : r.fraction(n, 'reductionEfficiency', path),
    reductionBytesPerSec: n.reductionBandwidth !== undefined && !(n.reduction === true && kind === 'switch') ? (r.issues.add(join(path, 'reductionBandwidth'), 'only a switch with reduction: true reduces in the network'), undefined) : r.quantity(n, 'reductionBandwidth', path, 'bandwidth'),
    capacityBytesPerSec: r.quantity(n, 'capacity', path, 'bandwidth'),
    latencySec: r.quantity(n, 'latency', path, 'duration', { allowZero: true }),
    rack: small('rack'),
    pod: small('pod'),
    rail: small('rail'),
    plane: small('plane'),
    tier: small('tier'),
  };
}

function readLink(r: FieldReader, l: unknown, path: string): RawLinkSpec | null {
  if (!isDoc(l)) {
    r.issues.add(path, 'must be an object such as {a: n0, b: sw0, bandwidth: 400Gbps, latency: 1us}');
    return null;
  }
  r.known(l, path, ['a', 'b', 'type', 'spec', 'bandwidth', 'efficiency', 'latency', 'tier', 'count']);
  const a = r.str(l, 'a', path);
  const b = r.str(l, 'b', path);
  if (a === undefined) r.issues.add(join(path, 'a'), 'required: the id of one end');
  if (b === undefined) r.issues.add(join(path, 'b'), 'required: the id of the other end');
  const specName = r.str(l, 'spec', path);
  const spec = specName === undefined ? undefined : LINK_SPECS.get(specName);
  if (specName !== undefined && spec === undefined) r.issues.add(join(path, 'spec'), `unknown link type "${specName}"; known: ${[...LINK_SPECS.keys()].join(', ')}`);
  const line = r.quantity(l, 'bandwidth', path, 'bandwidth') ?? spec?.lineBytesPerSec;
  if (line === undefined && l.bandwidth === undefined) r.issues.add(join(path, 'bandwidth'), 'required (e.g. "400Gbps") unless spec names a catalogue link');
  const efficiency = r.fraction(l, 'efficiency', path) ?? spec?.efficiency ?? 1;
  return {
    a: a ?? '',
    b: b ?? '',
    type: r.oneOf(l, 'type', path, LINK_TYPES, spec?.type ?? 'ethernet'),
    spec: specName,
    bytesPerSec: (line ?? 0) * efficiency,
    latencySec: r.quantity(l, 'latency', path, 'duration', { allowZero: true }) ?? spec?.latencySec ?? 0,
    tier: r.str(l, 'tier', path),
    count: r.int(l, 'count', path, 1, 64, 1) ?? 1,
  };
}

function readCalibration(r: FieldReader, d: Doc, path: string): Record<string, LinkOverride> {
  const out: Record<string, LinkOverride> = {};
  for (const [key, v] of Object.entries(d)) {
    const p = join(path, key);
    if (!LINK_SPECS.has(key) && !(LINK_TYPES as readonly string[]).includes(key)) {
      r.issues.add(p, `not a link type (${LINK_TYPES.join(', ')}) or catalogue link name`);
      continue;
    }
    if (!isDoc(v)) {
      r.issues.add(p, 'must be an object such as {efficiency: 0.9, latency: 200ns}');
      continue;
    }
    r.known(v, p, ['bandwidth', 'efficiency', 'latency']);
    out[key] = { lineBytesPerSec: r.quantity(v, 'bandwidth', p, 'bandwidth'), efficiency: r.fraction(v, 'efficiency', p), latencySec: r.quantity(v, 'latency', p, 'duration', { allowZero: true }) };
  }
  return out;
}
