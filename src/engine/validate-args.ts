// Argument checks shared by both engines, so they reject the same calls with the same errors.
import { argumentError } from '../core/errors.js';
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
