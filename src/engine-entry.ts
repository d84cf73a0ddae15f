// fairway's browser-safe entry, the package export "fairway/engine": the flow engine, systems
// from builder specs and topology documents, NCCL-planned collectives and training steps, with
// no file access, no worker pool and no node: import, so a bundler ships it to a page (docs/
// playground/). The Wasm solver is handed over once with initWasm() (under Node it is read from
// the package); createEngine('ts') needs nothing. Everything here also comes from "fairway".
export { FairwayError, type ErrorCode, type InputIssue } from './core/errors.js';
export { createEngine, maxMinRates, ReferenceFlowEngine, WasmFlowEngine, type EngineKind, type FlowEngine, type WasmEngineOptions } from './engine/index.js';
export { initWasm, type WasmSource } from './engine/wasm-module.js';
export { formatBandwidth, formatBytes, formatDuration, parseQuantity } from './core/units.js';
export * as hardware from './hardware/index.js';

// Topologies and systems
export { Topology, type TopoLink, type TopoNode } from './topology/graph.js';
export type { TopologySpec } from './topology/spec.js';
export { SERVER_TEMPLATES } from './topology/server-templates.js';
export { buildTopology } from './topology/build.js';
export { Router } from './topology/routing/router.js';
export { summarize, type TopologySummary } from './topology/metrics.js';
export { parseTopology, parseTopologyText } from './io/topology-file.js';
export { FABRIC_BUILDERS, parseBuilderSpec } from './io/builder-spec.js';
export { systemOf, type System } from './scenario/system.js';
export { systemFromDocument } from './scenario/system-document.js';

// Collectives: as `fairway collective` runs them (NCCL's plan per size, nccl-tests rows)
export { defaultCommunicator, communicatorOf, type Communicator } from './collective/communicator.js';
export { ALGORITHMS, COLLECTIVE_OPS, DEFAULT_COLLECTIVE_OPTIONS, buildCollective, busBandwidthFactor, type Algorithm, type CollectiveOp, type CollectiveOptions } from './collective/index.js';
export { ncclPlan, type NcclPlan } from './collective/nccl-plan.js';
export { runCollective, type CollectiveResult } from './sim/collective-run.js';
export { readCollectiveScenario, type CollectiveScenario } from './scenario/collective-scenario.js';
export { collectiveRows, runCollectiveSizes, type SizeHooks, type SizeStats } from './scenario/collective-sizes.js';
export { formatNcclTable, formatCsv as formatNcclCsv, type CollectiveRow } from './report/nccl-table.js';

// Workloads and training steps
export type { WorkloadSpec, WorkloadOp } from './workload/spec.js';
export { parseWorkload, parseWorkloadText } from './io/workload-file.js';
export { runWorkload, type WorkloadRun, type WorkloadRunOptions } from './sim/workload-run.js';
export { MODELS, type TransformerModel } from './workload/generators/models.js';
export { DEFAULT_PLAN, trainingWorkload, type TrainingPlan } from './workload/generators/transformer.js';

// Charts: the reports' Vega-Lite specs (busbw and time against size) and their SVG rendering by vega
export type { ChartSpec } from './report/chart-axis.js';
export { renderChart } from './report/chart-render.js';
export { collectiveCharts, type CollectiveAlternative } from './report/collective-chart.js';
