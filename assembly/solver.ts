// Weighted max-min fair rates with per-activity bounds and per-incidence coefficients, by
// progressive filling, re-solved only over a *region* around what changed.
//
// Fill: level t rises from 0; activity i runs at w_i*t; resource j saturates at
//   t_j = (C_j - frozen usage_j) / sum_{unfrozen i on j} a_ij*w_i,
// kept in a min-heap over resources; bounds b_i/w_i in a second heap. The smaller of the two
// tops freezes its activities and re-keys the resources they cross: O(I log R) per fill.
//
// Region: activities A (seeded with the newly activated, the users of resources whose capacity
// changed, and the users bottlenecked on saturated resources that an arrival or departure
// touched; then "anticipated" two steps: the users bottlenecked on the saturated resources of
// those, and of these), resources T = resources of A. Everything outside A keeps its rate, its
// usage is subtracted from the capacities of T, and A is filled. Then every activity on T (inside or
// outside A) is verified: it is at its bound, or it has a saturated resource on which no user
// has a larger rate/weight. Outside violators join A (an inside one pulls in the outside users of
// its bottleneck that run above it; joiners are anticipated like seeds) and A is re-filled. A
// only grows, and once nothing is violated on T -- resources off T are untouched, so their users
// stay valid -- the allocation is the unique max-min one. When A would exceed a fraction of the
// active set, the whole set is filled instead (no verification needed), which bounds the worst
// case by ~2 full solves.
//
// The solver knows no time. The clock (clock.ts) tells it what changed (arrive, depart,
// setCapacity) and, when it needs rates, asks it to resolve; it then walks the re-solved region
// (regionAt, commit) to move its own remaining work and event times. The solver's state (this
// file and store.ts) is not visible to the clock otherwise.
import { getF, setF, getI, setI, getP, growColumn, grownCapacity } from "./mem";
import { IndexedHeap } from "./heap";
import { I32List } from "./list";
import {
  nRes, rCap, rUsers, rSlot, rBaseOut, rBaseMax, rBaseDen, rBaseCnt, rScan, rCount, rInT, rSat, rBnScan, rResid, rDenom, rDenom0, rUnfrozen, rKey, rLoad, rMaxLvl,
  actHigh, aOn, aRate, aBound, aWeight, aInc, aN, aBn, aInA, aFrozen, aNew, aNewBn, aCheck, aLvl,
  nActive, userAct, userCoef, attach, detach,
} from "./store";

/** Relative tolerance for "saturated" and "has the largest rate/weight" in verification. */
const TOL: f64 = 1e-10;

const region = new I32List();             // A
const regionRes = new I32List();          // T
const joining = new I32List();            // violators found by a verification pass
const seedActs = new I32List();
const seedRes = new I32List();
const seedBn = new I32List();
const fillHeap = new IndexedHeap();
const boundHeap = new IndexedHeap();

// Small fills keep their candidate resources in a flat list and take the minimum by a linear
// scan (keys updated eagerly in freeze, exhausted resources swap-removed): for a few dozen
// resources that beats a heap, whose sifts are dominated by unpredictable branches.
let linearMax: i32 = 1024;
/** Largest region resource set filled with the linear candidate list (tests force the heap path with 0). */
export function setLinearMax(n: i32): void { linearMax = n; }
let linear = false;
let linKey: usize = 0;   // f64
let linRes: usize = 0;   // i32
let linN: i32 = 0;
let linCap: i32 = 0;

function linReserve(n: i32): void {
  if (n <= linCap) return;
  const c = grownCapacity(linCap, n);
  linKey = growColumn(linKey, linCap, c, 8);
  linRes = growColumn(linRes, linCap, c, 4);
  linCap = c;
}

@inline function linRemove(r: i32): void {
  const p = getI(rSlot, r);
  setI(rSlot, r, -1);
  const last = --linN;
  if (p != last) {
    const m = getI(linRes, last);
    setI(linRes, p, m);
    setF(linKey, p, getF(linKey, last));
    setI(rSlot, m, p);
  }
}

let regionEpoch: i32 = 0;
let roundEpoch: i32 = 0;
let tDone: i32 = 0;   // prefix of A whose resources are already in T (> 0 once a fill ran: base sums exist)
/** Fraction of the active activities above which a region is abandoned for a full fill. */
let fullFraction: f64 = 0.5;
export function setFullFraction(f: f64): void { fullFraction = f; }

// statistics
let solves: i32 = 0;
let fullSolves: i32 = 0;
let rounds: f64 = 0;
let regionActivities: f64 = 0;
let regionIncidences: f64 = 0;
export function statSolves(): f64 { return <f64>solves; }
export function statFullSolves(): f64 { return <f64>fullSolves; }
export function statRounds(): f64 { return rounds; }
export function statRegionActivities(): f64 { return regionActivities; }
export function statRegionIncidences(): f64 { return regionIncidences; }

@inline function inA(a: i32): bool { return getI(aInA, a) == regionEpoch; }

function addA(a: i32): void {
  if (inA(a)) return;
  setI(aInA, a, regionEpoch);
  region.push(a);
  if (tDone == 0) return; // no fill yet in this solve, so no base sums to invalidate
  // a moves from outside to inside on its resources: their bases must be re-summed
  const block = getP(aInc, a), n = getI(aN, a);
  for (let k = 0; k < n; k++) setI(rScan, load<i32>(block + (<usize>k << 4)), 0);
}

// ---- the clock's door: what changed, and the re-solved rates

/** Activity a becomes active: it joins its resources' user lists and seeds the next solve. */
export function arrive(a: i32): void {
  attach(a);
  seedActs.push(a);
  // The users bottlenecked on its saturated resources are the ones it takes capacity from:
  // seeding them saves the verification round that would otherwise pull them in.
  seedSaturatedOf(a);
}

/** Active activity a completes or is cancelled: it leaves the user lists, the capacity it freed seeds the next solve. */
export function depart(a: i32): void {
  detach(a);
  seedSaturatedOf(a);
}

/** Changes a capacity from now on; users of the resource are re-solved. */
export function setCapacity(r: i32, c: f64): void {
  setF(rCap, r, c);
  seedRes.push(r);
}

/**
 * Re-solves around what changed since the last call, if anything did, and records the
 * saturated resources. Returns how many activities may have a new rate: regionAt(0..n) lists
 * them and commit(a) adopts each one's new rate. 0 means every rate stands.
 */
export function resolve(): i32 {
  if (!pendingChanges()) return 0;
  solve();
  commitSaturation();
  return region.n;
}

@inline export function regionAt(k: i32): i32 { return region.get(k); }

/** The committed rate of activity a (0 unless active). */
@inline export function rateOf(a: i32): f64 { return getF(aRate, a); }

/** Adopts activity a's rate and bottleneck from the last resolve; returns the new rate. */
@inline export function commit(a: i32): f64 {
  setI(aBn, a, getI(aNewBn, a));
  const x = getF(aNew, a);
  setF(aRate, a, x);
  return x;
}

/**
 * An active activity arrives or leaves: capacity taken or freed on a resource with slack binds
 * nobody, so only its saturated resources seed the next solve, each with the users bottlenecked
 * on it (the first to move; whoever else must move is found by the verification).
 */
function seedSaturatedOf(a: i32): void {
  const block = getP(aInc, a), n = getI(aN, a);
  for (let k = 0; k < n; k++) {
    const r = load<i32>(block + (<usize>k << 4));
    if (getI(rSat, r) != 0) seedBn.push(r);
  }
}

function pendingChanges(): bool { return seedActs.n > 0 || seedRes.n > 0 || seedBn.n > 0; }

// ---- the region solve

/** Re-solves the rates around the seeds; leaves new rates in aNew/aNewBn for the region. */
function solve(): void {
  regionEpoch++;
  region.n = 0; regionRes.n = 0; tDone = 0;
  for (let k = 0; k < seedActs.n; k++) {
    const a = seedActs.get(k);
    if (getI(aOn, a) != 0) addA(a);
  }
  for (let k = 0; k < seedRes.n; k++) addUsers(seedRes.get(k));
  for (let k = 0; k < seedBn.n; k++) addBottlenecked(seedBn.get(k));
  seedActs.n = 0; seedRes.n = 0; seedBn.n = 0;
  solves++;

  if (region.n == 0) return;
  fillHeap.reserve(nRes); fillHeap.keys = rKey;
  boundHeap.reserve(actHigh); boundHeap.keys = aLvl;

  let full = <f64>region.n > fullFraction * <f64>nActive;
  if (!full) {
    anticipateTwice(0);
    full = <f64>region.n > fullFraction * <f64>nActive;
  }
  for (;;) {
    if (full) addAllActive();
    extendT();
    fill();
    rounds++;
    if (full) break;
    const grew = verify();
    if (grew < 0) { full = true; continue; }
    if (grew == 0) break;
    if (<f64>region.n > fullFraction * <f64>nActive) full = true;
  }
  if (full) fullSolves++;

  regionActivities += <f64>region.n;
}

function addUsers(r: i32): void {
  const list = getP(rUsers, r), cnt = getI(rCount, r);
  for (let u = 0; u < cnt; u++) addA(userAct(list, u));
}

/**
 * Adds the users whose recorded bottleneck is r: the ones a user arriving on or leaving a saturated r moves first.
 * Seeds and anticipation ask for the same r many times in one solve; a stamp makes repeats free
 * (verification clears it when it re-points an outside user's bottleneck to r).
 */
function addBottlenecked(r: i32): void {
  if (getI(rBnScan, r) == regionEpoch) return;
  setI(rBnScan, r, regionEpoch);
  const list = getP(rUsers, r), cnt = getI(rCount, r);
  for (let u = 0; u < cnt; u++) {
    const a = userAct(list, u);
    if (getI(aBn, a) == r) addA(a);
  }
}

/**
 * Region members region[from..to) are about to change rate, which moves the users bottlenecked
 * on their saturated resources next: adding those now saves the verification round that would
 * find them (they are not needed for exactness; a useless member just keeps its rate).
 */
function anticipate(from: i32, to: i32): void {
  for (let k = from; k < to; k++) {
    const a = region.get(k);
    const block = getP(aInc, a), n = getI(aN, a);
    for (let j = 0; j < n; j++) {
      const r = load<i32>(block + (<usize>j << 4));
      if (getI(rSat, r) != 0) addBottlenecked(r);
    }
  }
}

/**
 * Two cascade steps from region[from..): fewer rounds than one step (permA: 1.75 -> 1.67 rounds
 * and a smaller region), while the transitive closure over-grows A on all-to-all traffic.
 */
function anticipateTwice(from: i32): void {
  const n0 = region.n;
  anticipate(from, n0);
  anticipate(n0, region.n);
}

function addAllActive(): void {
  for (let a = 0; a < actHigh; a++) if (getI(aOn, a) != 0) addA(a);
}

function extendT(): void {
  for (; tDone < region.n; tDone++) {
    const a = region.get(tDone);
    const block = getP(aInc, a), n = getI(aN, a);
    for (let k = 0; k < n; k++) {
      const r = load<i32>(block + (<usize>k << 4));
      if (getI(rInT, r) != regionEpoch) { setI(rInT, r, regionEpoch); regionRes.push(r); }
    }
  }
}

function fill(): void {
  roundEpoch++;
  linear = regionRes.n <= linearMax;
  if (linear) { linReserve(regionRes.n); linN = 0; }
  // capacities left by the outside, and the region's demand per unit of level
  // (bases are summed from the user lists only for resources whose membership changed)
  for (let k = 0; k < regionRes.n; k++) {
    const r = regionRes.get(k);
    const cnt = getI(rCount, r);
    let outside: f64, maxLvl: f64, denom: f64, unfrozen: i32;
    if (getI(rScan, r) == regionEpoch) {
      outside = getF(rBaseOut, r); maxLvl = getF(rBaseMax, r); denom = getF(rBaseDen, r); unfrozen = getI(rBaseCnt, r);
    } else {
      outside = 0; maxLvl = 0; denom = 0; unfrozen = 0;
      const list = getP(rUsers, r);
      for (let u = 0; u < cnt; u++) {
        const a = userAct(list, u), c = userCoef(list, u), w = getF(aWeight, a);
        if (inA(a)) { denom += c * w; unfrozen++; }
        else {
          const x = getF(aRate, a);
          outside += c * x;
          const lvl = x / w;
          if (lvl > maxLvl) maxLvl = lvl;
        }
      }
      setF(rBaseOut, r, outside); setF(rBaseMax, r, maxLvl); setF(rBaseDen, r, denom); setI(rBaseCnt, r, unfrozen);
      setI(rScan, r, regionEpoch);
    }
    const cap = getF(rCap, r);
    const resid = cap > outside ? cap - outside : 0;
    regionIncidences += <f64>cnt;
    setF(rResid, r, resid); setF(rDenom, r, denom); setF(rDenom0, r, denom); setI(rUnfrozen, r, unfrozen);
    setF(rLoad, r, outside); setF(rMaxLvl, r, maxLvl);
    if (unfrozen > 0) {
      if (linear) {
        setI(rSlot, r, linN); setI(linRes, linN, r); setF(linKey, linN, resid / denom); linN++;
      } else { setF(rKey, r, resid / denom); fillHeap.append(r); }
    }
  }
  for (let k = 0; k < region.n; k++) {
    const a = region.get(k);
    const b = getF(aBound, a);
    if (b < Infinity) { setF(aLvl, a, b / getF(aWeight, a)); boundHeap.update(a); }
  }
  fillRegion();
  boundHeap.clear();
}

/** Freezes every unfrozen region user of r at `level`; returns how many froze. */
@inline function saturate(r: i32, level: f64): i32 {
  const list = getP(rUsers, r), cnt = getI(rCount, r);
  let n = 0;
  for (let u = 0; u < cnt; u++) {
    const a = userAct(list, u);
    if (inA(a) && getI(aFrozen, a) != roundEpoch) { freeze(a, getF(aWeight, a) * level, r); n++; }
  }
  return n;
}

/** Freezes the activity on top of the bound heap at its bound; false if it was already frozen this round. */
@inline function freezeTopBound(): bool {
  const a = boundHeap.pop();
  if (getI(aFrozen, a) == roundEpoch) return false;
  freeze(a, getF(aBound, a), -1);
  return true;
}

let candKey: f64 = Infinity; // key of the candidate returned by linMin/heapMin

/** The unexhausted resource with the smallest key (ties: smallest id), -1 if none. */
@inline function linMin(): i32 {
  if (linN == 0) { candKey = Infinity; return -1; }
  let kr = getF(linKey, 0), br = getI(linRes, 0);
  for (let i = 1; i < linN; i++) {
    const k = getF(linKey, i);
    if (k <= kr) {
      const ri = getI(linRes, i);
      if (k < kr || ri < br) { kr = k; br = ri; }
    }
  }
  candKey = kr;
  return br;
}

/**
 * Keys only rise as activities freeze (resid and demand shrink together), so heap entries are
 * re-keyed lazily: a stale top is re-keyed and sifted down until the top is current.
 */
@inline function heapMin(): i32 {
  while (fillHeap.size > 0) {
    const r = fillHeap.top();
    const kr = getF(rKey, r), key = currentKey(r);
    if (key > kr) { setF(rKey, r, key); fillHeap.down(0); continue; }
    candKey = kr;
    return r;
  }
  candKey = Infinity;
  return -1;
}

/** Progressive filling of A; stops as soon as every activity of A is frozen. */
function fillRegion(): void {
  if (!linear) fillHeap.heapify();
  let left = region.n;
  let level: f64 = 0;
  while (left > 0) {
    const r = linear ? linMin() : heapMin();
    const kr = candKey, kb = boundHeap.topKey();
    if (boundHeap.size > 0 && kb <= kr) {
      if (freezeTopBound()) {
        if (kb > level) level = kb;
        left--;
      }
    } else {
      if (r < 0) break;
      if (linear) linRemove(r); else fillHeap.pop();
      if (kr > level) level = kr;
      left -= saturate(r, level);
    }
  }
  if (!linear) fillHeap.clear();
}

/** Below this fraction of its starting value a running denominator is re-summed exactly. */
const CANCEL: f64 = 1e-9;

/** Recomputes a resource's residual capacity and unfrozen demand from its user list. */
function resum(r: i32): void {
  const list = getP(rUsers, r), cnt = getI(rCount, r);
  let used: f64 = 0, denom: f64 = 0;
  for (let u = 0; u < cnt; u++) {
    const a = userAct(list, u), c = userCoef(list, u);
    if (!inA(a)) used += c * getF(aRate, a);
    else if (getI(aFrozen, a) == roundEpoch) used += c * getF(aNew, a);
    else denom += c * getF(aWeight, a);
  }
  const cap = getF(rCap, r);
  setF(rResid, r, cap > used ? cap - used : 0);
  setF(rDenom, r, denom);
  setF(rDenom0, r, denom);
}

@inline function currentKey(r: i32): f64 {
  const resid = getF(rResid, r);
  return (resid > 0 ? resid : 0) / getF(rDenom, r);
}

function freeze(a: i32, x: f64, bn: i32): void {
  setI(aFrozen, a, roundEpoch);
  setF(aNew, a, x);
  setI(aNewBn, a, bn);
  const w = getF(aWeight, a);
  const lvl = x / w;
  const block = getP(aInc, a), n = getI(aN, a);
  for (let k = 0; k < n; k++) {
    const e = block + (<usize>k << 4);
    const r = load<i32>(e), c = load<f64>(e, 8);
    const left = getI(rUnfrozen, r) - 1;
    setI(rUnfrozen, r, left);
    setF(rResid, r, getF(rResid, r) - c * x);
    const denom = getF(rDenom, r) - c * w;
    setF(rDenom, r, denom);
    // Subtraction lost (nearly) everything: users with wildly different coef*weight. Re-sum.
    if (left > 0 && !(denom > CANCEL * getF(rDenom0, r))) resum(r);
    setF(rLoad, r, getF(rLoad, r) + c * x);
    if (lvl > getF(rMaxLvl, r)) setF(rMaxLvl, r, lvl);
    if (linear) {
      const p = getI(rSlot, r);
      if (p >= 0) {
        if (left == 0) linRemove(r);
        else setF(linKey, p, currentKey(r));
      }
    } else if (left == 0) fillHeap.remove(r); // eager: removal from the middle of a big heap is cheap
  }
}

@inline function currentRate(a: i32): f64 { return inA(a) ? getF(aNew, a) : getF(aRate, a); }

@inline function saturatedNow(r: i32): bool { return getF(rLoad, r) >= getF(rCap, r) * (1 - TOL); }

@inline function isBottleneck(r: i32, lvl: f64): bool {
  return saturatedNow(r) && lvl >= getF(rMaxLvl, r) * (1 - TOL);
}

/** Records which of the region's resources are saturated in the allocation being committed. */
function commitSaturation(): void {
  for (let k = 0; k < regionRes.n; k++) {
    const r = regionRes.get(k);
    setI(rSat, r, saturatedNow(r) ? 1 : 0);
  }
}

/** Checks the max-min condition for every user of T; returns how many activities joined A, or -1 to ask for a full fill. */
function verify(): i32 {
  roundEpoch++;
  // Violators join A only after the pass, so every check sees the region that was filled.
  joining.n = 0;
  let giveUp = false;
  // Only users of resources saturated before or now can be violators: an outside activity's
  // recorded bottleneck is saturated in the committed allocation (rSat), and an inside one's
  // bottleneck is saturated now.
  for (let k = 0; k < regionRes.n; k++) {
    const r = regionRes.get(k);
    if (getI(rSat, r) == 0 && !saturatedNow(r)) continue;
    const list = getP(rUsers, r), cnt = getI(rCount, r);

    for (let u = 0; u < cnt; u++) {
      const a = userAct(list, u);
      if (getI(aCheck, a) == roundEpoch) continue;
      setI(aCheck, a, roundEpoch);
      if (satisfied(a)) continue;
      if (!inA(a)) { joining.push(a); continue; }
      // Inside A but an outside user of its bottleneck runs faster: pull those in.
      const bn = getI(aNewBn, a);
      const lvl = getF(aNew, a) / getF(aWeight, a);
      const bl = getP(rUsers, bn), bc = getI(rCount, bn);
      let added = 0;
      for (let v = 0; v < bc; v++) {
        const m = userAct(bl, v);
        if (!inA(m) && getF(aRate, m) / getF(aWeight, m) > lvl) { joining.push(m); added++; }
      }
      if (added == 0) giveUp = true; // only rounding can get here: settle it with a full fill
    }
  }
  if (giveUp) return -1;
  const before = region.n;
  for (let k = 0; k < joining.n; k++) addA(joining.get(k));
  anticipateTwice(before);
  return region.n - before;
}

function satisfied(a: i32): bool {
  const x = currentRate(a);
  const b = getF(aBound, a);
  if (b < Infinity && x >= b * (1 - TOL)) return true;
  const lvl = x / getF(aWeight, a);
  const inside = inA(a);
  const bn = inside ? getI(aNewBn, a) : getI(aBn, a);
  if (bn >= 0) {
    if (getI(rInT, bn) != regionEpoch) return !inside; // untouched resource: still a valid bottleneck
    if (isBottleneck(bn, lvl)) return true;
  }
  const block = getP(aInc, a), n = getI(aN, a);
  for (let k = 0; k < n; k++) {
    const r = load<i32>(block + (<usize>k << 4));
    if (r != bn && getI(rInT, r) == regionEpoch && isBottleneck(r, lvl)) {
      if (inside) setI(aNewBn, a, r);
      else { setI(aBn, a, r); setI(rBnScan, r, 0); }
      return true;
    }
  }
  return false;
}
