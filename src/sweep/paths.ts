// Addressing fields of a scenario document by path, as sweeps override them:
// `topology.fabric.oversubscription`, `topology.servers[0].nic`, `collective.algo`. Setting a
// path creates missing objects on the way; list indices must exist; null removes a field.
import { FairwayError } from '../core/errors.js';

type Segment = string | number;

export function parsePath(path: string): Segment[] {
  const out: Segment[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]/g;
  let last = 0;
  for (let m = re.exec(path); m; m = re.exec(path)) {
    const between = path.slice(last, m.index);
    if (between !== (out.length === 0 || m[2] !== undefined ? '' : '.')) break;
    out.push(m[2] !== undefined ? Number(m[2]) : m[1]);
    last = re.lastIndex;
  }
  if (out.some((x) => x === '__proto__' || x === 'constructor' || x === 'prototype'))
    throw new FairwayError('E_INPUT', `"${path}" names a reserved field`, [{ path, message: '__proto__, constructor and prototype are not fields' }]);
  if (out.length === 0 || last !== path.length || typeof out[0] !== 'string')
    throw new FairwayError('E_INPUT', `"${path}" is not a field path`, [{ path, message: 'write fields as a.b.c and list items as a[0], e.g. topology.servers[0].nic' }]);
  return out;
}

/** A copy of `doc` with the field at `path` set to `value`, or removed where `value` is null (the file's default then applies); the original is left alone. */
export function withPath(doc: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const segs = parsePath(path);
  const root = structuredClone(doc);
  let cur: unknown = root;
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i];
    const last = i === segs.length - 1;
    const where = segs.slice(0, i + 1).map((x) => (typeof x === 'number' ? `[${x}]` : `.${x}`)).join('').slice(1);
    if (typeof s === 'number') {
      if (!Array.isArray(cur) || s >= cur.length)
        throw new FairwayError('E_INPUT', `${path}: ${where} does not exist (the list has ${Array.isArray(cur) ? cur.length : 0} items)`, [{ path, message: 'index a list item that the base scenario has' }]);
      if (last) cur[s] = value;
      else cur = cur[s];
    } else {
      if (typeof cur !== 'object' || cur === null || Array.isArray(cur))
        throw new FairwayError('E_INPUT', `${path}: cannot set ${where}, its parent is not an object`, [{ path, message: 'the base scenario has a value that is not an object there' }]);
      const obj = cur as Record<string, unknown>;
      if (last) {
        if (value === null) delete obj[s];
        else obj[s] = value;
      } else {
        if (!Object.hasOwn(obj, s) || obj[s] === undefined) {
          if (value === null) return root; // removing a field whose parent is missing: nothing to remove
          obj[s] = typeof segs[i + 1] === 'number' ? [] : {};
        }
        cur = obj[s];
      }
    }
  }
  return root;
}

/** `doc` with every override applied in turn. */
export function applyOverrides(doc: Record<string, unknown>, overrides: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  let out = doc;
  for (const [path, value] of overrides) out = withPath(out, path, value);
  return out;
}
