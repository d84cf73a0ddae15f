// Workload files: defaults, and every problem with its path (unknown types, dangling
// dependencies, cycles named with their members).
import { describe, expect, test } from 'vitest';
import { parseWorkload } from '../../src/io/workload-file.js';
import { problems as thrown } from '../helpers/problems.js';

const problems = (doc: unknown): string[] => thrown(() => parseWorkload(doc));

describe('workload files', () => {
  test('defaults: one iteration, 5 µs launches, streams by type', () => {
    const w = parseWorkload({ ops: [{ id: 'a', type: 'compute', flops: '2e12' }, { id: 'b', type: 'collective', bytes: '1GiB', after: 'a' }] });
    expect(w.iterations).toBe(1);
    expect(w.launchSec).toBeCloseTo(5e-6, 20);
    expect(w.ops.map((o) => [o.stream, o.after])).toEqual([['compute', []], ['comm', ['a']]]);
    expect(w.ops[1].bytes).toBe(2 ** 30);
  });

  test('unknown types and fields, missing sizes and dangling dependencies are all listed', () => {
    expect(problems({ ops: [{ id: 'a', type: 'kernel' }, { id: 'b', type: 'memcpy', after: ['zz'], colour: 1 }] })).toEqual(
      expect.arrayContaining([
        'ops[0].type: must be one of compute, collective, memcpy, cpu, input, got "kernel"',
        'ops[1].bytes: required',
        expect.stringMatching(/^ops\[1\]\.colour: unknown field/),
        'ops[1].after[0]: unknown operation "zz"',
      ]),
    );
  });

  test('a 20,000-deep dependency chain is read without recursion limits; a bad algorithm names its field', () => {
    const ops = Array.from({ length: 20000 }, (_, i) => ({ id: `k${i}`, type: 'cpu', seconds: '1us', after: i < 19999 ? [`k${i + 1}`] : [] }));
    expect(parseWorkload({ ops }).ops.length).toBe(20000);
    expect(problems({ ops: [{ id: 'a', type: 'collective', op: 'alltoall', bytes: 8, algo: 'ring' }] })).toEqual(['ops[0].algo: alltoall supports direct, pairwise or auto, got "ring"']);
  });

  test('a dependency cycle is reported with its members', () => {
    const found = problems({ ops: [{ id: 'a', type: 'cpu', seconds: '1us', after: ['c'] }, { id: 'b', type: 'cpu', seconds: '1us', after: ['a'] }, { id: 'c', type: 'cpu', seconds: '1us', after: ['b'] }] });
    expect(found).toEqual(['ops: dependency cycle: a → c → b → a; break it by removing one "after"']);
  });
});
