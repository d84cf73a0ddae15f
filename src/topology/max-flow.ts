// Maximum flow (Dinic) between two node sets over link capacities, used for bisection
// bandwidth. Intermediate nodes must forward and pass `allowed`; sources only send and sinks only
// receive, so endpoints never act as relays. O(V²E) worst case, fast on Clos-like graphs.
import type { Topology } from './graph.js';

export function maxFlow(topo: Topology, sources: readonly number[], sinks: readonly number[], allowed: (node: number) => boolean): number {
  const n = topo.nodes.length;
  const S = n;
  const T = n + 1;
  const role = new Int8Array(n); // 1 source, 2 sink
  for (const s of sources) role[s] = 1;
  for (const t of sinks) role[t] = 2;
  const head: number[] = [];
  const cap: number[] = [];
  const next: number[] = [];
  const first = new Int32Array(n + 2).fill(-1);
  const arc = (u: number, v: number, c: number) => {
    head.push(v, u);
    cap.push(c, 0);
    next.push(first[u], first[v]);
    first[u] = head.length - 2;
    first[v] = head.length - 1;
  };
  const usable = (x: number, asTail: boolean) =>
    role[x] === 1 ? asTail : role[x] === 2 ? !asTail : topo.nodes[x].forwards && allowed(x);
  for (const l of topo.links) {
    if (usable(l.a, true) && usable(l.b, false)) arc(l.a, l.b, l.bytesPerSec);
    if (usable(l.b, true) && usable(l.a, false)) arc(l.b, l.a, l.bytesPerSec);
  }
  for (const s of sources) arc(S, s, Infinity);
  for (const t of sinks) arc(t, T, Infinity);

  const level = new Int32Array(n + 2);
  const it = new Int32Array(n + 2);
  const queue = new Int32Array(n + 2);
  const bfs = (): boolean => {
    level.fill(-1);
    level[S] = 0;
    queue[0] = S;
    let tail = 1;
    for (let q = 0; q < tail; q++)
      for (let e = first[queue[q]]; e !== -1; e = next[e])
        if (cap[e] > 1e-9 && level[head[e]] < 0) {
          level[head[e]] = level[queue[q]] + 1;
          queue[tail++] = head[e];
        }
    return level[T] >= 0;
  };
  const dfs = (u: number, f: number): number => {
    if (u === T) return f;
    for (; it[u] !== -1; it[u] = next[it[u]]) {
      const e = it[u];
      const v = head[e];
      if (cap[e] <= 1e-9 || level[v] !== level[u] + 1) continue;
      const got = dfs(v, Math.min(f, cap[e]));
      if (got > 0) {
        cap[e] -= got;
        cap[e ^ 1] += got;
        return got;
      }
    }
    return 0;
  };
  let flow = 0;
  while (bfs()) {
    it.set(first);
    for (let f = dfs(S, Infinity); f > 0; f = dfs(S, Infinity)) flow += f;
  }
  return flow;
}
