// Indexed binary min-heap of small integer items keyed by an f64 column that the caller owns.
// Used by the clock for its events (activities by next event time, clock.ts) and by the fill
// for resources by saturation level and activities by bound level (fill.ts). `pos[item]` is
// the item's slot + 1 (0 = absent), so membership, decrease-key and increase-key are all
// O(log n). Ties break on the item id, which makes pop order independent of insertion order.
// Each slot also holds a copy of its item's key (`hk`, refreshed by update, append and
// heapify), so sifting compares neighbouring slots instead of reading the key column at
// scattered item ids: with millions of live events that is most of a heap operation's cost.
import { getF, getI, setF, setI, growColumn, grownCapacity } from "./mem";

export class IndexedHeap {
  items: usize = 0;   // i32[size]
  hk: usize = 0;      // f64[size]: the key of the item in each slot
  pos: usize = 0;     // i32[universe]: slot + 1
  keys: usize = 0;    // f64[universe], owned by the caller (re-pointed after the caller grows it)
  size: i32 = 0;
  cap: i32 = 0;
  universe: i32 = 0;

  /** Makes room for item ids < n. */
  reserve(n: i32): void {
    if (n <= this.universe) return;
    const u = grownCapacity(this.universe, n);
    this.pos = growColumn(this.pos, this.universe, u, 4);
    this.items = growColumn(this.items, this.cap, u, 4);
    this.hk = growColumn(this.hk, this.cap, u, 8);
    this.cap = u;
    this.universe = u;
  }

  @inline has(item: i32): bool { return getI(this.pos, item) != 0; }
  @inline top(): i32 { return getI(this.items, 0); }
  @inline topKey(): f64 { return this.size > 0 ? getF(this.hk, 0) : Infinity; }

  /** Whether (key ka, item a) orders before (kb, b). */
  @inline private static before(ka: f64, a: i32, kb: f64, b: i32): bool {
    return ka < kb || (ka == kb && a < b);
  }

  private up(slot: i32): void {
    const items = this.items, pos = this.pos, hk = this.hk;
    const it = getI(items, slot);
    const k = getF(hk, slot);
    while (slot > 0) {
      const parent = (slot - 1) >> 1;
      const p = getI(items, parent);
      const kp = getF(hk, parent);
      if (!IndexedHeap.before(k, it, kp, p)) break;
      setI(items, slot, p); setF(hk, slot, kp); setI(pos, p, slot + 1);
      slot = parent;
    }
    setI(items, slot, it); setF(hk, slot, k); setI(pos, it, slot + 1);
  }

  down(slot: i32): void {
    const items = this.items, pos = this.pos, hk = this.hk, n = this.size;
    const it = getI(items, slot);
    const k = getF(hk, slot);
    for (;;) {
      let c = 2 * slot + 1;
      if (c >= n) break;
      let ci = getI(items, c);
      let kc = getF(hk, c);
      if (c + 1 < n) {
        const ri = getI(items, c + 1);
        const kr = getF(hk, c + 1);
        if (IndexedHeap.before(kr, ri, kc, ci)) { c++; ci = ri; kc = kr; }
      }
      if (!IndexedHeap.before(kc, ci, k, it)) break;
      setI(items, slot, ci); setF(hk, slot, kc); setI(pos, ci, slot + 1);
      slot = c;
    }
    setI(items, slot, it); setF(hk, slot, k); setI(pos, it, slot + 1);
  }

  /** Inserts or re-keys `item` after its key changed in the key column. */
  update(item: i32): void {
    const p = getI(this.pos, item);
    const k = getF(this.keys, item);
    if (p == 0) {
      const slot = this.size++;
      setI(this.items, slot, item);
      setF(this.hk, slot, k);
      setI(this.pos, item, slot + 1);
      this.up(slot);
    } else {
      setF(this.hk, p - 1, k);
      this.up(p - 1);
      this.down(getI(this.pos, item) - 1);
    }
  }

  /** Appends without ordering; call heapify() before the next heap operation. */
  @inline append(item: i32): void {
    const slot = this.size++;
    setI(this.items, slot, item);
    setI(this.pos, item, slot + 1);
  }

  /** Restores heap order over all items in O(n), their keys read afresh from the key column. */
  heapify(): void {
    for (let s = 0; s < this.size; s++) setF(this.hk, s, getF(this.keys, getI(this.items, s)));
    for (let s = (this.size >> 1) - 1; s >= 0; s--) this.down(s);
  }

  /** Removes and returns the top item; -1 (and no change) if empty. */
  pop(): i32 {
    if (this.size == 0) return -1;
    const it = getI(this.items, 0);
    this.removeAt(0);
    return it;
  }

  remove(item: i32): void {
    const p = getI(this.pos, item);
    if (p != 0) this.removeAt(p - 1);
  }

  private removeAt(slot: i32): void {
    const items = this.items;
    const gone = getI(items, slot);
    setI(this.pos, gone, 0);
    const last = --this.size;
    if (slot == last) return;
    const moved = getI(items, last);
    setI(items, slot, moved); setF(this.hk, slot, getF(this.hk, last)); setI(this.pos, moved, slot + 1);
    this.up(slot);
    this.down(getI(this.pos, moved) - 1);
  }

  clear(): void {
    for (let s = 0; s < this.size; s++) setI(this.pos, getI(this.items, s), 0);
    this.size = 0;
  }
}
