// The region of a solve: the activities A being re-solved and the resources T they use. Both are
// lists plus epoch stamps (aInA, rInT), so membership is O(1) and a new solve empties them in
// O(1). A only grows within a solve; T follows it (extendT). Moving an activity into A after a
// fill invalidates the fill's cached per-resource sums of the outside (rScan) on its resources.
import { getI, setI, getP } from "./mem";
import { I32List } from "./list";
import { aInA, aInc, aN, rInT, rScan } from "./store";

export const region = new I32List();      // A
export const regionRes = new I32List();   // T
export let regionEpoch: i32 = 0;
let tDone: i32 = 0;   // prefix of A whose resources are already in T (> 0 once a fill ran: base sums exist)

/** Starts the next solve's region, empty. */
export function beginRegion(): void {
  regionEpoch++;
  region.n = 0; regionRes.n = 0; tDone = 0;
}

@inline export function inA(a: i32): bool { return getI(aInA, a) == regionEpoch; }

export function addA(a: i32): void {
  if (inA(a)) return;
  setI(aInA, a, regionEpoch);
  region.push(a);
  if (tDone == 0) return; // no fill yet in this solve, so no base sums to invalidate
  // a moves from outside to inside on its resources: their bases must be re-summed
  const block = getP(aInc, a), n = getI(aN, a);
  for (let k = 0; k < n; k++) setI(rScan, load<i32>(block + (<usize>k << 4)), 0);
}

/** Adds the resources of the activities that joined A since the last call to T. */
export function extendT(): void {
  for (; tDone < region.n; tDone++) {
    const a = region.get(tDone);
    const block = getP(aInc, a), n = getI(aN, a);
    for (let k = 0; k < n; k++) {
      const r = load<i32>(block + (<usize>k << 4));
      if (getI(rInT, r) != regionEpoch) { setI(rInT, r, regionEpoch); regionRes.push(r); }
    }
  }
}
