// Kernel launches on the host thread: one task per launch of `kernels` × the launch cost; in
// CUDA-graph mode one launch per rank and iteration that every kernel waits for; none at all
// when launching is free.
import { describe, expect, test } from 'vitest';
import { TransferDag } from '../../src/graph/index.js';
import { HostThreads } from '../../src/host/host-thread.js';
import { KernelLaunches, LAUNCH_TASK } from '../../src/host/kernel-launches.js';

function setup(launchSec: number, graph: boolean) {
  const dag = new TransferDag();
  const tags: number[][] = [];
  const thread = new HostThreads(dag, [0, 1], (r, _id, op, it) => tags.push([r, op, it]));
  return { dag, tags, thread, launches: new KernelLaunches(thread, launchSec, graph) };
}

describe('kernel launches', () => {
  test('per kernel: a launch task of kernels × launch cost, in program order on the thread', () => {
    const { dag, tags, launches } = setup(5e-6, false);
    launches.beginIteration(2, 0);
    expect(dag.size).toBe(0);
    const first = launches.launch(0, 3, 0);
    const second = launches.launch(0, 1, 0);
    expect(Array.from(dag.work)).toEqual([3 * 5e-6, 5e-6]);
    expect(Array.from(dag.depFrom)).toEqual([first]);
    expect(Array.from(dag.depTo)).toEqual([second]);
    expect(tags).toEqual([[0, LAUNCH_TASK, 0], [0, LAUNCH_TASK, 0]]);
  });

  test('graph mode: one launch per rank at the start of the iteration; kernels wait for the thread', () => {
    const { dag, tags, thread, launches } = setup(5e-6, true);
    launches.beginIteration(2, 7);
    expect(Array.from(dag.work)).toEqual([5e-6, 5e-6]);
    expect(tags).toEqual([[0, LAUNCH_TASK, 7], [1, LAUNCH_TASK, 7]]);
    expect(launches.launch(1, 4, 7)).toBe(1);
    // host work after the launch: later kernels wait for it (the thread's last task)
    const work = thread.run(1, 1e-3, [], 0, 7);
    expect(launches.launch(1, 1, 7)).toBe(work);
    expect(dag.size).toBe(3);
  });

  test('free launches add nothing and hold nothing back', () => {
    for (const graph of [false, true]) {
      const { dag, launches } = setup(0, graph);
      launches.beginIteration(2, 0);
      expect(launches.launch(0, 8, 0)).toBe(-1);
      expect(dag.size).toBe(0);
    }
  });
});
