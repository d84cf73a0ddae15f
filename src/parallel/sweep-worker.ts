// A sweep worker thread (run by Piscina): instantiates the flow engine from the module the main
// thread compiled (it compiles nothing itself), applies a point's overrides to the sweep's base
// scenario and runs it. Tasks and results cross the thread boundary as msgpack buffers. A
// point that fails (bad override, invalid document, unsupported case) comes back as an error
// result, never as a thrown task, so one bad point cannot stop the sweep.
import { workerData } from 'node:worker_threads';
import { Packr } from 'msgpackr';
import { FairwayError } from '../core/errors.js';
import { useCompiledFlowModule } from '../engine/wasm-module.js';
import { applyOverrides } from '../sweep/paths.js';
import { scenarioMetrics } from '../scenario/metrics.js';
import { runScenario } from '../scenario/run-scenario.js';
import { scenarioFromDocument } from '../scenario/scenario-document.js';
import type { ScenarioDocument as Scenario } from '../sweep/spec.js';
import type { Override } from '../sweep/spec.js';

export interface SweepWorkerData {
  readonly flowModule: WebAssembly.Module;
  /** The base scenario, msgpack-packed. */
  readonly base: Uint8Array;
}

export interface PointResult {
  readonly ok: boolean;
  readonly error?: string;
  readonly metrics?: Record<string, number | string>;
}

const packr = new Packr({ useRecords: false });
const data = workerData as SweepWorkerData | null;
if (data?.flowModule) useCompiledFlowModule(data.flowModule);
const base = data?.base ? (packr.unpack(data.base) as Scenario) : undefined;

export async function runPoint(base: Scenario, overrides: readonly Override[]): Promise<PointResult> {
  try {
    const scenario = scenarioFromDocument(applyOverrides(base, overrides));
    // a point's metrics need no trace counters
    const quiet = scenario.workload ? { ...scenario, workload: { ...scenario.workload, counters: false } } : scenario;
    return { ok: true, metrics: scenarioMetrics(await runScenario(quiet)) };
  } catch (e) {
    if (e instanceof FairwayError) {
      // the issues the message does not already say (an error about one field says it once)
      const extra = (e.issues ?? []).map((i) => `${i.path}: ${i.message}`).filter((t) => !e.message.includes(t));
      const details = extra.length ? `: ${extra.join('; ')}` : '';
      return { ok: false, error: `${e.message}${details}` };
    }
    return { ok: false, error: `internal error: ${(e as Error).message ?? String(e)}` };
  }
}

/** Piscina task: a packed list of overrides in, a packed PointResult out. */
export default async function sweepTask(task: Uint8Array): Promise<Uint8Array> {
  if (task.length === 0) return task; // a ping: the worker is up
  if (!base) throw new Error('sweep worker started without a base scenario');
  return packr.pack(await runPoint(base, packr.unpack(task) as Override[]));
}
