// Seeded flow-problem generators for the benchmark, producing compact FlowProblems directly
// (no JSON). Same families as the SimGrid peer's gen.mjs, written independently:
//   fat-tree(k): k pods, k/2 edge + k/2 aggregation switches per pod, (k/2)^2 cores, k^3/4 hosts,
//     every cable = two directional links; up/down routes with the aggregation and core switch
//     drawn per flow (ECMP-like);
//   star(n): n hosts on one non-blocking switch;
//   perm: waves of random derangements, Poisson arrivals per host at a given load, log-uniform sizes;
//   alltoall: round r sends i -> (i+r) mod n at r*gap + U(0,gap);
//   ring: hosts shuffled into rings of g, 2(g-1) steps of size/g chunks to the successor.
import type { FlowProblem } from '../dist/index.js';
import { SeededRandom } from '../dist/core/random.js';

interface Topology {
  hosts: number;
  links: number;
  route(src: number, dst: number, rnd: SeededRandom): number[];
}

export function fatTree(k: number): Topology {
  const h = k / 2, hosts = (k * k * k) / 4;
  const edgeBase = 2 * hosts, coreBase = 4 * hosts;
  const edgeOf = (x: number): number => Math.floor(x / h), podOf = (x: number): number => Math.floor(x / (h * h));
  return {
    hosts,
    links: 6 * hosts,
    route(s, d, rnd) {
      const es = edgeOf(s), ed = edgeOf(d);
      if (es === ed) return [2 * s, 2 * d + 1];
      const a = rnd.int(h);
      const up = edgeBase + 2 * (es * h + a), down = edgeBase + 2 * (ed * h + a) + 1;
      if (podOf(s) === podOf(d)) return [2 * s, up, down, 2 * d + 1];
      const j = rnd.int(h);
      return [2 * s, up, coreBase + 2 * ((podOf(s) * h + a) * h + j), coreBase + 2 * ((podOf(d) * h + a) * h + j) + 1, down, 2 * d + 1];
    },
  };
}

export function star(n: number): Topology {
  return { hosts: n, links: 2 * n, route: (s, d) => [2 * s, 2 * d + 1] };
}

class ProblemBuilder {
  private ids: string[] = [];
  private routes: number[] = [];
  private starts: number[] = [0];
  private sizes: number[] = [];
  private times: number[] = [];
  constructor(private readonly topo: Topology, private readonly bw: number, private readonly lat: number) {}
  add(route: number[], size: number, start: number): void {
    this.ids.push(`f${this.ids.length}`);
    this.routes.push(...route);
    this.starts.push(this.routes.length);
    this.sizes.push(size);
    this.times.push(start);
  }
  get count(): number {
    return this.ids.length;
  }
  build(): FlowProblem {
    const L = this.topo.links;
    return {
      linkIds: Array.from({ length: L }, (_, i) => `l${i}`),
      linkBandwidth: new Float64Array(L).fill(this.bw),
      linkLatency: new Float64Array(L).fill(this.lat),
      flowIds: this.ids,
      routeStart: Int32Array.from(this.starts),
      routeLinks: Int32Array.from(this.routes),
      flowSize: Float64Array.from(this.sizes),
      flowStart: Float64Array.from(this.times),
    };
  }
}

const BW = 12.5e9, LAT = 1e-6;

function derangement(n: number, rnd: SeededRandom): Int32Array {
  const p = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rnd.int(i + 1);
    [p[i], p[j]] = [p[j], p[i]];
  }
  for (let i = 0; i < n; i++) if (p[i] === i) { const j = (i + 1) % n; [p[i], p[j]] = [p[j], p[i]]; }
  return p;
}

export function permutation(topo: Topology, flows: number, seed: number, load = 0.5, lo = 1e4, hi = 1e7): FlowProblem {
  const rnd = new SeededRandom(seed), b = new ProblemBuilder(topo, BW, LAT);
  const meanGap = (hi - lo) / Math.log(hi / lo) / (load * BW);
  const clock = new Float64Array(topo.hosts);
  while (b.count < flows) {
    const p = derangement(topo.hosts, rnd);
    for (let s = 0; s < topo.hosts && b.count < flows; s++) {
      clock[s] += rnd.exponential(meanGap);
      b.add(topo.route(s, p[s], rnd), Math.round(rnd.logUniform(lo, hi)), clock[s]);
    }
  }
  return b.build();
}

export function allToAll(n: number, seed: number, size = 1e6): FlowProblem {
  const topo = star(n), rnd = new SeededRandom(seed), b = new ProblemBuilder(topo, BW, LAT);
  const gap = size / BW;
  for (let r = 1; r < n; r++) for (let i = 0; i < n; i++) b.add(topo.route(i, (i + r) % n, rnd), size, r * gap + rnd.next() * gap);
  return b.build();
}

export function ringAllReduce(topo: Topology, group: number, seed: number, size = 64e6, slack = 2): FlowProblem {
  const rnd = new SeededRandom(seed), b = new ProblemBuilder(topo, BW, LAT);
  const order = Int32Array.from({ length: topo.hosts }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rnd.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const chunk = Math.floor(size / group), step = (slack * chunk) / BW;
  for (let s = 0; s < 2 * (group - 1); s++)
    for (let g = 0; g < topo.hosts; g += group)
      for (let m = 0; m < group; m++) b.add(topo.route(order[g + m], order[g + ((m + 1) % group)], rnd), chunk, s * step + rnd.next() * step * 0.1);
  return b.build();
}
