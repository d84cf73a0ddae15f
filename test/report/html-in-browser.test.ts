// The HTML reports (src/report/html-report.ts) as a browser shows them: each report the command
// line writes (collective, simulate, sweep) opened in headless Chromium, which must draw every
// chart's marks; a screenshot of each is kept in test-artifacts/ (not committed).
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, test } from 'vitest';
import { fairway, root, scratch } from '../helpers/cli.js';

const chromium = ['chromium', 'chromium-browser', 'google-chrome'].find((b) => spawnSync('which', [b]).status === 0);
const ARTIFACTS = join(root, 'test-artifacts');

function chrome(args: string[]): Promise<string> {
  return new Promise((ok) => execFile(chromium!, ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', ...args], { encoding: 'utf8', timeout: 60_000, maxBuffer: 1 << 26 }, (_e, stdout) => ok(stdout)));
}

/** The report as Chromium's DOM after loading, and its screenshot in test-artifacts/NAME.png. */
async function open(file: string, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await chrome(['--window-size=1000,1400', `--screenshot=${join(ARTIFACTS, `${name}.png`)}`, pathToFileURL(file).href]);
  return chrome(['--dump-dom', pathToFileURL(file).href]);
}

const count = (dom: string, re: RegExp) => (dom.match(re) ?? []).length;

describe.skipIf(chromium === undefined && !process.env.CI)('HTML reports in headless Chromium', () => {
  test('collective: busbw and time per operation, a line per algorithm and protocol the tuner picked, a point per size (8 B – 8 GiB on one DGX H100: ring/LL, then NVLS)', async () => {
    expect(chromium, "CI must have Chromium: .ci/run installs Debian's chromium").toBeDefined();
    const out = join(scratch(), 'c.html');
    expect(fairway('collective', 'all_reduce', '-t', 'dgx-h100-1node', '-b', '8', '-e', '8G', '--html', out).code).toBe(0);
    const dom = await open(out, 'report-collective');
    expect([...dom.matchAll(/<polyline class="series" data-name="([^"]*)"/g)].map((m) => m[1])).toEqual(['ring/LL', 'nvls/Simple', 'ring/LL', 'nvls/Simple']);
    expect(count(dom, /<circle /g)).toBe(62);
  }, 120_000);

  test('simulate: a stacked bar per rank, the stress points by resource class, tiers, timelines and the roofline', async () => {
    const out = join(scratch(), 's.html');
    expect(fairway('simulate', '-w', 'workloads/dp-step-overlap.yaml', '--html', out).code).toBe(0);
    const dom = await open(out, 'report-simulate');
    // the mean and 8 ranks, each with compute and exposed communication segments
    expect(count(dom, /<rect class="segment"/g)).toBeGreaterThanOrEqual(18);
    expect(dom).toContain('Stress points by resource class');
    expect(dom).toContain('<td>scale-up links</td>');
    // the tiers of one DGX H100 (inside the server, NVLink), a timeline per rank (rank 0 open),
    // its kernels' four kinds (fwd, bwd-late, bwd-early, optimizer) under two roofs
    expect(dom).toContain('<td>scale-up</td>');
    expect(count(dom, /<svg xmlns="http:\/\/www.w3.org\/2000\/svg" class="timeline"/g)).toBe(8);
    expect(count(dom, /<rect class="span"/g)).toBeGreaterThan(8);
    expect(count(dom, /<polyline class="roof"/g)).toBe(2);
    expect(count(dom, /<circle class="kernel"/g)).toBe(4);
  }, 120_000);

  test('sweep: the best point, heat maps over the axes (a map per oversubscription), a bar per point', async () => {
    const dir = scratch();
    const out = join(dir, 'w.html');
    expect(fairway('sweep', 'sweeps/nic-vs-algorithm.yaml', '-o', join(dir, 'w.csv'), '--html', out).code).toBe(0);
    const dom = await open(out, 'report-sweep');
    expect(count(dom, /<rect class="segment"/g)).toBeGreaterThanOrEqual(8);
    // 4 NICs × 3 algorithms in 2 maps: 24 cells, one of them outlined as the best
    expect(dom).toContain('<b>Best point</b>');
    expect(count(dom, /<svg xmlns="http:\/\/www.w3.org\/2000\/svg" class="heatmap"/g)).toBe(2);
    expect(count(dom, /<rect class="cell"/g)).toBe(24);
    expect(count(dom, /stroke="#000"/g)).toBe(1);
  }, 180_000);

  test('serve: the summary, three latency CDFs, and over time throughput, KV use per instance and the queue (the disaggregated example: a prefill and a decode instance)', async () => {
    const out = join(scratch(), 'v.html');
    expect(fairway('serve', 'serving/llama3-70b-2x-dgx-h100-disagg.yaml', '--html', out).code).toBe(0);
    const dom = await open(out, 'report-serve');
    expect(dom).toContain('goodput: 7.546 requests/s');
    // CDFs of 2,000 requests: 200 points each; over time: 100 bins a line (requests, tokens, KV × 2 instances, queued and running)
    const lines = [...dom.matchAll(/<polyline class="series" data-name="([^"]*)"/g)].map((m) => m[1]);
    expect(lines).toEqual(['time to first token', 'time per output token', 'end-to-end latency', 'requests completed', 'tokens processed (prefill and decode)', 'prefill 0 (TP8)', 'decode 0 (TP8)', 'queued (waiting for admission)', 'running']);
    expect(count(dom, /<circle /g)).toBe(3 * 200 + 6 * 100);
  }, 120_000);
});

