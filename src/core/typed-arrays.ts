// Growable typed-array columns: the one place that copies a column into a larger one, for the
// operation graph, the reference engine, the resource monitor and the route tables.

export type NumericArray = Uint8Array<ArrayBufferLike> | Int32Array<ArrayBufferLike> | Float64Array<ArrayBufferLike>;

/** A new array of the same type and exactly `capacity` items, starting with a copy of `a` (capacity ≥ a.length). */
export function resized<T extends NumericArray>(a: T, capacity: number): T {
  const b = new (a.constructor as new (n: number) => T)(capacity);
  b.set(a);
  return b;
}

/** `a` itself when it holds `atLeast` items, else a copy into max(atLeast, 2 × length) items (amortised O(1) appends). */
export function grownTo<T extends NumericArray>(a: T, atLeast: number): T {
  return atLeast <= a.length ? a : resized(a, Math.max(atLeast, 2 * a.length));
}
