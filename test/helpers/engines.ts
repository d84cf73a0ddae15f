// Both engine implementations, for suites that must hold on each.
import type { FlowEngine } from '../../src/engine/flow-engine.js';
import { ReferenceFlowEngine } from '../../src/engine/reference-engine.js';
import { WasmFlowEngine } from '../../src/engine/wasm-engine.js';

export const ENGINES: readonly (readonly [string, () => FlowEngine])[] = [
  ['wasm', () => new WasmFlowEngine()],
  ['ts', () => new ReferenceFlowEngine()],
];

/** Runs the engine until nothing is live; returns id -> finish time (ids are read before reuse). */
export function runToEnd(e: FlowEngine, names: Map<number, string>): Map<string, number> {
  const out = new Map<string, number>();
  for (let guard = 0; e.liveCount > 0 && guard < 10000; guard++) {
    const done = e.advance();
    if (done.length === 0 && e.nextEventTime() === Infinity) break;
    for (const id of done) out.set(names.get(id)!, e.now);
  }
  return out;
}

export function relErr(a: number, b: number): number {
  return a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
}
