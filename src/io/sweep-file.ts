// Sweep files (YAML/JSON): a base scenario whose topology, workload or serve deployment may be
// files (relative to the sweep file), shipped topology names or builder specs, all read here into
// documents so that every point is self-contained (a serve document's request trace becomes an
// absolute path); then `grid` axes and/or `points`. Documented in docs/sweep.md.
import { dirname, isAbsolute, resolve } from 'node:path';
import { FairwayError, IssueList } from '../core/errors.js';
import { parsePath } from '../sweep/paths.js';
import type { Override, SweepSpec } from '../sweep/spec.js';
import { isDoc, type Doc } from './fields.js';
import { topologyDocument } from './topology-source.js';
import { parseDocumentText } from './topology-file.js';
import { readInputText } from './read-text.js';

const ROOTS = ['topology', 'collective', 'workload', 'serve', 'fidelity'];
/** Points above this are refused (a typo in a grid multiplies quickly). */
const MAX_POINTS = 1_000_000;

export function parseSweepText(text: string, file: string): SweepSpec {
  return parseSweep(parseDocumentText(text, file), file);
}

export function parseSweep(doc: unknown, file: string): SweepSpec {
  const issues = new IssueList();
  if (!isDoc(doc)) throw new FairwayError('E_INPUT', `${file}: a sweep must be an object with base and grid or points`, [{ path: '', message: 'not an object' }]);
  for (const k of Object.keys(doc)) if (!['name', 'base', 'grid', 'points'].includes(k)) issues.add(k, 'unknown field; expected one of: name, base, grid, points');
  const dir = dirname(resolve(file));
  const base: Doc = {};
  if (!isDoc(doc.base)) issues.add('base', 'required: {topology, collective}, {topology, workload} or {serve}');
  else {
    for (const k of Object.keys(doc.base)) if (!ROOTS.includes(k)) issues.add(`base.${k}`, `unknown field; expected one of: ${ROOTS.join(', ')}`);
    if (doc.base.workload !== undefined) {
      const w = documentAt(doc.base.workload, dir, 'base.workload', issues);
      if (w) {
        base.workload = w.doc;
        if (doc.base.topology === undefined && typeof w.doc.topology === 'string') base.topology = topologyDocumentAt(w.doc.topology, w.dir, 'base.workload.topology', issues);
      }
    }
    if (doc.base.serve !== undefined) {
      const v = documentAt(doc.base.serve, dir, 'base.serve', issues);
      if (v) {
        base.serve = withAbsoluteTrace(v.doc, v.dir);
        if (doc.base.topology === undefined && typeof v.doc.topology === 'string') base.topology = topologyDocumentAt(v.doc.topology, v.dir, 'base.serve.topology', issues);
      }
    }
    if (doc.base.topology !== undefined) base.topology = topologyDocumentAt(doc.base.topology, dir, 'base.topology', issues);
    if (doc.base.collective !== undefined) {
      if (isDoc(doc.base.collective)) base.collective = doc.base.collective;
      else issues.add('base.collective', 'must be an object such as {op: all_reduce, bytes: 1GiB}');
    }
    if (doc.base.fidelity !== undefined) {
      if (doc.base.fidelity !== 'flow' && doc.base.fidelity !== 'analytical') issues.add('base.fidelity', `must be flow or analytical, got ${JSON.stringify(doc.base.fidelity)}`);
      else if (doc.base.collective !== undefined) issues.add('base.fidelity', 'a collective takes its fidelity in base.collective.fidelity');
      else if (doc.base.serve !== undefined) issues.add('base.fidelity', 'a serve deployment has no fidelity (its steps are costed, its KV transfers simulated)');
      else base.fidelity = doc.base.fidelity;
    }
    // a serve deployment without one runs on enough DGX H100 servers for each point's GPUs
    if (base.topology === undefined && base.serve === undefined) issues.add('base.topology', 'required: a topology file, shipped name, builder spec or document');
    if ([base.collective, base.workload, base.serve].filter((x) => x !== undefined).length !== 1) issues.add('base', 'give exactly one of collective, workload and serve');
  }
  const axes: { path: string; values: unknown[] }[] = [];
  if (doc.grid !== undefined) {
    if (!isDoc(doc.grid)) issues.add('grid', 'must map field paths to lists of values, e.g. collective.algo: [ring, tree]');
    else
      for (const [path, values] of Object.entries(doc.grid)) {
        checkPath(path, `grid.${path}`, issues);
        if (!Array.isArray(values) || values.length === 0) issues.add(`grid.${path}`, 'must be a non-empty list of values');
        else axes.push({ path, values });
      }
  }
  const listed: Override[][] = [];
  if (doc.points !== undefined) {
    if (!Array.isArray(doc.points)) issues.add('points', 'must be a list of {path: value} objects');
    else
      doc.points.forEach((p, i) => {
        if (!isDoc(p) || Object.keys(p).length === 0) return issues.add(`points[${i}]`, 'must be a non-empty object of {path: value}');
        for (const path of Object.keys(p)) checkPath(path, `points[${i}].${path}`, issues);
        listed.push(Object.entries(p));
      });
  }
  if (axes.length === 0 && listed.length === 0) issues.add('grid', 'required: grid axes or a list of points');
  const total = axes.reduce((n, a) => n * a.values.length, axes.length ? 1 : 0) + listed.length;
  if (total > MAX_POINTS) issues.add('grid', `${total} points is more than ${MAX_POINTS}; split the sweep`);
  const name = typeof doc.name === 'string' && doc.name ? doc.name : file;
  issues.throwIfAny(`${file}: invalid sweep`);
  return { name, base, axes, listed };
}

function checkPath(path: string, where: string, issues: IssueList): void {
  try {
    const [root, second] = parsePath(path);
    if (!ROOTS.includes(root as string)) issues.add(where, `paths start with ${ROOTS.join(', ')}`);
    else if (root === 'serve' && second === 'topology') issues.add(where, "a serve deployment's topology is the sweep's: vary topology.* (or give base.topology)");
  } catch (e) {
    issues.add(where, (e as Error).message);
  }
}

/** A document given inline, or a file relative to `dir` read into one. */
function documentAt(v: unknown, dir: string, path: string, issues: IssueList): { doc: Doc; dir: string } | undefined {
  if (isDoc(v)) return { doc: v, dir };
  if (typeof v !== 'string') return issues.add(path, 'must be a file path or a document'), undefined;
  const file = resolve(dir, v);
  const doc = parseDocumentText(readInputText(file, path), file);
  if (!isDoc(doc)) return issues.add(path, `${v} is not a document`), undefined;
  return { doc, dir: dirname(file) };
}

/** A serve document whose request trace (load.trace), if relative, is made absolute from `dir`, the serve file's folder. */
function withAbsoluteTrace(doc: Doc, dir: string): Doc {
  const load = doc.load;
  if (!isDoc(load) || typeof load.trace !== 'string' || isAbsolute(load.trace)) return doc;
  return { ...doc, load: { ...load, trace: resolve(dir, load.trace) } };
}

/** A topology as a document: inline, a file (relative to the sweep), a shipped name, or a builder spec. */
function topologyDocumentAt(v: unknown, dir: string, path: string, issues: IssueList): Doc | undefined {
  if (isDoc(v)) return v;
  if (typeof v !== 'string') return issues.add(path, 'must be a topology file, shipped name, builder spec or document'), undefined;
  const found = topologyDocument(v, path, dir);
  if (found && isDoc(found.doc)) return found.doc;
  issues.add(path, found ? `${v} is not a document` : `"${v}" is not a file (relative to the sweep), a shipped topology or a builder spec`);
  return undefined;
}
