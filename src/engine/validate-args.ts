// Argument checks shared by both engines, so they reject the same calls (and the same batch
// replays) with the same errors.
import { argumentError, FairwayError } from '../core/errors.js';
import type { ReleaseSchedule } from './batch-replay.js';
import type { StartOptions } from './flow-engine.js';

export interface CheckedOptions {
  readonly bound: number;
  readonly weight: number;
  readonly delaySec: number;
}

export function checkCapacity(capacityPerSec: number, path: string): void {
  if (!(capacityPerSec >= 0 && capacityPerSec < Infinity)) {
    throw argumentError(path, `capacity must be a finite number >= 0 (got ${capacityPerSec})`);
  }
}

export function checkResource(resource: number, resourceCount: number, path: string): void {
  if (!Number.isInteger(resource) || resource < 0 || resource >= resourceCount) {
    throw argumentError(path, `unknown resource id ${resource} (have ${resourceCount})`);
  }
}

export function checkStart(
  amount: number,
  resources: ArrayLike<number>,
  coefficients: ArrayLike<number> | undefined,
  options: StartOptions | undefined,
  resourceCount: number,
): CheckedOptions {
  if (!(amount >= 0 && amount < Infinity)) throw argumentError('start.amount', `must be a finite number >= 0 (got ${amount})`);
  if (coefficients !== undefined && coefficients.length !== resources.length) {
    throw argumentError('start.coefficients', `has ${coefficients.length} entries for ${resources.length} resources`);
  }
  for (let k = 0; k < resources.length; k++) {
    checkResource(resources[k], resourceCount, `start.uses[${k}].resource`);
    if (coefficients !== undefined) {
      const c = coefficients[k];
      if (!(c > 0 && c < Infinity)) throw argumentError(`start.uses[${k}].coefficient`, `must be a finite number > 0 (got ${c})`);
    }
  }
  const bound = options?.bound ?? Infinity;
  const weight = options?.weight ?? 1;
  const delaySec = options?.delaySec ?? 0;
  if (!(bound > 0)) throw argumentError('start.bound', `must be > 0 (got ${bound})`);
  if (!(weight > 0 && weight < Infinity)) throw argumentError('start.weight', `must be a finite number > 0 (got ${weight})`);
  if (!(delaySec >= 0 && delaySec < Infinity)) throw argumentError('start.delaySec', `must be a finite number >= 0 (got ${delaySec})`);
  if (resources.length === 0 && bound === Infinity) {
    throw argumentError('start.uses', 'an activity with no resource needs a bound, or its rate would be infinite');
  }
  return { bound, weight, delaySec };
}

/**
 * Refuses a batch replay that could not run as documented (batch-replay.ts): an engine with live
 * activities, columns of the wrong length, an order that is not a permutation sorted by release
 * time, a release time that is not finite, or a release that start() would refuse (named with
 * start's own message). One lean pass, O(schedule size); the message is worked out only for a
 * release that fails. Nothing has started when it throws.
 */
export function checkSchedule(s: ReleaseSchedule, resourceCount: number, liveCount: number): void {
  if (liveCount > 0) throw argumentError('replay', `the engine has ${liveCount} live activities; a batch replay runs on an idle engine`);
  const { order, releaseSec, amount, resStart, resources } = s;
  const n = order.length;
  if (releaseSec.length !== n || amount.length !== n || resStart.length !== n + 1) refuseColumns(s);
  const seen = new Uint8Array(n);
  let last = -Infinity;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    const t = releaseSec[i], b = resStart[i], e = resStart[i + 1], x = amount[i];
    let ok = i >= 0 && i < n && seen[i] === 0 && t >= last && t > -Infinity && t < Infinity && b >= 0 && e > b && e <= resources.length && x >= 0 && x < Infinity;
    for (let j = b; ok && j < e; j++) ok = resources[j] >= 0 && resources[j] < resourceCount;
    if (!ok) refuseRelease(s, k, seen, last, resourceCount);
    seen[i] = 1;
    last = t;
  }
}

function refuseColumns(s: ReleaseSchedule): never {
  const n = s.order.length;
  const columns: [string, number, number][] = [['releaseSec', s.releaseSec.length, n], ['amount', s.amount.length, n], ['resStart', s.resStart.length, n + 1]];
  for (const [name, have, want] of columns) if (have !== want) throw argumentError(`schedule.${name}`, `has ${have} entries for ${n} activities (want ${want})`);
  throw new FairwayError('E_INTERNAL', 'schedule columns were refused, but their lengths agree');
}

/** Throws the error for release k of the order, which failed the check (`last`: the release time ahead of it). */
function refuseRelease(s: ReleaseSchedule, k: number, seen: Uint8Array, last: number, resourceCount: number): never {
  const n = s.order.length, i = s.order[k];
  if (!(i >= 0 && i < n) || seen[i]) throw argumentError(`schedule.order[${k}]`, `activity ${i} is not in 0..${n - 1} or comes twice`);
  const t = s.releaseSec[i], b = s.resStart[i], e = s.resStart[i + 1];
  if (!Number.isFinite(t)) throw argumentError(`schedule.releaseSec[${i}]`, `must be a finite number (got ${t})`);
  if (t < last) throw argumentError(`schedule.order[${k}]`, `activity ${i} is released at ${t}, before the one ahead of it (${last})`);
  if (!(b >= 0 && e <= s.resources.length)) throw argumentError(`schedule.resStart[${i}]`, `resources ${b}..${e} are not within the ${s.resources.length} given`);
  try {
    checkStart(s.amount[i], s.resources.subarray(b, e), undefined, undefined, resourceCount);
  } catch (err) {
    if (err instanceof FairwayError) throw new FairwayError(err.code, `schedule activity ${i}: ${err.message}`, err.issues);
    throw err;
  }
  throw new FairwayError('E_INTERNAL', `schedule activity ${i} was refused, but start() accepts it`);
}
