// The resource monitor against hand-derived usage: integrals, saturated time, the change log (and
// none when it is not asked for), and the work invariant ∫ usage dt = Σ amount × coefficient.
import { describe, expect, test } from 'vitest';
import { WasmFlowEngine } from '../../src/engine/wasm-engine.js';
import { ResourceMonitor } from '../../src/sim/resource-monitor.js';

/** Runs every activity to completion, telling the monitor as a simulation would. */
function drain(e: WasmFlowEngine, m: ResourceMonitor): void {
  m.sample(e.now);
  while (e.liveCount > 0) {
    for (const a of e.advance()) m.finished(a);
    m.sample(e.now);
  }
}

describe('ResourceMonitor', () => {
  // r0 (10/s) carries A (20 units) and B (4 units); B also crosses r1 (4/s). Max-min: B is held
  // to 4 by r1, A takes the other 6 of r0; both resources are saturated. B ends at t = 4/4 = 1 s,
  // then A runs alone at 10 and ends at 1 + (20 - 6)/10 = 2.4 s.
  //   ∫ usage: r0 = 10·2.4 = 24, r1 = 4·1 = 4; saturated: r0 2.4 s, r1 1 s.
  //   log: t=0 r0→10 and r1→4 (in the order A, then B first touch them); t=1 r1→0 (r0 stays 10,
  //   not logged); t=2.4 r0→0.
  function twoActivities(log?: boolean) {
    const e = new WasmFlowEngine();
    const r0 = e.addResource(10), r1 = e.addResource(4);
    const m = new ResourceMonitor(e, log === undefined ? undefined : { log });
    const a = e.startOn(20, [r0]);
    m.started(a, [r0]);
    const b = e.startOn(4, [r0, r1]);
    m.started(b, [r0, r1]);
    drain(e, m);
    return { e, m, r0, r1 };
  }

  test('usage integrals, saturated time and the change log of a hand-derived run', () => {
    const { e, m, r0, r1 } = twoActivities();
    expect(e.now).toBeCloseTo(2.4, 12);
    expect(m.usageIntegral[r0]).toBeCloseTo(24, 10);
    expect(m.usageIntegral[r1]).toBeCloseTo(4, 10);
    expect(m.saturatedSec[r0]).toBeCloseTo(2.4, 12);
    expect(m.saturatedSec[r1]).toBeCloseTo(1, 12);
    const log = Array.from({ length: m.logCount }, (_, j) => [+m.logTime[j].toFixed(12), m.logResource[j], +m.logUsage[j].toFixed(9)]);
    expect(log).toEqual([[0, r0, 10], [0, r1, 4], [1, r1, 0], [2.4, r0, 0]]);
    expect(m.logTruncated).toBe(false);
  });

  test('without the log the integrals are the same and nothing is logged', () => {
    const kept = twoActivities(true).m, quiet = twoActivities(false).m;
    expect(Array.from(quiet.usageIntegral)).toEqual(Array.from(kept.usageIntegral));
    expect(Array.from(quiet.saturatedSec)).toEqual(Array.from(kept.saturatedSec));
    expect(quiet.logCount).toBe(0);
    expect(kept.logCount).toBe(4);
  });

  test('over many starts and finishes (finished slots compacted away), ∫ usage dt is the work done on each resource', () => {
    // 300 activities over 3 resources of 50/s, amounts 1..300 on resource i mod 3 with a
    // coefficient of 1 or 2: each resource's integral must equal Σ amount × coefficient of its users.
    const e = new WasmFlowEngine();
    const res = [e.addResource(50), e.addResource(50), e.addResource(50)];
    const m = new ResourceMonitor(e, { log: false });
    const work = [0, 0, 0];
    for (let i = 0; i < 300; i++) {
      const r = i % 3, c = 1 + (i % 2);
      m.started(e.startOn(i + 1, [res[r]], [c]), [res[r]], [c]);
      work[r] += (i + 1) * c;
    }
    drain(e, m);
    for (let r = 0; r < 3; r++) expect(m.usageIntegral[res[r]] / work[r]).toBeCloseTo(1, 12);
  });
});
