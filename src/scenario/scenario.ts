// A scenario, the one typed document every front end fills in: the system (a topology document
// or a reference to one) and what runs on it (a collective at a range of sizes, a workload, or a
// serving deployment under load), with the engine to use. `fairway collective`, `fairway
// simulate`, each sweep point and the library all run one through runScenario (run-scenario.ts).
import type { EngineKind } from '../engine/index.js';
import type { CollectiveScenario } from './collective-scenario.js';
import type { WorkloadScenario } from './workload-scenario.js';

/** A topology given as a document (`label` names it in messages), or a reference: a file, a shipped name or a builder spec. */
export type TopologySource = { readonly doc: unknown; readonly label: string } | { readonly ref: string };

export interface Scenario {
  /** Required for a collective; a workload or a serve document may name its own (or get a default system). */
  readonly topology?: TopologySource;
  readonly collective?: CollectiveScenario;
  readonly workload?: WorkloadScenario;
  /** A serve document (docs/serve.md) and the file relative paths in it are read from ('<inline>': the working directory). */
  readonly serve?: { readonly doc: unknown; readonly file: string };
  /** Flow engine: 'wasm' (default) or the TypeScript reference 'ts'. */
  readonly engine?: EngineKind;
}
