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
        'ops[0].type: must be one of compute, collective, memcpy, cpu, input, send, recv, got "kernel"',
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
    // beyond these an operation's times overflow (bytes: 1e300 ended in 'a cycle: -15 operations'; found by the fuzz suite, issue 19)
    expect(problems({ launch: '2s', ops: [{ id: 'a', type: 'collective', op: 'all_reduce', bytes: 1e300 }, { id: 'b', type: 'compute', flops: 1e30, seconds: 1e7 }] })).toEqual([
      'ops[0].bytes: must be at most 1 PiB (1125899906842624 bytes), got 1e+300',
      'ops[1].flops: must be at most 1e24 FLOPs, got 1e+30',
      'ops[1].seconds: must be at most 1e6 s, got 10000000',
      'launch: must be at most 1 s, got "2s"',
    ]);
  });

  test('a dependency cycle is reported with its members', () => {
    const found = problems({ ops: [{ id: 'a', type: 'cpu', seconds: '1us', after: ['c'] }, { id: 'b', type: 'cpu', seconds: '1us', after: ['a'] }, { id: 'c', type: 'cpu', seconds: '1us', after: ['b'] }] });
    expect(found).toEqual(['ops: dependency cycle: a → c → b → a; break it by removing one "after"']);
  });

  test('rank lists, groups, overrides, peers and classes are read; send/recv default to their own streams', () => {
    const w = parseWorkload({
      ops: [
        { id: 'k', type: 'compute', flops: 1e12, class: 'gemm', ranks: '0-2,5', overrides: [{ ranks: [1], flops: 2e12 }] },
        { id: 's', type: 'send', peer: 1, bytes: '1MB', group: { size: 4, stride: 2 } },
        { id: 'r', type: 'recv', peer: -1, bytes: '1MB', group: { size: 4, stride: 2 } },
        { id: 'in', type: 'input', samples: 8, bytes: '100KB', decode: '1ms', prefetch: 3 },
      ],
    });
    expect(w.ops[0]).toMatchObject({ ranks: [0, 1, 2, 5], kernelClass: 'gemm', overrides: [{ ranks: [1], flops: 2e12 }] });
    expect(w.ops.slice(1, 3).map((o) => [o.stream, o.peer, o.group])).toEqual([['send', 1, { size: 4, stride: 2 }], ['recv', -1, { size: 4, stride: 2 }]]);
    expect(w.ops[3].prefetch).toBe(3);
  });

  test('misplaced or malformed fields of the new operations name their paths', () => {
    expect(
      problems({
        ops: [
          { id: 's', type: 'send', bytes: 8 },
          { id: 'k', type: 'compute', flops: 1, group: { size: 2 }, prefetch: 2, peer: 1, class: 'fft', ranks: '3-1' },
          { id: 'c', type: 'collective', bytes: 8, group: { stride: 2 }, overrides: [{ flops: 1 }] },
          { id: 'e', type: 'compute', flops: 1, efficiency: 1.5 },
          { id: 'i', type: 'input', samples: 8, bytes: '100KB', decode: '1ms', overrides: [{ ranks: [0], flops: 1 }] },
        ],
      }),
    ).toEqual(
      expect.arrayContaining([
        "ops[0].peer: required: the partner's offset within the group, e.g. 1 (next rank) or -1 (previous)",
        'ops[1].group: only collectives, send, recv and peer copies run in groups',
        'ops[1].prefetch: only input operations prefetch',
        'ops[1].peer: only send, recv and peer copies (direction: peer) have a peer',
        expect.stringMatching(/^ops\[1\]\.class: must be one of roofline, gemm, attention, elementwise/),
        'ops[1].ranks: must be a list of ranks such as [0, 1, 2] or "0-3,8", got "3-1"',
        'ops[2].group.size: required: ranks per group',
        'ops[2].overrides[0].ranks: required: the ranks these values apply to',
        'ops[3].efficiency: must be a number in (0, 1], got 1.5',
        'ops[4].overrides[0].flops: unknown field; expected one of: ranks, bytes, decode, samples',
      ]),
    );
  });
});
