// The topology summary's long stages announce themselves, in order, so `fairway topo` can say
// which one runs on a large topology.
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
    const s = summarize(topo, new Router(topo, spec.seed), (stage) => stages.push(stage));
    expect(stages.map((x) => x.split(' ')[0])).toEqual(['bisection', 'diameter']);
    // k = 4: 16 hosts; the diameter is host–edge–aggregation–core–aggregation–edge–host
    expect(s.nodes.accelerator).toBe(16);
    expect(s.diameterHops).toBeGreaterThan(0);
  });
});
