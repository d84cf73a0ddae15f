// Progressive filling of a region A (region.ts) with the rates of everything outside A held
// fixed: level t rises from 0 and activity i in A runs at w_i*t; resource j of T saturates at
//   t_j = (C_j - outside usage_j - frozen usage_j) / sum_{unfrozen i in A on j} a_ij*w_i,
// bounds b_i/w_i sit in a second heap, and the smaller of the two candidates freezes its
// activities and re-keys the resources they cross: O(I log R) per fill. New rates land in
// aNew, bottlenecks in aNewBn (-1: the bound); per resource, the usage (rLoad) and the largest
// rate/weight of its users (rMaxLvl) are left for the verification (solver.ts).
import { getF, setF, getI, setI, getP, growColumn, grownCapacity } from "./mem";
import { IndexedHeap } from "./heap";
import {
  rCap, rUsers, rSlot, rBaseOut, rBaseMax, rBaseDen, rBaseCnt, rScan, rCount, rResid, rDenom, rDenom0, rUnfrozen, rKey, rLoad, rMaxLvl,
  aRate, aBound, aWeight, aInc, aN, aFrozen, aNew, aNewBn, aLvl, userAct, userCoef,
} from "./store";
import { region, regionRes, regionEpoch, inA } from "./region";

const fillHeap = new IndexedHeap();
const boundHeap = new IndexedHeap();
let fillEpoch: i32 = 0;          // stamps aFrozen: frozen in the current fill
let regionIncidences: f64 = 0;   // statistics: user incidences visited by fills
export function statRegionIncidences(): f64 { return regionIncidences; }

/** Makes the heaps ready for resource ids < resources and activity ids < activities. */
export function reserveFill(resources: i32, activities: i32): void {
  fillHeap.reserve(resources); fillHeap.keys = rKey;
  boundHeap.reserve(activities); boundHeap.keys = aLvl;
}

// Fills of up to `linearMax` resources keep their candidate resources in a flat list by slot,
// keys updated eagerly in freeze. Small fills (scanMax) find the minimum by a linear scan
// (exhausted resources swap-removed): for a few dozen that beats any structure. Others keep a
// tournament tree over the slots: a leaf per candidate, each inner node the better of
// its two children (smaller key, then smaller resource id), so the minimum is the root and a
// changed key or an exhausted resource replays its leaf's path until a node's winner stands.
// Both pick the same resource. On GPT-3 175B over 1,024 GPUs, 55 k fills of 360 candidates on
// average made 7.3 M picks: 1.2e9 comparisons by scanning. Bigger fills use the lazily re-keyed
// heap.
let linearMax: i32 = 1024;
/** Largest region resource set filled with the candidate list (tests force the heap path with 0). */
export function setLinearMax(n: i32): void { linearMax = n; }
/**
 * Fills with at most this many candidates, or at most this many activities to freeze (each pick
 * freezes at least one), scan rather than keep the tree: a scan costs picks × candidates, the
 * tree a build and a replay per changed key. permA_100k (fills of 12 picks over 100 candidates)
 * ran 2.25 s scanning everything, 2.8 s with the tree above 64 candidates, 2.3 s with this rule.
 */
let scanMax: i32 = 80;
/** Sets scanMax (tests send every list fill to the tree with 0). */
export function setScanMax(n: i32): void { scanMax = n; }
let linear = false;
let scan = false;
let linKey: usize = 0;   // f64, by slot
let linRes: usize = 0;   // i32, by slot
let linN: i32 = 0;       // slots used
let linCap: i32 = 0;
let tree: usize = 0;     // i32: node → winning slot (-1: none); leaves at [leaves, 2·leaves)
let treeCap: i32 = 0;
let leaves: i32 = 1;
let dirty: usize = 0;    // i32: slots changed since the tree was last brought up to date
let dirtyN: i32 = 0;
let dirtyAt: usize = 0;  // i32, by slot: the dirtyStamp of its listing in dirty
let dirtyStamp: i32 = 0;

function linReserve(n: i32): void {
  if (n > linCap) {
    const c = grownCapacity(linCap, n);
    linKey = growColumn(linKey, linCap, c, 8);
    linRes = growColumn(linRes, linCap, c, 4);
    dirty = growColumn(dirty, linCap, c, 4);
    dirtyAt = growColumn(dirtyAt, linCap, c, 4);
    linCap = c;
  }
  let p = 1;
  while (p < n) p <<= 1;
  if (2 * p > treeCap) {
    tree = growColumn(tree, treeCap, 2 * p, 4);
    treeCap = 2 * p;
  }
}

/** The better candidate of two slots (-1: none): the smaller key, then the smaller resource id. */
@inline function better(a: i32, b: i32): i32 {
  if (a < 0) return b;
  if (b < 0) return a;
  const ka = getF(linKey, a), kb = getF(linKey, b);
  if (ka < kb) return a;
  if (kb < ka) return b;
  return getI(linRes, a) <= getI(linRes, b) ? a : b;
}

/** Builds the tree over slots [0, linN). */
function treeBuild(): void {
  dirtyN = 0;
  dirtyStamp++;
  leaves = 1;
  while (leaves < linN) leaves <<= 1;
  for (let i = 0; i < leaves; i++) setI(tree, leaves + i, i < linN ? i : -1);
  for (let node = leaves - 1; node >= 1; node--) setI(tree, node, better(getI(tree, 2 * node), getI(tree, 2 * node + 1)));
}

/** Notes that slot's key changed or that it left; the tree catches up at the next pick. */
@inline function touch(slot: i32): void {
  if (getI(dirtyAt, slot) == dirtyStamp) return;
  setI(dirtyAt, slot, dirtyStamp);
  setI(dirty, dirtyN++, slot);
}

/**
 * Brings the tree up to date with the slots touched since the last pick. Each replays its path
 * until a node's winner stands and is not itself (a winner that was touched replays its own).
 */
function treeCatchUp(): void {
  for (let k = 0; k < dirtyN; k++) treeFix(getI(dirty, k));
  dirtyN = 0;
  dirtyStamp++;
}

/** Replays the path of a slot whose key changed or that left, up to the first node whose winner (another slot) stands. */
@inline function treeFix(slot: i32): void {
  for (let node = (leaves + slot) >> 1; node >= 1; node >>= 1) {
    const was = getI(tree, node);
    const now = better(getI(tree, 2 * node), getI(tree, 2 * node + 1));
    setI(tree, node, now);
    if (now == was && was != slot) break;
  }
}

@inline function linRemove(r: i32): void {
  const p = getI(rSlot, r);
  setI(rSlot, r, -1);
  if (!scan) {
    setI(tree, leaves + p, -1);
    touch(p);
    return;
  }
  const last = --linN;
  if (p != last) {
    const m = getI(linRes, last);
    setI(linRes, p, m);
    setF(linKey, p, getF(linKey, last));
    setI(rSlot, m, p);
  }
}

/** Fills A over T: every activity of A gets its rate in aNew. */
export function fill(): void {
  fillEpoch++;
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
  scan = linN <= scanMax || region.n <= scanMax;
  if (linear && !scan) treeBuild();
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
    if (inA(a) && getI(aFrozen, a) != fillEpoch) { freeze(a, getF(aWeight, a) * level, r); n++; }
  }
  return n;
}

/** Freezes the activity on top of the bound heap at its bound; false if it was already frozen this round. */
@inline function freezeTopBound(): bool {
  const a = boundHeap.pop();
  if (getI(aFrozen, a) == fillEpoch) return false;
  freeze(a, getF(aBound, a), -1);
  return true;
}

let candKey: f64 = Infinity; // key of the candidate returned by linMin/heapMin

/** linMin by a scan of the list. */
@inline function scanMin(): i32 {
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

/** The unexhausted resource with the smallest key (ties: smallest id), -1 if none. */
@inline function linMin(): i32 {
  if (scan) return scanMin();
  if (dirtyN > 0) treeCatchUp();
  const slot = getI(tree, 1);
  if (slot < 0) { candKey = Infinity; return -1; }
  candKey = getF(linKey, slot);
  return getI(linRes, slot);
}

/**
 * Keys only rise as activities freeze (resid and demand shrink together), so heap entries are
 * re-keyed lazily: a stale top is re-keyed and sifted down until the top is current.
 */
@inline function heapMin(): i32 {
  while (fillHeap.size > 0) {
    const r = fillHeap.top();
    const kr = getF(rKey, r), key = currentKey(r);
    if (key > kr) { setF(rKey, r, key); fillHeap.update(r); continue; }
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

/**
 * Below this fraction of its starting value a running denominator is re-summed exactly. After
 * m subtractions the running value carries an error up to m·ε·denom0 (ε = 2.2e-16), relative
 * m·ε/CANCEL to what is left: at 1e-3 that stays near 1e-11 for m up to 100, well inside the
 * solver's saturation tolerance (1e-10, solver.ts). At 1e-9 it did not: a kernel sharing the
 * math units with two SM holds (weights 1e6 apart) came out 2.4e-10 low, its resource was
 * recorded as unsaturated, and releasing the holds never raised the kernel's rate.
 */
const CANCEL: f64 = 1e-3;

/** Recomputes a resource's residual capacity and unfrozen demand from its user list. */
function resum(r: i32): void {
  const list = getP(rUsers, r), cnt = getI(rCount, r);
  let used: f64 = 0, denom: f64 = 0;
  for (let u = 0; u < cnt; u++) {
    const a = userAct(list, u), c = userCoef(list, u);
    if (!inA(a)) used += c * getF(aRate, a);
    else if (getI(aFrozen, a) == fillEpoch) used += c * getF(aNew, a);
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
  setI(aFrozen, a, fillEpoch);
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
        else {
          setF(linKey, p, currentKey(r));
          if (!scan) touch(p);
        }
      }
    } else if (left == 0) fillHeap.remove(r); // eager: removal from the middle of a big heap is cheap
  }
}
