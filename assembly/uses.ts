// The staging area through which an activity's uses enter the module: the JS side (or the
// in-module replay) writes n (resource i32, coefficient f64) pairs here, then starts the
// activity. mergeStaged validates them and merges repeated resources in place (their
// coefficients add up), in O(n) with a per-resource stamp plus O(n) per repeat.
import { getF, setF, getI, setI, growColumn, grownCapacity } from "./mem";
import { nRes } from "./store";

export const ERR_RESOURCE: i32 = -5;
export const ERR_COEF: i32 = -6;

let stageRes: usize = 0;   // i32 resource per use
let stageCoef: usize = 0;  // f64 coefficient per use
let stageCap: i32 = 0;
let mark: usize = 0;       // i32 per resource: epoch of the merge that last saw it
let markCap: i32 = 0;
let markEpoch: i32 = 0;

/** Makes room for n uses and returns the address of the i32 resource column (coefs via stageCoefPtr). */
export function stageReserve(n: i32): usize {
  if (n > stageCap) {
    const c = grownCapacity(stageCap, n);
    stageRes = growColumn(stageRes, stageCap, c, 4);
    stageCoef = growColumn(stageCoef, stageCap, c, 8);
    stageCap = c;
  }
  return stageRes;
}
export function stageResPtr(): usize { return stageRes; }
export function stageCoefPtr(): usize { return stageCoef; }

/** Validates the n staged uses and merges repeats to the front; returns how many remain, or ERR_*. */
export function mergeStaged(n: i32): i32 {
  if (nRes > markCap) {
    const c = grownCapacity(markCap, nRes);
    mark = growColumn(mark, markCap, c, 4);
    markCap = c;
  }
  markEpoch++;
  let m = 0;
  for (let k = 0; k < n; k++) {
    const r = getI(stageRes, k), c = getF(stageCoef, k);
    if (r < 0 || r >= nRes) return ERR_RESOURCE;
    if (!(c > 0 && c < Infinity)) return ERR_COEF;
    if (getI(mark, r) == markEpoch) {
      for (let j = 0; j < m; j++) if (getI(stageRes, j) == r) { setF(stageCoef, j, getF(stageCoef, j) + c); break; }
    } else {
      setI(mark, r, markEpoch);
      setI(stageRes, m, r); setF(stageCoef, m, c);
      m++;
    }
  }
  return m;
}
