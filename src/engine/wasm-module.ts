// Loads build/flow_engine.wasm (compiled from assembly/) and types its raw exports. Each call to
// instantiateFlowModule() gives an independent instance with its own memory, so every engine
// (and every worker thread) owns its state. No static node: import, so the browser entry
// (engine-entry.ts) bundles this file: under Node the module is read from the package on first
// use; in a browser the page hands it over once with initWasm() (e.g. from fetch()).
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
  setScanMax(n: number): void;
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

/** build/flow_engine.wasm: src/engine/ and dist/engine/ both sit two levels below the package root. */
const WASM_URL = new URL('../../build/flow_engine.wasm', import.meta.url);

/** The compiled module (compiling it on first use), to hand to worker threads. */
export function compiledFlowModule(): WebAssembly.Module {
  return compile();
}

/** Uses a module compiled elsewhere (by the main thread), so a worker thread compiles nothing. */
export function useCompiledFlowModule(module: WebAssembly.Module): void {
  compiled = module;
}

/** What initWasm accepts: the module's bytes, a fetch() response (or its promise), or a compiled module. */
export type WasmSource = BufferSource | Response | PromiseLike<Response> | WebAssembly.Module;

/**
 * Hands the flow engine's Wasm module to fairway where it cannot read it itself (a browser):
 * `await initWasm(fetch(new URL('fairway/build/flow_engine.wasm', import.meta.url)))`. Under
 * Node it is optional. Later calls replace the module for engines created after them.
 */
export async function initWasm(source: WasmSource): Promise<void> {
  const s = await source;
  if (s instanceof WebAssembly.Module) compiled = s;
  else if (typeof Response !== 'undefined' && s instanceof Response) {
    if (!s.ok) throw new FairwayError('E_INPUT', `initWasm: fetching the flow engine's Wasm module failed (HTTP ${s.status} ${s.statusText})`);
    compiled = await WebAssembly.compile(await s.arrayBuffer());
  } else compiled = await WebAssembly.compile(s as BufferSource);
}

/** Node's fs (process.getBuiltinModule, Node ≥ 20.16), or undefined in a browser. */
function nodeFs(): { readFileSync(path: URL): Uint8Array } | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return proc?.getBuiltinModule?.('node:fs') as { readFileSync(path: URL): Uint8Array } | undefined;
}

function compile(): WebAssembly.Module {
  if (compiled) return compiled;
  const fs = nodeFs();
  if (!fs) throw new FairwayError('E_INPUT', "the flow engine's Wasm module is not loaded: call await initWasm(fetch(url of build/flow_engine.wasm)) first, or use the reference engine (createEngine('reference'))");
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(WASM_URL);
  } catch {
    throw new FairwayError('E_INTERNAL', `cannot read ${decodeURIComponent(WASM_URL.pathname)}: run "npm run build" (or "npm ci") first`);
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
