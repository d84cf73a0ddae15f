// A scenario written as a document, the form of a sweep file's `base:` and of what the command
// line assembles from its flags: `topology` (a topology document, or a file / shipped name /
// builder spec) and one of `collective` (collective-scenario.ts fields), `workload` (a
// workload document, with `fidelity` beside it: flow or analytical, as simulate --fidelity) or
// `serve` (a serve document, docs/serve.md; its topology optional). Errors name document paths.
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

/** A workload scenario's fidelity: flow (the default) or analytical (its collectives as NCCL's closed form). */
function workloadFidelity(v: unknown): 'flow' | 'analytical' {
  if (v === undefined || v === 'flow' || v === 'analytical') return v ?? 'flow';
  throw new FairwayError('E_INPUT', `scenario.fidelity: must be flow or analytical, got ${JSON.stringify(v)}`, [{ path: 'fidelity', message: 'flow or analytical' }]);
}

export function scenarioFromDocument(doc: Doc, engine: EngineKind = 'wasm'): Scenario {
  if (isDoc(doc.serve)) {
    if (doc.fidelity !== undefined) throw new FairwayError('E_INPUT', 'scenario.fidelity: a serve scenario has no fidelity (its steps are costed, its KV transfers simulated)', [{ path: 'fidelity', message: 'leave it out' }]);
    return { ...(doc.topology === undefined ? {} : { topology: topologyOf(doc.topology) }), serve: { doc: doc.serve, file: '<inline>' }, engine };
  }
  const topology = topologyOf(doc.topology);
  if (isDoc(doc.collective)) {
    if (doc.fidelity !== undefined) throw new FairwayError('E_INPUT', 'scenario.fidelity: a collective takes its fidelity in collective.fidelity', [{ path: 'fidelity', message: 'give collective.fidelity instead' }]);
    return { topology, collective: readCollectiveScenario(doc.collective, 'collective'), engine };
  }
  if (isDoc(doc.workload)) return { topology, workload: { source: { doc: doc.workload, label: 'workload' }, monitor: 'auto', fidelity: workloadFidelity(doc.fidelity) }, engine };
  return { topology, engine }; // runScenario says what is missing
}
