// A graph-building worker thread (run by Piscina): fills its share of a hierarchical
// collective's groups straight into the shared columns, each group at the operation ids and
// edge slots the planner measured for it (src/parallel/parallel-build.ts).
import type { DagColumns } from '../graph/index.js';
import { buildPhase } from '../collective/hierarchical.js';
import type { RingOptions } from '../collective/ring.js';
import { SharedWriter } from '../graph/shared-columns.js';

export interface FillTask {
  readonly columns: DagColumns;
  readonly kind: 'ring' | 'hd';
  readonly size: number;
  readonly steps: number;
  readonly options: RingOptions;
  /** Per group: its accelerators, their communicator ranks, each rank's previous-phase end (op id or −1), and where its ops and edges go and end. */
  readonly groups: Int32Array[];
  readonly ranks: Int32Array[];
  readonly afters: Int32Array[];
  readonly starts: Float64Array;
  readonly ends: Float64Array;
}

export function fillPhase(task: FillTask): number {
  task.groups.forEach((nodes, g) => {
    const w = new SharedWriter(task.columns, task.starts[2 * g], task.starts[2 * g + 1]);
    buildPhase(w, task.kind, [nodes], [task.ranks[g]], [task.afters[g]], task.size, task.steps, task.options);
    const [ops, edges] = w.position;
    if (ops !== task.ends[2 * g] || edges !== task.ends[2 * g + 1]) throw new Error(`group ${g}: wrote up to ${ops}/${edges}, planned ${task.ends[2 * g]}/${task.ends[2 * g + 1]}`);
  });
  return task.groups.length;
}
