// A growable i32 list in linear memory (region activities, region resources, seeds, batches).
import { getI, setI, growColumn, grownCapacity } from "./mem";

export class I32List {
  ptr: usize = 0;
  n: i32 = 0;
  cap: i32 = 0;
  @inline get(k: i32): i32 { return getI(this.ptr, k); }
  push(v: i32): void {
    if (this.n == this.cap) {
      const c = grownCapacity(this.cap, this.n + 1);
      this.ptr = growColumn(this.ptr, this.cap, c, 4);
      this.cap = c;
    }
    setI(this.ptr, this.n++, v);
  }
}
