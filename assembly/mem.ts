// Raw structure-of-arrays helpers over linear memory: typed loads/stores by index and
// geometric growth of a column. All hot state lives in such columns, never in managed objects,
// so the JS side can view them as typed arrays and nothing here is ever garbage-collected.

@inline export function getF(base: usize, i: i32): f64 { return load<f64>(base + (<usize>i << 3)); }
@inline export function setF(base: usize, i: i32, v: f64): void { store<f64>(base + (<usize>i << 3), v); }
@inline export function getI(base: usize, i: i32): i32 { return load<i32>(base + (<usize>i << 2)); }
@inline export function setI(base: usize, i: i32, v: i32): void { store<i32>(base + (<usize>i << 2), v); }
@inline export function getP(base: usize, i: i32): usize { return load<usize>(base + (<usize>i << alignof<usize>())); }
@inline export function setP(base: usize, i: i32, v: usize): void { store<usize>(base + (<usize>i << alignof<usize>()), v); }

/** The capacity to grow to for `need` elements: at least 64, doubling from `cap`. */
export function grownCapacity(cap: i32, need: i32): i32 {
  let c = cap < 64 ? 64 : cap;
  while (c < need) c <<= 1;
  return c;
}

/** Reallocates a column of `oldCount` elements of `elemBytes` to `newCount`, zero-filling the tail. */
export function growColumn(ptr: usize, oldCount: i32, newCount: i32, elemBytes: i32): usize {
  const oldBytes = <usize>oldCount * <usize>elemBytes;
  const newBytes = <usize>newCount * <usize>elemBytes;
  const p = ptr == 0 ? heap.alloc(newBytes) : heap.realloc(ptr, newBytes);
  memory.fill(p + oldBytes, 0, newBytes - oldBytes);
  return p;
}
