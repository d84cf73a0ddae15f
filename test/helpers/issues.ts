// The `path: message` lines of the input error a call throws ([] when it does not throw).
import { FairwayError } from '../../src/core/errors.js';

export function issuesOf(f: () => unknown): string[] {
  try {
    f();
  } catch (e) {
    if (e instanceof FairwayError) return e.issues.map((i) => `${i.path}: ${i.message}`);
    throw e;
  }
  return [];
}
