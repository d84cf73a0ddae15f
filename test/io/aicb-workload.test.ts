// SimAI/AICB layer tables as workloads: every sample imports (the 9,216-GPU MoE one with its
// _EP / _DP_EP groups), the micro tests equal the sum of their collectives run directly, and
// the model workloads simulate with their measured compute times.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { ncclAlone } from '../helpers/nccl.js';
import { defaultCommunicator } from '../../src/collective/communicator.js';
import { DEFAULT_COLLECTIVE_OPTIONS } from '../../src/collective/index.js';
import { parseAicbText } from '../../src/io/aicb-workload.js';
import { parseWorkload } from '../../src/io/workload-file.js';
import { runFastestCollective } from '../../src/sim/collective-run.js';
import { runWorkload } from '../../src/sim/workload-run.js';
import { Router } from '../../src/topology/routing/router.js';
import { topologyOf } from '../helpers/topologies.js';

const dir = fileURLToPath(new URL('../fixtures/aicb/', import.meta.url));
const load = (f: string) => parseAicbText(readFileSync(dir + f, 'utf8'), f);
const files = readdirSync(dir).filter((f) => f.endsWith('.txt'));

describe('AICB workloads', () => {
  const topo = topologyOf({ servers: [{ template: 'dgx-h100' }] });
  const router = new Router(topo);

  test.each(files)('%s imports into a valid workload', (f) => {
    const a = load(f);
    const spec = parseWorkload(a.doc, f);
    expect(spec.ops.length).toBeGreaterThan(0);
  });

  test('the 9,216-GPU MoE workload: tp 2, ep 16, pp 12, ga 24 and its expert groups', () => {
    const a = load('workload_analytical.txt');
    expect(a.layers).toBe(1789);
    expect(a.ranks).toBe(9216);
    const ops = (a.doc.ops as { op?: string; group?: { size: number; stride?: number }; type: string }[]);
    // the table lists all 24 micro-batches itself (24 embedding rows) and runs once: 384 rows with
    // an ALLTOALL_EP in forward and in input-gradient (expert groups: ep = 16 ranks, stride tp = 2)
    // and 384 with a plain ALLTOALL (tensor-parallel group of 2)
    const a2a = ops.filter((o) => o.op === 'alltoall');
    expect(a2a.filter((o) => o.group?.size === 16 && o.group.stride === 2)).toHaveLength(2 * 384);
    expect(a2a.filter((o) => o.group?.size === 2 && o.group.stride === undefined)).toHaveLength(2 * 384);
    // the _DP_EP reductions: dp = 9216 / (2 × 12) = 384 ranks, 384 / 16 = 24 per expert, stride tp·ep = 32
    expect(ops.filter((o) => o.group?.size === 24 && o.group?.stride === 32).map((o) => o.op).sort()).toEqual(['all_gather', 'reduce_scatter']);
    // pipeline stages are not transfers (SimAI uses pp_comm in its analytical bubble only)
    expect(ops.filter((o) => o.type === 'send')).toHaveLength(0);
  });

  test('the all-reduce micro test is its 19 all-reduces one after another', () => {
    const spec = parseWorkload(load('all_reduce.txt').doc, 'all_reduce.txt');
    const w = runWorkload(spec, topo, router);
    const comm = defaultCommunicator(topo);
    // auto: each all-reduce as NCCL runs it on its own
    const sum = spec.ops.reduce((s, o) => s + ncclAlone(topo, router, comm, 'all_reduce', o.bytes).makespanSec, 0);
    expect(spec.ops).toHaveLength(19);
    expect(w.summary.stepSec).toBeCloseTo(sum, 12);
  });

  test('GPT-13B, Megatron tp 8: the measured compute times add up, TP all-reduces are exposed', () => {
    const a = load('G13B-M1-C01_GPT13B_megatron_tp8_pp1_mbs1_A100.txt');
    const w = runWorkload(parseWorkload(a.doc, 'gpt13b'), topo, router);
    const ops = a.doc.ops as { type: string; seconds?: number }[];
    const compute = ops.filter((o) => o.type === 'compute').reduce((s, o) => s + (o.seconds ?? 0), 0);
    expect(w.summary.computeSec).toBeCloseTo(compute, 9);
    expect(w.summary.exposedCommSec).toBeGreaterThan(0);
    // no launches or inputs in an AICB table: nothing is host-bound or stalled on input
    expect([w.summary.hostBoundSec, w.summary.inputStallSec]).toEqual([0, 0]);
  });

  test('malformed files name the line', () => {
    expect(() => parseAicbText('MICRO\n2\nx -1 1 NONE 0 1 NONE 0 1 ALLREDUCE 8 1\n', 'a.txt')).toThrow(/a\.txt:2: the file says 2 layers but has 1/);
    expect(() => parseAicbText('MICRO\n1\nx -1 1 NONE 0 1 NONE 0 1 ALLSHUFFLE 8 1\n', 'a.txt')).toThrow(/a\.txt:3: unknown collective "ALLSHUFFLE"/);
    // names of Object.prototype are not collectives (issue 19, item 18: `constructor` passed, then failed on a generated path)
    for (const name of ['constructor', 'toString', '__proto__']) expect(() => parseAicbText(`MICRO\n1\nx -1 1 NONE 0 1 NONE 0 1 ${name} 8 1\n`, 'a.txt')).toThrow(new RegExp(`a\\.txt:3: unknown collective "${name}"`));
    expect(() => parseAicbText('PIPELINE\n1\n', 'a.txt')).toThrow(/a\.txt:1: unsupported parallelism "PIPELINE"/);
    expect(() => parseAicbText('DATA\n1\nx -1 1 NONE 0 1 NONE 0 1 ALLREDUCE 8 1\n', 'a.txt')).toThrow(/a\.txt:1: unsupported parallelism "DATA"/);
  });
});
