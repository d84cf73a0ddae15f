// The DAG runner: dependencies, α and route latency, sharing, and cycles.
import { describe, expect, test } from 'vitest';
import { TransferDag } from '../../src/graph/index.js';
import { createEngine } from '../../src/engine/index.js';
import { runDag } from '../../src/sim/dag-runner.js';
import { NetworkResources } from '../../src/topology/network-resources.js';
import { Router } from '../../src/topology/routing/router.js';
import { id, topologyOf } from '../helpers/topologies.js';

// a —(10 GB/s, 1 µs)— sw —(10 GB/s, 1 µs)— b
function line() {
  const topo = topologyOf({
    nodes: [{ id: 'a', kind: 'accelerator' }, { id: 'b', kind: 'accelerator' }, { id: 'sw', kind: 'switch' }],
    links: [{ a: 'a', b: 'sw', bandwidth: 10e9, latency: '1us' }, { a: 'b', b: 'sw', bandwidth: 10e9, latency: '1us' }],
  });
  const engine = createEngine('wasm');
  return { topo, engine, net: new NetworkResources(engine, topo), router: new Router(topo) };
}

describe('runDag', () => {
  test("a transfer's bound caps its rate below its links'; the rest of the link goes to others", () => {
    // a→b, 1 GB on 10 GB/s links: bound at 2 GB/s it takes 0.5 s (+2 µs latency). A second,
    // unbounded a→b transfer of 1 GB gets the other 8 GB/s while both run: it has 1 GB in 0.125 s.
    const { topo, engine, net, router } = line();
    const dag = new TransferDag();
    dag.transfer(0, id(topo, 'a'), id(topo, 'b'), 1e9, 0, 0, [], 1, 2e9);
    dag.transfer(0, id(topo, 'a'), id(topo, 'b'), 1e9, 1, 0);
    const r = runDag(dag, engine, net, router);
    expect(r.finishSec[0]).toBeCloseTo(0.5 + 2e-6, 12);
    expect(r.finishSec[1]).toBeCloseTo(0.125 + 2e-6, 12);
  });

  test('a dependent transfer starts when its dependency finishes, after α and route latency', () => {
    // op0: a→b 1 GB: starts 0, active after 2 µs latency, 0.1 s at 10 GB/s → 0.100002.
    // op1: b→a 1 GB after op0 with α 3 µs: finishes 0.100002 + 3 µs + 2 µs + 0.1 = 0.200007.
    const { topo, engine, net, router } = line();
    const dag = new TransferDag();
    const op0 = dag.transfer(0, id(topo, 'a'), id(topo, 'b'), 1e9, 0, 0);
    dag.transfer(1, id(topo, 'b'), id(topo, 'a'), 1e9, 0, 3e-6, [op0]);
    const r = runDag(dag, engine, net, router);
    expect(r.finishSec[0]).toBeCloseTo(0.100002, 12);
    expect(r.startSec[1]).toBeCloseTo(0.100002, 12);
    expect(r.makespanSec).toBeCloseTo(0.200007, 12);
  });

  test('independent transfers in the same direction share the links max-min', () => {
    // two 1 GB a→b transfers at once: 5 GB/s each, both end at 2 µs + 0.2 s.
    const { topo, engine, net, router } = line();
    const dag = new TransferDag();
    dag.transfer(0, id(topo, 'a'), id(topo, 'b'), 1e9, 0, 0);
    dag.transfer(0, id(topo, 'a'), id(topo, 'b'), 1e9, 1, 0);
    const r = runDag(dag, engine, net, router);
    expect(Array.from(r.finishSec)).toEqual([expect.closeTo(0.200002, 12), expect.closeTo(0.200002, 12)]);
  });

  test('a dependency cycle is an input error, not a hang', () => {
    const { topo, engine, net, router } = line();
    const dag = new TransferDag();
    const x = dag.transfer(0, id(topo, 'a'), id(topo, 'b'), 1, 0, 0, [1]);
    dag.transfer(0, id(topo, 'b'), id(topo, 'a'), 1, 0, 0, [x]);
    expect(() => runDag(dag, engine, net, router)).toThrow(/cycle: 2 operations can never start/);
  });
});
