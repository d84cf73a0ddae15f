// A refined sweep: the analytical pass's spec, which points the flow pass simulates (the k
// fastest, then those without a closed form), and how the two passes' records merge.
import { describe, expect, test } from 'vitest';
import { analyticalSweep, flowPass, refinedRecords } from '../../src/sweep/refine.js';
import type { SweepRecord } from '../../src/sweep/results.js';
import type { SweepSpec } from '../../src/sweep/spec.js';

const spec: SweepSpec = { name: 's', base: { topology: { ref: 'dgx-h100' }, collective: { op: 'all_reduce', bytes: '1M' } }, axes: [{ path: 'collective.bytes', values: ['1M', '2M', '4M', '8M', '16M'] }], listed: [] };
const ok = (index: number, timeUs: number): SweepRecord => ({ index, point: { 'collective.bytes': index }, ok: true, metrics: { timeUs } });
const failed = (index: number, error: string): SweepRecord => ({ index, point: { 'collective.bytes': index }, ok: false, error });

describe('refine', () => {
  test('the analytical pass sets the base collective fidelity, or the scenario fidelity beside a workload', () => {
    expect(analyticalSweep(spec).base.collective).toEqual({ op: 'all_reduce', bytes: '1M', fidelity: 'analytical' });
    expect(analyticalSweep({ ...spec, base: { workload: { ops: [] } } }).base).toEqual({ workload: { ops: [] }, fidelity: 'analytical' });
    expect(() => analyticalSweep({ ...spec, base: { topology: 'dgx-h100' } })).toThrow('--refine: needs a collective or a workload sweep');
  });

  test("a workload sweep's flow pass takes the k least steps", () => {
    const step = (index: number, stepMs: number): SweepRecord => ({ index, point: { x: index }, ok: true, metrics: { stepMs } });
    const wspec: SweepSpec = { name: 'w', base: { workload: {} }, axes: [{ path: 'x', values: [0, 1, 2] }], listed: [] };
    expect(flowPass(wspec, [step(0, 30), step(1, 10), step(2, 20)], 2).indices).toEqual([1, 2]);
  });

  test('the flow pass lists the k fastest (ties by number), then the points with no closed form; other failures stay', () => {
    const records = [ok(0, 5), ok(1, 3), ok(2, 9), failed(3, 'collective.fidelity: analytical needs a collective NCCL runs'), failed(4, 'worker failed: boom')];
    const pass = flowPass(spec, records, 2);
    expect(pass.indices).toEqual([1, 0, 3]);
    expect(pass.spec.axes).toEqual([]);
    expect(pass.spec.listed).toEqual([[['collective.bytes', '2M']], [['collective.bytes', '1M']], [['collective.bytes', '8M']]]);
  });

  test('records: the simulated ones replace theirs by original number, every ok record says its level', () => {
    const analytical = [ok(0, 5), ok(1, 3), failed(2, 'collective.fidelity: analytical needs …')];
    // the listed sweep numbers its points 0, 1: they are the original points 1 and 2
    const flow = [{ ...ok(0, 3.5), point: { 'collective.bytes': 1 } }, { ...ok(1, 7), point: { 'collective.bytes': 2 } }];
    expect(refinedRecords(analytical, flow, [1, 2])).toEqual([
      { ...ok(0, 5), metrics: { timeUs: 5, fidelity: 'analytical' } },
      { ...ok(1, 3.5), metrics: { timeUs: 3.5, fidelity: 'flow' } },
      { ...ok(2, 7), metrics: { timeUs: 7, fidelity: 'flow' } },
    ]);
  });
});
