// Engine layer entry: pick an engine by kind; the seams (RateSolver, Clock, BatchReplay) and
// their composition FlowEngine.
import type { FlowEngine } from './flow-engine.js';
import { ReferenceFlowEngine } from './reference-engine.js';
import { WasmFlowEngine, type WasmEngineOptions } from './wasm-engine.js';

export type EngineKind = 'wasm' | 'ts';

export function createEngine(kind: EngineKind = 'wasm', options: WasmEngineOptions = {}): FlowEngine {
  return kind === 'ts' ? new ReferenceFlowEngine() : new WasmFlowEngine(options);
}

export type {
  ActivationOptions, ActivityId, ActivityOptions, Clock, EngineStats, FlowEngine, RateSolver, ResourceId, StartOptions, Use,
} from './flow-engine.js';
export { ReferenceFlowEngine } from './reference-engine.js';
export { maxMinRates, type FillActivity } from './max-min-fill.js';
export { WasmFlowEngine, type WasmEngineOptions } from './wasm-engine.js';
export { PROGRESS_EVERY, type BatchReplay, type ReleaseSchedule, type ScheduleProgress, type ScheduleResult } from './batch-replay.js';
export { batchReplayOf, eventLoopReplay } from './event-loop-replay.js';
