// Reads and validates a flow problem (the format of ../shared/peers/simgrid):
//   {"links":[{"id","bw","lat"}], "flows":[{"id","route":[link ids],"size","start"}]}
// bw in bytes/s (> 0), lat and start in seconds (>= 0), size in bytes (>= 0). Other top-level
// keys (meta, description, expected) are ignored. The result is compact (typed arrays, routes
// flattened) so that a million flows fit comfortably in memory.
import { FairwayError, IssueList } from '../core/errors.js';
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

  const nL = links!.length;
  const linkIds: string[] = new Array(nL);
  const bw = new Float64Array(nL), lat = new Float64Array(nL);
  const linkIndex = new Map<string, number>();
  for (let i = 0; i < nL; i++) {
    const l = links![i], p = `links[${i}]`;
    if (!isObject(l)) {
      issues.add(p, `must be an object {"id","bw","lat"}, got ${describe(l)}`);
      continue;
    }
    if (typeof l.id !== 'string' || l.id === '') issues.add(`${p}.id`, `must be a non-empty string, got ${describe(l.id)}`);
    else if (linkIndex.has(l.id)) issues.add(`${p}.id`, `duplicate link id "${l.id}" (first at links[${linkIndex.get(l.id)}])`);
    else linkIndex.set(l.id, i);
    linkIds[i] = String(l.id);
    if (typeof l.bw !== 'number' || !(l.bw > 0) || !Number.isFinite(l.bw)) {
      issues.add(`${p}.bw`, `must be a bandwidth in bytes/s, a finite number > 0, got ${describe(l.bw)}`);
    } else bw[i] = l.bw;
    if (typeof l.lat !== 'number' || !(l.lat >= 0) || !Number.isFinite(l.lat)) {
      issues.add(`${p}.lat`, `must be a latency in seconds, a finite number >= 0 (use 0 for none), got ${describe(l.lat)}`);
    } else lat[i] = l.lat;
  }

  const nF = flows!.length;
  const flowIds: string[] = new Array(nF);
  const seen = new Map<string, number>();
  const routeStart = new Int32Array(nF + 1);
  let routeLinks = new Int32Array(Math.max(16, nF * 4));
  let nRoute = 0;
  const size = new Float64Array(nF), start = new Float64Array(nF);
  const inRoute = new Int32Array(nL).fill(-1);
  for (let f = 0; f < nF; f++) {
    routeStart[f] = nRoute;
    const fl = flows![f], p = `flows[${f}]`;
    if (!isObject(fl)) {
      issues.add(p, `must be an object {"id","route","size","start"}, got ${describe(fl)}`);
      continue;
    }
    if (typeof fl.id !== 'string' || fl.id === '') issues.add(`${p}.id`, `must be a non-empty string, got ${describe(fl.id)}`);
    else if (seen.has(fl.id)) issues.add(`${p}.id`, `duplicate flow id "${fl.id}" (first at flows[${seen.get(fl.id)}])`);
    else seen.set(fl.id, f);
    flowIds[f] = String(fl.id);
    const route = fl.route;
    if (!Array.isArray(route) || route.length === 0) {
      issues.add(`${p}.route`, `must be a non-empty array of link ids, got ${describe(route)}`);
    } else {
      if (nRoute + route.length > routeLinks.length) {
        const grown = new Int32Array(Math.max(routeLinks.length * 2, nRoute + route.length));
        grown.set(routeLinks);
        routeLinks = grown;
      }
      for (let k = 0; k < route.length; k++) {
        const id = route[k];
        const l = typeof id === 'string' ? linkIndex.get(id) : undefined;
        if (l === undefined) {
          issues.add(`${p}.route[${k}]`, typeof id === 'string' ? `unknown link id "${id}"` : `must be a link id string, got ${describe(id)}`);
          continue;
        }
        if (inRoute[l] === f) {
          issues.add(`${p}.route[${k}]`, `link "${id}" appears twice in the route (a route crosses each link at most once)`);
          continue;
        }
        inRoute[l] = f;
        routeLinks[nRoute++] = l;
      }
    }
    if (typeof fl.size !== 'number' || !(fl.size >= 0) || !(fl.size <= MAX_FLOW_SIZE)) {
      issues.add(`${p}.size`, `must be a number of bytes in [0, 2^53], got ${describe(fl.size)}`);
    } else size[f] = fl.size;
    if (typeof fl.start !== 'number' || !(fl.start >= 0) || !Number.isFinite(fl.start)) {
      issues.add(`${p}.start`, `must be a start time in seconds, a finite number >= 0, got ${describe(fl.start)}`);
    } else start[f] = fl.start;
  }
  routeStart[nF] = nRoute;
  issues.throwIfAny(source);
  return {
    linkIds,
    linkBandwidth: bw,
    linkLatency: lat,
    flowIds,
    routeStart,
    routeLinks: routeLinks.slice(0, nRoute),
    flowSize: size,
    flowStart: start,
  };
}
