// The flow engine's exported API and its event clock.
//
// Time advances from event to event: an activity's activation (start + delay) or completion.
// Remaining work is updated lazily: an activity's (remaining, since) pair changes only when its
// rate changes, and its completion time sits in an indexed min-heap keyed by absolute time.
// Changes (starts, activations, completions, cancels, capacity changes) only record seeds; the
// next query that needs rates (rate, nextEventTime, advance) runs one region solve for all of
// them, so everything that happens at one instant costs one solve.
//
// Error codes returned by start (negative): see ERR_* below; the TS wrapper validates first and
// turns them into FairwayErrors, so they only guard the module against misuse.
import { getF, setF, getI, setI, getP, growColumn, grownCapacity } from "./mem";
import { IndexedHeap } from "./heap";
import { I32List } from "./list";
import {
  nRes, rCap, rMark, rSat, addResource as addRes, allocActivity, releaseActivity, setIncidences, attach, detach,
  actCap, actHigh, nLive, nActive, aState, aRem, aLast, aRate, aBound, aWeight, aKey, aInc, aN, aBn, aNew, aNewBn,
  STATE_PENDING, STATE_ACTIVE, ensureResources,
} from "./store";
import * as solver from "./solver";

export const ERR_AMOUNT: i32 = -1;
export const ERR_WEIGHT: i32 = -2;
export const ERR_BOUND: i32 = -3;
export const ERR_DELAY: i32 = -4;
export const ERR_RESOURCE: i32 = -5;
export const ERR_COEF: i32 = -6;
export const ERR_UNCONSTRAINED: i32 = -7;

/** Two event times closer than this (relative) are one instant: their events form one batch. */
const TIME_TOL: f64 = 1e-13;

let now: f64 = 0;
const events = new IndexedHeap();
const done = new I32List();
let stageRes: usize = 0;
let stageCoef: usize = 0;
let stageCap: i32 = 0;
let markEpoch: i32 = 0;
let eventCount: f64 = 0;
let completedCount: f64 = 0;

export function getNow(): f64 { return now; }

export function addResource(capacity: f64): i32 {
  return addRes(capacity);
}

export function resourceCount(): i32 { return nRes; }
export function capacity(r: i32): f64 { return getF(rCap, r); }

/** Changes a capacity from now on; users of the resource are re-solved. */
export function setCapacity(r: i32, c: f64): void {
  setF(rCap, r, c);
  solver.seedRes.push(r);
}

/** Makes room for n incidences and returns the address of the i32 resource column (coefs via stageCoefPtr). */
export function stageReserve(n: i32): usize {
  if (n > stageCap) {
    const c = grownCapacity(stageCap, n);
    stageRes = growColumn(stageRes, stageCap, c, 4);
    stageCoef = growColumn(stageCoef, stageCap, c, 8);
    stageCap = c;
  }
  return stageRes;
}
export function stageCoefPtr(): usize { return stageCoef; }

/** Starts an activity whose n incidences are staged; returns its id or a negative ERR_*. */
export function start(amount: f64, n: i32, bound: f64, weight: f64, delay: f64): i32 {
  if (!(amount >= 0 && amount < Infinity)) return ERR_AMOUNT;
  if (!(weight > 0 && weight < Infinity)) return ERR_WEIGHT;
  if (!(bound > 0)) return ERR_BOUND;
  if (!(delay >= 0 && delay < Infinity)) return ERR_DELAY;
  // validate and merge repeated resources (their coefficients add up)
  markEpoch++;
  let m = 0;
  for (let k = 0; k < n; k++) {
    const r = getI(stageRes, k), c = getF(stageCoef, k);
    if (r < 0 || r >= nRes) return ERR_RESOURCE;
    if (!(c > 0 && c < Infinity)) return ERR_COEF;
    if (getI(rMark, r) == markEpoch) {
      for (let j = 0; j < m; j++) if (getI(stageRes, j) == r) { setF(stageCoef, j, getF(stageCoef, j) + c); break; }
    } else {
      setI(rMark, r, markEpoch);
      setI(stageRes, m, r); setF(stageCoef, m, c);
      m++;
    }
  }
  if (m == 0 && bound == Infinity) return ERR_UNCONSTRAINED;
  const a = allocActivity();
  events.reserve(actCap);
  events.keys = aKey; // the activity columns may just have moved
  setIncidences(a, stageRes, stageCoef, m);
  setF(aRem, a, amount);
  setF(aLast, a, now + delay);
  setF(aRate, a, 0);
  setF(aBound, a, bound);
  setF(aWeight, a, weight);
  setI(aBn, a, -2);
  if (delay > 0 || amount == 0) {
    setI(aState, a, STATE_PENDING);
    setF(aKey, a, now + delay);
    events.keys = aKey;
    events.update(a);
  } else activate(a);
  return a;
}

function activate(a: i32): void {
  setI(aState, a, STATE_ACTIVE);
  setF(aLast, a, now);
  attach(a);
  solver.seedActs.push(a);
  // The users bottlenecked on its saturated resources are the ones it takes capacity from:
  // seeding them saves the verification round that would otherwise pull them in.
  seedResourcesOf(a);
  setF(aKey, a, Infinity);
}

/**
 * An active activity arrives or leaves: capacity taken or freed on a resource with slack binds
 * nobody, so only its saturated resources seed the next solve, each with the users bottlenecked
 * on it (the first to move; whoever else must move is found by the solver's verification).
 */
function seedResourcesOf(a: i32): void {
  const block = getP(aInc, a), n = getI(aN, a);
  for (let k = 0; k < n; k++) {
    const r = load<i32>(block + (<usize>k << 4));
    if (getI(rSat, r) != 0) solver.seedBn.push(r);
  }
}

/** Stops an activity now; returns 1 if it was live. Its id may be reused by the next start. */
export function cancel(a: i32): i32 {
  if (a < 0 || a >= actHigh) return 0;
  events.keys = aKey;
  const st = getI(aState, a);
  if (st == STATE_PENDING) {
    events.remove(a);
  } else if (st == STATE_ACTIVE) {
    detach(a);
    seedResourcesOf(a);
    events.remove(a);
  } else return 0;
  releaseActivity(a);
  return 1;
}

function ensureSolved(): void {
  if (!solver.pendingChanges()) return;
  solver.solve();
  solver.commitSaturation();
  events.keys = aKey;
  const region = solver.region;
  for (let k = 0; k < region.n; k++) {
    const a = region.get(k);
    setI(aBn, a, getI(aNewBn, a));
    const x = getF(aNew, a), old = getF(aRate, a);
    if (x == old && getF(aKey, a) < Infinity) continue;
    const rem = getF(aRem, a) - old * (now - getF(aLast, a));
    const left = rem > 0 ? rem : 0;
    setF(aRem, a, left);
    setF(aLast, a, now);
    setF(aRate, a, x);
    setF(aKey, a, x > 0 ? now + left / x : Infinity);
    events.update(a);
  }
}

export function state(a: i32): i32 { return a >= 0 && a < actHigh ? getI(aState, a) : 0; }

export function rate(a: i32): f64 {
  ensureSolved();
  return getF(aRate, a);
}

export function remaining(a: i32): f64 {
  const st = getI(aState, a);
  if (st != STATE_ACTIVE) return getF(aRem, a);
  const rem = getF(aRem, a) - getF(aRate, a) * (now - getF(aLast, a));
  return rem > 0 ? rem : 0;
}

export function nextEventTime(): f64 {
  ensureSolved();
  return events.topKey();
}

/**
 * Moves the clock to min(next event, until) and processes every event of that instant.
 * Returns how many activities completed; their ids are at donePtr(). 0 with the clock
 * unchanged means nothing can happen any more (idle, or only stalled activities).
 */
export function advance(until: f64): i32 {
  ensureSolved();
  events.keys = aKey;
  done.n = 0;
  let t = events.topKey();
  if (until < t) t = until;
  if (t == Infinity) return 0;
  if (t > now) now = t;
  const limit = now + TIME_TOL * Math.abs(now);
  let any = false;
  while (events.size > 0 && events.topKey() <= limit) {
    const a = events.pop();
    any = true;
    if (getI(aState, a) == STATE_PENDING) {
      if (getF(aRem, a) > 0) { activate(a); continue; }
    } else {
      detach(a);
      seedResourcesOf(a);
    }
    done.push(a);
    completedCount++;
    releaseActivity(a);
  }
  if (any) eventCount++;
  return done.n;
}

export function donePtr(): usize { return done.ptr; }

export function liveCount(): i32 { return nLive; }
export function activeCount(): i32 { return nActive; }

/** Writes the ids of active activities whose rate is 0 (stalled on a zero capacity) to donePtr(); returns how many. */
export function listStalled(): i32 {
  ensureSolved();
  done.n = 0;
  for (let a = 0; a < actHigh; a++) if (getI(aState, a) == STATE_ACTIVE && getF(aRate, a) == 0) done.push(a);
  return done.n;
}

export function setFullFraction(f: f64): void { solver.setFullFraction(f); }
export function setLinearMax(n: i32): void { solver.setLinearMax(n); }
export function statEvents(): f64 { return eventCount; }
export function statCompleted(): f64 { return completedCount; }
export function statSolves(): f64 { return <f64>solver.solves; }
export function statFullSolves(): f64 { return <f64>solver.fullSolves; }
export function statRounds(): f64 { return solver.rounds; }
export function statRegionActivities(): f64 { return solver.regionActivities; }
export function statRegionIncidences(): f64 { return solver.regionIncidences; }
export function reserveResources(n: i32): void { ensureResources(n); }

// the flow-replay loop run inside the module (assembly/replay.ts)
export { replayBegin, replayStage, replayColumn, replayCompleted, replayRun } from "./replay";
