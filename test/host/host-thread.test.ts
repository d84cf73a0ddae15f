// A rank's host thread: its tasks form one serial chain on the rank's socket, each after its
// given dependencies and the thread's previous task; ranks' threads are independent; every task
// is reported to the hook with its tags.
import { describe, expect, test } from 'vitest';
import { OP_CPU, TransferDag } from '../../src/graph/index.js';
import { HostThreads } from '../../src/host/host-thread.js';

const edges = (dag: TransferDag) => Array.from(dag.depFrom, (f, e) => [f, dag.depTo[e]]);

describe('host threads', () => {
  test('tasks of one rank run one after another; another rank has its own thread', () => {
    const dag = new TransferDag();
    const seen: number[][] = [];
    const threads = new HostThreads(dag, [10, 20], (r, id, op, it) => seen.push([r, id, op, it]));
    const before = dag.delay(0, 0);
    expect(threads.last(0)).toBe(-1);
    const a = threads.run(0, 1e-6, [], -1, 0);
    const b = threads.run(0, 2e-6, [before], 3, 0);
    const c = threads.run(1, 3e-6, [], 4, 1);
    expect([a, b, c]).toEqual([1, 2, 3]);
    expect(Array.from(dag.kind.subarray(1))).toEqual([OP_CPU, OP_CPU, OP_CPU]);
    // each on its rank's socket, taking its core-seconds
    expect(Array.from(dag.src.subarray(1))).toEqual([10, 10, 20]);
    expect(Array.from(dag.work.subarray(1))).toEqual([1e-6, 2e-6, 3e-6]);
    // b waits for its dependency, then for a; c waits for nothing (rank 1's first task)
    expect(edges(dag)).toEqual([[before, b], [a, b]]);
    expect([threads.last(0), threads.last(1)]).toEqual([b, c]);
    expect(seen).toEqual([[0, a, -1, 0], [0, b, 3, 0], [1, c, 4, 1]]);
  });
});
