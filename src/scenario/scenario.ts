// A scenario, the one typed document every front end fills in: the system (a topology document
// or a reference to one) and what runs on it (a collective at a range of sizes, or a workload),
// with the engine to use. `fairway collective`, `fairway simulate`, each sweep point and the
// library all run one through runScenario (run-scenario.ts).
import type { EngineKind } from '../engine/index.js';
import type { CollectiveScenario } from './collective-scenario.js';
import type { WorkloadScenario } from './workload-scenario.js';

/** A topology given as a document (`label` names it in messages), or a reference: a file, a shipped name or a builder spec. */
export type TopologySource = { readonly doc: unknown; readonly label: string } | { readonly ref: string };

export interface Scenario {
  /** Required for a collective; a workload may name its own (or, from traces, get a default system). */
  readonly topology?: TopologySource;
  readonly collective?: CollectiveScenario;
  readonly workload?: WorkloadScenario;
  /** Flow engine: 'wasm' (default) or the TypeScript reference 'ts'. */
  readonly engine?: EngineKind;
}
