// A workload's collective at the analytical fidelity: one delay of NCCL's closed-form time for
// its plan (its latency included), after the members' launches; no transfers.
import { describe, expect, test } from 'vitest';
import { defaultCommunicator } from '../../../src/collective/communicator.js';
import { DEFAULT_COLLECTIVE_OPTIONS } from '../../../src/collective/index.js';
import { ncclWorkloadPlan } from '../../../src/collective/nccl-plan.js';
import { OP_TRANSFER } from '../../../src/graph/index.js';
import { parseWorkload } from '../../../src/io/workload-file.js';
import { runWorkload } from '../../../src/sim/workload-run.js';
import { Router } from '../../../src/topology/routing/router.js';
import { topologyOf } from '../../helpers/topologies.js';

const topo = topologyOf({ servers: [{ template: 'dgx-h100' }] });
const router = new Router(topo);

describe('collective, analytical fidelity', () => {
  test("1 GiB all-reduce on one DGX H100: launch (5 µs) + NCCL's closed form, no transfers", () => {
    const spec = { ...parseWorkload({ ranks: 8, ops: [{ id: 'ar', type: 'collective', op: 'all_reduce', bytes: '1GiB' }] }), fidelity: 'analytical' as const };
    const w = runWorkload(spec, topo, router);
    const plan = ncclWorkloadPlan(topo, defaultCommunicator(topo, 8), 'all_reduce', 2 ** 30, DEFAULT_COLLECTIVE_OPTIONS, 'auto')!;
    expect(w.summary.makespanSec).toBeCloseTo(5e-6 + plan.choice!.timeUs * 1e-6, 12);
    expect(Array.from(w.expanded.dag.kind).filter((k) => k === OP_TRANSFER)).toHaveLength(0);
  });

  test('an all-to-all (NCCL runs it point to point, no closed form) stays simulated', () => {
    const spec = { ...parseWorkload({ ranks: 8, ops: [{ id: 'a2a', type: 'collective', op: 'alltoall', bytes: '64MiB' }] }), fidelity: 'analytical' as const };
    expect(Array.from(runWorkload(spec, topo, router).expanded.dag.kind).filter((k) => k === OP_TRANSFER).length).toBeGreaterThan(0);
  });
});
