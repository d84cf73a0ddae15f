// Indexed binary min-heap of small integer items keyed by an f64 column that the caller owns.
// Used twice: the event heap (activities by next event time) and the progressive-filling heap
// (resources by fair-share level). `pos[item]` is the item's slot + 1 (0 = absent), so
// membership, decrease-key and increase-key are all O(log n). Ties break on the item id, which
// makes pop order independent of insertion order.
import { getF, getI, setI, growColumn } from "./mem";

export class IndexedHeap {
  items: usize = 0;   // i32[size]
  pos: usize = 0;     // i32[universe]: slot + 1
  keys: usize = 0;    // f64[universe], owned by the caller (re-pointed after the caller grows it)
  size: i32 = 0;
  cap: i32 = 0;
  universe: i32 = 0;

  /** Makes room for item ids < n. */
  reserve(n: i32): void {
    if (n <= this.universe) return;
    let u = this.universe < 16 ? 16 : this.universe;
    while (u < n) u <<= 1;
    this.pos = growColumn(this.pos, this.universe, u, 4);
    this.items = growColumn(this.items, this.cap, u, 4);
    this.cap = u;
    this.universe = u;
  }

  @inline has(item: i32): bool { return getI(this.pos, item) != 0; }
  @inline top(): i32 { return getI(this.items, 0); }
  @inline topKey(): f64 { return this.size > 0 ? getF(this.keys, getI(this.items, 0)) : Infinity; }

  @inline private less(a: i32, b: i32): bool {
    const ka = getF(this.keys, a), kb = getF(this.keys, b);
    return ka < kb || (ka == kb && a < b);
  }

  private up(slot: i32): void {
    const items = this.items, pos = this.pos;
    const it = getI(items, slot);
    while (slot > 0) {
      const parent = (slot - 1) >> 1;
      const p = getI(items, parent);
      if (!this.less(it, p)) break;
      setI(items, slot, p); setI(pos, p, slot + 1);
      slot = parent;
    }
    setI(items, slot, it); setI(pos, it, slot + 1);
  }

  down(slot: i32): void {
    const items = this.items, pos = this.pos, n = this.size;
    const it = getI(items, slot);
    for (;;) {
      let c = 2 * slot + 1;
      if (c >= n) break;
      let ci = getI(items, c);
      if (c + 1 < n) {
        const ri = getI(items, c + 1);
        if (this.less(ri, ci)) { c++; ci = ri; }
      }
      if (!this.less(ci, it)) break;
      setI(items, slot, ci); setI(pos, ci, slot + 1);
      slot = c;
    }
    setI(items, slot, it); setI(pos, it, slot + 1);
  }

  /** Inserts or re-keys `item` after its key changed in the key column. */
  update(item: i32): void {
    const p = getI(this.pos, item);
    if (p == 0) {
      const slot = this.size++;
      setI(this.items, slot, item);
      setI(this.pos, item, slot + 1);
      this.up(slot);
    } else {
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

  /** Restores heap order over all items in O(n). */
  heapify(): void {
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
    setI(items, slot, moved); setI(this.pos, moved, slot + 1);
    this.up(slot);
    this.down(getI(this.pos, moved) - 1);
  }

  clear(): void {
    for (let s = 0; s < this.size; s++) setI(this.pos, getI(this.items, s), 0);
    this.size = 0;
  }
}

/**
 * Binary min-heap of (f64 key, i32 item) pairs stored inline (16-byte entries), for the fill:
 * no position index, so it supports only build (append + heapify), re-keying the top (keys only
 * rise) and pop. Ties break on the item id, as in IndexedHeap.
 */
export class KeyHeap {
  buf: usize = 0;
  size: i32 = 0;
  cap: i32 = 0;

  reserve(n: i32): void {
    if (n <= this.cap) return;
    let c = this.cap < 16 ? 16 : this.cap;
    while (c < n) c <<= 1;
    this.buf = growColumn(this.buf, this.cap, c, 16);
    this.cap = c;
  }

  @inline topKey(): f64 { return this.size > 0 ? load<f64>(this.buf) : Infinity; }
  @inline top(): i32 { return load<i32>(this.buf, 8); }

  @inline append(key: f64, item: i32): void {
    const e = this.buf + (<usize>this.size << 4);
    this.size++;
    store<f64>(e, key);
    store<i32>(e, item, 8);
  }

  /** Sifts the entry (key, item) down from `slot` (whose old content is discarded). */
  private sift(slot: i32, key: f64, item: i32): void {
    const buf = this.buf, n = this.size;
    for (;;) {
      let c = 2 * slot + 1;
      if (c >= n) break;
      let ce = buf + (<usize>c << 4);
      let ck = load<f64>(ce), ci = load<i32>(ce, 8);
      if (c + 1 < n) {
        const re = ce + 16;
        const rk = load<f64>(re), ri = load<i32>(re, 8);
        if (rk < ck || (rk == ck && ri < ci)) { c++; ce = re; ck = rk; ci = ri; }
      }
      if (!(ck < key || (ck == key && ci < item))) break;
      const se = buf + (<usize>slot << 4);
      store<f64>(se, ck); store<i32>(se, ci, 8);
      slot = c;
    }
    const se = buf + (<usize>slot << 4);
    store<f64>(se, key); store<i32>(se, item, 8);
  }

  heapify(): void {
    const buf = this.buf;
    for (let s = (this.size >> 1) - 1; s >= 0; s--) {
      const e = buf + (<usize>s << 4);
      this.sift(s, load<f64>(e), load<i32>(e, 8));
    }
  }

  /** The top's key rose to `key`: restore order. */
  @inline rekeyTop(key: f64): void { this.sift(0, key, load<i32>(this.buf, 8)); }

  pop(): void {
    const last = --this.size;
    if (last == 0) return;
    const e = this.buf + (<usize>last << 4);
    this.sift(0, load<f64>(e), load<i32>(e, 8));
  }
}
