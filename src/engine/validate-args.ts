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
 * start's own message). O(schedule size); nothing has started when it throws.
 */
export function checkSchedule(s: ReleaseSchedule, resourceCount: number, liveCount: number): void {
  if (liveCount > 0) throw argumentError('replay', `the engine has ${liveCount} live activities; a batch replay runs on an idle engine`);
  const n = s.order.length;
  const columns: [string, number, number][] = [['releaseSec', s.releaseSec.length, n], ['amount', s.amount.length, n], ['resStart', s.resStart.length, n + 1]];
  for (const [name, have, want] of columns) if (have !== want) throw argumentError(`schedule.${name}`, `has ${have} entries for ${n} activities (want ${want})`);
  checkReleaseOrder(s);
  for (let i = 0; i < n; i++) {
    const b = s.resStart[i], e = s.resStart[i + 1], amount = s.amount[i];
    if (!(b >= 0 && e <= s.resources.length)) throw argumentError(`schedule.resStart[${i}]`, `resources ${b}..${e} are not within the ${s.resources.length} given`);
    let ok = amount >= 0 && amount < Infinity && e > b;
    for (let k = b; ok && k < e; k++) ok = s.resources[k] >= 0 && s.resources[k] < resourceCount;
    if (!ok) refuseRelease(s, i, resourceCount);
  }
}

/** order is a permutation of 0..n-1 whose release times are finite and non-decreasing. */
function checkReleaseOrder(s: ReleaseSchedule): void {
  const n = s.order.length, seen = new Uint8Array(n);
  let last = -Infinity;
  for (let k = 0; k < n; k++) {
    const i = s.order[k];
    if (!(i >= 0 && i < n) || seen[i]) throw argumentError(`schedule.order[${k}]`, `activity ${i} is not in 0..${n - 1} or comes twice`);
    seen[i] = 1;
    const t = s.releaseSec[i];
    if (!Number.isFinite(t)) throw argumentError(`schedule.releaseSec[${i}]`, `must be a finite number (got ${t})`);
    if (t < last) throw argumentError(`schedule.order[${k}]`, `activity ${i} is released at ${t}, before the one ahead of it (${last})`);
    last = t;
  }
}

/** Throws start()'s own error for release i, naming the activity. */
function refuseRelease(s: ReleaseSchedule, i: number, resourceCount: number): never {
  try {
    checkStart(s.amount[i], s.resources.subarray(s.resStart[i], s.resStart[i + 1]), undefined, undefined, resourceCount);
  } catch (e) {
    if (e instanceof FairwayError) throw new FairwayError(e.code, `schedule activity ${i}: ${e.message}`, e.issues);
    throw e;
  }
  throw new FairwayError('E_INTERNAL', `schedule activity ${i} was refused, but start() accepts it`);
}
