// NCCL's NVLS-tree all-reduce across NVLink domains (NVLS_TREE): in-switch reduction inside
// each domain, the reduced shares exchanged between domains over the NICs, and the switch's
// multicast back — pipelined in chunks, so the three stages overlap. Per chunk of C bytes, in
// each domain of n_l ranks behind reducing switch W:
//   1. every rank uploads its C bytes into W;
//   2. once all are in, W sends reduced share i (C/n_l) to local rank i;
//   3. local rank i all-reduces its share with local rank i of the other domains (its rail):
//      with 2 domains a direct exchange; with more, a binary tree over domains (reduce up,
//      broadcast down), rooted at domain i mod N so the roots spread over rails;
//   4. rank i puts the fully reduced share into W; once all are in, W multicasts to every rank
//      the (n_l − 1) shares it does not hold.
// A rank's upload of chunk k waits for its reduced share of chunk k − window (buffer slots). Per rank: C + C/n_l up and C down on NVLink,
// C/n_l each way per rail NIC (2 domains), so NVLink binds before the NICs as in NCCL's model.
// A rail send moves at most `sendBound` (NCCL's plan: the rate at which the whole reaches its
// estimate, under its per-channel cap for the algorithm).
import { FairwayError } from '../core/errors.js';
import type { Topology } from '../topology/graph.js';
import type { Communicator } from './communicator.js';
import type { OpSink } from '../graph/index.js';
import { routeTimes, wireBytes, type RingOptions } from './ring.js';
import { NVLS_CHUNKS_PER_SLICE } from './nvls.js';

interface Domain {
  sw: number;
  efficiency: number;
  ranks: number[];
}

/** The domains of the communicator: ranks grouped by the reducing switch they link to. */
function domainsOf(topo: Topology, comm: Communicator): Domain[] {
  const { start, to } = topo.adjacency();
  const bySwitch = new Map<number, Domain>();
  comm.nodes.forEach((node, r) => {
    let sw = -1;
    for (let e = start[node]; e < start[node + 1] && sw < 0; e++) if (topo.nodes[to[e]].reduces) sw = to[e];
    if (sw < 0) throw new FairwayError('E_INPUT', 'nvls-tree needs every rank on a scale-up switch that reduces in the network', [{ path: 'algo', message: 'use a topology whose scale-up switches have reduction: true (e.g. dgx-h100 servers)' }]);
    if (!bySwitch.has(sw)) bySwitch.set(sw, { sw, efficiency: topo.nodes[sw].reductionEfficiency, ranks: [] });
    bySwitch.get(sw)!.ranks.push(r);
  });
  const domains = [...bySwitch.values()];
  if (domains.some((d) => d.ranks.length !== domains[0].ranks.length))
    throw new FairwayError('E_INPUT', 'nvls-tree needs the same number of ranks in every NVLink domain', [{ path: 'algo', message: 'use ring, or ranks that fill whole domains' }]);
  return domains;
}

/**
 * Step 3 for local index i: each domain's rank i all-reduces its share; returns, in domain
 * order, the op after which each has the full share. Two domains exchange; more run NCCL's
 * double binary tree over domains: half the share on a heap-ordered tree, half on its mirror,
 * so a domain inner in one tree is a leaf in the other and no rail link carries more than two
 * shares each way. A connection (from → to, per tree) sends its chunks in order, one at a time
 * (`last` holds its previous send), as a NCCL connection's FIFO drains.
 */
function acrossDomains(dag: OpSink, comm: Communicator, domains: Domain[], i: number, share: number, reduced: number[][], o: RingOptions, last: Map<number, number>): number[] {
  const N = domains.length;
  const n = comm.nodes.length;
  const rankOf = (d: number) => domains[d].ranks[i];
  const send = (from: number, to: number, bytes: number, t: number, deps: number[]) => {
    const key = (from * n + to) * 2 + t;
    const op = dag.transfer(from, comm.nodes[from], comm.nodes[to], bytes, i, o.alphaCrossSec ?? o.alphaSec, [...deps, last.get(key) ?? -1], routeTimes(o, 1, comm.nodes[from], comm.nodes[to]), o.sendBound ?? 0);
    last.set(key, op);
    return op;
  };
  const own = (d: number) => reduced[d][i];
  if (N === 2) {
    const a = send(rankOf(0), rankOf(1), share, 0, [own(0)]);
    const b = send(rankOf(1), rankOf(0), share, 0, [own(1)]);
    return [dag.delay(rankOf(0), 0, [own(0), b]), dag.delay(rankOf(1), 0, [own(1), a])];
  }
  const halves = [0, 1].map((t) => treeOverDomains(N, t === 0 ? (q) => (q + i) % N : (q) => (2 * N - 1 - q + i) % N, (from, to, deps) => send(rankOf(from), rankOf(to), share / 2, t, deps), own, (d, deps) => dag.delay(rankOf(d), 0, deps)));
  return Array.from({ length: N }, (_, d) => dag.delay(rankOf(d), 0, [halves[0][d], halves[1][d]]));
}

/** Reduce up and broadcast down a heap-ordered tree whose position q is domain at(q); per domain, the op after which it has the result. */
function treeOverDomains(N: number, at: (q: number) => number, send: (from: number, to: number, deps: number[]) => number, own: (d: number) => number, join: (d: number, deps: number[]) => number): number[] {
  const up = new Array<number>(N);
  const kids = (q: number) => [2 * q + 1, 2 * q + 2].filter((x) => x < N);
  for (let q = N - 1; q >= 1; q--) up[q] = send(at(q), at((q - 1) >> 1), [own(at(q)), ...kids(q).map((x) => up[x])]);
  const full = new Array<number>(N);
  full[at(0)] = join(at(0), [own(at(0)), ...kids(0).map((x) => up[x])]);
  for (let q = 1; q < N; q++) full[at(q)] = send(at((q - 1) >> 1), at(q), [full[at((q - 1) >> 1)]]);
  return full;
}

export function nvlsTreeAllReduce(dag: OpSink, topo: Topology, comm: Communicator, bytes: number, o: RingOptions): void {
  const domains = domainsOf(topo, comm);
  const nl = domains[0].ranks.length;
  // about 12 operations per rank and chunk: at most maxSendsPerChunk of them in all (16,384 ranks: 10 chunks)
  const byBudget = Math.max(1, Math.floor(o.maxSendsPerChunk / (12 * comm.nodes.length)));
  const chunks = Math.max(1, Math.min(NVLS_CHUNKS_PER_SLICE * o.maxSlices, byBudget, Math.ceil(bytes / o.chunkBytes)));
  const C = bytes / chunks;
  const window = Math.max(1, o.window);
  const rt = routeTimes(o);
  // α: the NVLS step's barrier, paid by the uploads that start it, once per step a simulated chunk stands for
  const α = o.alphaSec * Math.max(1, Math.ceil(bytes / o.chunkBytes) / chunks);
  const uploads = domains.map(() => new Int32Array(nl).fill(-1));
  // the reduced shares of each chunk: an upload buffer slot is free again once the switch has
  // reduced what it held (NCCL's FIFO is per connection, so deep domain trees still pipeline)
  const shares: number[][][] = [];
  const connections = new Map<number, number>();
  for (let k = 0; k < chunks; k++) {
    const reduced = domains.map((d, q) => {
      const freed = k >= window ? shares[k - window][q] : null;
      const up = d.ranks.map((r, j) => (uploads[q][j] = dag.transfer(r, comm.nodes[r], d.sw, wireBytes(o, C / d.efficiency), j, α, freed ? [uploads[q][j], freed[j]] : [uploads[q][j]], rt)));
      const all = [dag.delay(-1, 0, up)];
      // the switch's reduction units add n_l operands for each rank's share
      return d.ranks.map((r, j) => dag.reducedTransfer(r, d.sw, comm.nodes[r], wireBytes(o, C / nl / d.efficiency), ((nl - 1) * C) / nl, j, 0, all, rt));
    });
    shares.push(reduced);
    const full = domains.map(() => new Array<number>(nl));
    for (let i = 0; i < nl; i++) acrossDomains(dag, comm, domains, i, wireBytes(o, C / nl), reduced, o, connections).forEach((op, q) => (full[q][i] = op));
    domains.forEach((d, q) => {
      const owned = d.ranks.map((r, j) => dag.transfer(r, comm.nodes[r], d.sw, wireBytes(o, C / nl / d.efficiency), j, 0, [full[q][j]], rt));
      const all = [dag.delay(-1, 0, owned)];
      d.ranks.forEach((r, j) => dag.transfer(r, d.sw, comm.nodes[r], wireBytes(o, ((nl - 1) * C) / nl / d.efficiency), j, 0, all, rt));
    });
  }
}
