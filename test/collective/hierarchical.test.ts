// Halving-doubling and hierarchical all-reduce against their closed forms (both engines).
import { describe, expect, test } from 'vitest';
import { defaultCommunicator } from '../../src/collective/communicator.js';
import { buildCollective, DEFAULT_COLLECTIVE_OPTIONS } from '../../src/collective/index.js';
import { runCollective, runFastestCollective } from '../../src/sim/collective-run.js';
import { Router } from '../../src/topology/routing/router.js';
import { topologyOf } from '../helpers/topologies.js';
import { OP_TRANSFER, TransferDag } from '../../src/graph/index.js';
import { ncclTreeAllReduce } from '../../src/collective/nccl-tree.js';
import { nvlinkDomains } from '../../src/collective/nccl-topology.js';
import { createEngine } from '../../src/engine/index.js';
import { runDag } from '../../src/sim/dag-runner.js';
import { NetworkResources } from '../../src/topology/network-resources.js';

const alpha = 2e-6;
const o = { ...DEFAULT_COLLECTIVE_OPTIONS, alphaSec: alpha, chunkBytes: 2 ** 40 };

// ns servers × nl GPUs. Inside a server GPUs meet on a local switch at Bl; every GPU also has
// its own link at Bs to one fabric switch. No latencies: the ideal two-level system.
function twoLevel(ns: number, nl: number, Bl: number, Bs: number) {
  const nodes: object[] = [{ id: 'core', kind: 'switch' }];
  const links: object[] = [];
  for (let s = 0; s < ns; s++) {
    nodes.push({ id: `s${s}/sw`, kind: 'switch', server: `s${s}` });
    for (let i = 0; i < nl; i++) {
      nodes.push({ id: `s${s}/g${i}`, kind: 'accelerator', server: `s${s}` });
      links.push({ a: `s${s}/g${i}`, b: `s${s}/sw`, bandwidth: Bl }, { a: `s${s}/g${i}`, b: 'core', bandwidth: Bs });
    }
  }
  const topo = topologyOf({ nodes, links });
  return { topo, router: new Router(topo), comm: defaultCommunicator(topo) };
}

describe.each(['wasm', 'ts'] as const)('%s engine', (engine) => {
  test('halving-doubling: 2·log2(n)·α + 2(n−1)S/(nB)', () => {
    // 8 GPUs all on the fabric switch at B (one server each, so no local shortcuts).
    const B = 50e9;
    const { topo, router, comm } = twoLevel(8, 1, 1e12, B);
    const S = 2 ** 28;
    const r = runCollective(topo, router, comm, 'all_reduce', S, { ...o, algorithm: 'hd' }, engine);
    expect(r.makespanSec).toBeCloseTo(2 * 3 * alpha + (2 * 7 * S) / (8 * B), 12);
  });

  test('hierarchical: 2(nl−1)(α + S/(nl·Bl)) + 2(ns−1)(α + S/(nl·ns·Bs))', () => {
    // 4 servers × 4 GPUs, Bl = 400 GB/s, Bs = 50 GB/s, S = 256 MiB:
    // intra phases 2 × 3 × (2 µs + 64 MiB/400 GB/s), inter 6 × (2 µs + 16 MiB/50 GB/s).
    const Bl = 400e9;
    const Bs = 50e9;
    const { topo, router, comm } = twoLevel(4, 4, Bl, Bs);
    const S = 2 ** 28;
    const r = runCollective(topo, router, comm, 'all_reduce', S, { ...o, algorithm: 'hier' }, engine);
    expect(r.makespanSec).toBeCloseTo(2 * 3 * (alpha + S / (4 * Bl)) + 2 * 3 * (alpha + S / (16 * Bs)), 12);
    // versus a flat ring over 16 ranks, bound by the 50 GB/s links for all 30 steps:
    const flat = runCollective(topo, router, comm, 'all_reduce', S, o, engine);
    expect(flat.makespanSec).toBeGreaterThan(r.makespanSec);
  });

  test('hierarchical with halving-doubling across servers: 2(nl−1)(α + S/(nl·Bl)) + 2·log2(ns)·α + 2(ns−1)S/(nl·ns·Bs)', () => {
    const Bl = 400e9;
    const Bs = 50e9;
    const { topo, router, comm } = twoLevel(4, 4, Bl, Bs);
    const S = 2 ** 28;
    const r = runCollective(topo, router, comm, 'all_reduce', S, { ...o, algorithm: 'hier-hd' }, engine);
    expect(r.makespanSec).toBeCloseTo(2 * 3 * (alpha + S / (4 * Bl)) + 2 * 2 * alpha + (2 * 3 * S) / (16 * Bs), 12);
  });

  test('hierarchical needs whole servers', () => {
    const { topo, router } = twoLevel(2, 4, 1e11, 1e10);
    expect(() => runCollective(topo, router, defaultCommunicator(topo, 6), 'all_reduce', 1e6, { ...o, algorithm: 'hier' }, engine)).toThrow(/same number of ranks in every server/);
  });
});

describe('auto', () => {
  test('keeps the fastest applicable algorithm per size', () => {
    // 4 × 4 two-level system: at 8 bytes latency rules and one-shot's single α wins; at 256 MiB
    // the 400 GB/s local links make the hierarchical algorithms win, hier-hd by 2 α over hier
    // (4 inter-server steps instead of 6).
    const { topo, router, comm } = twoLevel(4, 4, 400e9, 50e9);
    for (const [S, want] of [[8, 'one-shot'], [2 ** 28, 'hier-hd']] as const) {
      const best = runFastestCollective(topo, router, comm, 'all_reduce', S, o);
      expect(best.algorithm).toBe(want);
    }
    // 12 ranks (3 servers): halving-doubling (flat or across servers) and nvls (no reducing
    // switch) do not apply and are skipped, not errors.
    expect(runFastestCollective(topo, router, defaultCommunicator(topo, 12), 'all_reduce', 2 ** 28, o).algorithm).toBe('hier');
  });
});

describe.each(['wasm', 'ts'] as const)("NCCL's tree all-reduce, %s engine", (engine) => {
  const run = (topo: Parameters<typeof buildCollective>[0], router: Router, comm: ReturnType<typeof defaultCommunicator>, S: number, extra: object) => {
    const dag = new TransferDag();
    ncclTreeAllReduce(dag, comm, S, nvlinkDomains(topo, comm), { ...o, channels: 1, ...extra });
    const e = createEngine(engine);
    return runDag(dag, e, new NetworkResources(e, topo), router).makespanSec;
  };
  test('one tree over 7 single-GPU servers (depth 2), one chunk: 4(α + 2S/B)', () => {
    // On the fabric switch at B, each level's two children share their parent's port (2S at B),
    // in the reduce and again in the broadcast: 4 levels in all.
    const B = 50e9;
    const { topo, router, comm } = twoLevel(7, 1, 1e12, B);
    const S = 2 ** 26;
    expect(run(topo, router, comm, S, {})).toBeCloseTo(4 * (alpha + (2 * S) / B), 12);
  });
  test("latency: 2((ppn − 1)·α_intra + ⌊log2 N⌋·α_inter), NCCL's tree latency", () => {
    // 4 servers × 4 GPUs: chains of 3 hops inside, a depth-2 tree of heads across (⌊log2 4⌋ = 2).
    const { topo, router, comm } = twoLevel(4, 4, 1e15, 1e15);
    const t = run(topo, router, comm, 8, { alphaCrossSec: 5e-6, domainOfNode: Int32Array.from(topo.nodes, (x) => x.placement.server), routeLatency: false });
    expect(t).toBeCloseTo(2 * (3 * alpha + 2 * 5e-6), 9);
  });
});

describe('ranks recorded on a hierarchical all-reduce', () => {
  test('every transfer carries its sender\'s communicator rank (not its index in a server or rail)', () => {
    const topo = topologyOf({ servers: [{ template: 'dgx-h100', count: 4 }], fabric: { type: 'rail-optimized', radix: 16 } });
    const comm = defaultCommunicator(topo);
    for (const algorithm of ['hier', 'hier-hd'] as const) {
      const dag = buildCollective(topo, 'all_reduce', 2 ** 24, comm, { ...DEFAULT_COLLECTIVE_OPTIONS, algorithm });
      let wrong = 0;
      for (let i = 0; i < dag.size; i++) if (dag.kind[i] === OP_TRANSFER && comm.nodes[dag.rank[i]] !== dag.src[i]) wrong++;
      expect(wrong).toBe(0);
      expect(new Set(dag.rank).size).toBe(32);
    }
  });
});
