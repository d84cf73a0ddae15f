// Chakra traces as workloads: every sample imports and simulates; the microbenchmarks give the
// same collective time as `fairway collective` on the same topology; the MSCCL ring's
// send/recv/compute chain and the PyTorch-derived trace run end to end.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { defaultCommunicator } from '../../src/collective/communicator.js';
import { DEFAULT_COLLECTIVE_OPTIONS } from '../../src/collective/index.js';
import { chakraWorkload } from '../../src/io/chakra-workload.js';
import { parseWorkload } from '../../src/io/workload-file.js';
import { runFastestCollective } from '../../src/sim/collective-run.js';
import { runWorkload } from '../../src/sim/workload-run.js';
import { Router } from '../../src/topology/routing/router.js';
import { ncclAlone } from '../helpers/nccl.js';
import { topologyOf } from '../helpers/topologies.js';
import { scratchDir } from '../helpers/scratch-dir.js';

const fixtures = fileURLToPath(new URL('../fixtures/chakra/', import.meta.url));
const micro = readdirSync(`${fixtures}microbenchmarks`).flatMap((op) =>
  readdirSync(`${fixtures}microbenchmarks/${op}`).map((v) => {
    const file = readdirSync(`${fixtures}microbenchmarks/${op}/${v}`)[0];
    return { name: `${op}/${v}`, prefix: `${fixtures}microbenchmarks/${op}/${v}/${file.replace(/\.\d+\.et$/, '')}` };
  }),
);

describe('Chakra traces as workloads', () => {
  const one = topologyOf({ servers: [{ template: 'dgx-h100' }] });
  const two = topologyOf({ servers: [{ template: 'dgx-h100', count: 2 }], fabric: { type: 'leaf-spine', radix: 64 } });

  test.each(micro)('%s: the same time as the collective run directly', ({ prefix }) => {
    const imported = chakraWorkload(prefix);
    const spec = parseWorkload(imported.doc, prefix);
    const topo = imported.ranks <= 8 ? one : two;
    const router = new Router(topo);
    const w = runWorkload(spec, topo, router);
    const coll = spec.ops.find((o) => o.type === 'collective')!;
    // the trace names no algorithm: auto, as NCCL runs it on these H100s
    const direct = ncclAlone(topo, router, defaultCommunicator(topo, imported.ranks), coll.collective as 'all_reduce', coll.bytes);
    expect(w.expanded.collectives[0].algorithm).toBe(direct.algorithm);
    // no launches (launch 0) and HBM far from binding: the step is the collective
    expect(w.summary.stepSec).toBeCloseTo(direct.makespanSec, 12);
  });

  test('the MSCCL ring: 7 compute steps of 7 µs between eager sends and receives, matched by tag', () => {
    const imported = chakraWorkload(`${fixtures}custom_ring_allreduce_8npus_1MB/custom_allreduce`);
    expect(imported.ranks).toBe(8);
    expect(imported.nodes).toBe(8 * 35);
    const w = runWorkload(parseWorkload(imported.doc, 'ring'), one, new Router(one));
    expect(w.summary.computeSec).toBeCloseTo(7 * 7e-6, 12);
    // 14 sends of 128 KiB each, one after another on every rank, over NVLink at 360 GB/s
    // each send also pays its route's two NVLink hops of 0.5 µs (eager sends, no α)
    expect(w.summary.stepSec).toBeCloseTo(7 * 7e-6 + 14 * (1e-6 + 131072 / 360e9), 12);
  });

  test('the PyTorch-derived trace (gzip, 3,664 nodes, dangling and contradicting dependencies) simulates', () => {
    const imported = chakraWorkload(`${fixtures}mlcommons/chakra`);
    expect(imported.nodes).toBe(3664);
    expect(imported.ignoredAttributes.get('op_schema')).toBe(2448);
    expect(imported.danglingDependencies).toBe(1277);
    const w = runWorkload(parseWorkload(imported.doc, 'pytorch'), one, new Router(one));
    // GPU kernels' recorded durations sum to a lower bound of the step (one GPU, kernels run as their dependencies allow)
    const kernelSec = (imported.doc.ops as { type: string; seconds?: number }[]).filter((o) => o.type === 'compute').reduce((s, o) => s + (o.seconds ?? 0), 0);
    expect(w.summary.computeSec).toBeCloseTo(kernelSec, 9);
    expect(w.summary.stepSec).toBeGreaterThanOrEqual(kernelSec);
  });

  test('the JSON form (Chakra\'s feeder input) imports: a collective without comm_type/comm_size runs as its recorded duration', () => {
    const imported = chakraWorkload(`${fixtures}mlcommons/small_chakra`);
    expect(imported.nodes).toBe(7);
    const ops = imported.doc.ops as { id: string; type: string; seconds?: number }[];
    // 5 CPU ops (aten and c10d calls) on the host thread; 2 GPU kernels of 4 µs and 28 µs, the
    // second an NCCL broadcast recorded without comm_type/comm_size
    expect(ops.filter((o) => o.type === 'compute').map((o) => o.seconds)).toEqual([4e-6, 28e-6]);
    expect(ops.filter((o) => o.type === 'collective')).toHaveLength(0);
    expect(ops.filter((o) => o.type === 'cpu')).toHaveLength(5);
    const w = runWorkload(parseWorkload(imported.doc, 'small'), one, new Router(one));
    expect(w.summary.computeSec).toBeCloseTo(32e-6, 12);
  });

  test('a PyTorch host execution trace (the converter\'s input) is refused with what to do', () => {
    expect(() => chakraWorkload(`${fixtures}host-et/trace`)).toThrow(/not a Chakra JSON trace: a PyTorch host execution trace .* convert it to Chakra first/);
  });

  test('a JSON trace holding null, or a null node, is an input error naming where', () => {
    const dir = scratchDir('fairway-chakra-');
    writeFileSync(join(dir, 'a.0.json'), 'null');
    writeFileSync(join(dir, 'b.0.json'), '{"workload_graph": [null]}');
    expect(() => chakraWorkload(join(dir, 'a'))).toThrow(/a\.0\.json: not a Chakra JSON trace: expected \{"workload_graph"/);
    expect(() => chakraWorkload(join(dir, 'b'))).toThrow(/b\.0\.json: workload_graph\[0\] must be a node object/);
  });

  test('a missing rank file or a prefix with no traces is an input error', () => {
    expect(() => chakraWorkload(`${fixtures}microbenchmarks/all_reduce/nowhere`)).toThrow(/no .*nowhere\.<rank>\.et files/);
  });
});

describe('Chakra process groups (pg_name): collectives run on their communicators', () => {
  // 4 ranks on one DGX H100, tensor-parallel pairs {0,1}, {2,3} (process groups "tp0", "tp1") and
  // data-parallel pairs {0,2}, {1,3} ("dp0", "dp1"). Each rank: 100 µs of compute, then a 1 MiB
  // all-reduce in its TP pair, then a 64 MiB all-reduce in its DP pair (NodeType 4 = COMP_NODE,
  // 7 = COMM_COLL_NODE; comm_type 0 = ALL_REDUCE).
  const tp = (r: number) => `tp${r >> 1}`;
  const dp = (r: number) => `dp${r & 1}`;
  const trace = (r: number, pg: boolean) => ({
    workload_graph: [
      { Id: 1, Name: 'gemm', NodeType: 4, runtime: 100, data_deps: [] },
      { Id: 2, Name: 'tp_allreduce', NodeType: 7, data_deps: [1], comm_type: 0, comm_size: 2 ** 20, ...(pg ? { pg_name: tp(r) } : {}) },
      { Id: 3, Name: 'dp_allreduce', NodeType: 7, data_deps: [2], comm_type: 0, comm_size: 64 * 2 ** 20, ...(pg ? { pg_name: dp(r) } : {}) },
    ],
  });
  const write = (pg: boolean) => {
    const dir = scratchDir('fairway-chakra-pg-');
    for (let r = 0; r < 4; r++) writeFileSync(join(dir, `t.${r}.json`), JSON.stringify(trace(r, pg)));
    return chakraWorkload(join(dir, 't'));
  };
  const one = topologyOf({ servers: [{ template: 'dgx-h100' }] });
  const router = new Router(one);
  const accs = one.nodesOfKind('accelerator').map((n) => n.index);
  const pair = (a: number, b: number) => ({ nodes: Int32Array.from([accs[a], accs[b]]) });

  test('one collective op per group and position, on the group\'s ranks; the pg name is used, not reported as ignored', () => {
    const imported = write(true);
    const colls = (imported.doc.ops as { id: string; type: string; ranks?: number[] }[]).filter((o) => o.type === 'collective');
    expect(colls.map((o) => [o.id, o.ranks])).toEqual([
      ['pgtp0.coll0', [0, 1]],
      ['pgdp0.coll0', [0, 2]],
      ['pgdp1.coll0', [1, 3]],
      ['pgtp1.coll0', [2, 3]],
    ]);
    expect(imported.ignoredAttributes.has('pg_name')).toBe(false);
  });

  test('the step is 100 µs + the TP pair\'s 1 MiB all-reduce + the DP pair\'s 64 MiB one, each as run alone on its two GPUs', () => {
    const w = runWorkload(parseWorkload(write(true).doc, 'pg'), one, router);
    // the pairs use disjoint NVLink ports of a non-blocking switch, so pairs of a stage do not slow each other
    const tpSec = ncclAlone(one, router, pair(0, 1), 'all_reduce', 2 ** 20).makespanSec;
    const dpSec = ncclAlone(one, router, pair(0, 2), 'all_reduce', 64 * 2 ** 20).makespanSec;
    expect(w.summary.stepSec).toBeCloseTo(100e-6 + tpSec + dpSec, 9);
    // without pg_name both collectives span all 4 ranks: a different (4-rank) time
    const all = runWorkload(parseWorkload(write(false).doc, 'all'), one, router);
    const four = { nodes: Int32Array.from(accs.slice(0, 4)) };
    expect(all.summary.stepSec).toBeCloseTo(100e-6 + ncclAlone(one, router, four, 'all_reduce', 2 ** 20).makespanSec + ncclAlone(one, router, four, 'all_reduce', 64 * 2 ** 20).makespanSec, 9);
    expect(Math.abs(all.summary.stepSec - w.summary.stepSec)).toBeGreaterThan(1e-6);
  });

  test('a rank that runs more of a group\'s collectives than another member is an input error naming the group', () => {
    const dir = scratchDir('fairway-chakra-pg-');
    for (let r = 0; r < 4; r++) {
      const t = trace(r, true);
      if (r === 1) t.workload_graph.push({ Id: 4, Name: 'tp_allreduce', NodeType: 7, data_deps: [2], comm_type: 0, comm_size: 2 ** 20, pg_name: tp(r) });
      writeFileSync(join(dir, `t.${r}.json`), JSON.stringify(t));
    }
    expect(() => chakraWorkload(join(dir, 't'))).toThrow(/collectives of process group tp0/);
  });
});
