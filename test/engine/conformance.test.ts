// Hand-derived cases that every FlowEngine must reproduce; each states its derivation.
import { describe, expect, test } from 'vitest';
import { FairwayError } from '../../src/core/errors.js';
import type { ReleaseSchedule, ScheduleProgress } from '../../src/engine/batch-replay.js';
import { eventLoopReplay } from '../../src/engine/event-loop-replay.js';
import type { FlowEngine } from '../../src/engine/flow-engine.js';
import { ENGINES, relErr, runToEnd } from '../helpers/engines.js';
import { addLinks, HAND_CASES, handCase } from '../helpers/schedules.js';

describe.each(ENGINES)('%s engine', (_name, make) => {
  test('two flows on one link share it equally', () => {
    // Link 1000 B/s; a=1000 B, b=2000 B: 500 B/s each until a is done at 1000/500 = 2 s;
    // b then has 2000-1000 = 1000 B left alone at 1000 B/s: done at 3 s.
    const e = make();
    const l = e.addResource(1000);
    const a = e.startOn(1000, [l]), b = e.startOn(2000, [l]);
    expect(e.rate(a)).toBe(500);
    expect(e.rate(b)).toBe(500);
    const fin = runToEnd(e, new Map([[a, 'a'], [b, 'b']]));
    expect(fin.get('a')).toBeCloseTo(2, 12);
    expect(fin.get('b')).toBeCloseTo(3, 12);
  });

  test('the 3-link parking lot', () => {
    // Long flow L over l0,l1,l2 (1000, 2000, 3000 B/s) + one short flow per link.
    // [0,3): l0 bottleneck: L = s0 = 500; s1 = 1500, s2 = 2500; s0 (1500 B) done at 3.
    // [3,3.5): L has 500 B left; l1 shared by L, s1 -> 1000 each; s2 = 2000; L done at 3.5.
    // Then s1: 6000-4500-500 = 1000 B at 2000 -> 4.0; s2: 10500-7500-1000 = 2000 B at 3000 -> 3.5+2/3.
    const e = make();
    const l0 = e.addResource(1000), l1 = e.addResource(2000), l2 = e.addResource(3000);
    const L = e.startOn(2000, [l0, l1, l2]);
    const s0 = e.startOn(1500, [l0]), s1 = e.startOn(6000, [l1]), s2 = e.startOn(10500, [l2]);
    expect([e.rate(L), e.rate(s0), e.rate(s1), e.rate(s2)]).toEqual([500, 500, 1500, 2500]);
    const fin = runToEnd(e, new Map([[L, 'L'], [s0, 's0'], [s1, 's1'], [s2, 's2']]));
    expect(fin.get('s0')).toBeCloseTo(3, 12);
    expect(fin.get('L')).toBeCloseTo(3.5, 12);
    expect(fin.get('s1')).toBeCloseTo(4, 12);
    expect(fin.get('s2')).toBeCloseTo(25 / 6, 12);
  });

  test('an arrival mid-transfer halves the rate from then on', () => {
    // Link 1000 B/s; a = 3000 B at t=0 runs alone for 1 s (1000 B done).
    // b = 1000 B arrives at t=1: 500 each; b done at 1 + 1000/500 = 3; a has 2000-1000 = 1000 B
    // left, alone at 1000 B/s: done at 4.
    const e = make();
    const l = e.addResource(1000);
    const a = e.startOn(3000, [l]);
    expect(e.advance(1)).toHaveLength(0);
    expect(e.now).toBe(1);
    expect(e.remaining(a)).toBeCloseTo(2000, 9);
    const b = e.startOn(1000, [l]);
    const fin = runToEnd(e, new Map([[a, 'a'], [b, 'b']]));
    expect(fin.get('b')).toBeCloseTo(3, 12);
    expect(fin.get('a')).toBeCloseTo(4, 12);
  });

  test('different route latencies (delaySec) delay activation', () => {
    // Link 1000 B/s. b (1000 B, no delay) runs alone in [0, 0.5): 500 B done.
    // a (1000 B) activates at 0.5: 500 each; b's last 500 B take 1 s -> b done at 1.5;
    // a did 500 B by then, its last 500 B at 1000 B/s -> done at 2.0.
    const e = make();
    const l = e.addResource(1000);
    const a = e.startOn(1000, [l], undefined, { delaySec: 0.5 });
    const b = e.startOn(1000, [l]);
    expect(e.rate(a)).toBe(0);
    expect(e.rate(b)).toBe(1000);
    const fin = runToEnd(e, new Map([[a, 'a'], [b, 'b']]));
    expect(fin.get('b')).toBeCloseTo(1.5, 12);
    expect(fin.get('a')).toBeCloseTo(2, 12);
  });

  test('a zero-size activity completes at its activation time', () => {
    const e = make();
    const l = e.addResource(1);
    const z = e.startOn(0, [l], undefined, { delaySec: 0.25 });
    const now = e.startOn(0, [l]);
    expect(e.nextEventTime()).toBe(0);
    expect([...e.advance()]).toEqual([now]);
    expect(e.now).toBe(0);
    expect([...e.advance()]).toEqual([z]);
    expect(e.now).toBe(0.25);
    expect(e.liveCount).toBe(0);
  });

  test('weights share a saturated resource in proportion', () => {
    // Link 900: level t with 2t + t = 900 -> t = 300: a (weight 2) 600, b (weight 1) 300.
    const e = make();
    const l = e.addResource(900);
    const a = e.startOn(1, [l], undefined, { weight: 2 }), b = e.startOn(1, [l]);
    expect(e.rate(a)).toBeCloseTo(600, 9);
    expect(e.rate(b)).toBeCloseTo(300, 9);
  });

  test('bounds cap a rate and leave the rest to others', () => {
    // Link 1000: a is bounded at 200 (freezes first, level 200 < 500), b takes 1000-200 = 800.
    // c alone with bound 50 and no resource runs at exactly 50.
    const e = make();
    const l = e.addResource(1000);
    const a = e.startOn(1, [l], undefined, { bound: 200 }), b = e.startOn(1, [l]);
    const c = e.startOn(100, [], undefined, { bound: 50 });
    expect(e.rate(a)).toBe(200);
    expect(e.rate(b)).toBeCloseTo(800, 9);
    expect(e.rate(c)).toBe(50);
    expect(e.nextEventTime()).toBeCloseTo(1 / 800, 15);
  });

  test('coefficients give a roofline: max(FLOPs/peak, bytes/bandwidth)', () => {
    // math 1e15 FLOP/s, HBM 2e12 B/s. A kernel is amount 1 with coefficient FLOPs on math and
    // bytes on HBM, so its rate is min(1e15/FLOPs, 2e12/bytes) kernels/s.
    // GEMM: 1e12 FLOP, 1e9 B -> min(1000, 2000) = 1000/s -> 1 ms (compute-bound).
    // Two copies of a memory-bound kernel (1e9 FLOP, 4e9 B -> alone 500/s = 2 ms) share HBM:
    // 2 * 4e9 * x = 2e12 -> x = 250/s -> both finish at 4 ms.
    const e = make();
    const math = e.addResource(1e15), hbm = e.addResource(2e12);
    const gemm = e.startOn(1, [math, hbm], [1e12, 1e9]);
    expect(e.rate(gemm)).toBeCloseTo(1000, 9);
    expect(runToEnd(e, new Map([[gemm, 'gemm']])).get('gemm')).toBeCloseTo(1e-3, 15);
    const t0 = e.now;
    const k1 = e.startOn(1, [math, hbm], [1e9, 4e9]), k2 = e.startOn(1, [math, hbm], [1e9, 4e9]);
    expect(e.rate(k1)).toBeCloseTo(250, 9);
    const fin = runToEnd(e, new Map([[k1, 'k1'], [k2, 'k2']]));
    expect(fin.get('k1')! - t0).toBeCloseTo(4e-3, 12);
    expect(fin.get('k2')! - t0).toBeCloseTo(4e-3, 12);
  });

  test('a capacity set to 0 stalls its users until it is restored', () => {
    // Link 1000, a = 2000 B. After 1 s (1000 B left) the link fails: a stalls, no event is
    // pending (no infinite loop). Restored at t=3: the last 1000 B take 1 s -> done at 4.
    const e = make();
    const l = e.addResource(1000);
    const a = e.startOn(2000, [l]);
    e.advance(1);
    e.setCapacity(l, 0);
    expect(e.rate(a)).toBe(0);
    expect(e.nextEventTime()).toBe(Infinity);
    expect([...e.stalled()]).toEqual([a]);
    expect(e.advance()).toHaveLength(0);
    expect(e.now).toBe(1);
    e.advance(3);
    e.setCapacity(l, 1000);
    expect(e.stalled()).toHaveLength(0);
    expect(runToEnd(e, new Map([[a, 'a']])).get('a')).toBeCloseTo(4, 12);
  });

  test('cancel frees the capacity for the others', () => {
    // Link 1000: a, b 2000 B each at 500 B/s; b cancelled at t=1 (a has 1500 B left) ->
    // a alone at 1000 B/s -> done at 2.5.
    const e = make();
    const l = e.addResource(1000);
    const a = e.startOn(2000, [l]), b = e.startOn(2000, [l]);
    e.advance(1);
    expect(e.cancel(b)).toBe(true);
    expect(e.cancel(b)).toBe(false);
    expect(e.isLive(b)).toBe(false);
    expect(e.rate(a)).toBe(1000);
    expect(runToEnd(e, new Map([[a, 'a']])).get('a')).toBeCloseTo(2.5, 12);
  });

  test('completions at the same instant come out as one batch, and ids are reused', () => {
    // Three equal flows on a 3000 B/s link, 3000 B each: 1000 B/s each, all done at 3 s.
    const e = make();
    const l = e.addResource(3000);
    const ids = [0, 1, 2].map(() => e.startOn(3000, [l]));
    const batch = e.advance();
    expect(e.now).toBeCloseTo(3, 12);
    expect([...batch].sort()).toEqual([...ids].sort());
    const again = e.startOn(1, [l]);
    expect(ids).toContain(again);
  });

  test('repeated resources in one start add their coefficients', () => {
    // uses (l, 1) and (l, 2) = coefficient 3 on a 300 B/s link: rate 100.
    const e = make();
    const l = e.addResource(300);
    const a = e.start(1, [[l, 1], [l, 2]]);
    expect(e.rate(a)).toBeCloseTo(100, 12);
  });

  test('advance(until) with nothing to do moves the clock only', () => {
    const e = make();
    expect(e.advance(5)).toHaveLength(0);
    expect(e.now).toBe(5);
    expect(e.advance()).toHaveLength(0);
    expect(e.now).toBe(5);
  });

  test('invalid calls throw FairwayErrors naming the argument', () => {
    const e = make();
    const l = e.addResource(10);
    expect(() => e.addResource(-1)).toThrow(/capacity/);
    expect(() => e.startOn(-1, [l])).toThrow(/start.amount/);
    expect(() => e.startOn(1, [7])).toThrow(/unknown resource id 7/);
    expect(() => e.startOn(1, [l], [0])).toThrow(/coefficient/);
    expect(() => e.startOn(1, [l], undefined, { weight: 0 })).toThrow(/start.weight/);
    expect(() => e.startOn(1, [l], undefined, { bound: 0 })).toThrow(/start.bound/);
    expect(() => e.startOn(1, [])).toThrow(/needs a bound/);
    expect(() => e.rate(42)).toThrow(/not live/);
    expect(() => e.setCapacity(3, 1)).toThrow(FairwayError);
  });
});

describe.each(ENGINES)('%s engine, regressions', (_name, make) => {
  test('cancel right after the activity columns grew keeps pending activations in order', () => {
    // Pending activations at 10, 9, 8; 62 more starts push the ids past 64 (column growth), then
    // the one due at 10 is cancelled: the others must still activate at 8 and then 9.
    const e = make();
    const r = e.addResource(100);
    const pending = [10, 9, 8].map((d) => e.startOn(1, [r], undefined, { delaySec: d }));
    e.nextEventTime();
    for (let i = 0; i < 62; i++) e.startOn(1e6, [r]);
    e.cancel(pending[0]);
    e.advance();
    expect(e.now).toBe(8);
  });

  test('coefficients 1e17 apart on one resource do not cancel its demand to zero', () => {
    // Capacity 10. a: coefficient 1e17, bound 1e-20 -> uses 1e-3 of the resource.
    // b: coefficient 1 takes the rest: 10 - 1e-3 = 9.999.
    const e = make();
    const r = e.addResource(10);
    e.start(1, [[r, 1e17]], { bound: 1e-20 });
    const b = e.start(1, [[r, 1]]);
    expect(e.rate(b)).toBeCloseTo(9.999, 9);
  });

  test('releasing two heavy-weight holds gives a kernel its whole resource back', () => {
    // The math units of an H100 (989.4e12 FLOP/s) shared by a kernel of 1.55e14 FLOPs (weight
    // 1 / ((F / peak) · HBM) = 1.905e-12, host-resources.ts) and two SM holds of 0.18 of the
    // peak each (weight 1e6 · peak / HBM = 2.95e8): the kernel's demand per level (295) is 5e-7
    // of the resource's starting one (5.9e8). With both holds: 1 - 2 · 0.18 = 0.64 of the peak;
    // with one: 0.82; with none: 1 -- a kernel of 1.55e14 FLOPs at 989.4e12 FLOP/s, 6.3832/s.
    const e = make();
    const peak = 989.4e12;
    const flops = 1.55e14;
    const math = e.addResource(peak);
    const kernel = e.startOn(1, [math], [flops], { weight: 1 / ((flops / peak) * 3.35e12) });
    const holds = [0, 1].map(() => e.startOn(1e300, [math], [1], { bound: 0.18 * peak, weight: (1e6 * peak) / 3.35e12 }));
    const share = () => (e.rate(kernel) * flops) / peak;
    expect(share()).toBeCloseTo(0.64, 8);
    e.cancel(holds[0]);
    expect(share()).toBeCloseTo(0.82, 8);
    e.cancel(holds[1]);
    expect(share()).toBeCloseTo(1, 8);
    expect(e.rate(kernel)).toBeCloseTo(peak / flops, 6);
  });
});

/** Runs the engine's declared replay; returns the result and every progress call. */
function replayOn(e: FlowEngine, s: ReleaseSchedule, every?: number): { finish: number[]; stalled: boolean; calls: [number, number, number][] } {
  const calls: [number, number, number][] = [];
  const progress: ScheduleProgress = (done, total, t) => calls.push([done, total, t]);
  const r = e.replay!.run(s, progress, every);
  return { finish: Array.from(r.finish), stalled: r.stalled, calls };
}

/** One release per activity index: times, amounts and single resources as given. */
function schedule(releaseSec: number[], amount: number[], resource: number[]): ReleaseSchedule {
  const order = Int32Array.from(releaseSec.keys()).sort((a, b) => releaseSec[a] - releaseSec[b] || a - b);
  return { order, releaseSec: Float64Array.from(releaseSec), amount: Float64Array.from(amount), resStart: Int32Array.from({ length: amount.length + 1 }, (_, i) => i), resources: Int32Array.from(resource) };
}

describe.each(ENGINES)('%s engine, batch replay', (_name, make) => {
  test('is declared', () => {
    expect(make().replay).toBeDefined();
  });

  test.each(HAND_CASES)('hand case %s: finish times as derived, and as the TS loop over the same engine', (file) => {
    // Each case's description derives its finish times; the declared replay (in the module on
    // the Wasm engine) must give them, bit for bit what the TS loop gives on the same engine.
    const c = handCase(file);
    const e = make(), f = make();
    addLinks(e, c.problem);
    addLinks(f, c.problem);
    const declared = replayOn(e, c.schedule);
    const loop = eventLoopReplay(f).run(c.schedule);
    expect(declared.stalled).toBe(false);
    declared.finish.forEach((t, i) => expect(relErr(t, c.expected[i]), `${file} flow ${i}`).toBeLessThan(1e-12));
    expect(declared.finish).toEqual(Array.from(loop.finish));
    expect(e.stats()).toEqual(f.stats());
    expect(e.liveCount).toBe(0);
  });

  test('a resource of capacity 0 is reported as a stall, not looped on', () => {
    // r0 has capacity 0, r1 1000 B/s. a: 1000 B on r1 at 0 -> done at 1. b: 1 B on r0 at 0.5
    // never progresses. c: 500 B on r1 at 2 -> alone, done at 2.5. Then only b is live, with
    // no event and no release to come: the run ends, stalled, with b still live.
    const e = make();
    e.addResource(0);
    e.addResource(1000);
    const r = replayOn(e, schedule([0, 0.5, 2], [1000, 1, 500], [1, 0, 1]));
    expect(r.stalled).toBe(true);
    expect(r.finish).toEqual([1, NaN, 2.5]);
    expect(e.liveCount).toBe(1);
    expect(e.stalled()).toHaveLength(1);
    // progress ends with the count that completed
    expect(r.calls.map((c) => c[0])).toEqual([2]);
  });

  test('a release time that is not a finite number is refused before anything starts', () => {
    const e = make();
    e.addResource(1);
    for (const bad of [NaN, Infinity, -Infinity]) {
      expect(() => e.replay!.run(schedule([0, bad], [1, 1], [0, 0]))).toThrow(new RegExp(`schedule.releaseSec\\[1\\]: must be a finite number \\(got ${bad}\\)`));
    }
    expect(e.liveCount).toBe(0);
    expect(e.now).toBe(0);
    expect(e.stats().completed).toBe(0);
  });

  test('malformed schedules and a busy engine are refused with the argument named', () => {
    const e = make();
    e.addResource(1);
    const run = (s: ReleaseSchedule) => () => e.replay!.run(s);
    const ok = schedule([0, 1], [1, 1], [0, 0]);
    expect(run({ ...ok, order: Int32Array.of(1, 0) })).toThrow(/schedule.order\[1\]: activity 0 is released at 0, before the one ahead of it \(1\)/);
    expect(run({ ...ok, order: Int32Array.of(0, 0) })).toThrow(/schedule.order\[1\]: activity 0 is not in 0..1 or comes twice/);
    expect(run({ ...ok, amount: Float64Array.of(1) })).toThrow(/schedule.amount: has 1 entries for 2 activities/);
    expect(run({ ...ok, amount: Float64Array.of(1, -1) })).toThrow(/schedule activity 1: start.amount: must be a finite number >= 0 \(got -1\)/);
    expect(run({ ...ok, resources: Int32Array.of(0, 5) })).toThrow(/schedule activity 1: start.uses\[0\].resource: unknown resource id 5 \(have 1\)/);
    expect(run({ ...ok, resStart: Int32Array.of(0, 1, 1) })).toThrow(/schedule activity 1: start.uses: an activity with no resource needs a bound/);
    expect(e.liveCount).toBe(0);
    e.startOn(1, [0]);
    expect(run(ok)).toThrow(/the engine has 1 live activities; a batch replay runs on an idle engine/);
  });

  test('progress is reported when the count reaches each multiple of `every`, and at the end', () => {
    // Parking lot: s0 done at 3, fL at 3.5, s1 at 4, s2 at 25/6 (one completion per instant).
    const c = handCase('02_parking_lot.json');
    const counts = (every?: number): number[][] => {
      const e = make();
      addLinks(e, c.problem);
      return replayOn(e, c.schedule, every).calls.map(([done, total, t]) => [done, total, Number(t.toFixed(9))]);
    };
    expect(counts(1)).toEqual([[1, 4, 3], [2, 4, 3.5], [3, 4, 4], [4, 4, 4.166666667]]);
    expect(counts(2)).toEqual([[2, 4, 3.5], [4, 4, 4.166666667]]);
    expect(counts(3)).toEqual([[3, 4, 4], [4, 4, 4.166666667]]);
    expect(counts()).toEqual([[4, 4, 4.166666667]]);
  });
});

describe('batch replay, both engines', () => {
  test.each(HAND_CASES)('hand case %s: identical finish times and progress calls', (file) => {
    // every = 1 reports after every batch of completions, so equal calls mean equal batches.
    const c = handCase(file);
    const [wasm, ts] = ENGINES.map(([, make]) => {
      const e = make();
      addLinks(e, c.problem);
      return replayOn(e, c.schedule, 1);
    });
    expect(wasm.finish).toEqual(ts.finish);
    expect(wasm.calls).toEqual(ts.calls);
    expect(wasm.calls.at(-1)![0]).toBe(c.expected.length);
  });
});
