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
export { formatBandwidth, formatBytes, formatDuration, formatFlops, parseQuantity, type Quantity } from './core/units.js';
export * as hardware from './hardware/index.js';
export { Topology, NODE_KINDS, type NodeKind, type Placement, type TopoLink, type TopoNode } from './topology/graph.js';
export type { FabricSpec, LinkOverride, PcieSwitchSpec, RawLinkSpec, RawNodeSpec, ScaleUpSpec, ServerGroupSpec, TopologySpec } from './topology/spec.js';
export { SERVER_TEMPLATES } from './topology/server-templates.js';
export { buildTopology } from './topology/build.js';
export { Router, type Route } from './topology/routing/router.js';
export { NetworkResources } from './topology/network-resources.js';
export { summarize, bisectionBytesPerSec, type TopologySummary } from './topology/metrics.js';
export { parseTopology, parseTopologyText } from './io/topology-file.js';
