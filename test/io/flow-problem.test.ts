// Validation of flow-problem files: every problem is reported with its path, all at once.
import { describe, expect, test } from 'vitest';
import { FairwayError } from '../../src/core/errors.js';
import { parseFlowProblemText } from '../../src/io/flow-problem.js';

function issuesOf(doc: unknown): string[] {
  try {
    parseFlowProblemText(typeof doc === 'string' ? doc : JSON.stringify(doc));
  } catch (e) {
    expect(e).toBeInstanceOf(FairwayError);
    expect((e as FairwayError).code).toBe('E_INPUT');
    return (e as FairwayError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error('expected a FairwayError');
}

const link = (id: string, bw = 10, lat = 0) => ({ id, bw, lat });

describe('flow problem parsing', () => {
  test('a valid problem becomes compact arrays', () => {
    const p = parseFlowProblemText(JSON.stringify({
      meta: { ignored: true },
      links: [link('l0', 100, 1e-6), link('l1', 50)],
      flows: [{ id: 'f0', route: ['l1', 'l0'], size: 1000, start: 0.5 }, { id: 'f1', route: ['l0'], size: 0, start: 0 }],
    }));
    expect(p.linkIds).toEqual(['l0', 'l1']);
    expect([...p.linkBandwidth]).toEqual([100, 50]);
    expect([...p.routeLinks]).toEqual([1, 0, 0]);
    expect([...p.routeStart]).toEqual([0, 2, 3]);
    expect([...p.flowSize]).toEqual([1000, 0]);
  });

  test('non-JSON is one clear error', () => {
    expect(issuesOf('{"links": [')[0]).toMatch(/^: not valid JSON/);
  });

  test('missing top-level arrays', () => {
    expect(issuesOf({ links: [] })).toEqual(['flows: must be an array of {"id","route","size","start"}, got missing']);
    expect(issuesOf([1])[0]).toMatch(/expected an object/);
    // an object whose toString is not a function is described, never converted
    expect(issuesOf({ links: [], flows: { toString: 1 } })).toEqual(['flows: must be an array of {"id","route","size","start"}, got an object']);
  });

  test('bad links: every field checked, all problems reported', () => {
    const issues = issuesOf({ links: [{ id: 'a', bw: 0, lat: 0 }, { id: 'a', bw: -5, lat: -1 }, { bw: 1, lat: 0 }, { id: 'tiny', bw: 1e-300, lat: 0 }], flows: [] });
    expect(issues).toEqual([
      'links[0].bw: must be a bandwidth in bytes/s, a finite number ≥ 1, got number 0',
      'links[1].id: duplicate link id "a" (first at links[0])',
      'links[1].bw: must be a bandwidth in bytes/s, a finite number ≥ 1, got number -5',
      'links[1].lat: must be a latency in seconds, a finite number >= 0 (use 0 for none), got number -1',
      'links[2].id: must be a non-empty string, got missing',
      // below 1 byte/s a 2^53-byte flow would outlast a double (it used to pass here, then stall in the engine naming no field)
      'links[3].bw: must be a bandwidth in bytes/s, a finite number ≥ 1, got number 1e-300',
    ]);
  });

  test('bad flows: unknown and repeated links, empty route, sizes, starts, duplicate ids', () => {
    const issues = issuesOf({
      links: [link('l0')],
      flows: [
        { id: 'f', route: ['l0', 'nope'], size: 1, start: 0 },
        { id: 'f', route: [], size: -1, start: 0 },
        { id: 'g', route: ['l0', 'l0'], size: 2 ** 60, start: 'soon' },
      ],
    });
    expect(issues).toEqual([
      'flows[0].route[1]: unknown link id "nope"',
      'flows[1].id: duplicate flow id "f" (first at flows[0])',
      'flows[1].route: must be a non-empty array of link ids, got an empty array',
      'flows[1].size: must be a number of bytes in [0, 2^53], got number -1',
      'flows[2].route[1]: link "l0" appears twice in the route (a route crosses each link at most once)',
      'flows[2].size: must be a number of bytes in [0, 2^53], got number 1152921504606847000',
      'flows[2].start: must be a start time in seconds, a finite number >= 0, got the string "soon"',
    ]);
  });

  test('the number of listed problems is capped but the total is counted', () => {
    const flows = Array.from({ length: 80 }, (_, i) => ({ id: `f${i}`, route: ['x'], size: 1, start: 0 }));
    try {
      parseFlowProblemText(JSON.stringify({ links: [link('l0')], flows }));
    } catch (e) {
      expect((e as FairwayError).message).toMatch(/80 problems \(showing the first 50\)/);
      expect((e as FairwayError).issues).toHaveLength(50);
      return;
    }
    throw new Error('expected an error');
  });
});
