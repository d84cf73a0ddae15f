// The process layer: a toy continuous-batching server written as processes (an arrival
// process, a scheduler that forms a batch whenever the previous step ends, each step a kernel
// on an accelerator's math units) checked against hand-derived results on both engines, and a
// static graph expressed as processes giving the runner's times.
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../src/core/random.js';
import type { FlowEngine } from '../../src/engine/flow-engine.js';
import { Processes, Queue, SimEvent, type Process } from '../../src/sim/process.js';
import { Simulation } from '../../src/sim/simulation.js';
import { ENGINES } from '../helpers/engines.js';

interface ServerRun {
  /** Per request: arrival, start of the step that serves it, end of that step (seconds). */
  arrive: Float64Array;
  start: Float64Array;
  end: Float64Array;
  batches: number[][];
}

/**
 * Requests arrive at `arrivals` (seconds); a scheduler takes up to `maxBatch` waiting requests
 * whenever the accelerator is free and runs one step: a kernel of `flopsPerStep` on math units
 * of `flopsPerSec` (so a step takes flopsPerStep/flopsPerSec seconds, whatever the batch).
 */
function batchingServer(engine: FlowEngine, arrivals: Float64Array, maxBatch: number, flopsPerSec: number, flopsPerStep: number): ServerRun {
  const n = arrivals.length;
  const sim = new Simulation(engine);
  const p = new Processes(sim);
  const math = engine.addResource(flopsPerSec);
  const queue = new Queue<number>();
  const run: ServerRun = { arrive: new Float64Array(n), start: new Float64Array(n), end: new Float64Array(n), batches: [] };
  function* arrivalsProcess(): Process {
    for (let r = 0; r < n; r++) {
      yield p.timeout(arrivals[r] - p.now);
      run.arrive[r] = p.now;
      queue.put(r);
    }
  }
  function* scheduler(): Process {
    for (let served = 0; served < n; ) {
      const first: number = yield queue.get();
      const batch = [first, ...queue.drain(maxBatch - 1)];
      for (const r of batch) run.start[r] = p.now;
      yield p.activity(flopsPerStep, [math]);
      for (const r of batch) run.end[r] = p.now;
      run.batches.push(batch);
      served += batch.length;
    }
  }
  p.spawn(arrivalsProcess());
  p.spawn(scheduler());
  p.run();
  return run;
}

/** Poisson arrivals of rate `lambda` (exponential gaps), seeded. */
function poisson(n: number, lambda: number, seed: number): Float64Array {
  const rnd = new SeededRandom(seed);
  const t = new Float64Array(n);
  for (let i = 0, at = 0; i < n; i++) t[i] = at += rnd.exponential(1 / lambda);
  return t;
}

describe('process layer', () => {
  for (const [name, make] of ENGINES) {
    it(`${name}: M/D/1 mean wait is ρ/(2μ(1−ρ)) within 2% over 100k requests`, () => {
      // one request a batch, a step of exactly 1/μ: an M/D/1 queue. μ = 1 step/s (1e15 FLOPs on
      // 1e15 FLOP/s), λ = 0.5/s: ρ = 0.5, mean wait in queue ρ/(2μ(1−ρ)) = 0.5 s.
      const lambda = 0.5, mu = 1;
      const r = batchingServer(make(), poisson(100_000, lambda, 7), 1, 1e15, 1e15 / mu);
      let wait = 0;
      for (let i = 0; i < r.arrive.length; i++) wait += r.start[i] - r.arrive[i];
      const mean = wait / r.arrive.length;
      const rho = lambda / mu;
      const expected = rho / (2 * mu * (1 - rho));
      expect(Math.abs(mean - expected) / expected).toBeLessThan(0.02);
      // and service is deterministic: every step lasts exactly 1/μ
      for (let i = 0; i < 1000; i++) expect(r.end[i] - r.start[i]).toBeCloseTo(1 / mu, 9);
    });

    it(`${name}: batches form whenever the previous step ends, with what is waiting then`, () => {
      // steps of 1 s; arrivals at 0, 0.1, 0.2, 0.3, 1.5 and 4.0, at most 2 a batch:
      //   t=0 {0} → 1; t=1 {1,2} → 2 (3 waits: batch full); t=2 {3,4} → 3; idle; t=4 {5} → 5
      const r = batchingServer(make(), Float64Array.from([0, 0.1, 0.2, 0.3, 1.5, 4]), 2, 2e12, 2e12);
      expect(r.batches).toEqual([[0], [1, 2], [3, 4], [5]]);
      expect(Array.from(r.start)).toEqual([0, 1, 1, 2, 2, 4]);
      expect(Array.from(r.end)).toEqual([1, 2, 2, 3, 3, 5]);
    });
  }

  it('the engines agree exactly on the batching server', () => {
    const arrivals = poisson(5_000, 3, 11);
    const [a, b] = ENGINES.map(([, make]) => batchingServer(make(), arrivals, 4, 1e12, 2.5e11));
    expect(Array.from(a.end)).toEqual(Array.from(b.end));
  });

  it('events fire once; waiters resume in the order they waited; allOf waits for all', () => {
    const [, make] = ENGINES[0];
    const p = new Processes(new Simulation(make()));
    const signal = new SimEvent<string>();
    const order: string[] = [];
    function* waiter(name: string): Process {
      const v: string = yield signal;
      order.push(`${name}:${v}@${p.now}`);
    }
    function* firer(): Process {
      yield p.timeout(2);
      signal.fire('go');
      yield p.allOf([p.timeout(1), p.timeout(3)]);
      order.push(`all@${p.now}`);
    }
    p.spawn(waiter('a'));
    p.spawn(waiter('b'));
    p.spawn(firer());
    p.run();
    expect(order).toEqual(['a:go@2', 'b:go@2', 'all@5']);
    expect(() => signal.fire('again')).toThrow(/twice/);
  });
});
