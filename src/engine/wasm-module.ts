// Loads build/flow_engine.wasm (compiled from assembly/) and types its raw exports. Each call to
// instantiateFlowModule() gives an independent instance with its own memory, so every engine
// (and every worker thread) owns its state.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FairwayError } from '../core/errors.js';

export interface FlowModuleExports {
  readonly memory: WebAssembly.Memory;
  getNow(): number;
  addResource(capacity: number): number;
  resourceCount(): number;
  capacity(r: number): number;
  setCapacity(r: number, c: number): void;
  reserveResources(n: number): void;
  stageReserve(n: number): number;
  stageCoefPtr(): number;
  start(amount: number, n: number, bound: number, weight: number, delay: number): number;
  cancel(a: number): number;
  state(a: number): number;
  rate(a: number): number;
  remaining(a: number): number;
  nextEventTime(): number;
  advance(until: number): number;
  donePtr(): number;
  liveCount(): number;
  activeCount(): number;
  listStalled(): number;
  setFullFraction(f: number): void;
  setLinearMax(n: number): void;
  statEvents(): number;
  statCompleted(): number;
  statSolves(): number;
  statFullSolves(): number;
  statRounds(): number;
  statRegionActivities(): number;
  statRegionIncidences(): number;
  replayBegin(n: number, reportEvery: number): void;
  replayStage(n: number, links: number): void;
  replayColumn(k: number): number;
  replayCompleted(): number;
  replayRun(last: number): number;
}

let compiled: WebAssembly.Module | undefined;

function wasmPath(): string {
  // src/engine/ and dist/engine/ both sit two levels below the package root.
  return fileURLToPath(new URL('../../build/flow_engine.wasm', import.meta.url));
}

/** The compiled module (compiling it on first use), to hand to worker threads. */
export function compiledFlowModule(): WebAssembly.Module {
  return compile();
}

/** Uses a module compiled elsewhere (by the main thread), so a worker thread compiles nothing. */
export function useCompiledFlowModule(module: WebAssembly.Module): void {
  compiled = module;
}

function compile(): WebAssembly.Module {
  if (compiled) return compiled;
  let bytes: Buffer;
  try {
    bytes = readFileSync(wasmPath());
  } catch {
    throw new FairwayError('E_INTERNAL', `cannot read ${wasmPath()}: run "npm run build" (or "npm ci") first`);
  }
  compiled = new WebAssembly.Module(new Uint8Array(bytes));
  return compiled;
}

export function instantiateFlowModule(): FlowModuleExports {
  const instance = new WebAssembly.Instance(compile(), {
    env: {
      abort(_msg: number, _file: number, line: number, column: number): never {
        throw new FairwayError('E_INTERNAL', `flow engine (wasm) aborted at line ${line}:${column}`);
      },
    },
  });
  return instance.exports as unknown as FlowModuleExports;
}
