// The rate solver's system as structure-of-arrays columns in linear memory: the algebra only
// (capacities, incidences, bounds, weights, rates) and the solver's scratch columns. Time,
// remaining work and activity lifecycles belong to the clock (clock.ts), which hands ids in.
//
// Resources r: capacity, and the list of *active* activities that use them (user entries of
//   16 bytes: activity i32, slot i32 = index in the activity's incidence block, coef f64).
// Activities a: rate, bound (Infinity = none), weight, the bottleneck of the last solve, and an
//   incidence block of 16-byte entries: resource i32, pos i32 = index in the resource's user
//   list, coef f64. Both sides point at each other, so attaching/detaching is O(route length).
// An activity is defined when the clock starts it, attached to its resources' user lists while
// active, and forgotten when it completes or is cancelled. Columns grow geometrically.
import { getF, setF, getI, setI, getP, setP, growColumn, grownCapacity } from "./mem";

// ---- resources
export let nRes: i32 = 0;
let resCap: i32 = 0;
export let rCap: usize = 0;      // f64 capacity per second
export let rUsers: usize = 0;    // usize -> user entries
export let rCount: usize = 0;    // i32 users
export let rSize: usize = 0;     // i32 allocated user slots
export let rInT: usize = 0;      // i32 epoch: resource is in the current region's resource set
export let rResid: usize = 0;    // f64 capacity left for the region's unfrozen activities
export let rDenom: usize = 0;    // f64 sum of coef*weight over the region's unfrozen users
export let rDenom0: usize = 0;   // f64 rDenom at the start of the fill (to detect cancellation)
export let rUnfrozen: usize = 0; // i32 number of the region's unfrozen users
export let rKey: usize = 0;      // f64 fill level at which the resource saturates
export let rLoad: usize = 0;     // f64 verification: usage with the new rates
export let rMaxLvl: usize = 0;   // f64 verification: largest rate/weight among users
export let rBaseOut: usize = 0;  // f64 region base (valid while rScan == region epoch): usage by activities outside A
export let rBaseMax: usize = 0;  // f64 region base: largest rate/weight outside A
export let rBaseDen: usize = 0;  // f64 region base: sum of coef*weight over users in A
export let rBaseCnt: usize = 0;  // i32 region base: users in A
export let rScan: usize = 0;     // i32 region epoch of the base above (0 = stale)
export let rSlot: usize = 0;     // i32 fill scratch: index in the linear candidate list, -1 = not in it
export let rSat: usize = 0;      // i32 1 if saturated in the committed allocation (conservative: may stay 1)
export let rBnScan: usize = 0;   // i32 region epoch in which the users bottlenecked on r were added to A (0 = not yet)

function ensureResources(n: i32): void {
  if (n <= resCap) return;
  const c = grownCapacity(resCap, n);
  rCap = growColumn(rCap, resCap, c, 8);
  rUsers = growColumn(rUsers, resCap, c, sizeof<usize>());
  rCount = growColumn(rCount, resCap, c, 4);
  rSize = growColumn(rSize, resCap, c, 4);
  rInT = growColumn(rInT, resCap, c, 4);
  rResid = growColumn(rResid, resCap, c, 8);
  rDenom = growColumn(rDenom, resCap, c, 8);
  rDenom0 = growColumn(rDenom0, resCap, c, 8);
  rUnfrozen = growColumn(rUnfrozen, resCap, c, 4);
  rKey = growColumn(rKey, resCap, c, 8);
  rLoad = growColumn(rLoad, resCap, c, 8);
  rMaxLvl = growColumn(rMaxLvl, resCap, c, 8);
  rSat = growColumn(rSat, resCap, c, 4);
  rSlot = growColumn(rSlot, resCap, c, 4);
  rBnScan = growColumn(rBnScan, resCap, c, 4);
  rBaseOut = growColumn(rBaseOut, resCap, c, 8);
  rBaseMax = growColumn(rBaseMax, resCap, c, 8);
  rBaseDen = growColumn(rBaseDen, resCap, c, 8);
  rBaseCnt = growColumn(rBaseCnt, resCap, c, 4);
  rScan = growColumn(rScan, resCap, c, 4);
  resCap = c;
}

// ---- activities (ids come from the clock)
export let actHigh: i32 = 0;       // ids in [0, actHigh) have been defined at least once
let actCap: i32 = 0;
export let aOn: usize = 0;         // i32 1 while attached to its resources' user lists (active)
export let aRate: usize = 0;       // f64 current rate
export let aBound: usize = 0;      // f64 rate bound (Infinity = none)
export let aWeight: usize = 0;     // f64 weight (> 0)
export let aInc: usize = 0;        // usize -> incidence block
export let aN: usize = 0;          // i32 incidences
export let aBn: usize = 0;         // i32 bottleneck resource of the last solve, -1 = its bound
export let aInA: usize = 0;        // i32 epoch: activity is in the region being re-solved
export let aFrozen: usize = 0;     // i32 epoch: frozen in the current fill
export let aNew: usize = 0;        // f64 rate from the current fill
export let aNewBn: usize = 0;      // i32 bottleneck from the current fill
export let aCheck: usize = 0;      // i32 epoch: already verified in this round
export let aLvl: usize = 0;        // f64 bound level bound/weight (key of the bound heap)
export let nActive: i32 = 0;       // activities on user lists

function ensureActivities(n: i32): void {
  if (n <= actCap) return;
  const c = grownCapacity(actCap, n);
  aOn = growColumn(aOn, actCap, c, 4);
  aRate = growColumn(aRate, actCap, c, 8);
  aBound = growColumn(aBound, actCap, c, 8);
  aWeight = growColumn(aWeight, actCap, c, 8);
  aInc = growColumn(aInc, actCap, c, sizeof<usize>());
  aN = growColumn(aN, actCap, c, 4);
  aBn = growColumn(aBn, actCap, c, 4);
  aInA = growColumn(aInA, actCap, c, 4);
  aFrozen = growColumn(aFrozen, actCap, c, 4);
  aNew = growColumn(aNew, actCap, c, 8);
  aNewBn = growColumn(aNewBn, actCap, c, 4);
  aCheck = growColumn(aCheck, actCap, c, 4);
  aLvl = growColumn(aLvl, actCap, c, 8);
  actCap = c;
}

export function addResource(cap: f64): i32 {
  const r = nRes;
  ensureResources(r + 1);
  setF(rCap, r, cap);
  nRes = r + 1;
  return r;
}

/** Pre-sizes the resource columns (optional; they also grow on demand). */
export function reserveResources(n: i32): void { ensureResources(n); }
export function resourceCount(): i32 { return nRes; }
export function capacity(r: i32): f64 { return getF(rCap, r); }
export function activeCount(): i32 { return nActive; }

/** Defines activity a (not yet active) with the m merged uses at (res, coef), a bound and a weight. */
export function defineActivity(a: i32, res: usize, coef: usize, m: i32, bound: f64, weight: f64): void {
  ensureActivities(a + 1);
  if (a >= actHigh) actHigh = a + 1;
  setIncidences(a, res, coef, m);
  setF(aRate, a, 0);
  setF(aBound, a, bound);
  setF(aWeight, a, weight);
  setI(aBn, a, -2);
}

/** Forgets a completed or cancelled activity (already detached): its incidences are freed. */
export function forgetActivity(a: i32): void {
  const inc = getP(aInc, a);
  if (inc != 0) heap.free(inc);
  setP(aInc, a, 0);
  setI(aN, a, 0);
  setF(aRate, a, 0);
}

// Incidence entry layout (both lists): +0 i32 id, +4 i32 back-index, +8 f64 coef.
@inline export function incRes(block: usize, k: i32): i32 { return load<i32>(block + (<usize>k << 4)); }
@inline export function incCoef(block: usize, k: i32): f64 { return load<f64>(block + (<usize>k << 4) + 8); }
@inline export function userAct(list: usize, k: i32): i32 { return load<i32>(list + (<usize>k << 4)); }
@inline export function userCoef(list: usize, k: i32): f64 { return load<f64>(list + (<usize>k << 4) + 8); }

function setIncidences(a: i32, res: usize, coef: usize, n: i32): void {
  const block = n > 0 ? heap.alloc(<usize>n << 4) : 0;
  for (let k = 0; k < n; k++) {
    const e = block + (<usize>k << 4);
    store<i32>(e, getI(res, k));
    store<i32>(e, -1, 4);
    store<f64>(e, getF(coef, k), 8);
  }
  setP(aInc, a, block);
  setI(aN, a, n);
}

/** Puts an activity on the user lists of its resources (at activation). */
export function attach(a: i32): void {
  nActive++;
  setI(aOn, a, 1);
  const block = getP(aInc, a), n = getI(aN, a);
  for (let k = 0; k < n; k++) {
    const e = block + (<usize>k << 4);
    const r = load<i32>(e);
    let cnt = getI(rCount, r), size = getI(rSize, r), list = getP(rUsers, r);
    if (cnt == size) {
      const ns = size < 4 ? 4 : size << 1;
      list = list == 0 ? heap.alloc(<usize>ns << 4) : heap.realloc(list, <usize>ns << 4);
      setP(rUsers, r, list);
      setI(rSize, r, ns);
    }
    const u = list + (<usize>cnt << 4);
    store<i32>(u, a);
    store<i32>(u, k, 4);
    store<f64>(u, load<f64>(e, 8), 8);
    store<i32>(e, cnt, 4);
    setI(rCount, r, cnt + 1);
  }
}

/** Takes an active activity off its resources' user lists (swap-remove, O(route length)). */
export function detach(a: i32): void {
  nActive--;
  setI(aOn, a, 0);
  const block = getP(aInc, a), n = getI(aN, a);
  for (let k = 0; k < n; k++) {
    const e = block + (<usize>k << 4);
    const r = load<i32>(e), pos = load<i32>(e, 4);
    const list = getP(rUsers, r);
    const last = getI(rCount, r) - 1;
    if (pos != last) {
      const src = list + (<usize>last << 4), dst = list + (<usize>pos << 4);
      const movedAct = load<i32>(src), movedSlot = load<i32>(src, 4);
      store<i32>(dst, movedAct);
      store<i32>(dst, movedSlot, 4);
      store<f64>(dst, load<f64>(src, 8), 8);
      store<i32>(getP(aInc, movedAct) + (<usize>movedSlot << 4), pos, 4);
    }
    setI(rCount, r, last);
    store<i32>(e, -1, 4);
  }
}
