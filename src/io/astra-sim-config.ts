// ASTRA-sim inputs: the analytical network config (YAML: topology, npus_count, bandwidth in
// GB/s with GB = 2^30 bytes, latency in ns per dimension) and the system config (JSON:
// endpoint-delay, preferred-dataset-splits, active-chunks-per-dimension, local-mem-bw in GB/s
// with GB = 1e9, *-implementation) turned into a fairway topology and collective options.
// One-dimensional networks (Ring, Switch, FullyConnected) are supported.
import { FairwayError, IssueList } from '../core/errors.js';
import type { Algorithm, CollectiveOptions } from '../collective/index.js';
import { DEFAULT_COLLECTIVE_OPTIONS } from '../collective/index.js';
import { DEFAULT_FABRIC, type RawLinkSpec, type RawNodeSpec, type TopologySpec } from '../topology/spec.js';
import { isDoc } from './fields.js';
import { parseYamlBounded } from './topology-file.js';

export interface AstraNetwork {
  topology: 'Ring' | 'Switch' | 'FullyConnected';
  npus: number;
  /** Per link direction, bytes/s. */
  bytesPerSec: number;
  latencySec: number;
}

function parseText(text: string, file: string, yaml: boolean): unknown {
  try {
    return yaml ? parseYamlBounded(text, file) : JSON.parse(text);
  } catch (e) {
    if (e instanceof FairwayError) throw e;
    const msg = (e as Error).message.split('\n')[0];
    throw new FairwayError('E_INPUT', `${file}: not valid ${yaml ? 'YAML' : 'JSON'}: ${msg}`, [{ path: '', message: msg }]);
  }
}

const one = (v: unknown): unknown => (Array.isArray(v) && v.length === 1 ? v[0] : v);

export function parseAstraNetwork(text: string, file: string): AstraNetwork {
  const doc = parseText(text, file, true);
  const issues = new IssueList();
  if (!isDoc(doc)) throw new FairwayError('E_INPUT', `${file}: expected topology, npus_count, bandwidth, latency`, []);
  for (const k of ['topology', 'npus_count', 'bandwidth', 'latency'])
    if (Array.isArray(doc[k]) && (doc[k] as unknown[]).length !== 1) issues.add(k, 'only one-dimensional ASTRA-sim networks are supported');
  const topology = one(doc.topology);
  const npus = one(doc.npus_count);
  const bw = one(doc.bandwidth);
  const lat = one(doc.latency);
  if (topology !== 'Ring' && topology !== 'Switch' && topology !== 'FullyConnected') issues.add('topology', `must be Ring, Switch or FullyConnected, got ${JSON.stringify(topology)}`);
  if (typeof npus !== 'number' || !Number.isInteger(npus) || npus < 2 || npus > 65536) issues.add('npus_count', 'must be a whole number from 2 to 65536');
  if (typeof bw !== 'number' || !(bw > 0)) issues.add('bandwidth', 'must be a number of GB/s > 0');
  if (typeof lat !== 'number' || !(lat >= 0)) issues.add('latency', 'must be a number of ns ≥ 0');
  issues.throwIfAny(`${file}: invalid ASTRA-sim network`);
  return { topology: topology as AstraNetwork['topology'], npus: npus as number, bytesPerSec: (bw as number) * 2 ** 30, latencySec: (lat as number) * 1e-9 };
}

/** NPUs npu0..npuN−1; Ring: links i–(i+1); Switch: every NPU to one switch; FullyConnected: every pair. */
export function astraTopology(net: AstraNetwork, name: string): TopologySpec {
  // In a ring the NPUs relay traffic for others (as ASTRA-sim's multi-hop ring does).
  const nodes: RawNodeSpec[] = Array.from({ length: net.npus }, (_, i) => ({ id: `npu${i}`, kind: 'accelerator', forwards: net.topology === 'Ring' }));
  const links: RawLinkSpec[] = [];
  const link = (a: string, b: string) => links.push({ a, b, type: 'ethernet', bytesPerSec: net.bytesPerSec, latencySec: net.latencySec, count: 1 });
  if (net.topology === 'Ring') for (let i = 0; i < net.npus; i++) link(`npu${i}`, `npu${(i + 1) % net.npus}`);
  else if (net.topology === 'Switch') {
    nodes.push({ id: 'switch', kind: 'switch' });
    for (let i = 0; i < net.npus; i++) link(`npu${i}`, 'switch');
  } else for (let i = 0; i < net.npus; i++) for (let j = i + 1; j < net.npus; j++) link(`npu${i}`, `npu${j}`);
  if (net.topology === 'Ring' && net.npus === 2) links.pop();
  return { name, seed: 0, servers: [], fabric: DEFAULT_FABRIC, nodes, links, calibration: {} };
}

const ALGORITHM_NAMES: Record<string, Algorithm> = { ring: 'ring', direct: 'direct', halvingDoubling: 'hd', doubleBinaryTree: 'tree' };

/**
 * Collective options from an ASTRA-sim system config for a collective of `bytes`: the message
 * is cut into preferred-dataset-splits chunks, run one after another when
 * active-chunks-per-dimension is 1; endpoint-delay is the per-send α; local-mem-bw prices the
 * reductions (3 bytes of memory traffic per byte reduced).
 */
export function astraCollectiveOptions(text: string, file: string, bytes: number, op: 'all-reduce' | 'all-gather' | 'reduce-scatter' | 'all-to-all'): CollectiveOptions {
  const doc = parseText(text, file, false);
  if (!isDoc(doc)) throw new FairwayError('E_INPUT', `${file}: expected a JSON object`, []);
  const num = (k: string, fallback: number): number => (typeof doc[k] === 'number' ? (doc[k] as number) : fallback);
  const splits = Math.max(1, Math.round(num('preferred-dataset-splits', 1)));
  const impl = doc[`${op}-implementation`];
  const name = Array.isArray(impl) && typeof impl[0] === 'string' ? impl[0] : 'ring';
  const algorithm = ALGORITHM_NAMES[name];
  if (algorithm === undefined) throw new FairwayError('E_INPUT', `${file}: ${op}-implementation "${name}" has no fairway equivalent`, [{ path: `${op}-implementation`, message: `known: ${Object.keys(ALGORITHM_NAMES).join(', ')}` }]);
  return {
    ...DEFAULT_COLLECTIVE_OPTIONS,
    algorithm: op === 'all-to-all' && algorithm === 'ring' ? 'direct' : algorithm,
    alphaSec: num('endpoint-delay', 0) * 1e-9,
    chunkBytes: bytes / splits,
    maxSlices: splits,
    minPieceBytes: 0,
    window: num('active-chunks-per-dimension', 1) <= 1 ? 1 : DEFAULT_COLLECTIVE_OPTIONS.window,
    reduceBytesPerSec: num('local-mem-bw', 0) * 1e9,
  };
}
