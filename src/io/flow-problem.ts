// Reads and validates a flow problem (the format of ../shared/peers/simgrid):
//   {"links":[{"id","bw","lat"}], "flows":[{"id","route":[link ids],"size","start"}]}
// bw in bytes/s (≥ 1), lat and start in seconds (>= 0), size in bytes (>= 0). Other top-level
// keys (meta, description, expected) are ignored. The result is compact (typed arrays, routes
// flattened) so that a million flows fit comfortably in memory.
import { FairwayError, IssueList } from '../core/errors.js';
import { grownTo } from '../core/typed-arrays.js';
import type { FlowProblem } from '../sim/flow-problem.js';

export type { FlowProblem };

/** Largest size accepted: beyond 2^53 bytes (8 PiB) sizes are no longer exact integers. */
export const MAX_FLOW_SIZE = 2 ** 53;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function describe(v: unknown): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return v.length === 0 ? 'an empty array' : 'an array';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  // an object's own toString may be anything (`{"toString": 1}`): never call it
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

export function parseFlowProblemText(text: string, source = 'flow problem'): FlowProblem {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new FairwayError('E_INPUT', `${source}: not valid JSON (${why})`, [{ path: '', message: `not valid JSON: ${why}` }]);
  }
  return parseFlowProblem(doc, source);
}

export function parseFlowProblem(doc: unknown, source = 'flow problem'): FlowProblem {
  const issues = new IssueList();
  const { links, flows } = topLevelArrays(doc, issues, source);
  const l = parseLinks(links, issues);
  const f = parseFlows(flows, l.linkIds.length, l.linkIndex, issues);
  issues.throwIfAny(source);
  return {
    linkIds: l.linkIds,
    linkBandwidth: l.bw,
    linkLatency: l.lat,
    flowIds: f.flowIds,
    routeStart: f.routeStart,
    routeLinks: f.routes.links.slice(0, f.routes.count),
    flowSize: f.size,
    flowStart: f.start,
  };
}

/** The "links" and "flows" arrays of the document; refuses a document without both. */
function topLevelArrays(doc: unknown, issues: IssueList, source: string): { links: unknown[]; flows: unknown[] } {
  if (!isObject(doc)) {
    issues.add('', `expected an object with "links" and "flows" arrays, got ${describe(doc)}`);
    issues.throwIfAny(source);
  }
  const d = doc as Record<string, unknown>;
  const links = Array.isArray(d.links) ? d.links : undefined;
  const flows = Array.isArray(d.flows) ? d.flows : undefined;
  if (!links) issues.add('links', `must be an array of {"id","bw","lat"}, got ${describe(d.links)}`);
  if (!flows) issues.add('flows', `must be an array of {"id","route","size","start"}, got ${describe(d.flows)}`);
  issues.throwIfAny(source);
  return { links: links!, flows: flows! };
}

/** The links' ids, bandwidths and latencies, and each id's index; issues for bad or duplicate entries. */
function parseLinks(links: unknown[], issues: IssueList) {
  const nL = links.length;
  const linkIds: string[] = new Array(nL);
  const bw = new Float64Array(nL), lat = new Float64Array(nL);
  const linkIndex = new Map<string, number>();
  for (let i = 0; i < nL; i++) {
    const l = links[i], p = `links[${i}]`;
    if (!isObject(l)) {
      issues.add(p, `must be an object {"id","bw","lat"}, got ${describe(l)}`);
      continue;
    }
    if (typeof l.id !== 'string' || l.id === '') issues.add(`${p}.id`, `must be a non-empty string, got ${describe(l.id)}`);
    else if (linkIndex.has(l.id)) issues.add(`${p}.id`, `duplicate link id "${l.id}" (first at links[${linkIndex.get(l.id)}])`);
    else linkIndex.set(l.id, i);
    linkIds[i] = String(l.id);
    // at least 1 byte/s: below it a 2^53-byte flow would take longer than a double holds (issue 19, item 15)
    if (typeof l.bw !== 'number' || !(l.bw >= 1) || !Number.isFinite(l.bw)) {
      issues.add(`${p}.bw`, `must be a bandwidth in bytes/s, a finite number ≥ 1, got ${describe(l.bw)}`);
    } else bw[i] = l.bw;
    if (typeof l.lat !== 'number' || !(l.lat >= 0) || !Number.isFinite(l.lat)) {
      issues.add(`${p}.lat`, `must be a latency in seconds, a finite number >= 0 (use 0 for none), got ${describe(l.lat)}`);
    } else lat[i] = l.lat;
  }
  return { linkIds, bw, lat, linkIndex };
}

/** The flows' ids, routes (as link indices), sizes and starts; issues for bad or duplicate entries. */
function parseFlows(flows: unknown[], nL: number, linkIndex: ReadonlyMap<string, number>, issues: IssueList) {
  const nF = flows.length;
  const flowIds: string[] = new Array(nF);
  const seen = new Map<string, number>();
  const routeStart = new Int32Array(nF + 1);
  const routes = new Routes(nF, nL);
  const size = new Float64Array(nF), start = new Float64Array(nF);
  for (let f = 0; f < nF; f++) {
    routeStart[f] = routes.count;
    const fl = flows[f], p = `flows[${f}]`;
    if (!isObject(fl)) {
      issues.add(p, `must be an object {"id","route","size","start"}, got ${describe(fl)}`);
      continue;
    }
    if (typeof fl.id !== 'string' || fl.id === '') issues.add(`${p}.id`, `must be a non-empty string, got ${describe(fl.id)}`);
    else if (seen.has(fl.id)) issues.add(`${p}.id`, `duplicate flow id "${fl.id}" (first at flows[${seen.get(fl.id)}])`);
    else seen.set(fl.id, f);
    flowIds[f] = String(fl.id);
    routes.add(fl.route, f, p, linkIndex, issues);
    if (typeof fl.size !== 'number' || !(fl.size >= 0) || !(fl.size <= MAX_FLOW_SIZE)) {
      issues.add(`${p}.size`, `must be a number of bytes in [0, 2^53], got ${describe(fl.size)}`);
    } else size[f] = fl.size;
    if (typeof fl.start !== 'number' || !(fl.start >= 0) || !Number.isFinite(fl.start)) {
      issues.add(`${p}.start`, `must be a start time in seconds, a finite number >= 0, got ${describe(fl.start)}`);
    } else start[f] = fl.start;
  }
  routeStart[nF] = routes.count;
  return { flowIds, routeStart, routes, size, start };
}

/** All flows' routes flattened into one growing array of link indices; a route crosses each link at most once. */
class Routes {
  links: Int32Array<ArrayBufferLike>;
  count = 0;
  /** inRoute[l]: the last flow whose route holds link l (-1: none). */
  private readonly inRoute: Int32Array;

  constructor(nFlows: number, nLinks: number) {
    this.links = new Int32Array(Math.max(16, nFlows * 4));
    this.inRoute = new Int32Array(nLinks).fill(-1);
  }

  /** Appends flow f's `route` (at path p), recording an issue for each bad, unknown or repeated link. */
  add(route: unknown, f: number, p: string, linkIndex: ReadonlyMap<string, number>, issues: IssueList): void {
    if (!Array.isArray(route) || route.length === 0) {
      issues.add(`${p}.route`, `must be a non-empty array of link ids, got ${describe(route)}`);
      return;
    }
    this.reserve(route.length);
    for (let k = 0; k < route.length; k++) {
      const id = route[k];
      const l = typeof id === 'string' ? linkIndex.get(id) : undefined;
      if (l === undefined) {
        issues.add(`${p}.route[${k}]`, typeof id === 'string' ? `unknown link id "${id}"` : `must be a link id string, got ${describe(id)}`);
        continue;
      }
      if (this.inRoute[l] === f) {
        issues.add(`${p}.route[${k}]`, `link "${id}" appears twice in the route (a route crosses each link at most once)`);
        continue;
      }
      this.inRoute[l] = f;
      this.links[this.count++] = l;
    }
  }

  /** Grows the array to hold `more` links after the current ones. */
  private reserve(more: number): void {
    this.links = grownTo(this.links, this.count + more);
  }
}
