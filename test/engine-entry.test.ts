// The browser entry (src/engine-entry.ts, package export "fairway/engine"): it reaches no node:
// module and no package but yaml and the chart packages (vega, vega-lite: browser-safe), so a
// bundler ships it; its collective rows are the command line's, bit for bit; and the playground
// page (docs/playground/), bundled with esbuild and run in headless Chromium over HTTP with the
// Wasm solver fetched, prints the same rows as Node and draws the report's busbw chart.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { collectiveRows, readCollectiveScenario, systemFromDocument } from '../src/engine-entry.js';
import { itemsOf } from './helpers/charts.js';
import { fairway, root } from './helpers/cli.js';

/** Modules the entry reaches through relative imports, and the bare (node: or package) imports among them. */
function reach(entry: string): { modules: number; bare: string[] } {
  const seen = new Set<string>();
  const bare: string[] = [];
  const walk = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(/(?:(?:import|export)[^'";]*?from\s+|import\(\s*)'([^']+)'/g)) {
      if (m[1].startsWith('.')) walk(resolve(dirname(file), m[1].replace(/\.js$/, '.ts')));
      else bare.push(`${file.slice(root.length)}: ${m[1]}`);
    }
  };
  walk(join(root, 'src/engine-entry.ts'));
  return { modules: seen.size, bare };
}

/** The command line's rows for the same collective. */
function cliRows(topology: string, b: string, e: string, f: string): unknown[] {
  const r = fairway('collective', 'all_reduce', '-t', topology, '-b', b, '-e', e, '-f', f, '--json');
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out).rows;
}

describe('fairway/engine', () => {
  test("reaches no node: module and no package but yaml, vega and vega-lite (browser-safe), through about a hundred modules", () => {
    const { modules, bare } = reach('src/engine-entry.ts');
    expect(modules).toBeGreaterThan(50);
    expect(bare.filter((b) => !/: (yaml|vega|vega-lite)$/.test(b))).toEqual([]);
    expect([...new Set(bare.filter((b) => /: vega/.test(b)).map((b) => b.replace(/^.*src\//, 'src/')))].sort()).toEqual(['src/report/chart-axis.ts: vega-lite', 'src/report/chart-render.ts: vega', 'src/report/chart-render.ts: vega-lite']);
  });

  test("collectiveRows on a builder spec gives the command line's rows exactly (8 B – 8 MiB on two DGX H100)", async () => {
    const spec = 'rail-optimized:template=dgx-h100,count=2,radix=64';
    const c = readCollectiveScenario({ op: 'all_reduce', minBytes: '8', maxBytes: '8M', stepFactor: 16 });
    const { comm, rows } = await collectiveRows(systemFromDocument(spec), c);
    expect(comm.nodes.length).toBe(16);
    expect(rows.map((r) => r.sizeBytes)).toEqual([8, 128, 2048, 32768, 524288, 8388608]);
    expect(JSON.parse(JSON.stringify(rows))).toEqual(cliRows(spec, '8', '8M', '16'));
  });

  test('a file name is refused with what the entry takes instead', () => {
    expect(() => systemFromDocument('topologies/dgx-h100-1node.yaml')).toThrow(/not a builder spec .* nor a topology document; files and shipped names are read by the Node entry/);
  });
});

const chromium = ['chromium', 'chromium-browser', 'google-chrome'].find((b) => spawnSync('which', [b]).status === 0);
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };

// CI installs Debian's chromium (.ci/run); elsewhere the test runs where a Chromium is installed
describe.skipIf(chromium === undefined && !process.env.CI)('the playground in headless Chromium', () => {
  let server: Server;
  let base = '';
  beforeAll(async () => {
    // the page's bundle, as `npm run build:browser` makes it (from dist/, which `npm test` builds first)
    buildSync({ entryPoints: [join(root, 'dist/engine-entry.js')], bundle: true, format: 'esm', platform: 'browser', minify: true, outfile: join(root, 'dist-browser/fairway-engine.js'), logLevel: 'error' });
    server = createServer(async (req, res) => {
      const path = normalize(join(root, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
      if (!path.startsWith(root) || !existsSync(path)) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(await readFile(path));
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

  test("runs the Wasm solver in the page and prints Node's rows (8 B – 1 GiB all-reduce on one DGX H100)", async () => {
    expect(chromium, 'CI must have Chromium: .ci/run installs Debian\'s chromium').toBeDefined();
    const url = `${base}/docs/playground/index.html?topology=dgx-h100&min=8&max=1G&factor=8`;
    // asynchronously: this process serves the page while Chromium loads it
    const load = () =>
      new Promise<{ stdout: string; stderr: string }>((ok) =>
        execFile(chromium!, ['--headless', '--no-sandbox', '--disable-gpu', '--virtual-time-budget=60000', '--dump-dom', url], { encoding: 'utf8', timeout: 120_000, maxBuffer: 1 << 26 }, (_e, stdout, stderr) => ok({ stdout, stderr })),
      );
    // headless Chromium's virtual-time budget can run out before the page's imports and Wasm
    // finish on a loaded machine (once in a CI run of 2026-12-08, the page left at its first
    // state): a second load, not a looser check
    let r = await load();
    if (!r.stdout.includes('<title>done</title>')) r = await load();
    const dom = r.stdout;
    expect(dom, r.stderr).toContain('<title>done</title>');
    const json = /<pre id="result"[^>]*>([^<]*)<\/pre>/.exec(dom)?.[1] ?? '';
    const rows = JSON.parse(json.replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
    expect(rows).toHaveLength(10);
    expect(rows).toEqual(cliRows('dgx-h100', '8', '1G', '8'));
    // the report's busbw chart, rendered by vega in the page: one line through the sizes, a point per size, the algorithms chosen labelled where they start
    expect(itemsOf(dom, 'lines')).toHaveLength(1);
    expect(itemsOf(dom, 'points')).toHaveLength(10);
    expect(itemsOf(dom, 'group_starts').length).toBeGreaterThan(1);
  }, 180_000);
});
