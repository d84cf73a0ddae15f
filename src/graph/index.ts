// The operation-graph layer: the lingua franca between the builders (collectives, workloads,
// host pipelines) and the runners in sim/.
export { OP_COMPUTE, OP_CPU, OP_DELAY, OP_HOLD, OP_KINDS, OP_TRANSFER, type OpKind, type OpKindInfo } from './op-kinds.js';
export { OP_FIELDS, type DagColumns, type OpColumns, type OpField } from './columns.js';
export type { OpSink } from './op-sink.js';
export { OperationGraph, TransferDag } from './operation-graph.js';
export { CountingSink } from './shared-columns.js';
