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
// At most `window` chunks are in flight per rank. Per rank: C + C/n_l up and C down on NVLink,
// C/n_l each way per rail NIC (2 domains), so NVLink binds before the NICs as in NCCL's model.
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

/** Step 3 for local index i: each domain's rank i all-reduces its share; returns the op after which each has the full share. */
function acrossDomains(dag: OpSink, comm: Communicator, domains: Domain[], i: number, share: number, reduced: number[][], o: RingOptions): number[] {
  const N = domains.length;
  const rank = (q: number) => domains[(q + i) % N].ranks[i];
  const send = (from: number, to: number, deps: number[]) => dag.transfer(from, comm.nodes[from], comm.nodes[to], share, i, o.alphaCrossSec ?? o.alphaSec, deps, routeTimes(o));
  const own = (q: number) => reduced[(q + i) % N][i];
  const full = new Array<number>(N);
  if (N === 2) {
    const a = send(rank(0), rank(1), [own(0)]);
    const b = send(rank(1), rank(0), [own(1)]);
    full[0] = dag.delay(rank(0), 0, [own(0), b]);
    full[1] = dag.delay(rank(1), 0, [own(1), a]);
  } else {
    const up = new Array<number>(N);
    for (let q = N - 1; q >= 1; q--) up[q] = send(rank(q), rank((q - 1) >> 1), [own(q), ...[2 * q + 1, 2 * q + 2].filter((x) => x < N).map((x) => up[x])]);
    full[0] = dag.delay(rank(0), 0, [own(0), ...[1, 2].filter((x) => x < N).map((x) => up[x])]);
    for (let q = 1; q < N; q++) full[q] = send(rank((q - 1) >> 1), rank(q), [full[(q - 1) >> 1]]);
  }
  // back in domain order
  return Array.from({ length: N }, (_, d) => full[(d - i + N) % N]);
}

export function nvlsTreeAllReduce(dag: OpSink, topo: Topology, comm: Communicator, bytes: number, o: RingOptions): void {
  const domains = domainsOf(topo, comm);
  const nl = domains[0].ranks.length;
  const chunks = Math.max(1, Math.min(NVLS_CHUNKS_PER_SLICE * o.maxSlices, Math.ceil(bytes / o.chunkBytes)));
  const C = bytes / chunks;
  const window = Math.max(1, o.window);
  const rt = routeTimes(o);
  const α = o.alphaSec;
  const uploads = domains.map(() => new Int32Array(nl).fill(-1));
  const casts: Int32Array[][] = [];
  for (let k = 0; k < chunks; k++) {
    const reduced = domains.map((d, q) => {
      const freed = k >= window ? casts[k - window][q] : null;
      const up = d.ranks.map((r, j) => (uploads[q][j] = dag.transfer(r, comm.nodes[r], d.sw, wireBytes(o, C / d.efficiency), j, α, freed ? [uploads[q][j], freed[j]] : [uploads[q][j]], rt)));
      const all = [dag.delay(-1, 0, up)];
      return d.ranks.map((r, j) => dag.transfer(r, d.sw, comm.nodes[r], wireBytes(o, C / nl / d.efficiency), j, α, all, rt));
    });
    const full = domains.map(() => new Array<number>(nl));
    for (let i = 0; i < nl; i++) acrossDomains(dag, comm, domains, i, wireBytes(o, C / nl), reduced, o).forEach((op, q) => (full[q][i] = op));
    casts.push(domains.map((d, q) => {
      const owned = d.ranks.map((r, j) => dag.transfer(r, comm.nodes[r], d.sw, wireBytes(o, C / nl / d.efficiency), j, α, [full[q][j]], rt));
      const all = [dag.delay(-1, 0, owned)];
      return Int32Array.from(d.ranks, (r, j) => dag.transfer(r, d.sw, comm.nodes[r], wireBytes(o, ((nl - 1) * C) / nl / d.efficiency), j, α, all, rt));
    }));
  }
}
