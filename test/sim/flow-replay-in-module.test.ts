// The flow replay run inside the Wasm module (engine/wasm-schedule.ts, assembly/replay.ts) makes
// the same engine calls as the per-event JS loop, so on the same problem both give bit-identical
// finish times and the same engine statistics. The JS loop is forced by handing replayFlows the
// Wasm engine behind a plain forwarding object (the in-module path needs a WasmFlowEngine).
import { afterEach, describe, expect, test, vi } from 'vitest';
import { SeededRandom } from '../../src/core/random.js';
import type { FlowEngine } from '../../src/engine/flow-engine.js';
import { WasmFlowEngine } from '../../src/engine/wasm-engine.js';
import type { FlowProblem } from '../../src/io/flow-problem.js';
import { activationTimes, replayFlows } from '../../src/sim/flow-replay.js';

/** Forwards every call to `e` but is not a WasmFlowEngine, so replayFlows takes its JS loop. */
function perEvent(e: FlowEngine): FlowEngine {
  return {
    kind: e.kind,
    get now() { return e.now; },
    get liveCount() { return e.liveCount; },
    get resourceCount() { return e.resourceCount; },
    addResource: (c) => e.addResource(c),
    setCapacity: (r, c) => e.setCapacity(r, c),
    capacity: (r) => e.capacity(r),
    start: (a, u, o) => e.start(a, u, o),
    startOn: (a, r, c, o) => e.startOn(a, r, c, o),
    cancel: (id) => e.cancel(id),
    isLive: (id) => e.isLive(id),
    rate: (id) => e.rate(id),
    remaining: (id) => e.remaining(id),
    nextEventTime: () => e.nextEventTime(),
    advance: (u) => e.advance(u),
    stalled: () => e.stalled(),
    stats: () => e.stats(),
  };
}

/**
 * Hosts on `tors` top-of-rack switches (host up/down links, rack up/down links to one core),
 * flows between random hosts; start times are drawn from `instants` distinct values so that
 * many flows arrive at the same instant (arrival batches, ties in the release order), spread
 * so that the rack links run at about 30% load (the active set stays small).
 */
function randomProblem(seed: number, flows: number, hosts: number, tors: number, instants: number, bw: number[] = []): FlowProblem {
  const rnd = new SeededRandom(seed);
  const L = 2 * hosts + 2 * tors;
  const linkBandwidth = Float64Array.from({ length: L }, (_, l) => bw[l] ?? (l < 2 * hosts ? 1e9 : 2e9) * (0.5 + rnd.next()));
  const linkLatency = Float64Array.from({ length: L }, () => (rnd.chance(0.5) ? 0 : 1e-6 * rnd.int(3)));
  const routeStart = [0], routeLinks: number[] = [], flowSize: number[] = [], flowStart: number[] = [];
  const torOf = (h: number): number => h % tors;
  const step = (flows * 1.45e5) / (0.3 * tors * 2e9) / instants; // mean size ~1.45e5 B
  for (let f = 0; f < flows; f++) {
    const s = rnd.int(hosts);
    let d = rnd.int(hosts - 1);
    if (d >= s) d++;
    const route = torOf(s) === torOf(d) ? [2 * s, 2 * d + 1] : [2 * s, 2 * hosts + 2 * torOf(s), 2 * hosts + 2 * torOf(d) + 1, 2 * d + 1];
    routeLinks.push(...route);
    routeStart.push(routeLinks.length);
    flowSize.push(rnd.chance(0.05) ? 0 : Math.round(rnd.logUniform(1e3, 1e6)));
    flowStart.push(rnd.int(instants) * step);
  }
  return {
    linkIds: Array.from({ length: L }, (_, l) => `l${l}`),
    linkBandwidth,
    linkLatency,
    flowIds: Array.from({ length: flows }, (_, f) => `f${f}`),
    routeStart: Int32Array.from(routeStart),
    routeLinks: Int32Array.from(routeLinks),
    flowSize: Float64Array.from(flowSize),
    flowStart: Float64Array.from(flowStart),
  };
}

function bothWays(p: FlowProblem): void {
  // the first replay must really run in the module, the second must not
  const inModule = vi.spyOn(WasmFlowEngine.prototype, 'runSchedule');
  const a = replayFlows(p, new WasmFlowEngine());
  expect(inModule).toHaveBeenCalledTimes(1);
  const b = replayFlows(p, perEvent(new WasmFlowEngine()));
  expect(inModule).toHaveBeenCalledTimes(1);
  expect(a.finish.some(Number.isNaN)).toBe(false);
  expect(Array.from(a.finish)).toEqual(Array.from(b.finish));
  expect(a.stats).toEqual(b.stats);
}

describe('flow replay inside the Wasm module', () => {
  afterEach(() => vi.restoreAllMocks());

  test.each([1, 2, 3])('same finish times and statistics as the per-event loop, seed %i', (seed) => {
    bothWays(randomProblem(seed, 3000, 48, 6, 400));
  });

  test('releases staged in several chunks, with one instant straddling a chunk boundary', () => {
    // 40,000 flows at 2,000 instants and no latencies: 20 flows per instant, so the chunks of
    // 16,384 releases end in the middle of an instant whose starts continue from the next chunk.
    const p0 = randomProblem(4, 40_000, 64, 8, 2000);
    const p = { ...p0, linkLatency: new Float64Array(p0.linkLatency.length) };
    const act = Array.from(activationTimes(p)).sort((a, b) => a - b);
    expect(act[16_383]).toBe(act[16_384]);
    expect(act[32_767]).toBe(act[32_768]);
    bothWays(p);
  });

  test('progress is reported, ending with every flow completed', () => {
    const p = randomProblem(5, 10_000, 32, 4, 500);
    const calls: [number, number][] = [];
    const inModule = vi.spyOn(WasmFlowEngine.prototype, 'runSchedule');
    const { finish } = replayFlows(p, new WasmFlowEngine(), (done, total) => calls.push([done, total]));
    expect(inModule).toHaveBeenCalledTimes(1);
    // every 4,096 completions (PROGRESS_EVERY), and once at the end
    expect(calls).toEqual([[4096, 10_000], [8192, 10_000], [10_000, 10_000]]);
    expect(finish.some(Number.isNaN)).toBe(false);
  });

  test('a flow on a link of capacity 0 stalls with the same error either way', () => {
    const p = randomProblem(6, 200, 8, 2, 20, [0]);
    expect(() => replayFlows(p, new WasmFlowEngine())).toThrow(/flows cannot progress/);
    let inModule = '', loop = '';
    try { replayFlows(p, new WasmFlowEngine()); } catch (e) { inModule = String(e); }
    try { replayFlows(p, perEvent(new WasmFlowEngine())); } catch (e) { loop = String(e); }
    expect(inModule).toBe(loop);
  });

  test('a release time that is not a number stalls in the module instead of looping forever', () => {
    // runSchedule is public: flow 1 never comes, flow 0 (1 byte at 1 B/s) finishes at 1 s
    const e = new WasmFlowEngine();
    e.addResource(1);
    const r = e.runSchedule({ order: Int32Array.of(0, 1), releaseSec: Float64Array.of(0, NaN), amount: Float64Array.of(1, 1), resStart: Int32Array.of(0, 1, 2), resources: Int32Array.of(0, 0) });
    expect(r.stalled).toBe(true);
    expect(r.finish[0]).toBe(1);
  });

  test('a problem the engine would reject takes the per-event loop and fails the same way', () => {
    const p = randomProblem(7, 50, 8, 2, 5);
    const bad = { ...p, flowSize: Float64Array.from(p.flowSize, (x, f) => (f === 7 ? -1 : x)) };
    expect(() => replayFlows(bad, new WasmFlowEngine())).toThrow(/start.amount: must be a finite number >= 0 \(got -1\)/);
  });
});
