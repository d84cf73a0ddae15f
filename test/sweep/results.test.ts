// Sweep result files: msgpack streams and CSV read back and written again byte for byte;
// merging sorts by point and refuses points from different sweeps.
import { describe, expect, test } from 'vitest';
import { decodeRecords, encodeRecords, mergeRecords, pointKey, type SweepRecord } from '../../src/sweep/results.js';
import { sweepPoints } from '../../src/sweep/spec.js';

const records: SweepRecord[] = [
  { index: 0, point: { 'collective.algo': 'ring', 'topology.fabric.oversubscription': 1 }, ok: true, metrics: { timeUs: 174359.584238383, algo: 'ring' } },
  { index: 1, point: { 'collective.algo': 'tree, "fast"', 'topology.fabric.oversubscription': 3 }, ok: false, error: 'ranks: need 2 to 8 ranks,\nnot 9' },
];

describe('sweep results', () => {
  test.each(['msgpack', 'csv'] as const)('%s: decode then encode gives the same bytes', (format) => {
    const data = encodeRecords(records, format);
    const bytes = Buffer.from(data as string | Uint8Array);
    const back = decodeRecords(bytes, format, 'x');
    expect(Buffer.from(encodeRecords(back, format) as string | Uint8Array).equals(bytes)).toBe(true);
    expect(back.map((r) => [r.index, r.ok, r.error])).toEqual([[0, true, undefined], [1, false, 'ranks: need 2 to 8 ranks,\nnot 9']]);
    // numbers come back as numbers from CSV too, so CSV and msgpack inputs merge alike
    expect(back).toEqual(records);
  });

  test('merge: point order, a success replaces a failure, different overrides are refused', () => {
    const ok1: SweepRecord = { ...records[1], ok: true, error: undefined, metrics: { timeUs: 1 } };
    expect(mergeRecords([[records[1]], [ok1, records[0]]], 'm').map((r) => [r.index, r.ok])).toEqual([[0, true], [1, true]]);
    const other: SweepRecord = { ...records[0], point: { 'collective.algo': 'tree' } };
    expect(() => mergeRecords([[records[0]], [other]], 'm')).toThrow(/point 0 has different overrides/);
  });

  test('a point is the same whatever order it lists its keys in, and whether its values came back from CSV as text (issue 19, item 12)', () => {
    expect(pointKey({ 'collective.algo': 'ring', 'topology.nic': 'connectx-7', x: 3 })).toEqual(pointKey({ x: '3', 'topology.nic': 'connectx-7', 'collective.algo': 'ring' }));
    expect(pointKey({ a: 1, b: 2 })).not.toEqual(pointKey({ a: 1, b: 3 }));
  });

  test('grid points: first axis slowest, then the listed points', () => {
    const points = sweepPoints({ name: 's', base: {}, axes: [{ path: 'a', values: [1, 2] }, { path: 'b', values: ['x', 'y', 'z'] }], listed: [[['c', true]]] });
    expect(points.map((p) => p.overrides.map(([, v]) => v).join(''))).toEqual(['1x', '1y', '1z', '2x', '2y', '2z', 'true']);
    expect(points.map((p) => p.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
});

describe('decoding what is not a results file', () => {
  test('values that are not records are an input error naming the file, not a crash later', async () => {
    const { Packr } = await import('msgpackr');
    const garbage = Buffer.from(new Packr({ useRecords: false }).pack([1, 2, 3]));
    expect(() => decodeRecords(garbage, 'msgpack', 'g.msgpack')).toThrow('g.msgpack: not a fairway sweep results file (record 0 is not {index, point, ok})');
    expect(() => decodeRecords(Buffer.from('index,status\nx,ok\n'), 'csv', 'g.csv')).toThrow(/g\.csv: not a fairway sweep results file/);
  });
});
