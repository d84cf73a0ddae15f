// Field paths of sweep overrides: parsing, setting without touching the original, and errors.
import { describe, expect, test } from 'vitest';
import { parsePath, withPath } from '../../src/sweep/paths.js';

describe('sweep paths', () => {
  test('dots and list indices', () => {
    expect(parsePath('topology.servers[0].pcie[3].bandwidth')).toEqual(['topology', 'servers', 0, 'pcie', 3, 'bandwidth']);
    for (const bad of ['', '.a', 'a..b', '[0].a', 'a[x]', 'a.b.']) expect(() => parsePath(bad)).toThrow(/is not a field path/);
    for (const reserved of ['workload.__proto__.iterations', 'topology.constructor.prototype']) expect(() => parsePath(reserved)).toThrow(/names a reserved field/);
  });

  test('a copy is changed, missing objects are created, the original is left alone', () => {
    const base = { topology: { servers: [{ template: 'dgx-h100' }] }, collective: { op: 'all_reduce' } };
    const changed = withPath(base, 'topology.servers[0].scaleUp.bandwidth', '900GB/s');
    expect(changed.topology).toEqual({ servers: [{ template: 'dgx-h100', scaleUp: { bandwidth: '900GB/s' } }] });
    expect(base.topology.servers[0]).toEqual({ template: 'dgx-h100' });
    expect(withPath(base, 'collective.op', 'all_gather').collective).toEqual({ op: 'all_gather' });
  });

  test('null removes a field (the file then gives its default), leaving the original alone', () => {
    const base = { serve: { disaggregated: { prefill: { instances: 1, tp: 8 } }, model: 'llama3-70b' } };
    expect(withPath(base, 'serve.disaggregated', null)).toEqual({ serve: { model: 'llama3-70b' } });
    expect(base.serve.disaggregated).toEqual({ prefill: { instances: 1, tp: 8 } });
    // a missing field stays missing, and so do its missing parents
    expect(withPath(base, 'serve.router', null)).toEqual(base);
    expect(withPath(base, 'serve.scheduler.preset', null)).toEqual(base);
  });

  test('an index past the list or a field under a value is an error naming where', () => {
    const base = { topology: { servers: [{ template: 'dgx-h100' }], name: 'x' } };
    expect(() => withPath(base, 'topology.servers[2].count', 4)).toThrow(/topology\.servers\[2\] does not exist \(the list has 1 items\)/);
    expect(() => withPath(base, 'topology.name.first', 4)).toThrow(/cannot set topology\.name\.first, its parent is not an object/);
  });
});
