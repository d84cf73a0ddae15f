// ASTRA-sim's Chakra microbenchmark traces: decoded, then run as collectives on ASTRA-sim's
// own network/system samples; the two with published ASTRA-sim results must match them.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { defaultCommunicator } from '../../src/collective/communicator.js';
import { astraCollectiveOptions, astraTopology, parseAstraNetwork } from '../../src/io/astra-sim-config.js';
import { chakraCollective, parseChakraTrace } from '../../src/io/chakra-et.js';
import { runCollective } from '../../src/sim/collective-run.js';
import { buildTopology } from '../../src/topology/build.js';
import { Router } from '../../src/topology/routing/router.js';

const root = new URL('../fixtures/chakra/microbenchmarks/', import.meta.url);
const astra = (f: string) => readFileSync(new URL(`../fixtures/astra-sim/${f}`, import.meta.url), 'utf8');
const OP_DIR = { all_reduce: 'all_reduce', all_gather: 'all_gather', reduce_scatter: 'reduce_scatter', alltoall: 'all_to_all' } as const;
const ASTRA_OP = { all_reduce: 'all-reduce', all_gather: 'all-gather', reduce_scatter: 'reduce-scatter', alltoall: 'all-to-all' } as const;

const benches = readdirSync(root).flatMap((op) => readdirSync(new URL(`${op}/`, root)).map((d) => ({ dir: op, variant: d })));

function load(dir: string, variant: string) {
  const files = readdirSync(new URL(`${dir}/${variant}/`, root)).sort();
  const traces = files.map((f) => parseChakraTrace(readFileSync(new URL(`${dir}/${variant}/${f}`, root)), f));
  return { files, traces };
}

/** Runs a trace's collective on an n-NPU ASTRA-sim ring (50 GB/s, 500 ns) with a system config. */
function runOnRing(n: number, op: keyof typeof OP_DIR, bytes: number, system: string) {
  const net = parseAstraNetwork(`topology: [ Ring ]\nnpus_count: [ ${n} ]\nbandwidth: [ 50.0 ]\nlatency: [ 500.0 ]\n`, 'ring.yml');
  const topo = buildTopology(astraTopology(net, `ring${n}`));
  const o = astraCollectiveOptions(astra(system), system, bytes, ASTRA_OP[op]);
  return runCollective(topo, new Router(topo), defaultCommunicator(topo), op, bytes, o);
}

describe('Chakra microbenchmarks', () => {
  test.each(benches)('$dir/$variant: one 1 MiB collective per rank, named as its directory', ({ dir, variant }) => {
    const { files, traces } = load(dir, variant);
    const n = Number(/^(\d+)npus/.exec(variant)![1]);
    expect(files.length).toBe(n);
    for (const t of traces) {
      expect(t.version).toBe('0.0.4');
      expect(t.nodes.length).toBe(1);
      const c = chakraCollective(t.nodes[0], n, 'x');
      expect(OP_DIR[c.op as keyof typeof OP_DIR]).toBe(dir);
      expect(c.bytes).toBe(dir === 'all_gather' ? n * 2 ** 20 : 2 ** 20);
    }
  });

  test('all_reduce/8npus_1MB on the rt_template ring: ASTRA-sim published 117,780 ns', () => {
    const { traces } = load('all_reduce', '8npus_1MB');
    const c = chakraCollective(traces[0].nodes[0], 8, 'all_reduce.0.et');
    const r = runOnRing(8, c.op as keyof typeof OP_DIR, c.bytes, 'rt_template_system.json');
    expect(Math.abs(r.makespanSec * 1e9 - 117780) / 117780).toBeLessThan(1e-4);
  });

  test('all_gather/16npus_1MB with Ring_4chunks: ASTRA-sim published 323,560 ns', () => {
    const { traces } = load('all_gather', '16npus_1MB');
    const c = chakraCollective(traces[0].nodes[0], 16, 'all_gather.0.et');
    const r = runOnRing(16, c.op as keyof typeof OP_DIR, c.bytes, 'Ring_4chunks.json');
    expect(Math.abs(r.makespanSec * 1e9 - 323560) / 323560).toBeLessThan(1e-4);
  });

  test('the 4-NPU traces follow the ring model: steps × (ε + L + m/B) + reductions, per chunk', () => {
    // rt_template system: ε = 10 ns, 4 chunks of 256 KiB in turn, reductions at 3m / 50e9 B/s.
    const B = 50 * 2 ** 30;
    const perStep = (m: number) => 10e-9 + 500e-9 + m / B;
    const m = 2 ** 18 / 4;
    const want = {
      all_reduce: 4 * (6 * perStep(m) + (3 * 3 * m) / 50e9),
      reduce_scatter: 4 * (3 * perStep(m) + (3 * 3 * m) / 50e9),
      all_gather: 4 * 3 * perStep(2 ** 18), // each rank's 1 MiB input is the piece
    };
    for (const [dir, t] of Object.entries(want)) {
      const { traces } = load(dir, '4npus_1MB');
      const c = chakraCollective(traces[0].nodes[0], 4, dir);
      expect(runOnRing(4, c.op as keyof typeof OP_DIR, c.bytes, 'rt_template_system.json').makespanSec).toBeCloseTo(t, 12);
    }
    // all-to-all, directly: rank r's 3 pieces of 256 KiB leave over its 2 ring links, the one to
    // r+2 taking 2 hops; the busiest link direction carries 2 pieces (r→r+1 and r−1→r+1 via r).
    const { traces } = load('all_to_all', '4npus_1MB');
    const c = chakraCollective(traces[0].nodes[0], 4, 'all_to_all');
    const r = runOnRing(4, c.op as keyof typeof OP_DIR, c.bytes, 'rt_template_system.json');
    expect(r.makespanSec).toBeGreaterThanOrEqual((2 * 2 ** 18) / B);
  });

  test('a file that is not a Chakra trace is an input error naming it', () => {
    expect(() => parseChakraTrace(Uint8Array.from([0x05, 0x0a, 0xff]), 'junk.et')).toThrow(/junk\.et: not a Chakra trace/);
  });
});
