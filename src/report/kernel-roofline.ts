// The kernels of one rank on the roofline: every compute operation with FLOPs, grouped by kind
// (its id with the numbers taken out, its data type and its FLOPs and bytes), at its arithmetic
// intensity (FLOPs per HBM byte) and the FLOP/s it reached in the run (its FLOPs over the time
// from its start to its finish, sharing included), against the accelerator's roofs: the math
// peak of each data type and the HBM bandwidth times the intensity.
import { ACCELERATOR_SPECS } from '../hardware/index.js';
import type { WorkloadRun } from '../sim/workload-run.js';
import type { Topology } from '../topology/graph.js';
import { CAT_COMPUTE } from '../workload/timeline.js';
import type { WorkloadSpec } from '../workload/spec.js';

export interface RooflineKernel {
  /** The op ids of the group, numbers replaced by #, e.g. "s#.mb#.L#.fwd". */
  readonly name: string;
  readonly dtype: string;
  /** One kernel's FLOPs and HBM bytes. */
  readonly flops: number;
  readonly bytes: number;
  /** Kernels in the group on the rank, and their total time (s). */
  readonly count: number;
  readonly seconds: number;
}

export interface Roofline {
  readonly rank: number;
  readonly accelerator: string;
  /** Math peaks by data type (FLOP/s): bf16, and fp8 where the accelerator has it. */
  readonly peaks: readonly { readonly dtype: string; readonly flopsPerSec: number }[];
  readonly hbmBytesPerSec: number;
  /** Kernel groups with FLOPs, most time first. */
  readonly kernels: readonly RooflineKernel[];
  /** Kernels without FLOPs (memory-bound only): their count and total time (s). */
  readonly memoryOnly: { readonly count: number; readonly seconds: number; readonly bytes: number };
}

/** Rank `rank`'s kernels on its accelerator's roofline, or null when it ran none with FLOPs or its accelerator is not catalogued. */
export function kernelRoofline(spec: WorkloadSpec, w: WorkloadRun, topo: Topology, rank = 0): Roofline | null {
  const acc = ACCELERATOR_SPECS.get(topo.nodes[w.expanded.accelerators[rank]]?.spec ?? '');
  if (!acc) return null;
  const { timeline: t } = w.expanded;
  const { startSec, finishSec } = w.run;
  const groups = new Map<string, { name: string; dtype: string; flops: number; bytes: number; count: number; seconds: number }>();
  const memoryOnly = { count: 0, seconds: 0, bytes: 0 };
  for (let i = 0; i < t.size; i++) {
    if (t.rank[i] !== rank || t.category[i] !== CAT_COMPUTE || t.op[i] < 0) continue;
    const op = spec.ops[t.op[i]];
    if (op.type !== 'compute') continue;
    const seconds = finishSec[t.end[i]] - (t.beginAtFinish[i] ? finishSec[t.begin[i]] : startSec[t.begin[i]]);
    if (!(op.flops > 0)) {
      if (op.bytes > 0) (memoryOnly.count++, (memoryOnly.seconds += seconds), (memoryOnly.bytes += op.bytes));
      continue;
    }
    const name = op.id.replace(/\d+/g, '#');
    const key = `${name}\u0000${op.dtype}\u0000${op.flops}\u0000${op.bytes}`;
    const g = groups.get(key) ?? { name, dtype: op.dtype, flops: op.flops, bytes: op.bytes, count: 0, seconds: 0 };
    g.count++;
    g.seconds += seconds;
    groups.set(key, g);
  }
  if (groups.size === 0) return null;
  const kernels = [...groups.values()].sort((a, b) => b.seconds - a.seconds || (a.name < b.name ? -1 : a.name > b.name ? 1 : a.flops - b.flops));
  const peaks = [{ dtype: 'bf16', flopsPerSec: acc.flopsPerSec }, ...(acc.fp8FlopsPerSec !== null ? [{ dtype: 'fp8', flopsPerSec: acc.fp8FlopsPerSec }] : [])];
  return { rank, accelerator: acc.name, peaks, hbmBytesPerSec: acc.memoryBytesPerSec, kernels, memoryOnly };
}
