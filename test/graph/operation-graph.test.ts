// The operation graph: one column schema for the growable graph and the shared-memory writer,
// `work` in each kind's unit, and release edges (a hold ends when another op finishes) that
// survive appending one graph into another.
import { describe, expect, it } from 'vitest';
import { OP_FIELDS } from '../../src/graph/columns.js';
import { OP_COMPUTE, OP_HOLD, OP_KINDS, OP_TRANSFER } from '../../src/graph/op-kinds.js';
import { TransferDag } from '../../src/graph/operation-graph.js';
import { SharedWriter, sharedColumns } from '../../src/graph/shared-columns.js';

describe('operation graph', () => {
  it('the shared writer and the growable graph write the same columns, the same values', () => {
    const dag = new TransferDag();
    const a = dag.transfer(0, 1, 2, 1e6, 3, 1e-6, [], 2);
    dag.delay(1, 5e-6, [a]);
    const cols = sharedColumns(2, 1);
    const w = new SharedWriter(cols, 0, 0);
    w.delay(1, 5e-6, [w.transfer(0, 1, 2, 1e6, 3, 1e-6, [], 2)]);
    expect(Object.keys(cols).sort()).toEqual([...Object.keys(OP_FIELDS), 'depFrom', 'depTo'].sort());
    for (const f of Object.keys(OP_FIELDS) as (keyof typeof OP_FIELDS)[]) expect(Array.from(cols[f].subarray(0, 2)), f).toEqual(Array.from(dag[f]));
    expect([cols.depFrom[0], cols.depTo[0]]).toEqual([0, 1]);
  });

  it('work holds each kind\'s unit; every kind says what its columns mean', () => {
    const dag = new TransferDag();
    dag.transfer(0, 1, 2, 4096, 0, 0);
    dag.compute(0, 1, 2e12, 3e9);
    expect(Array.from(dag.work)).toEqual([4096, 2e12]);
    expect(Array.from(dag.memBytes)).toEqual([0, 3e9]);
    expect([OP_KINDS[OP_TRANSFER].workUnit, OP_KINDS[OP_COMPUTE].workUnit]).toEqual(['bytes (memBytes: operand bytes a sending switch reduced)', 'FLOPs (and memBytes through HBM)']);
    // a switch's reduced share records the operand bytes its reduction units added
    const r = dag.reducedTransfer(0, 2, 1, 1000, 7000, 0, 0);
    expect([dag.kind[r], dag.src[r], dag.dst[r], dag.work[r], dag.memBytes[r]]).toEqual([OP_TRANSFER, 2, 1, 1000, 7000]);
    expect(OP_KINDS.filter((k) => k.released).map((k) => k.name)).toEqual(['hold']);
  });

  it('a hold is released by an edge, not by its dst; appending shifts release edges with the ops', () => {
    const sub = new TransferDag();
    const k = sub.compute(0, 5, 1e12, 0);
    const h = sub.hold(0, 5, 0.25, [], k);
    expect([sub.kind[h], sub.src[h], sub.dst[h], sub.work[h]]).toEqual([OP_HOLD, 5, 5, 0.25]);
    expect(sub.releaseEdges).toEqual([k, h]);
    const dag = new TransferDag();
    const start = dag.delay(0, 0);
    dag.append(sub, start);
    expect(dag.releaseEdges).toEqual([1 + k, 1 + h]);
  });
  it('clear() empties a graph for reuse: rebuilt, it holds exactly what a fresh graph would', () => {
    const build = (d: TransferDag) => {
      const k = d.compute(0, 5, 1e12, 0);
      d.hold(0, 5, 0.25, [], k);
      d.delay(1, 2e-6, [d.transfer(1, 2, 3, 4096, 1, 1e-6, [k])]);
      return d;
    };
    const used = build(new TransferDag());
    used.transfer(0, 7, 8, 1e9, 0, 0); // more than the rebuild has: must not survive clear()
    const again = build(used.clear());
    const fresh = build(new TransferDag());
    expect(again.size).toBe(4);
    for (const f of [...Object.keys(OP_FIELDS), 'depFrom', 'depTo'] as (keyof typeof OP_FIELDS | 'depFrom' | 'depTo')[]) expect(Array.from(again[f]), f).toEqual(Array.from(fresh[f]));
    expect(again.releaseEdges).toEqual(fresh.releaseEdges);
  });
});
