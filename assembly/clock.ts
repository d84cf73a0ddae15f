// The activity clock: simulated time, activity lifecycles and the event heap.
//
// Time advances from event to event: an activity's activation (start + delay) or completion.
// Remaining work is updated lazily: an activity's (remaining, since) pair changes only when its
// rate changes, and its next event time sits in an indexed min-heap keyed by absolute time.
// Changes (starts, activations, completions, cancels) are only told to the solver (solver.ts),
// which records them as seeds; the next query that needs rates (rate, nextEventTime, advance)
// asks it to resolve once for all of them, so everything that happens at one instant costs
// one solve. The clock owns ids (a free-id stack: ids are reused after completion), states,
// remaining work and event times; the solver owns the algebra. They meet only through
// solver.arrive/depart/resolve/regionAt/commit/rateOf and store.defineActivity/forgetActivity.
//
// Error codes returned by start (negative): see ERR_* below and in uses.ts; the TS wrapper
// validates first and turns them into FairwayErrors, so they only guard the module against misuse.
import { getF, setF, getI, setI, growColumn, grownCapacity } from "./mem";
import { IndexedHeap } from "./heap";
import { I32List } from "./list";
import { defineActivity, forgetActivity } from "./store";
import { mergeStaged, stageResPtr, stageCoefPtr } from "./uses";
import * as solver from "./solver";

export const ERR_AMOUNT: i32 = -1;
export const ERR_WEIGHT: i32 = -2;
export const ERR_BOUND: i32 = -3;
export const ERR_DELAY: i32 = -4;
export const ERR_UNCONSTRAINED: i32 = -7;

export const STATE_FREE: i32 = 0;
export const STATE_PENDING: i32 = 1; // started, waiting for its delay to elapse (uses nothing)
export const STATE_ACTIVE: i32 = 2;

/** Two event times closer than this (relative) are one instant: their events form one batch. */
const TIME_TOL: f64 = 1e-13;

let now: f64 = 0;
const events = new IndexedHeap();
const done = new I32List();     // ids completed by the last advance (or stalled, by listStalled)
let eventCount: f64 = 0;
let completedCount: f64 = 0;

// ---- activity lifecycles
let actCap: i32 = 0;
let actHigh: i32 = 0;           // ids in [0, actHigh) have been used at least once
let nLive: i32 = 0;             // pending + active
let aState: usize = 0;          // i32 STATE_*
let aRem: usize = 0;            // f64 remaining work as of aLast
let aLast: usize = 0;           // f64 time aRem refers to
let aKey: usize = 0;            // f64 next event time: activation (pending) or completion (active)
let freeIds: usize = 0;         // i32 stack
let nFree: i32 = 0;

function ensureActivities(n: i32): void {
  if (n <= actCap) return;
  const c = grownCapacity(actCap, n);
  aState = growColumn(aState, actCap, c, 4);
  aRem = growColumn(aRem, actCap, c, 8);
  aLast = growColumn(aLast, actCap, c, 8);
  aKey = growColumn(aKey, actCap, c, 8);
  freeIds = growColumn(freeIds, actCap, c, 4);
  actCap = c;
}

/** Takes a free id (reusing completed ones first). */
function allocActivity(): i32 {
  let id: i32;
  if (nFree > 0) id = getI(freeIds, --nFree);
  else { ensureActivities(actHigh + 1); id = actHigh++; }
  nLive++;
  return id;
}

function releaseActivity(a: i32): void {
  forgetActivity(a);
  setI(aState, a, STATE_FREE);
  setI(freeIds, nFree++, a);
  nLive--;
}

export function getNow(): f64 { return now; }
export function liveCount(): i32 { return nLive; }
export function donePtr(): usize { return done.ptr; }
export function statEvents(): f64 { return eventCount; }
export function statCompleted(): f64 { return completedCount; }
export function state(a: i32): i32 { return a >= 0 && a < actHigh ? getI(aState, a) : 0; }

/** Starts an activity whose n uses are staged (uses.ts); returns its id or a negative ERR_*. */
export function start(amount: f64, n: i32, bound: f64, weight: f64, delay: f64): i32 {
  if (!(amount >= 0 && amount < Infinity)) return ERR_AMOUNT;
  if (!(weight > 0 && weight < Infinity)) return ERR_WEIGHT;
  if (!(bound > 0)) return ERR_BOUND;
  if (!(delay >= 0 && delay < Infinity)) return ERR_DELAY;
  const m = mergeStaged(n);
  if (m < 0) return m;
  if (m == 0 && bound == Infinity) return ERR_UNCONSTRAINED;
  const a = allocActivity();
  events.reserve(actCap);
  events.keys = aKey; // the activity columns may just have moved
  defineActivity(a, stageResPtr(), stageCoefPtr(), m, bound, weight);
  setF(aRem, a, amount);
  setF(aLast, a, now + delay);
  if (delay > 0 || amount == 0) {
    setI(aState, a, STATE_PENDING);
    setF(aKey, a, now + delay);
    events.update(a);
  } else activate(a);
  return a;
}

function activate(a: i32): void {
  setI(aState, a, STATE_ACTIVE);
  setF(aLast, a, now);
  solver.arrive(a);
  setF(aKey, a, Infinity);
}

/** Stops an activity now; returns 1 if it was live. Its id may be reused by the next start. */
export function cancel(a: i32): i32 {
  if (a < 0 || a >= actHigh) return 0;
  events.keys = aKey;
  const st = getI(aState, a);
  if (st == STATE_PENDING) {
    events.remove(a);
  } else if (st == STATE_ACTIVE) {
    solver.depart(a);
    events.remove(a);
  } else return 0;
  releaseActivity(a);
  return 1;
}

/** Brings the rates up to date; every activity whose rate changed gets its work and event time moved. */
function ensureSolved(): void {
  const n = solver.resolve();
  if (n == 0) return;
  events.keys = aKey;
  for (let k = 0; k < n; k++) {
    const a = solver.regionAt(k);
    const old = solver.rateOf(a);
    const x = solver.commit(a);
    if (x == old && getF(aKey, a) < Infinity) continue;
    const rem = getF(aRem, a) - old * (now - getF(aLast, a));
    const left = rem > 0 ? rem : 0;
    setF(aRem, a, left);
    setF(aLast, a, now);
    setF(aKey, a, x > 0 ? now + left / x : Infinity);
    events.update(a);
  }
}

export function rate(a: i32): f64 {
  ensureSolved();
  return solver.rateOf(a);
}

export function remaining(a: i32): f64 {
  const st = getI(aState, a);
  if (st != STATE_ACTIVE) return getF(aRem, a);
  const rem = getF(aRem, a) - solver.rateOf(a) * (now - getF(aLast, a));
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
    } else solver.depart(a);
    done.push(a);
    completedCount++;
    releaseActivity(a);
  }
  if (any) eventCount++;
  return done.n;
}

/** Writes the ids of active activities whose rate is 0 (stalled on a zero capacity) to donePtr(); returns how many. */
export function listStalled(): i32 {
  ensureSolved();
  done.n = 0;
  for (let a = 0; a < actHigh; a++) if (getI(aState, a) == STATE_ACTIVE && solver.rateOf(a) == 0) done.push(a);
  return done.n;
}
