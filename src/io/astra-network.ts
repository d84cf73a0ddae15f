// ASTRA-sim's analytical network configuration (astra-network-analytical: `topology`,
// `npus_count`, `bandwidth` in GB/s with GB = 2^30 bytes, `latency` in ns, one entry per
// dimension) read as a fairway topology of raw nodes and links. NPU i has coordinates
// (c0, c1, …) with i = c0 + n0·(c1 + n1·(c2 + …)), dimension 0 the innermost, as ASTRA-sim
// numbers them. In each dimension the NPUs that differ only in that coordinate form a group:
//   Ring            a link between neighbours c and c + 1 (mod n; one link when n = 2);
//   FullyConnected  a link between every pair;
//   Switch          a switch of the group and a link from each NPU to it.
// Every link carries the dimension's bandwidth in each direction and its latency.
import { FairwayError } from '../core/errors.js';

const KINDS = ['Ring', 'FullyConnected', 'Switch'] as const;
type Kind = (typeof KINDS)[number];

/** At most this many NPUs: beyond, the fully connected groups alone would be millions of links. */
const MAX_NPUS = 65_536;
const MAX_LINKS = 4_000_000;

/** Whether `doc` is an ASTRA-sim analytical network config (a `topology` list and `npus_count`). */
export function isAstraNetwork(doc: unknown): doc is Record<string, unknown> {
  return typeof doc === 'object' && doc !== null && !Array.isArray(doc) && Array.isArray((doc as Record<string, unknown>).topology) && 'npus_count' in doc;
}

interface Dimension {
  readonly kind: Kind;
  readonly n: number;
  readonly bandwidthBytesPerSec: number;
  readonly latencySec: number;
}

/** The dimensions of the config, or an input error naming every bad field. */
function readDimensions(doc: Record<string, unknown>, label: string): Dimension[] {
  const issues: { path: string; message: string }[] = [];
  const list = (key: string) => (Array.isArray(doc[key]) ? (doc[key] as unknown[]) : (issues.push({ path: key, message: 'must be a list with one entry per dimension, e.g. [8]' }), []));
  const kinds = list('topology');
  const counts = list('npus_count');
  const bws = list('bandwidth');
  const lats = list('latency');
  const known = new Set(['topology', 'npus_count', 'bandwidth', 'latency']);
  for (const k of Object.keys(doc)) if (!known.has(k)) issues.push({ path: k, message: 'unknown field of an ASTRA-sim network config (topology, npus_count, bandwidth, latency)' });
  for (const [key, xs] of [['npus_count', counts], ['bandwidth', bws], ['latency', lats]] as const)
    if (Array.isArray(doc[key]) && xs.length !== kinds.length) issues.push({ path: key, message: `has ${xs.length} entries; topology has ${kinds.length} dimensions` });
  const dims: Dimension[] = [];
  kinds.forEach((k, d) => {
    if (!KINDS.includes(k as Kind)) issues.push({ path: `topology[${d}]`, message: `unknown "${String(k)}"; ASTRA-sim's analytical dimensions are ${KINDS.join(', ')}` });
    const n = counts[d];
    if (!(Number.isInteger(n) && (n as number) >= 2)) issues.push({ path: `npus_count[${d}]`, message: `must be a whole number ≥ 2, got ${JSON.stringify(n)}` });
    const bw = bws[d];
    if (!(typeof bw === 'number' && Number.isFinite(bw) && bw > 0)) issues.push({ path: `bandwidth[${d}]`, message: `must be a number of GB/s > 0, got ${JSON.stringify(bw)}` });
    const lat = lats[d];
    if (!(typeof lat === 'number' && Number.isFinite(lat) && lat >= 0)) issues.push({ path: `latency[${d}]`, message: `must be a number of ns ≥ 0, got ${JSON.stringify(lat)}` });
    dims.push({ kind: k as Kind, n: n as number, bandwidthBytesPerSec: (bw as number) * 2 ** 30, latencySec: (lat as number) * 1e-9 });
  });
  if (kinds.length === 0 && Array.isArray(doc.topology)) issues.push({ path: 'topology', message: 'lists no dimension' });
  if (issues.length === 0) {
    const npus = dims.reduce((p, x) => p * x.n, 1);
    const links = dims.reduce((sum, x) => sum + (npus / x.n) * (x.kind === 'FullyConnected' ? (x.n * (x.n - 1)) / 2 : x.n === 2 && x.kind === 'Ring' ? 1 : x.n), 0);
    if (npus > MAX_NPUS) issues.push({ path: 'npus_count', message: `${npus.toLocaleString('en-US')} NPUs; fairway reads ASTRA-sim configs of up to ${MAX_NPUS.toLocaleString('en-US')} (build larger systems with fabric builders)` });
    else if (links > MAX_LINKS) issues.push({ path: 'topology', message: `${links.toLocaleString('en-US')} links; at most ${MAX_LINKS.toLocaleString('en-US')} (fully connected dimensions grow as n²)` });
  }
  if (issues.length) throw new FairwayError('E_INPUT', `${label}: invalid ASTRA-sim network config: ${issues.length} problem${issues.length === 1 ? '' : 's'}`, issues);
  return dims;
}

/** The fairway topology document (raw nodes and links) of an ASTRA-sim analytical network config. */
export function astraNetworkDocument(doc: Record<string, unknown>, label: string): Record<string, unknown> {
  const dims = readDimensions(doc, label);
  const npus = dims.reduce((p, x) => p * x.n, 1);
  const nodes: Record<string, unknown>[] = [];
  const links: Record<string, unknown>[] = [];
  // NPUs forward: a ring or a multi-dimensional route passes through other NPUs, as in ASTRA-sim
  for (let i = 0; i < npus; i++) nodes.push({ id: `npu${i}`, kind: 'accelerator', forwards: true });
  let stride = 1;
  dims.forEach((dim, d) => {
    const link = (a: string, b: string) => links.push({ a, b, bandwidth: dim.bandwidthBytesPerSec, latency: dim.latencySec, tier: `dim${d}` });
    // each group: the NPUs whose other coordinates are fixed; `base` is its member with c_d = 0
    let group = 0;
    for (let base = 0; base < npus; base++) {
      if (Math.floor(base / stride) % dim.n !== 0) continue;
      const member = (c: number) => `npu${base + c * stride}`;
      if (dim.kind === 'Switch') {
        const sw = `dim${d}.switch${group}`;
        nodes.push({ id: sw, kind: 'switch' });
        for (let c = 0; c < dim.n; c++) link(member(c), sw);
      } else if (dim.kind === 'Ring') {
        for (let c = 0; c < (dim.n === 2 ? 1 : dim.n); c++) link(member(c), member((c + 1) % dim.n));
      } else {
        for (let a = 0; a < dim.n; a++) for (let b = a + 1; b < dim.n; b++) link(member(a), member(b));
      }
      group++;
    }
    stride *= dim.n;
  });
  const name = label.replace(/^.*\//, '').replace(/\.(ya?ml|json)$/, '');
  return { name, nodes, links };
}
