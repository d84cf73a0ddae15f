// fairway's public API for embedding: everything a tool needs to build a system of resources
// and activities, run it, and replay flow problems. cli/ is a client of this API like any other.
export { FairwayError, type ErrorCode, type InputIssue } from './core/errors.js';
export {
  createEngine,
  maxMinRates,
  ReferenceFlowEngine,
  WasmFlowEngine,
  type ActivityId,
  type EngineKind,
  type EngineStats,
  type FlowEngine,
  type ResourceId,
  type StartOptions,
  type Use,
  type WasmEngineOptions,
} from './engine/index.js';
export { parseFlowProblem, parseFlowProblemText, type FlowProblem } from './io/flow-problem.js';
export { activationTimes, replayFlows, type FlowReplayResult, type ReplayProgress } from './sim/flow-replay.js';
