// The op-expander registry: every workload op type has exactly one expander, and each type's
// part of the plan (rank groups, prefetch depth) is its own.
import { describe, expect, test } from 'vitest';
import { parseWorkload } from '../../../src/io/workload-file.js';
import { expanderOf, OP_EXPANDERS } from '../../../src/workload/ops/index.js';
import { WORKLOAD_OP_TYPES, type WorkloadOpType } from '../../../src/workload/spec.js';

const opOf = (o: Record<string, unknown>) => parseWorkload({ ops: [{ id: 'x', ...o }] }).ops[0];

describe('op expanders', () => {
  test('every workload op type has an expander, and nothing else does', () => {
    expect(Object.keys(OP_EXPANDERS).sort()).toEqual([...WORKLOAD_OP_TYPES].sort());
    for (const t of WORKLOAD_OP_TYPES) expect(typeof expanderOf(t).expand).toBe('function');
  });

  test('an unknown type is refused by name', () => {
    expect(() => expanderOf('barrier' as WorkloadOpType)).toThrow(/unknown workload op type "barrier"/);
    expect(() => expanderOf('toString' as WorkloadOpType)).toThrow(/unknown workload op type/);
  });

  test('collectives group the ranks they run on; send, recv and peer copies the whole group', () => {
    const group = { size: 2, stride: 1 };
    const groupsOf = (o: Record<string, unknown>) => {
      const op = opOf(o);
      return expanderOf(op.type).groups?.(op, 4, 'ops.x') ?? [];
    };
    expect(groupsOf({ type: 'collective', op: 'all_reduce', bytes: 8, group, ranks: [0, 1, 2] })).toEqual([[0, 1], [2]]);
    expect(groupsOf({ type: 'send', peer: 1, bytes: 8, group, ranks: [0, 1, 2] })).toEqual([[0, 1], [2, 3]]);
    expect(groupsOf({ type: 'memcpy', direction: 'peer', peer: 1, bytes: 8, group })).toEqual([[0, 1], [2, 3]]);
    expect(groupsOf({ type: 'memcpy', direction: 'h2d', bytes: 8 })).toEqual([]);
    expect(groupsOf({ type: 'compute', flops: 1 })).toEqual([]);
  });

  test('only input operations load ahead', () => {
    const input = opOf({ type: 'input', workers: 1, samples: 1, bytes: 8, decode: '1ms', prefetch: 3 });
    expect(expanderOf('input').prefetch?.(input)).toBe(3);
    expect(WORKLOAD_OP_TYPES.filter((t) => OP_EXPANDERS[t].prefetch)).toEqual(['input']);
  });
});
