// fairway's public API for embedding: everything a tool needs to build a system of resources
// and activities, run it, replay flow problems, run collectives and workloads, generate
// training steps, import traces and run sweeps. cli/ is a client of this API like any other;
// docs/api.md shows it in use.
export { FairwayError, type ErrorCode, type InputIssue } from './core/errors.js';
export {
  batchReplayOf,
  createEngine,
  eventLoopReplay,
  maxMinRates,
  PROGRESS_EVERY,
  ReferenceFlowEngine,
  WasmFlowEngine,
  type ActivationOptions,
  type ActivityId,
  type ActivityOptions,
  type BatchReplay,
  type Clock,
  type EngineKind,
  type EngineStats,
  type FillActivity,
  type FlowEngine,
  type RateSolver,
  type ReleaseSchedule,
  type ResourceId,
  type ScheduleProgress,
  type ScheduleResult,
  type StartOptions,
  type Use,
  type WasmEngineOptions,
} from './engine/index.js';
export { parseFlowProblem, parseFlowProblemText, type FlowProblem } from './io/flow-problem.js';
export { activationTimes, flowSchedule, replayFlows, type FlowReplayResult, type ReplayProgress } from './sim/flow-replay.js';
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
export { loadTopologySpec } from './io/topology-source.js';

// Collectives: a communicator, an operation and an algorithm become a DAG of transfers, run on the engine.
export { defaultCommunicator, communicatorOf, type Communicator } from './collective/communicator.js';
export {
  ALGORITHMS,
  COLLECTIVE_OPS,
  DEFAULT_COLLECTIVE_OPTIONS,
  STANDALONE_LATENCIES,
  buildCollective,
  busBandwidthFactor,
  type Algorithm,
  type CollectiveOp,
  type CollectiveOptions,
} from './collective/index.js';
export { TransferDag, OP_COMPUTE, OP_CPU, OP_DELAY, OP_HOLD, OP_TRANSFER } from './graph/index.js';
export { runDag, type DagRunResult, type RunDagOptions } from './sim/dag-runner.js';
export { OP_KINDS, OperationGraph, type OpKindInfo } from './graph/index.js';
export { Simulation, type CompletionHandler, type SimObserver } from './sim/simulation.js';
export { Processes, Queue, SimEvent, type Process } from './sim/process.js';
export { GraphRun, type GraphResources } from './sim/graph-run.js';
export { runCollective, runFastestCollective, type CollectiveResult } from './sim/collective-run.js';
export { ncclPlan, type NcclOverrides, type NcclPlan } from './collective/nccl-plan.js';
export { ncclSystem, type NcclSystem } from './collective/nccl-topology.js';
export { chooseNccl, estimate as ncclEstimate, type NcclChoice } from './collective/nccl-tuner.js';
export { formatNcclTable, formatCsv as formatNcclCsv, type CollectiveRow } from './report/nccl-table.js';
export { dagToChromeTrace } from './report/chrome-trace.js';

// Workloads: kernels, host work, copies and collectives of every rank in one max-min system.
export type { WorkloadSpec, WorkloadOp, WorkloadOpType, KernelClass, RankGrouping, RankOverride } from './workload/spec.js';
export { parseWorkload, parseWorkloadText } from './io/workload-file.js';
export { HostResources } from './host/host-resources.js';
export { runWorkload, MONITOR_AUTO_LIMIT, type WorkloadResult, type WorkloadRun, type WorkloadRunOptions } from './sim/workload-run.js';
export type { RankBreakdown } from './sim/breakdown.js';
export { workloadStressPoints, type StressPoint, type MonitoredStressPoint } from './report/stress-points.js';
export { workloadTrace } from './report/workload-trace.js';
export { trainingMemory, trainingMemoryText, type TrainingMemory } from './report/training-memory.js';
export { MODELS, type TransformerModel } from './workload/generators/models.js';
export { DEFAULT_PLAN, trainingWorkload, type TrainingPlan } from './workload/generators/transformer.js';
export { checkMemory, memoryPerRank } from './workload/generators/memory-model.js';
export { modelParams, stepFlops } from './workload/generators/model-flops.js';
export { chakraWorkload, type ChakraImport } from './io/chakra-workload.js';
export { parseAicbText, type AicbImport } from './io/aicb-workload.js';

// Serving: a deployment under load (docs/serve.md).
export { parseServe, readServeFile, type ServeFile } from './io/serve-file.js';
export { runServeDocument, runServeScenario, defaultServeTopology, type ServeResult } from './scenario/serve-scenario.js';
export type { ServeSpec, SchedulerConfig, LoadSpec } from './workload/serving/serve-spec.js';
export type { ServingSummary } from './sim/serving/serving-stats.js';
export { formatServeText, serveJson, requestsCsv, type ServeReport } from './report/serve-report.js';
export { serveHtml } from './report/serve-html.js';

// Charts: Vega-Lite specs of the reports (collectiveCharts for a collective's rows), rendered to SVG text by vega.
export type { ChartSpec } from './report/chart-axis.js';
export { renderChart } from './report/chart-render.js';
export { collectiveCharts, type CollectiveAlternative } from './report/collective-chart.js';

// Sweeps: a base scenario with overridden fields, run point by point on a worker pool.
export { parseSweep, parseSweepText } from './io/sweep-file.js';
export { sweepPoints, type SweepSpec, type SweepPoint } from './sweep/spec.js';
export { runSweep, type SweepRunOptions, type Shard } from './parallel/run-sweep.js';
export { runScenario, type ScenarioHooks, type ScenarioResult, type CollectiveScenarioResult, type WorkloadScenarioResult, type ServeScenarioResult } from './scenario/run-scenario.js';
export type { Scenario, TopologySource } from './scenario/scenario.js';
export { readCollectiveScenario, DTYPES, type CollectiveScenario } from './scenario/collective-scenario.js';
export type { WorkloadScenario, WorkloadSource } from './scenario/workload-scenario.js';
export { scenarioFromDocument } from './scenario/scenario-document.js';
export { scenarioMetrics } from './scenario/metrics.js';
export { systemOf, type System } from './scenario/system.js';
export { buildSystem } from './scenario/system-source.js';
export type { Metrics } from './sweep/results.js';
export { decodeRecords, encodeRecords, mergeRecords, type SweepRecord } from './sweep/results.js';
