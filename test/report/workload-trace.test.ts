// The workload trace's resource counters (src/report/workload-trace.ts): drawn from the monitor's
// usage log when the run kept one; a run made with counters off says so in the metadata instead
// of drawing empty counters.
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { workloadTrace } from '../../src/report/workload-trace.js';
import { runScenario, type WorkloadScenarioResult } from '../../src/scenario/run-scenario.js';

const file = fileURLToPath(new URL('../../workloads/dp-step-overlap.yaml', import.meta.url));

async function trace(counters: boolean): Promise<{ metadata: Record<string, unknown>; traceEvents: { ph: string; pid: number }[] }> {
  const r = (await runScenario({ workload: { source: { file }, monitor: true, counters } })) as WorkloadScenarioResult;
  return JSON.parse(workloadTrace(r.resolved.spec, r.run, r.system.topo));
}

describe('workload trace counters', () => {
  test('with the usage log: counter events of the busiest resources, ending at 0', async () => {
    const t = await trace(true);
    const counters = t.traceEvents.filter((e) => e.ph === 'C');
    expect(counters.length).toBeGreaterThan(8); // at least one change per resource shown, and the closing zeros
    expect(t.metadata.counters).toBeUndefined();
    expect(t.metadata.countersTruncated).toBe(false);
  });

  test('without it: no counters, and the metadata says why', async () => {
    const t = await trace(false);
    expect(t.traceEvents.filter((e) => e.ph === 'C')).toEqual([]);
    expect(t.metadata.counters).toBe('none: the run kept no usage log (counters: false)');
  });
});
