// `fairway serve` end to end: the shipped example, its JSON, the per-request CSV and input errors.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { fairway } from '../helpers/cli.js';
import { scratchDir } from '../helpers/scratch-dir.js';

describe('fairway serve', () => {
  test('the shipped Poisson example: percentiles, throughput, goodput; JSON carries the same figures', () => {
    const r = fairway('serve', 'serving/llama3-70b-h100-tp8.yaml');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/requests: 1000 completed, 0 rejected/);
    expect(r.out).toMatch(/^ {2}TTFT ms +[\d,.]+ +[\d,.]+/m);
    expect(r.out).not.toContain('OVERLOADED');
    const j = JSON.parse(fairway('serve', 'serving/llama3-70b-h100-tp8.yaml', '--json').out);
    expect(j.schema).toBe('fairway.serve/1');
    expect(j.summary.completed).toBe(1000);
    // KV bytes a token on a TP8 rank in FP8: 2 · 80 layers · 1 KV head · 128 · 1 B
    expect(j.kvCache.bytesPerToken).toBe(20_480);
    // 1,000 requests × 256 output tokens over the run
    expect(j.summary.outputTokensPerSec * j.summary.durationSec).toBeCloseTo(256_000, 3);
    expect(j.summary.ttftSec.p50).toBeLessThanOrEqual(j.summary.ttftSec.p99);
  });

  test('--requests writes one row per request; a load above capacity is reported overloaded', () => {
    const dir = scratchDir('fairway-serve-');
    const file = join(dir, 'hot.yaml');
    writeFileSync(file, 'model: llama3-8b\ntopology: dgx-h100\ntp: 1\nload: {kind: poisson, rate: 400, requests: 3000, input: 2000, output: 16}\n');
    const csv = join(dir, 'req.csv');
    const r = fairway('serve', file, '--requests', csv);
    expect(r.code).toBe(0);
    expect(r.out).toContain('OVERLOADED');
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('id,instance,arrival_s,input_tokens,output_tokens,ttft_s,tpot_s,e2e_s,preemptions');
    expect(lines).toHaveLength(3001);
  });

  test('bad files: every problem named with its field, exit 2', () => {
    const dir = scratchDir('fairway-serve-');
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'model: llama9\ntp: 0\ncolour: red\nload: {kind: poisson, rate: -1, input: 10, output: 1}\n');
    const r = fairway('serve', file);
    expect(r.code).toBe(2);
    for (const text of ['colour: unknown field', 'model: unknown model "llama9"', 'tp: must be a whole number from 1 to 64', 'load.rate: required: requests per second, a number > 0', 'load.requests: required']) expect(r.err).toContain(text);
    writeFileSync(file, 'model: llama3-70b\ntp: 1\nload: {kind: poisson, rate: 1, requests: 1, input: 10, output: 1}\n');
    const big = fairway('serve', file, '-t', 'dgx-h100');
    expect(big.code).toBe(2);
    expect(big.err).toContain('leave no room for a KV cache');
    writeFileSync(file, 'model: llama3-8b\nprecision: {weights: fp4}\nload: {kind: poisson, rate: 1, requests: 1, input: 10, output: 1}\n');
    const fp4 = fairway('serve', file, '-t', 'dgx-h100');
    expect([fp4.code, fp4.out]).toEqual([2, '']);
    expect(fp4.err).toContain('precision.weights: h100-sxm has no FP4 math (NVFP4 runs on Blackwell); use fp8 or bf16');
  });
});

describe('fairway serve --trace', () => {
  test('a Perfetto trace: one slice per step on its instance, queued / prefill / decode per request, KV transfers on the decode instance', () => {
    const dir = scratchDir('fairway-serve-');
    const file = join(dir, 'd.yaml');
    writeFileSync(file, 'model: llama3-8b\ntopology: rail-optimized:template=dgx-h100,count=2,radix=64\ndisaggregated: {prefill: {instances: 1, tp: 8}, decode: {instances: 1, tp: 8}}\nload: {kind: poisson, rate: 4, requests: 20, input: 500, output: 20}\n');
    const trace = join(dir, 't.json');
    const r = fairway('serve', file, '--trace', trace, '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    const events = (JSON.parse(readFileSync(trace, 'utf8')) as { traceEvents: { ph: string; name: string; cat?: string; pid: number }[] }).traceEvents;
    expect(events.filter((e) => e.ph === 'X' && e.name === 'step')).toHaveLength(j.summary.steps);
    expect(events.filter((e) => e.ph === 'b' && e.cat === 'kv' && e.pid === 2)).toHaveLength(20);
    for (const phase of ['prefill', 'decode']) expect(events.filter((e) => e.ph === 'b' && e.name === phase)).toHaveLength(20);
    expect(events.filter((e) => e.ph === 'M' && e.name === 'process_name').map((e) => (e as unknown as { args: { name: string } }).args.name)).toEqual(['requests', 'prefill 0 (TP8)', 'decode 0 (TP8)']);
  });
});
