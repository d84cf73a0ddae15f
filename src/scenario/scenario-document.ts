// A scenario written as a document, the form of a sweep file's `base:` and of what the command
// line assembles from its flags: `topology` (a topology document, or a file / shipped name /
// builder spec) and one of `collective` (collective-scenario.ts fields) or `workload` (a
// workload document). Errors name document paths.
import { FairwayError } from '../core/errors.js';
import type { EngineKind } from '../engine/index.js';
import { isDoc, type Doc } from '../io/fields.js';
import { readCollectiveScenario } from './collective-scenario.js';
import type { Scenario, TopologySource } from './scenario.js';

function topologyOf(v: unknown): TopologySource {
  if (typeof v === 'string' && v !== '') return { ref: v };
  if (isDoc(v)) return { doc: v, label: 'topology' };
  throw new FairwayError('E_INPUT', 'scenario.topology: must be a topology document', [{ path: 'topology', message: 'not an object' }]);
}

export function scenarioFromDocument(doc: Doc, engine: EngineKind = 'wasm'): Scenario {
  const topology = topologyOf(doc.topology);
  if (isDoc(doc.collective)) return { topology, collective: readCollectiveScenario(doc.collective, 'collective'), engine };
  if (isDoc(doc.workload)) return { topology, workload: { source: { doc: doc.workload, label: 'workload' }, monitor: 'auto' }, engine };
  return { topology, engine }; // runScenario says what is missing
}
