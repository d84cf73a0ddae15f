// Rank groups of a workload operation: `group: {size: k, stride: s}` splits the ranks into
// groups of k members s apart, Megatron-style (tensor-parallel groups are consecutive ranks,
// stride 1; data-parallel groups take one rank of each tensor-parallel group, stride = TP). An
// operation's `ranks:` list then keeps only the members it runs on.
import { FairwayError } from '../core/errors.js';
import type { WorkloadOp } from './spec.js';

/**
 * The groups of `op` over ranks 0..n−1, each a sorted list of ranks; restricted to op.ranks
 * when `restrict` (a collective's communicator), whole otherwise (a send's partner is counted
 * in the whole group, wherever the op runs).
 */
export function groupsOf(op: WorkloadOp, n: number, path: string, restrict = true): number[][] {
  const k = op.group?.size ?? n;
  const s = op.group?.stride ?? 1;
  if (n % (k * s) !== 0)
    throw new FairwayError('E_INPUT', `${path}.group: ${n} ranks do not split into groups of ${k} with stride ${s}`, [
      { path: `${path}.group`, message: `size × stride (${k * s}) must divide the rank count ${n}` },
    ]);
  const keep = op.ranks && restrict ? new Set(op.ranks) : undefined;
  const out: number[][] = [];
  for (let block = 0; block < n; block += k * s)
    for (let off = 0; off < s; off++) {
      const members: number[] = [];
      for (let j = 0; j < k; j++) {
        const r = block + off + j * s;
        if (!keep || keep.has(r)) members.push(r);
      }
      out.push(members);
    }
  return out;
}

/** Rank lists of an operation must name existing ranks. */
export function checkRanks(op: WorkloadOp, n: number, path: string): void {
  const lists: [number[] | undefined, string][] = [[op.ranks, `${path}.ranks`], ...op.overrides.map((o, j): [number[], string] => [o.ranks, `${path}.overrides[${j}].ranks`])];
  for (const [list, where] of lists) {
    const bad = list?.find((r) => r >= n);
    if (bad !== undefined)
      throw new FairwayError('E_INPUT', `${where}: rank ${bad} does not exist; this run has ranks 0 to ${n - 1}`, [{ path: where, message: `rank ${bad} is absent` }]);
  }
}
