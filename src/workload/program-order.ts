// Program order: the order in which a rank issues a workload's operations each iteration, so
// the order of its launches and of the operations on each stream. It is the list order, except
// that an operation comes after the operations it waits for.
import type { WorkloadSpec } from './spec.js';

/** Op indices in program order (the file reader has ruled out cycles in `after`). */
export function programOrder(spec: WorkloadSpec): number[] {
  const index = new Map(spec.ops.map((o, i) => [o.id, i]));
  const placed = new Uint8Array(spec.ops.length);
  const out: number[] = [];
  for (let root = 0; root < spec.ops.length; root++) {
    // iterative post-order over the dependencies not placed yet
    const stack: [op: number, next: number][] = [[root, 0]];
    while (stack.length) {
      const top = stack[stack.length - 1];
      const [i, k] = top;
      if (placed[i]) {
        stack.pop();
        continue;
      }
      if (k < spec.ops[i].after.length) {
        top[1]++;
        const d = index.get(spec.ops[i].after[k])!;
        if (!placed[d]) stack.push([d, 0]);
      } else {
        placed[i] = 1;
        out.push(i);
        stack.pop();
      }
    }
  }
  return out;
}
