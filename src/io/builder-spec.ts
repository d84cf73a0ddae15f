// Short builder specs for the command line, e.g. `fat-tree:k=8`,
// `rail-optimized:template=dgx-h100,count=32,radix=64`, `dgx-h100` or `torus:dims=4x4x4`,
// turned into the same document a topology file holds (then validated like one).
// Values: numbers, true/false, AxBxC for lists of numbers, a/b for ratios like 3/1.
import { FairwayError } from '../core/errors.js';
import { SERVER_TEMPLATES } from '../topology/server-templates.js';
import type { Doc } from './fields.js';

export const FABRIC_BUILDERS = ['fat-tree', 'leaf-spine', 'rail-optimized', 'torus', 'dragonfly'];
const SERVER_KEYS = new Set(['template', 'count', 'accelerator', 'accelerators', 'nic', 'nics', 'cpu', 'sockets', 'fabricPorts', 'storage']);

function value(v: string): unknown {
  if (/^[+-]?\d+(\.\d+)?$/.test(v)) return Number(v);
  if (v === 'true' || v === 'false') return v === 'true';
  if (/^\d+(x\d+)+$/.test(v)) return v.split('x').map(Number);
  if (/^[\d.]+\/[\d.]+$/.test(v)) {
    const [a, b] = v.split('/').map(Number);
    return [a / b, 1];
  }
  return v;
}

/** Returns the document for a builder spec, or null if `arg` does not name a builder. */
export function parseBuilderSpec(arg: string): Doc | null {
  const [name, rest] = arg.split(/:(.*)/s, 2);
  const isFabric = FABRIC_BUILDERS.includes(name);
  if (!isFabric && !SERVER_TEMPLATES.has(name)) return null;
  const server: Doc = isFabric ? {} : { template: name };
  const fabric: Doc = isFabric ? { type: name } : {};
  for (const part of (rest ?? '').split(',').filter((p) => p.length > 0)) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new FairwayError('E_INPUT', `${arg}: "${part}" is not key=value`, [{ path: arg, message: 'options are key=value, separated by commas' }]);
    const key = part.slice(0, eq);
    const v = value(part.slice(eq + 1));
    if (key === 'fabric') fabric.type = v;
    else if (key === 'dims') fabric.dims = typeof v === 'number' ? [v] : v;
    else if (SERVER_KEYS.has(key)) server[key] = v;
    else fabric[key] = v;
  }
  const doc: Doc = { name: arg };
  if (Object.keys(server).length) doc.servers = [server];
  if (Object.keys(fabric).length) doc.fabric = fabric;
  return doc;
}
