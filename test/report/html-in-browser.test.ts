// The HTML reports (src/report/html-report.ts, serve-html.ts) as a browser shows them: each
// report the command line writes (collective, simulate, sweep, serve) opened in headless
// Chromium, which must draw every chart's marks (vega's SVG: a mark's items inside its
// `<g class="mark-… role-mark NAME_marks">` group) and log nothing to the console (no script
// error, no SVG attribute it could not parse); a screenshot of each is kept in test-artifacts/
// (not committed).
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, test } from 'vitest';
import { itemsOf, tooltipsOf } from '../helpers/charts.js';
import { fairway, root, scratch } from '../helpers/cli.js';

const chromium = ['chromium', 'chromium-browser', 'google-chrome'].find((b) => spawnSync('which', [b]).status === 0);
const ARTIFACTS = join(root, 'test-artifacts');

function chrome(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((ok) => execFile(chromium!, ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--enable-logging=stderr', '--v=0', ...args], { encoding: 'utf8', timeout: 60_000, maxBuffer: 1 << 26 }, (_e, stdout, stderr) => ok({ stdout, stderr })));
}

/** The report as Chromium's DOM after loading, with its screenshot in test-artifacts/NAME.png; what the page logged to the console must be nothing. */
async function open(file: string, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await chrome(['--window-size=1000,1400', `--screenshot=${join(ARTIFACTS, `${name}.png`)}`, pathToFileURL(file).href]);
  const { stdout, stderr } = await chrome(['--dump-dom', pathToFileURL(file).href]);
  expect(stderr.split('\n').filter((l) => l.includes(':CONSOLE'))).toEqual([]);
  return stdout;
}

const count = (dom: string, re: RegExp) => (dom.match(re) ?? []).length;
const texts = (dom: string, name: string) => itemsOf(dom, name).map((e) => />([^<]*)<\/text>/.exec(e)![1]);

describe.skipIf(chromium === undefined && !process.env.CI)('HTML reports in headless Chromium', () => {
  test('collective: busbw and time per operation, one line through the sizes, a point per size, the choices labelled where they start (8 B – 8 GiB on one DGX H100: ring/LL, then NVLS)', async () => {
    expect(chromium, "CI must have Chromium: .ci/run installs Debian's chromium").toBeDefined();
    const out = join(scratch(), 'c.html');
    expect(fairway('collective', 'all_reduce', '-t', 'dgx-h100-1node', '-b', '8', '-e', '8G', '--html', out).code).toBe(0);
    const dom = await open(out, 'report-collective');
    expect(tooltipsOf(dom, 'lines')).toEqual(['chosen per size', 'chosen per size']);
    expect(texts(dom, 'group_starts')).toEqual(['ring/LL', 'nvls/Simple', 'ring/LL', 'nvls/Simple']);
    // 31 sizes, in each of the two charts
    expect(itemsOf(dom, 'points')).toHaveLength(62);
  }, 120_000);

  test('simulate: a stacked bar per rank, the stress points by resource class, tiers, timelines and the roofline', async () => {
    const out = join(scratch(), 's.html');
    expect(fairway('simulate', '-w', 'workloads/dp-step-overlap.yaml', '--html', out).code).toBe(0);
    const dom = await open(out, 'report-simulate');
    // the mean and 8 ranks, each with compute and exposed communication segments
    const segments = tooltipsOf(dom, 'segments');
    expect(segments.filter((t) => /^(mean of ranks|rank \d), (compute|exposed communication):/.test(t))).toHaveLength(18);
    expect(dom).toContain('Stress points by resource class');
    expect(segments.filter((t) => t.includes(', scale-up links: '))).toHaveLength(3);
    // the tiers of one DGX H100 (inside the server, NVLink), a timeline per rank (rank 0 open),
    // its kernels' four kinds (fwd, bwd-late, bwd-early, optimizer) under two roofs
    expect(dom).toContain('<td>scale-up</td>');
    expect(segments.some((t) => t.startsWith('scale-up: mean, mean of its link directions: '))).toBe(true);
    expect(count(dom, /<details/g)).toBe(8);
    expect(count(dom, /<g class="mark-rect role-mark spans_marks"/g)).toBe(8);
    expect(itemsOf(dom, 'spans').length).toBeGreaterThan(8);
    expect(itemsOf(dom, 'roofs')).toHaveLength(2);
    expect(itemsOf(dom, 'kernels')).toHaveLength(4);
  }, 120_000);

  test('sweep: the best point, heat maps over the axes (a map per oversubscription), a bar per point', async () => {
    const dir = scratch();
    const out = join(dir, 'w.html');
    expect(fairway('sweep', 'sweeps/nic-vs-algorithm.yaml', '-o', join(dir, 'w.csv'), '--html', out).code).toBe(0);
    const dom = await open(out, 'report-sweep');
    expect(dom).toContain('<b>Best point</b>');
    // 4 NICs × 3 algorithms in 2 maps: 24 cells, one of them outlined as the best; a bar per point, the best starred
    expect(count(dom, /<g class="mark-rect role-mark cells_marks"/g)).toBe(2);
    expect(itemsOf(dom, 'cells').length + itemsOf(dom, 'missing').length).toBe(24);
    expect(itemsOf(dom, 'best')).toHaveLength(1);
    expect(texts(dom, 'best_value')[0]).toMatch(/^★ /);
    const bars = tooltipsOf(dom, 'segments');
    expect(bars).toHaveLength(24);
    expect(bars.filter((t) => t.startsWith('★ '))).toHaveLength(1);
  }, 180_000);

  test('serve: the summary, three latency CDFs, and over time throughput, KV use per instance and the queue (the disaggregated example: a prefill and a decode instance)', async () => {
    const out = join(scratch(), 'v.html');
    expect(fairway('serve', 'serving/llama3-70b-2x-dgx-h100-disagg.yaml', '--html', out).code).toBe(0);
    const dom = await open(out, 'report-serve');
    expect(dom).toContain('goodput: 7.546 requests/s');
    // CDFs of 2,000 requests: 200 points each; over time: 100 bins a line (requests, tokens, KV × 2 instances, queued and running)
    expect(tooltipsOf(dom, 'lines')).toEqual(['time to first token', 'time per output token', 'end-to-end latency', 'requests completed', 'tokens processed (prefill and decode)', 'prefill 0 (TP8)', 'decode 0 (TP8)', 'queued (waiting for admission)', 'running']);
    expect(itemsOf(dom, 'points')).toHaveLength(3 * 200 + 6 * 100);
  }, 120_000);
});
