// Weighted max-min fair rates with per-activity bounds and per-incidence coefficients, re-solved
// only over a *region* around what changed (the rate solver's entry; its state is here and in
// store.ts, region.ts and fill.ts).
//
// Region: activities A (seeded with the newly activated, the users of resources whose capacity
// changed, and the users bottlenecked on saturated resources that an arrival or departure
// touched; then "anticipated" two steps: the users bottlenecked on the saturated resources of
// those, and of these), resources T = resources of A. Everything outside A keeps its rate, its
// usage is subtracted from the capacities of T, and A is filled by progressive filling
// (fill.ts). Then every activity on T (inside or outside A) is verified: it is at its bound, or
// it has a saturated resource on which no user has a larger rate/weight. Outside violators join
// A (an inside one pulls in the outside users of its bottleneck that run above it; joiners are
// anticipated like seeds) and A is re-filled. A only grows, and once nothing is violated on T --
// resources off T are untouched, so their users stay valid -- the allocation is the unique
// max-min one. When A would exceed a fraction of the active set, the whole set is filled instead
// (no verification needed), which bounds the worst case by ~2 full solves.
//
// The solver knows no time. The clock (clock.ts) tells it what changed (arrive, depart,
// setCapacity) and, when it needs rates, asks it to resolve; it then walks the re-solved region
// (regionAt, commit) to move its own remaining work and event times. The solver's state is not
// visible to the clock otherwise.
import { getF, setF, getI, setI, getP } from "./mem";
import { I32List } from "./list";
import {
  nRes, rCap, rUsers, rCount, rInT, rSat, rBnScan, rLoad, rMaxLvl,
  actHigh, aOn, aRate, aBound, aWeight, aInc, aN, aBn, aNew, aNewBn, aCheck,
  nActive, userAct, attach, detach,
} from "./store";
import { region, regionRes, regionEpoch, beginRegion, inA, addA, extendT } from "./region";
import { fill, reserveFill } from "./fill";

/** Relative tolerance for "saturated" and "has the largest rate/weight" in verification. */
const TOL: f64 = 1e-10;

const joining = new I32List();            // violators found by a verification pass
const seedActs = new I32List();
const seedRes = new I32List();
const seedBn = new I32List();

let checkEpoch: i32 = 0; // stamps aCheck: verified in the current pass
/** Fraction of the active activities above which a region is abandoned for a full fill. */
let fullFraction: f64 = 0.5;
export function setFullFraction(f: f64): void { fullFraction = f; }

// statistics
let solves: i32 = 0;
let fullSolves: i32 = 0;
let rounds: f64 = 0;
let regionActivities: f64 = 0;
export function statSolves(): f64 { return <f64>solves; }
export function statFullSolves(): f64 { return <f64>fullSolves; }
export function statRounds(): f64 { return rounds; }
export function statRegionActivities(): f64 { return regionActivities; }

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
  beginRegion();
  for (let k = 0; k < seedActs.n; k++) {
    const a = seedActs.get(k);
    if (getI(aOn, a) != 0) addA(a);
  }
  for (let k = 0; k < seedRes.n; k++) addUsers(seedRes.get(k));
  for (let k = 0; k < seedBn.n; k++) addBottlenecked(seedBn.get(k));
  seedActs.n = 0; seedRes.n = 0; seedBn.n = 0;
  solves++;

  if (region.n == 0) return;
  reserveFill(nRes, actHigh);

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
  checkEpoch++;
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
      if (getI(aCheck, a) == checkEpoch) continue;
      setI(aCheck, a, checkEpoch);
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
