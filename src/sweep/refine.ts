// A refined sweep (`fairway sweep --refine K`): every point first at the analytical fidelity
// (a collective as NCCL's closed form, milliseconds a point; a workload with its collectives as
// that closed form and the rest simulated), then the K fastest and every point that has no closed
// form (algorithms NCCL does not run) simulated at the flow level. The other points keep their
// analytical results; each record says which level it holds.
import { FairwayError } from '../core/errors.js';
import type { SweepRecord } from './results.js';
import { sweepPoints, type SweepPoint, type SweepSpec } from './spec.js';

/** The error a point gets when it has no closed form (scenario/collective-sizes.ts). */
const NO_CLOSED_FORM = 'collective.fidelity: analytical needs';

/** The sweep at the analytical fidelity: its base collective's `fidelity`, or the scenario's beside its workload. */
export function analyticalSweep(spec: SweepSpec): SweepSpec {
  const collective = spec.base.collective;
  if (typeof collective === 'object' && collective !== null) return { ...spec, base: { ...spec.base, collective: { ...collective, fidelity: 'analytical' } } };
  if (spec.base.workload === undefined) throw new FairwayError('E_INPUT', '--refine: needs a collective or a workload sweep (a serve sweep has one fidelity: run it without --refine)', [{ path: '--refine', message: 'no base.collective or base.workload' }]);
  return { ...spec, base: { ...spec.base, fidelity: 'analytical' } };
}

/**
 * The points to simulate at the flow level after the analytical pass: the `k` with the least
 * time (ties by point number), then those without a closed form; as a sweep listing them, and
 * their numbers in the original sweep (the listed sweep numbers them 0, 1, …).
 */
export function flowPass(spec: SweepSpec, analytical: readonly SweepRecord[], k: number): { spec: SweepSpec; indices: number[] } {
  // a collective's time, or a workload's step
  const time = (r: SweepRecord) => Number(r.metrics?.timeUs ?? r.metrics?.stepMs ?? Infinity);
  const best = analytical
    .filter((r) => r.ok)
    .sort((a, b) => time(a) - time(b) || a.index - b.index)
    .slice(0, k)
    .map((r) => r.index);
  const open = analytical.filter((r) => !r.ok && r.error?.startsWith(NO_CLOSED_FORM)).map((r) => r.index);
  const indices = [...best, ...open];
  const byIndex = new Map<number, SweepPoint>(sweepPoints(spec).map((p) => [p.index, p]));
  return { spec: { ...spec, axes: [], listed: indices.map((i) => byIndex.get(i)!.overrides) }, indices };
}

/** The analytical records with those simulated replaced, every record's level in its `fidelity` metric. */
export function refinedRecords(analytical: readonly SweepRecord[], flow: readonly SweepRecord[], indices: readonly number[]): SweepRecord[] {
  const simulated = new Map<number, SweepRecord>(flow.map((r) => [indices[r.index], { ...r, index: indices[r.index] }]));
  return analytical.map((r) => {
    const f = simulated.get(r.index);
    const out = f ?? r;
    return out.ok ? { ...out, metrics: { ...out.metrics, fidelity: f ? 'flow' : 'analytical' } } : out;
  });
}
