// `fairway simulate` on the shipped workloads, and its errors.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { tooltipsOf } from '../helpers/charts.js';
import { fairway } from '../helpers/cli.js';
import { scratchDir } from '../helpers/scratch-dir.js';

describe('fairway simulate', () => {
  test('the launch-bound example: 50 µs a step, 20 µs of it compute and the rest host-bound', () => {
    const r = fairway('simulate', '-w', 'workloads/launch-bound-inference.yaml', '--json');
    expect(r.code).toBe(0);
    type Point = { resource: string; utilization: number; bottleneckSec: number };
    const doc = JSON.parse(r.out) as { schema: string; stepSec: number; computeSec: number; hostBoundSec: number; hostSec: number; stressPoints: { byUtilization: Point[]; byBottleneck: Point[] } };
    expect(doc.schema).toBe('fairway.simulate/1');
    // 200 steps of 10 launches (5 µs each) and the last kernel (2 µs): 10.002 ms
    expect(doc.stepSec).toBeCloseTo(10.002e-3 / 200, 9);
    expect(doc.computeSec).toBeCloseTo(20e-6, 9);
    expect(doc.hostBoundSec).toBeCloseTo((10.002e-3 - 4e-3) / 200, 12);
    expect(doc.hostSec).toBeCloseTo(50e-6, 9);
    // the GPU's math units are busy (and saturated) 4 ms of 10.002 ms; the host socket runs one
    // thread of its 56 cores for 10 ms and is never saturated.
    expect(doc.stressPoints.byUtilization[0]).toEqual({ resource: 'dgx0/acc0 math', kind: 'math', utilization: expect.closeTo(4e-3 / 10.002e-3, 6), bottleneckSec: expect.closeTo(4e-3, 9) });
    expect(doc.stressPoints.byUtilization[1]).toEqual({ resource: 'dgx0/cpu0 cores', kind: 'cores', utilization: expect.closeTo(10e-3 / 56 / 10.002e-3, 6), bottleneckSec: 0 });
    expect(doc.stressPoints.byBottleneck.map((p) => p.resource)).toEqual(['dgx0/acc0 math']);
  });

  test('two runs of one input print the same bytes: wall-clock time goes to stderr only (issue 19, item 19)', () => {
    const a = fairway('simulate', '-w', 'workloads/launch-bound-inference.yaml', '--json');
    const b = fairway('simulate', '-w', 'workloads/launch-bound-inference.yaml', '--json');
    expect(a.out).not.toMatch(/wall/);
    expect(b.out).toBe(a.out);
    expect(a.err).toMatch(/^fairway simulate: simulated in [0-9.]+ s\n$/);
  });

  test('a run estimated to outgrow --max-memory is refused before it is built, with the estimate (issue 19, item 10)', () => {
    // 20 operations an iteration × 1,000,000 iterations × 240 B + 100 MB ≈ 4.9 GB
    const r = fairway('simulate', '-w', 'workloads/launch-bound-inference.yaml', '-i', '1000000', '--max-memory', '4G');
    expect([r.code, r.err]).toEqual([2, expect.stringMatching(/^fairway: error: 1,000,000 iterations of 20 operations each need about 4\.9 GB of memory, more than the 4\.3 GB allowed/)]);
    expect(fairway('simulate', '-w', 'workloads/launch-bound-inference.yaml', '--max-memory', 'lots').err).toMatch(/--max-memory: must be a size such as 16G/);
  });

  test('one iteration too large to build is refused from its ops before expansion (issue 19, item 10)', () => {
    // k compute ops on each of the 1,024 ranks of the shipped rail fabric: 1,024·k graph
    // operations (a compute op is one); 100M = 104,857,600 B allows (104,857,600 − 100e6) / 240 = 20,240 of them:
    // k = 21 (21,504: 100e6 + 5,160,960 B) is refused, k = 19 (19,456) runs
    const dir = scratchDir('fairway-sim-size-');
    const file = (k: number) => {
      const f = join(dir, `k${k}.yaml`);
      const ops = Array.from({ length: k }, (_, i) => `  - {id: k${i}, type: compute, flops: 1e9}`).join('\n');
      writeFileSync(f, `name: k${k}\ntopology: ${process.cwd()}/topologies/h100-1024gpu-rail.yaml\niterations: 1\nops:\n${ops}\n`);
      return f;
    };
    const refused = fairway('simulate', '-w', file(21), '--max-memory', '100M');
    expect([refused.code, refused.err]).toEqual([2, expect.stringMatching(/^fairway: error: one iteration of about 21,504 graph operations \(each op on each of its ranks; a collective on g ranks about 4 \+ 2\(g − 1\)\) needs about 105\.2 MB of memory, more than the 104\.9 MB allowed/)]);
    expect(refused.out).toBe('');
    expect(fairway('simulate', '-w', file(19), '--max-memory', '100M').code).toBe(0);
  });

  test('--html: the breakdown as bars, the same bytes on every run, never over an existing file', () => {
    const dir = scratchDir('fairway-sim-html-');
    const html = join(dir, 'dp.html');
    expect(fairway('simulate', '-w', 'workloads/dp-step-overlap.yaml', '--html', html).code).toBe(0);
    const first = readFileSync(html, 'utf8');
    // the mean and 8 ranks, each compute + exposed communication (+ a sliver host-bound)
    expect(new Set(tooltipsOf(first, 'segments').map((t) => t.split(',')[0]).filter((row) => /^(mean of ranks|rank \d)$/.test(row))).size).toBe(9);
    expect(first).toContain('<td>collective algorithms</td><td>all_reduce: nvls ×8</td>');
    const again = fairway('simulate', '-w', 'workloads/dp-step-overlap.yaml', '--html', html);
    expect([again.code, again.err]).toEqual([2, expect.stringMatching(/exists/)]);
    expect(fairway('simulate', '-w', 'workloads/dp-step-overlap.yaml', '--html', html, '--force').code).toBe(0);
    expect(readFileSync(html, 'utf8')).toBe(first);
  });

  test('the data-parallel example: a per-rank breakdown, stress points, and a trace with stream tracks and counters', () => {
    const dir = scratchDir('fairway-sim-');
    const trace = join(dir, 'dp.json');
    const r = fairway('simulate', '-w', 'workloads/dp-step-overlap.yaml', '--trace', trace);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/8 rank\(s\), 4 iteration\(s\)/);
    expect(r.out).toMatch(/\n  rank 7 +\d/);
    expect(r.out).toMatch(/stress points by utilization[^\n]*\n +\d+\.\d% +dgx0\/acc\d math/);
    expect(r.out).toMatch(/stress points by time as a bottleneck/);
    type Ev = { ph: string; pid: number; tid: number; name: string; args: { name?: string } };
    const doc = JSON.parse(readFileSync(trace, 'utf8')) as { traceEvents: Ev[] };
    const slices = doc.traceEvents.filter((e) => e.ph === 'X');
    expect(new Set(slices.map((e) => e.pid)).size).toBe(8);
    const tracks = new Set(doc.traceEvents.filter((e) => e.name === 'thread_name' && e.pid === 0).map((e) => e.args.name));
    expect(tracks).toEqual(new Set(['host thread', 'compute', 'comm']));
    expect(doc.traceEvents.some((e) => e.ph === 'b')).toBe(true); // collective transfers
    expect(doc.traceEvents.filter((e) => e.ph === 'C').length).toBeGreaterThan(8); // resource counters
  });

  test('the input-bound example: the step waits for its batch, loader workers have tracks', () => {
    // 256 images per GPU per step over 4 loader workers: each worker loads 64, one after another,
    // each read from its socket's drive (16 readers share 6.3 GB/s: 16 × 150 KB / 6.3 GB/s) after
    // 80 µs of latency, then decoded for 20 ms: ℓ ≈ 64 × 20.46 ms per batch. The kernel is
    // compute-bound: 2e13 FLOP / 989.4 TFLOP/s = 20.2 ms. Two steps: the second batch loads while
    // the first computes, so the run is 2ℓ + compute + the 100 MB all-reduce (< 1 ms), over 2.
    const dir = scratchDir('fairway-sim-');
    const trace = join(dir, 'vision.json');
    const r = fairway('simulate', '-w', 'workloads/input-bound-vision.yaml', '--json', '--trace', trace);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as { stepSec: number; computeSec: number; inputStallSec: number };
    const load = 64 * ((16 * 150e3) / 6.3e9 + 80e-6 + 20e-3);
    const kernel = 2e13 / 989.4e12;
    expect(Math.abs(doc.stepSec / ((2 * load + kernel) / 2) - 1)).toBeLessThan(0.005);
    expect(doc.computeSec).toBeCloseTo(kernel, 5);
    expect(doc.inputStallSec).toBeGreaterThan(load - kernel);
    const names = (JSON.parse(readFileSync(trace, 'utf8')) as { traceEvents: { name: string; pid: number; args: { name?: string } }[] }).traceEvents
      .filter((e) => e.name === 'thread_name' && e.pid === 0)
      .map((e) => e.args.name);
    expect(names).toEqual(expect.arrayContaining(['loader 0', 'loader 3', 'input', 'compute', 'host thread']));
  });

  test('--chakra: traces run on a default system sized to them, which the output names', () => {
    const r = fairway('simulate', '--chakra', 'test/fixtures/chakra/custom_ring_allreduce_8npus_1MB/custom_allreduce');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^chakra: 280 nodes on 8 rank\(s\)/);
    expect(r.out).toMatch(/no --topology given: a default system of 1 DGX H100, catalogue H100 parameters/);
    expect(fairway('simulate', '--chakra', 'x', '-w', 'y').err).toMatch(/give one of a workload file/);
  });

  test('a bad workload: problems with paths, exit 2', () => {
    const r = fairway('simulate', '-w', 'topologies/dgx-h100-1node.yaml');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/invalid workload/);
    expect(r.err).toMatch(/servers: unknown field/);
  });
});
