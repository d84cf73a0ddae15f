// The issues of the input error `f` throws, as "path: message" lines; fails if it does not throw one.
import { FairwayError } from '../../src/core/errors.js';

export function problems(f: () => unknown): string[] {
  try {
    f();
  } catch (e) {
    if (e instanceof FairwayError) return e.issues.map((i) => `${i.path}: ${i.message}`);
    throw e;
  }
  throw new Error('expected an input error');
}
