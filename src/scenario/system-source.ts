// A scenario's system from where its topology comes from: a topology document given inline, or
// a reference (a file, a builder spec or a shipped name) resolved by io/topology-source.ts.
import { loadTopologySpec } from '../io/topology-source.js';
import { parseTopology } from '../io/topology-file.js';
import type { TopologySource } from './scenario.js';
import { systemOf, type System } from './system.js';

export function buildSystem(source: TopologySource): System {
  return systemOf('ref' in source ? loadTopologySpec(source.ref) : parseTopology(source.doc, source.label));
}
