// How unevenly a step's expert visits load the ranks of an expert-parallel instance: with
// uniform routing (the load-balanced ideal) each rank's share of the visits is binomial, and the
// step waits for the busiest rank. Its expected visits are the mean plus the expected maximum of
// that many normal deviations (E[max of n standard normals], integrated once per n). Hot experts
// make real steps slower still.

/** Standard normal density and distribution (Abramowitz and Stegun 7.1.26 for erf, |error| < 1.5e-7). */
const phi = (x: number) => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const u = 1 / (1 + 0.3275911 * z);
  const erf = 1 - u * (0.254829592 + u * (-0.284496736 + u * (1.421413741 + u * (-1.453152027 + u * 1.061405429)))) * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** E[max of n independent standard normals] = ∫ x · n φ(x) Φ(x)^(n−1) dx, by the midpoint rule over [−8, 8] (n = 2: 1/√π; 8: 1.4236). */
export function expectedMaxNormal(n: number): number {
  if (n <= 1) return 0;
  let v = MAX_NORMAL.get(n);
  if (v === undefined) MAX_NORMAL.set(n, (v = integrateMaxNormal(n)));
  return v;
}

/** expectedMaxNormal's values by n, computed once each (a step asks for its instance's tp several times). */
const MAX_NORMAL = new Map<number, number>();

function integrateMaxNormal(n: number): number {
  const steps = 3200, a = -8, h = 16 / steps;
  let sum = 0;
  for (let i = 0; i < steps; i++) {
    const x = a + (i + 0.5) * h;
    sum += x * n * phi(x) * Math.pow(normalCdf(x), n - 1);
  }
  return sum * h;
}

/**
 * Expert visits the busiest of `ranks` ranks gets when `visits` token-expert visits land
 * uniformly on the experts (each rank holding an equal share): the mean visits / ranks plus the
 * expected maximum of `ranks` normal deviations of the binomial spread, at most all the visits.
 * Uniform routing is the load-balanced ideal; hot experts make real steps slower still.
 */
export function busiestRankVisits(visits: number, ranks: number): number {
  if (ranks <= 1) return visits;
  const mean = visits / ranks;
  const sigma = Math.sqrt(visits * (1 / ranks) * (1 - 1 / ranks));
  return Math.min(visits, mean + expectedMaxNormal(ranks) * sigma);
}
