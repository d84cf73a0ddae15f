// `fairway sweep`: results byte-identical whatever the workers and sharding, failing points
// reported while the rest finish, resuming, merging, and bad input.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { decodeRecords } from '../../src/sweep/results.js';
import { itemsOf } from '../helpers/charts.js';
import { fairway, root } from '../helpers/cli.js';
import { scratchDir } from '../helpers/scratch-dir.js';

const SWEEP = 'test/fixtures/sweeps/small.yaml';

describe('fairway sweep', () => {
  const dir = scratchDir('fairway-sweep-');
  const at = (f: string) => join(dir, f);

  test('1 worker, 2 workers, and 3 shards merged give byte-identical results', () => {
    expect(fairway('sweep', SWEEP, '-w', '1', '-q', '-o', at('w1.csv')).code).toBe(1); // point 5 fails
    expect(fairway('sweep', SWEEP, '-w', '2', '-q', '-o', at('w2.csv')).code).toBe(1);
    const csv = readFileSync(at('w1.csv'));
    expect(readFileSync(at('w2.csv')).equals(csv)).toBe(true);
    // point 5 fails: shard 2 (points 2, 5) exits 1, the others 0
    for (const i of [0, 1, 2]) expect(fairway('sweep', SWEEP, '-w', '2', '-q', '--shard', `${i}/3`, '-o', at(`s${i}.msgpack`)).code).toBe(i === 2 ? 1 : 0);
    const m = fairway('sweep', 'merge', '-o', at('merged.csv'), at('s0.msgpack'), at('s1.msgpack'), at('s2.msgpack'));
    expect(m.code).toBe(0);
    expect(m.err).toMatch(/merged 8 points from 3 file\(s\)/);
    expect(readFileSync(at('merged.csv')).equals(csv)).toBe(true);
    // merge can also write the HTML report: a bar for each of the 7 successful points, the failed one in the table
    expect(fairway('sweep', 'merge', '-o', at('merged2.csv'), '--html', at('merged.html'), at('s0.msgpack'), at('s1.msgpack'), at('s2.msgpack')).code).toBe(0);
    const html = readFileSync(at('merged.html'), 'utf8');
    expect(itemsOf(html, 'totals')).toHaveLength(7);
    expect(html).toContain('FAILED:');
    // shard 1 of 3 holds points 1, 4, 7
    expect(decodeRecords(readFileSync(at('s1.msgpack')), 'msgpack', 's1').map((r) => r.index)).toEqual([1, 4, 7]);
  }, 60_000);

  test('a failing point is reported with its overrides; every other point finishes; exit 1', () => {
    const r = fairway('sweep', SWEEP, '-w', '2', '-o', at('fail.msgpack'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/1 of 8 points failed:\n  point 5 \(collective\.bytes=0\): .*collective\.bytes: must be > 0, got 0/);
    const records = decodeRecords(readFileSync(at('fail.msgpack')), 'msgpack', 'fail');
    expect(records.map((x) => [x.index, x.ok])).toEqual([[0, true], [1, true], [2, true], [3, true], [4, true], [5, false], [6, true], [7, true]]);
    // the table lists every point in order, the failed one with its error
    expect(r.out).toMatch(/\n5 .*FAILED: .*must be > 0/);
    // the overrides took effect: the algorithm; NVLS on 2 CTAs takes half the steps of 1 (each step a 3.7 µs barrier); doubling NVLink bandwidth speeds up the 4 MiB point
    const time = (i: number) => Number(records[i].metrics!.timeUs);
    expect([records[0].metrics!.algo, records[2].metrics!.algo]).toEqual(['ring', 'nvls']);
    expect(time(3)).toBeLessThan(time(2));
    expect(time(6)).toBeLessThan(time(4));
    expect(records[7].metrics!.ranks).toBe(4);
    expect(existsSync(`${at('fail.msgpack')}.partial`)).toBe(false);
  }, 60_000);

  test('--resume runs only what is missing (and failed points again), with the same final bytes', () => {
    const full = at('w1.csv');
    // keep the header and points 0–2 only
    const lines = readFileSync(full, 'utf8').split('\n');
    writeFileSync(at('part.csv'), `${lines.slice(0, 4).join('\n')}\n`);
    const r = fairway('sweep', SWEEP, '-w', '2', '--resume', '-o', at('part.csv'));
    expect(r.out).toMatch(/8 point\(s\), 5 run now/);
    expect(readFileSync(at('part.csv')).equals(readFileSync(full))).toBe(true);
    // a results file from another sweep is refused
    writeFileSync(at('other.csv'), 'index,set:collective.algo,status,timeUs,error\n0,tree,ok,1,\n');
    const bad = fairway('sweep', SWEEP, '--resume', '-o', at('other.csv'));
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/holds point 0 with other overrides/);
  }, 60_000);

  test('bad input: an existing --out, a bad shard, a bad path, exit 2 and nothing written', () => {
    expect(fairway('sweep', SWEEP, '-o', at('w1.csv')).err).toMatch(/already exists; pass --force/);
    expect(fairway('sweep', SWEEP, '--shard', '3/3').err).toMatch(/--shard: must be i\/N with 0 ≤ i < N/);
    writeFileSync(at('bad.yaml'), 'base: {topology: dgx-h100, collective: {op: all_reduce, bytes: 1MiB}}\ngrid: {collective..algo: [ring], speed: [1]}\n');
    const r = fairway('sweep', at('bad.yaml'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/grid\.collective\.\.algo: "collective\.\.algo" is not a field path/);
    expect(r.err).toMatch(/grid\.speed: paths start with topology, collective, workload/);
  }, 60_000);

  test('--timeout stops a point that runs too long and records it as failed; a leftover partial file is never dropped silently', () => {
    // a 1 GiB flat ring over 256 GPUs builds half a million transfers: far more than the 1 ms
    // allowed (the limit counts from the point's start on a warmed-up worker, so no wall clock
    // race decides the outcome); the other points of this file pass in the tests above
    writeFileSync(at('slow.yaml'), 'base: {topology: h100-256gpu-rail, collective: {op: all_reduce, bytes: 1GiB, algo: ring}}\npoints: [{collective.ranks: 256}]\n');
    const r = fairway('sweep', at('slow.yaml'), '-w', '1', '--timeout', '0.001', '-o', at('slow.csv'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/1 of 1 points failed:\n  point 0 \(collective\.ranks=256\): timed out after 0\.001 s/);
    // an interrupted run's partial file: kept unless --resume or --force; a damaged last record is dropped
    const partial = `${at('p.msgpack')}.partial`;
    expect(fairway('sweep', SWEEP, '-w', '2', '-q', '-o', at('full.msgpack')).code).toBe(1); // point 5 fails
    writeFileSync(partial, readFileSync(at('full.msgpack')).subarray(0, -5));
    expect(fairway('sweep', SWEEP, '-o', at('p.msgpack')).err).toMatch(/holds the results of an interrupted run: add --resume/);
    const resumed = fairway('sweep', SWEEP, '-w', '2', '--resume', '-o', at('p.msgpack'));
    expect(resumed.out).toMatch(/8 point\(s\), 2 run now/); // 6 ok points kept (point 7 was cut short, point 5 had failed)
    expect(readFileSync(at('p.msgpack')).equals(readFileSync(at('full.msgpack')))).toBe(true);
  }, 60_000);

  test('kill -9 at several moments, then --resume: every point once, the bytes of an uninterrupted run (issue 19)', async () => {
    const KILL = 'test/fixtures/sweeps/kill.yaml';
    expect(fairway('sweep', KILL, '-w', '1', '-q', '-o', at('clean.msgpack')).code).toBe(0);
    const out = at('killed.msgpack');
    const partial = `${out}.partial`;
    const sizes: number[] = [];
    // each (re)start is killed once it has written a point more than the last one kept, then 0, 60 or 120 ms later: mid-point
    const grown = (than: number) => (existsSync(partial) ? statSync(partial).size : 0) > than;
    for (const ms of [0, 60, 120]) {
      const before = existsSync(partial) ? statSync(partial).size : 0;
      const child = spawn(process.execPath, [join(root, 'bin/fairway.js'), 'sweep', KILL, '-w', '1', '-q', '--resume', '-o', out], { cwd: root, stdio: 'ignore' });
      const closed = new Promise((resolve) => child.on('close', resolve));
      while (child.exitCode === null && !grown(before)) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, ms));
      child.kill('SIGKILL');
      await closed;
      if (existsSync(out)) break; // finished before the kill (a fast machine)
      sizes.push(existsSync(partial) ? statSync(partial).size : 0);
    }
    // what a killed run had finished is kept: the partial file grows from kill to kill
    expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
    expect(sizes[0]).toBeGreaterThan(0);
    if (!existsSync(out)) expect(fairway('sweep', KILL, '-w', '1', '-q', '--resume', '-o', out).code).toBe(0);
    expect(readFileSync(out).equals(readFileSync(at('clean.msgpack')))).toBe(true);
    const records = decodeRecords(readFileSync(out), 'msgpack', out);
    expect(records.map((r) => r.index)).toEqual(Array.from({ length: 18 }, (_, i) => i));
    expect(records.every((r) => r.ok)).toBe(true);
  }, 120_000);
  test('sweep merge is a command of its own: its help, and its one required option', () => {
    const help = fairway('sweep', 'merge', '--help');
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^Usage: fairway sweep merge \[options\] <inputs\.\.\.>/);
    expect(help.out).toMatch(/-o, --out <file> +the merged results file/);
    const noOut = fairway('sweep', 'merge', 'a.csv');
    expect([noOut.code, noOut.err]).toEqual([2, expect.stringMatching(/required option '-o, --out <file>' not specified/)]);
  });

  test('--refine 1: every point at the closed form, the fastest and those with no closed form simulated; each record says which', () => {
    const file = at('refine.yaml');
    // ring has NCCL's closed form, hd (halving-doubling) does not: 3 sizes × 2 algorithms
    writeFileSync(file, 'name: refine\nbase:\n  topology: {servers: [{template: dgx-h100}]}\n  collective: {op: all_reduce, bytes: 1MiB}\ngrid:\n  collective.algo: [ring, hd]\n  collective.bytes: [1MiB, 64MiB, 1GiB]\n');
    const r = fairway('sweep', file, '--refine', '1', '-w', '1', '-q', '-o', at('refine.csv'));
    expect(r.code).toBe(0);
    const records = decodeRecords(readFileSync(at('refine.csv')), 'csv', 'refine.csv');
    expect(records.map((x) => x.metrics?.fidelity)).toEqual(['flow', 'analytical', 'analytical', 'flow', 'flow', 'flow']);
    // the simulated ring point is the 1 MiB one, the fastest; the closed-form ones ran no graph
    expect(records[1].metrics?.operations).toBe(0);
    expect(Number(records[0].metrics?.operations)).toBeGreaterThan(0);
    // a workload sweep: its collectives at NCCL's closed form first, then the step with the least time simulated
    const wfile = at('refine-workload.yaml');
    writeFileSync(wfile, `name: refine-workload\nbase:\n  workload: ${JSON.stringify(join(root, 'workloads/dp-step-overlap.yaml'))}\ngrid:\n  workload.ops[2].bytes: [1GiB, 64MiB]\n`);
    const w = fairway('sweep', wfile, '--refine', '1', '-w', '1', '-q', '-o', at('refine-workload.csv'));
    expect(w.code).toBe(0);
    const steps = decodeRecords(readFileSync(at('refine-workload.csv')), 'csv', 'refine-workload.csv');
    // the 64 MiB all-reduce makes the shorter step: that point is simulated, the 1 GiB one keeps its closed form
    expect(steps.map((x) => x.metrics?.fidelity)).toEqual(['analytical', 'flow']);
    expect(fairway('sweep', file, '--refine', '0').err).toMatch(/--refine: must be a whole number of points from 1 to 1,000,000, got "0"/);
    expect(fairway('sweep', file, '--refine', '1', '--shard', '0/2', '-o', at('r2.csv')).err).toMatch(/--refine: runs the whole sweep twice .*not with --resume or --shard/);
  });

  test('a serve sweep: a row of goodput, latencies and throughput per point, short column names, the most goodput best in the report; no --refine', () => {
    const r = fairway('sweep', 'test/fixtures/sweeps/serve-small.yaml', '-w', '1', '--html', at('serve.html'));
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines[1]).toMatch(/^#\s+tp\s+preset\s+gpus\s+goodputPerSec\s+sloAttainment\s+requestsPerSec\s+outputTokensPerSecPerGpu\s+ttftP50Ms\s+ttftP99Ms/);
    // 4 points, 60 requests each completed; TP2 points use 2 GPUs
    expect(lines.slice(2).map((l) => l.trim().split(/\s+/).slice(0, 4))).toEqual([['0', '1', 'vllm', '1'], ['1', '1', 'sglang', '1'], ['2', '2', 'vllm', '2'], ['3', '2', 'sglang', '2']]);
    const html = readFileSync(at('serve.html'), 'utf8');
    expect(html).toMatch(/<b>Best point<\/b>: #\d tp=\d preset=\w+, goodput [\d.]+ req\/s\./);
    expect(itemsOf(html, 'cells')).toHaveLength(4);
    expect(fairway('sweep', 'test/fixtures/sweeps/serve-small.yaml', '--refine', '1').err).toMatch(/--refine: needs a collective or a workload sweep \(a serve sweep has one fidelity/);
  }, 60_000);
});
