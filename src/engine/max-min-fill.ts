// Weighted max-min fair rates by progressive filling, from scratch: the reference engine's
// solve, and `maxMinRates` for embedders who want one solve without a clock. A level t rises
// from 0 and every unfrozen activity runs at w_i t; resource j saturates at
//   t_j = (C_j - frozen usage_j) / sum_{unfrozen i on j} a_ij w_i,
// kept in a heap over resources, bounds b_i / w_i in a second heap; the smaller top freezes its
// activities (at the level or at the bound) and re-keys the resources they cross, until every
// activity is frozen. O(I log R) for I incidences on R resources.
import { IndexedHeap } from './indexed-heap.js';

/** What the fill needs of an activity: its bound, weight and (merged) incidences. */
export interface FillActivity {
  readonly bound: number;
  readonly weight: number;
  readonly res: Int32Array;
  readonly coef: Float64Array;
}

/** Weighted max-min fair rates of `acts` on resources of capacity `caps` (progressive filling). */
export function maxMinRates(caps: readonly number[], acts: readonly FillActivity[]): Float64Array {
  return new ProgressiveFill(caps, acts).run();
}

/** Below this fraction of its starting value a running demand is re-summed exactly (as the Wasm solver: assembly/fill.ts says why 1e-3). */
const CANCEL = 1e-3;

class ProgressiveFill {
  private readonly nR: number;
  /** Users of resource r: users[start[r] .. start[r+1]) (CSR). */
  private readonly start: Int32Array;
  private readonly users: Int32Array;
  /** Per resource: capacity left, unfrozen demand sum(coef*weight), that demand at the start, unfrozen users. */
  private readonly resid: Float64Array;
  private readonly denom: Float64Array;
  private readonly denom0: Float64Array;
  private readonly unfrozen: Int32Array;
  private readonly resKey: Float64Array;
  private readonly resHeap: IndexedHeap;
  private readonly boundKey: Float64Array;
  private readonly boundHeap: IndexedHeap;
  private readonly rate: Float64Array;
  private readonly frozen: Uint8Array;

  constructor(
    private readonly caps: readonly number[],
    private readonly acts: readonly FillActivity[],
  ) {
    const nR = (this.nR = caps.length), n = acts.length;
    this.start = new Int32Array(nR + 1);
    this.users = this.usersByResource();
    this.resid = Float64Array.from(caps);
    this.denom = new Float64Array(nR);
    this.denom0 = new Float64Array(nR);
    this.unfrozen = new Int32Array(nR);
    this.resKey = new Float64Array(nR);
    this.resHeap = new IndexedHeap(this.resKey, Math.max(nR, 1));
    this.boundKey = new Float64Array(n);
    this.boundHeap = new IndexedHeap(this.boundKey, Math.max(n, 1));
    this.rate = new Float64Array(n);
    this.frozen = new Uint8Array(n);
    this.sumDemand();
    this.keyHeaps();
  }

  /** Fills this.start and returns the user lists of every resource. */
  private usersByResource(): Int32Array {
    const { start, acts, nR } = this;
    for (const a of acts) for (let k = 0; k < a.res.length; k++) start[a.res[k] + 1]++;
    for (let r = 0; r < nR; r++) start[r + 1] += start[r];
    const fillPos = start.slice(0, nR);
    const users = new Int32Array(start[nR]);
    acts.forEach((a, i) => {
      for (let k = 0; k < a.res.length; k++) users[fillPos[a.res[k]]++] = i;
    });
    return users;
  }

  private sumDemand(): void {
    const { denom, unfrozen } = this;
    this.acts.forEach((a) => {
      for (let k = 0; k < a.res.length; k++) {
        denom[a.res[k]] += a.coef[k] * a.weight;
        unfrozen[a.res[k]]++;
      }
    });
    this.denom0.set(denom);
  }

  private keyHeaps(): void {
    for (let r = 0; r < this.nR; r++) {
      if (this.unfrozen[r] > 0) {
        this.resKey[r] = this.resid[r] / this.denom[r];
        this.resHeap.update(r);
      }
    }
    this.acts.forEach((a, i) => {
      if (a.bound < Infinity) {
        this.boundKey[i] = a.bound / a.weight;
        this.boundHeap.update(i);
      }
    });
  }

  run(): Float64Array {
    const { resHeap, boundHeap, acts } = this;
    let level = 0;
    while (resHeap.size > 0 || boundHeap.size > 0) {
      const kr = resHeap.topKey(), kb = boundHeap.topKey();
      if (boundHeap.size > 0 && kb <= kr) {
        const i = boundHeap.pop();
        if (this.frozen[i]) continue;
        level = Math.max(level, kb);
        this.freeze(i, acts[i].bound);
      } else {
        const r = resHeap.pop();
        level = Math.max(level, kr);
        for (let u = this.start[r]; u < this.start[r + 1]; u++) {
          const i = this.users[u];
          if (!this.frozen[i]) this.freeze(i, acts[i].weight * level);
        }
      }
    }
    return this.rate;
  }

  private freeze(i: number, x: number): void {
    const { resid, denom, unfrozen, resHeap } = this;
    this.frozen[i] = 1;
    this.rate[i] = x;
    const a = this.acts[i];
    for (let k = 0; k < a.res.length; k++) {
      const r = a.res[k];
      unfrozen[r]--;
      resid[r] -= a.coef[k] * x;
      denom[r] -= a.coef[k] * a.weight;
      if (unfrozen[r] > 0 && !(denom[r] > CANCEL * this.denom0[r])) this.resum(r);
      if (!resHeap.has(r)) continue;
      if (unfrozen[r] === 0) resHeap.remove(r);
      else {
        this.resKey[r] = Math.max(resid[r], 0) / denom[r];
        resHeap.update(r);
      }
    }
  }

  /** Re-sums a resource whose running demand cancelled (users with wildly different coef*weight). */
  private resum(r: number): void {
    let used = 0, d = 0;
    for (let u = this.start[r]; u < this.start[r + 1]; u++) {
      const i = this.users[u], a = this.acts[i];
      const c = a.coef[a.res.indexOf(r)];
      if (this.frozen[i]) used += c * this.rate[i];
      else d += c * a.weight;
    }
    this.resid[r] = Math.max(0, this.caps[r] - used);
    this.denom[r] = this.denom0[r] = d;
  }
}
