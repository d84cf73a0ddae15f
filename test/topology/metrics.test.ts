// The topology summary's long stages announce themselves, in order, and the diameter's searches
// count their progress, so `fairway topo` can say which one runs and how long it has left.
import { describe, expect, test } from 'vitest';
import { loadTopologySpec } from '../../src/io/topology-source.js';
import { buildTopology } from '../../src/topology/build.js';
import { summarize } from '../../src/topology/metrics.js';
import { Router } from '../../src/topology/routing/router.js';

describe('summarize', () => {
  test('tells its caller before the bisection max flow, then before the diameter searches', () => {
    const spec = loadTopologySpec('fat-tree:k=4');
    const topo = buildTopology(spec);
    const stages: string[] = [];
    const counts: [number, number][] = [];
    const s = summarize(topo, new Router(topo, spec.seed), (stage, done, total) => (done === undefined ? stages.push(stage) : counts.push([done, total!])));
    expect(stages.map((x) => x.split(' ')[0])).toEqual(['bisection', 'diameter']);
    // then the diameter's profile pairs as they are searched, one report per row of pairs, ending at all of them
    expect(counts.length).toBeGreaterThan(1);
    expect(counts.at(-1)![0]).toBe(counts.at(-1)![1]);
    expect(counts.every(([d], i) => i === 0 || d > counts[i - 1][0])).toBe(true);
    // k = 4: 16 hosts; the diameter is host–edge–aggregation–core–aggregation–edge–host
    expect(s.nodes.accelerator).toBe(16);
    expect(s.diameterHops).toBeGreaterThan(0);
  });
});
