// The worker pool: a Piscina pool of worker threads that run sweep points. The main thread
// compiles the flow engine's Wasm module once and hands it to every worker (a compiled
// WebAssembly.Module crosses threads without recompiling); the base scenario goes once per
// worker as a msgpack buffer, and each task is a point's overrides.
import { fileURLToPath } from 'node:url';
import { Packr } from 'msgpackr';
import { Piscina } from 'piscina';
import { compiledFlowModule } from '../engine/wasm-module.js';
import type { ScenarioDocument as Scenario } from '../sweep/spec.js';
import type { SweepWorkerData } from './sweep-worker.js';

/** src/parallel and dist/parallel both sit two levels below the package root; workers always run the built code. */
const WORKER = fileURLToPath(new URL('../../dist/parallel/sweep-worker.js', import.meta.url));

export function createSweepPool(workers: number, base: Scenario): Piscina {
  const workerData: SweepWorkerData = { flowModule: compiledFlowModule(), base: new Packr({ useRecords: false }).pack(base) };
  return new Piscina({ filename: WORKER, minThreads: workers, maxThreads: workers, concurrentTasksPerWorker: 1, idleTimeout: 60_000, workerData });
}
