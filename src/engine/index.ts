// Engine layer entry: pick an engine by kind.
import type { FlowEngine } from './flow-engine.js';
import { ReferenceFlowEngine } from './reference-engine.js';
import { WasmFlowEngine, type WasmEngineOptions } from './wasm-engine.js';

export type EngineKind = 'wasm' | 'ts';

export function createEngine(kind: EngineKind = 'wasm', options: WasmEngineOptions = {}): FlowEngine {
  return kind === 'ts' ? new ReferenceFlowEngine() : new WasmFlowEngine(options);
}

export type { ActivityId, EngineStats, FlowEngine, ResourceId, StartOptions, Use } from './flow-engine.js';
export { ReferenceFlowEngine, maxMinRates } from './reference-engine.js';
export { WasmFlowEngine, type WasmEngineOptions } from './wasm-engine.js';
export type { ReleaseSchedule, ScheduleProgress, ScheduleResult } from './wasm-schedule.js';
