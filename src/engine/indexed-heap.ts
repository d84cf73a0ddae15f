// Indexed binary min-heap of integer items keyed by a caller-owned Float64Array; ties break on
// the item id (so pop order is independent of insertion order). O(log n) insert, re-key, remove.

import { resized } from '../core/typed-arrays.js';

export class IndexedHeap {
  private items: Int32Array;
  private pos: Int32Array; // slot + 1, 0 = absent
  size = 0;

  constructor(
    public keys: Float64Array,
    universe = 16,
  ) {
    this.items = new Int32Array(universe);
    this.pos = new Int32Array(universe);
  }

  reserve(universe: number): void {
    if (universe <= this.pos.length) return;
    let u = this.pos.length;
    while (u < universe) u *= 2;
    this.items = resized(this.items, u);
    this.pos = resized(this.pos, u);
  }

  has(item: number): boolean {
    return this.pos[item] !== 0;
  }

  topKey(): number {
    return this.size > 0 ? this.keys[this.items[0]] : Infinity;
  }

  private less(a: number, b: number): boolean {
    const ka = this.keys[a], kb = this.keys[b];
    return ka < kb || (ka === kb && a < b);
  }

  private up(slot: number): void {
    const items = this.items, pos = this.pos, it = items[slot];
    while (slot > 0) {
      const parent = (slot - 1) >> 1, p = items[parent];
      if (!this.less(it, p)) break;
      items[slot] = p;
      pos[p] = slot + 1;
      slot = parent;
    }
    items[slot] = it;
    pos[it] = slot + 1;
  }

  private down(slot: number): void {
    const items = this.items, pos = this.pos, n = this.size, it = items[slot];
    for (;;) {
      let c = 2 * slot + 1;
      if (c >= n) break;
      let ci = items[c];
      if (c + 1 < n && this.less(items[c + 1], ci)) ci = items[++c];
      if (!this.less(ci, it)) break;
      items[slot] = ci;
      pos[ci] = slot + 1;
      slot = c;
    }
    items[slot] = it;
    pos[it] = slot + 1;
  }

  /** Inserts `item`, or restores heap order after its key changed. */
  update(item: number): void {
    const p = this.pos[item];
    if (p === 0) {
      const slot = this.size++;
      this.items[slot] = item;
      this.pos[item] = slot + 1;
      this.up(slot);
    } else {
      this.up(p - 1);
      this.down(this.pos[item] - 1);
    }
  }

  /** Removes and returns the top item; -1 (and no change) if empty. */
  pop(): number {
    if (this.size === 0) return -1;
    const it = this.items[0];
    this.removeAt(0);
    return it;
  }

  remove(item: number): void {
    const p = this.pos[item];
    if (p !== 0) this.removeAt(p - 1);
  }

  private removeAt(slot: number): void {
    const gone = this.items[slot];
    this.pos[gone] = 0;
    const last = --this.size;
    if (slot === last) return;
    const moved = this.items[last];
    this.items[slot] = moved;
    this.pos[moved] = slot + 1;
    this.up(slot);
    this.down(this.pos[moved] - 1);
  }

  clear(): void {
    for (let s = 0; s < this.size; s++) this.pos[this.items[s]] = 0;
    this.size = 0;
  }
}
