// `fairway collective` end to end: the nccl-tests table, machine formats and input errors.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { itemsOf, tooltipsOf } from '../helpers/charts.js';
import { fairway, root } from '../helpers/cli.js';
import { scratchDir } from '../helpers/scratch-dir.js';

describe('fairway collective', () => {
  test("prints nccl-tests' table: 13 columns, both halves, its header and footer; its op names are accepted", () => {
    const r = fairway('collective', 'all_reduce_perf', '-t', 'dgx-h100-1node', '-b', '1K', '-e', '1M', '-f', '32');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines).toContain('#       size         count      type   redop    root     time   algbw   busbw #wrong     time   algbw   busbw #wrong');
    const rows = lines.filter((l) => /^\s+\d/.test(l));
    // as nccl-tests parsers read it: 13 whitespace-separated fields, busbw at 8 and 12 (1-based)
    expect(rows.map((l) => l.trim().split(/\s+/).length)).toEqual([13, 13, 13]);
    expect(rows.map((l) => l.trim().split(/\s+/).slice(0, 5))).toEqual([
      ['1024', '256', 'float', 'sum', '-1'],
      ['32768', '8192', 'float', 'sum', '-1'],
      ['1048576', '262144', 'float', 'sum', '-1'],
    ]);
    const f = rows[2].trim().split(/\s+/);
    expect([f[7], f[8]]).toEqual([f[11], 'N/A']);
    // the first row's start is aligned as nccl-tests prints it (%12li  %12li  %8s  %6s  %6i  %7s)
    expect(rows[0].slice(0, 56)).toBe('        1024           256     float     sum      -1    ');
    const avg = Number(/# Out of bounds values : 0 OK\n# Avg bus bandwidth    : ([\d.]+) \n#\n/.exec(r.out)?.[1]);
    expect(avg).toBeCloseTo(rows.reduce((a, l) => a + Number(l.trim().split(/\s+/)[7]), 0) / 3, 2);
    expect(r.out).toMatch(/# Algorithm per size \(fairway\):\n#   ring\/LL: 1024 – 1048576 B/);
    expect(fairway('collective', 'allreduce', '-t', 'dgx-h100-1node', '-b', '1K', '-e', '1M', '-f', '32').out).toBe(r.out);
  });

  test('--json rows: busbw = algbw × 2(n−1)/n for all_reduce', () => {
    const r = fairway('collective', 'all_reduce', '-t', 'dgx-h100-1node', '-b', '64M', '-e', '64M', '--algo', 'ring', '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as { schema: string; ranks: number; rows: { algbwGBps: number; busbwGBps: number; timeUs: number }[] };
    expect([doc.schema, doc.ranks]).toEqual(['fairway.collective/1', 8]);
    expect(doc.rows[0].busbwGBps / doc.rows[0].algbwGBps).toBeCloseTo(14 / 8, 12);
    // NVLink4 at 0.8 efficiency is 360 GB/s per direction: busbw can approach but not exceed it.
    expect(doc.rows[0].busbwGBps).toBeLessThan(360);
    expect(doc.rows[0].busbwGBps).toBeGreaterThan(100);
  });

  test('nvls on the DGX H100 NVSwitch beats the link-bound ring plateau, below its own 2(n−1)/(n+1)·B·e', () => {
    // Each GPU moves S + S/n up and S down instead of 2(n−1)S/n each way, at the switch's SHARP
    // efficiency e = 0.925: busbw ≤ 14/9 × 360 × 0.925 = 518 GB/s (NCCL's per-step barrier on top).
    const r = fairway('collective', 'all_reduce', '-t', 'dgx-h100-1node', '-b', '1G', '-e', '1G', '--algo', 'nvls', '--json');
    expect(r.code).toBe(0);
    const busbw = (JSON.parse(r.out) as { rows: { busbwGBps: number }[] }).rows[0].busbwGBps;
    expect(busbw).toBeGreaterThan(360);
    expect(busbw).toBeLessThan(518);
  });

  test("an 8-byte all-reduce on 8 H100 is NCCL's ring/LL: its base latency, 14 hops of its per-hop latency, LL's doubled wire bytes", () => {
    // NCCL's tuner picks Ring/LL (15.0 µs against Tree/LL 15.2 µs); one channel (8 B is one 32 KiB
    // traffic cell); each of the 2(n−1) = 14 steps moves 8 B / 8 = 1 B, 2 wire bytes, after 0.6 µs,
    // at one CTA's LL rate: NCCL's per-channel LL term, 30 GB/s × 0.5 a search channel shared by
    // its 2 CTAs, 7.5 GB/s of data, 15 of wire (below llMaxBw 141 over the 1 CTA launched).
    const wire = (2 / 15e9) * 1e6;
    const r = fairway('collective', 'all_reduce', '-t', 'dgx-h100-1node', '-b', '8', '-e', '8', '--json');
    const row = (JSON.parse(r.out) as { rows: { timeUs: number; algo: string; proto: string }[] }).rows[0];
    expect([row.algo, row.proto]).toEqual(['ring', 'LL']);
    expect(row.timeUs).toBeCloseTo(6.6 + 14 * (0.6 + wire), 6);
    const zero = fairway('collective', 'all_reduce', '-t', 'dgx-h100-1node', '-b', '8', '-e', '8', '--base-latency', '0', '--alpha', '1us', '--json');
    expect((JSON.parse(zero.out) as { rows: { timeUs: number }[] }).rows[0].timeUs).toBeCloseTo(14 * (1 + wire), 6);
    // an explicit --channels leaves the CTA's rate to the links: 2 wire bytes at 360 GB/s
    const links = fairway('collective', 'all_reduce', '-t', 'dgx-h100-1node', '-b', '8', '-e', '8', '--channels', '1', '--json');
    expect((JSON.parse(links.out) as { rows: { timeUs: number }[] }).rows[0].timeUs).toBeCloseTo(6.6 + 14 * (0.6 + 2 / 360e3), 6);
    expect((JSON.parse(zero.out) as { baseLatencySec: number; alphaSec: number }).baseLatencySec).toBe(0);
    // ring/Simple forced: base 8.4 µs, each step 2 slices of 3.4 µs a hop (NCCL's Simple ring
    // cuts a step into CHUNKSTEPS/SLICESTEPS = 2 slices, each waited for and posted), 1 wire byte
    // a step at the link's 360 GB/s (Simple alone would be NVLS, 25 µs, the least of the Simple estimates)
    const simple = fairway('collective', 'all_reduce', '-t', 'dgx-h100-1node', '-b', '8', '-e', '8', '--algo', 'ring', '--proto', 'Simple', '--json');
    expect((JSON.parse(simple.out) as { rows: { timeUs: number }[] }).rows[0].timeUs).toBeCloseTo(8.4 + 14 * (2 * 3.4 + 1 / 360e3), 6);
    // a Simple chain (broadcast) moves one slice a step: 7 hops of 3.4 µs, each forwarding all 8 B
    const chain = fairway('collective', 'broadcast', '-t', 'dgx-h100-1node', '-b', '8', '-e', '8', '--proto', 'Simple', '--json');
    expect((JSON.parse(chain.out) as { rows: { timeUs: number }[] }).rows[0].timeUs).toBeCloseTo(8.4 + 7 * (3.4 + 8 / 360e3), 6);
    const negative = fairway('collective', 'all_reduce', '-t', 'dgx-h100-1node', '--base-latency', '-1us');
    expect([negative.code, negative.err]).toEqual([2, expect.stringMatching(/--base-latency: must be ≥ 0/)]);
    // a bare number would be seconds: refused unless 0
    const bare = fairway('collective', 'all_reduce', '-t', 'dgx-h100-1node', '--base-latency', '6.6');
    expect([bare.code, bare.err]).toEqual([2, expect.stringMatching(/--base-latency: give a unit, e\.g\. 6\.6us/)]);
  });

  test("--nvls off leaves NVLink SHARP out of NCCL's choice (NCCL_NVLS_ENABLE=0): 1 GiB on 8 H100 is ring/Simple, not NVLS", () => {
    const row = (...extra: string[]) => (JSON.parse(fairway('collective', 'all_reduce', '-t', 'dgx-h100-1node', '-b', '1G', '-e', '1G', '--json', ...extra).out) as { rows: { algo: string; proto: string; busbwGBps: number }[] }).rows[0];
    const on = row();
    const off = row('--nvls', 'off');
    expect([on.algo, off.algo, off.proto]).toEqual(['nvls', 'ring', 'Simple']);
    // the ring is bound by NVLink4 at 450 × 0.8 = 360 GB/s; NVLS goes past it
    expect(off.busbwGBps).toBeLessThan(360);
    expect(on.busbwGBps).toBeGreaterThan(off.busbwGBps * 1.2);
  });

  test('--html writes the busbw and time curves by algorithm and protocol, and the table', () => {
    const dir = scratchDir('fairway-coll-html-');
    const html = join(dir, 'ar.html');
    const r = fairway('collective', 'all_reduce', '-t', 'dgx-h100-1node', '-b', '8', '-e', '128M', '-f', '8', '--html', html);
    expect(r.code).toBe(0);
    const page = readFileSync(html, 'utf8');
    // 8 B … 128 MiB by 8 (2^3 … 2^27): 9 sizes, each a point on the one line, shaped by the algorithm and protocol NCCL's tuner picked, on both charts
    expect(itemsOf(page, 'points')).toHaveLength(18);
    expect(tooltipsOf(page, 'lines')).toEqual(['chosen per size', 'chosen per size']);
    expect(itemsOf(page, 'group_starts').map((e) => />([^<]*)<\/text>/.exec(e)![1])).toEqual(['ring/LL', 'nvls/Simple', 'ring/LL', 'nvls/Simple']);
    // "-" is not a file name (stdout is the default)
    const dash = fairway('collective', 'all_reduce', '-t', 'dgx-h100-1node', '-b', '8', '-e', '8', '-o', '-');
    expect([dash.code, dash.err]).toEqual([2, expect.stringMatching(/give a file name; "-" is not one/)]);
  });

  test("--compare draws the other algorithms NCCL's tuner considers, dashed, next to the chosen ones; it needs --html", () => {
    const dir = scratchDir('fairway-coll-cmp-');
    const html = join(dir, 'cmp.html');
    const r = fairway('collective', 'all_reduce', '-t', 'dgx-h100-1node', '-b', '8', '-e', '128M', '-f', '8', '--html', html, '--compare');
    expect(r.code, r.err).toBe(0);
    const page = readFileSync(html, 'utf8');
    // one DGX H100: NCCL considers ring, tree and NVLS; the chosen line is bold, the others dashed, on both charts
    const names = itemsOf(page, 'lines').map((e) => `${/<title>([^<]*)</.exec(e)![1]} ${/stroke-width="([^"]*)"/.exec(e)![1]}`);
    const chart = ['chosen per size 3.5', 'ring 1.5', 'tree 1.5', 'nvls 1.5'];
    expect(names).toEqual([...chart, ...chart]);
    // the stdout table is the chosen run's, as without --compare
    expect(r.out).toBe(fairway('collective', 'all_reduce', '-t', 'dgx-h100-1node', '-b', '8', '-e', '128M', '-f', '8').out);
    const bare = fairway('collective', 'all_reduce', '-t', 'dgx-h100-1node', '--compare');
    expect([bare.code, bare.err]).toEqual([2, expect.stringMatching(/--compare: draws the other algorithms in the --html report: give --html FILE/)]);
  });

  test('--trace writes a Chrome trace of the largest size: a track per rank, a slice per send', () => {
    const dir = scratchDir('fairway-coll-');
    const trace = join(dir, 'ar.json');
    const r = fairway('collective', 'all_reduce', '-t', 'dgx-h100-1node', '-b', '1M', '-e', '1M', '--algo', 'ring', '--proto', 'Simple', '--channels', '1', '--trace', trace);
    expect(r.code).toBe(0);
    const doc = JSON.parse(readFileSync(trace, 'utf8')) as { traceEvents: { ph: string; cat?: string; tid: number; name: string; ts: number; dur?: number }[] };
    const slices = doc.traceEvents.filter((e) => e.ph === 'X' && e.cat === 'transfer');
    // 1 MiB in one Simple loop (8 steps of 2 MiB): 14 ring steps × 8 ranks.
    expect(slices.length).toBe(112);
    expect(new Set(slices.map((s) => s.tid)).size).toBe(8);
    expect(slices.every((s) => (s.dur ?? -1) > 0)).toBe(true);
    // times count from the call: the first sends start after ring/Simple's 8.4 µs base latency (a slice includes its 3.4 µs hop)
    expect(Math.min(...slices.map((s) => s.ts))).toBeCloseTo(8.4, 9);
    expect(fairway('collective', 'all_reduce', '-t', 'dgx-h100-1node', '-b', '1M', '-e', '1M', '--trace', trace).code).toBe(2);
  });

  test('--trace: overlapping sends of a rank go on separate lanes; a flow arrow from every send to its receiver', () => {
    const dir = scratchDir('fairway-coll-');
    const trace = join(dir, 'ar.json');
    // ring/LL on 24 channels: each rank has many sends in flight at once
    expect(fairway('collective', 'all_reduce', '-t', 'dgx-h100-1node', '-b', '1M', '-e', '1M', '--algo', 'ring', '--proto', 'LL', '--trace', trace).code).toBe(0);
    type Ev = { ph: string; cat?: string; tid: number; ts: number; dur?: number; id?: number };
    const doc = JSON.parse(readFileSync(trace, 'utf8')) as { traceEvents: Ev[] };
    const slices = doc.traceEvents.filter((e) => e.ph === 'X' && e.cat === 'transfer');
    const byTid = new Map<number, Ev[]>();
    for (const e of slices) byTid.set(e.tid, [...(byTid.get(e.tid) ?? []), e]);
    expect(byTid.size).toBeGreaterThan(8);
    for (const lane of byTid.values()) {
      lane.sort((a, b) => a.ts - b.ts);
      for (let k = 1; k < lane.length; k++) expect(lane[k].ts).toBeGreaterThanOrEqual(lane[k - 1].ts + lane[k - 1].dur! - 1e-6);
    }
    const starts = doc.traceEvents.filter((e) => e.ph === 's');
    const ends = doc.traceEvents.filter((e) => e.ph === 'f');
    expect(starts).toHaveLength(slices.length);
    expect(ends.map((e) => e.id)).toEqual(starts.map((e) => e.id));
    // a flow ends on a rank's first lane, at or after its start
    expect(ends.every((e, k) => e.tid % 1000 === 0 && e.ts >= starts[k].ts)).toBe(true);
  });

  test('rooted collectives print their root; --rank-list places ranks on chosen accelerators', () => {
    const r = fairway('collective', 'broadcast', '-t', 'dgx-h100-1node', '-b', '1M', '-e', '1M', '-r', '3', '--csv');
    expect(r.code).toBe(0);
    // the CSV header names the columns as the JSON rows do (docs/outputs.md)
    expect(r.out.split('\n')[0]).toBe('sizeBytes,count,type,redop,root,timeUs,algbwGBps,busbwGBps,algo,proto');
    expect(r.out.split('\n')[1].split(',').slice(0, 5)).toEqual(['1048576', '262144', 'float', 'none', '3']);
    // two GPUs in different servers of the rail fabric: sendrecv runs at one NDR link, 48.5 GB/s
    // (NCCL's 4 parts of 256 MiB, each at most half a CTA's 42 GB/s, together above the link;
    // the proxy's 12 µs and the last 128 KiB chunk's copy-out, 6.2 µs, are 0.08% of the 22 ms).
    const s = fairway('collective', 'sendrecv', '-t', 'h100-256gpu-rail', '--rank-list', 'dgx0/acc0,dgx1/acc0', '-b', '1G', '-e', '1G', '--json');
    expect(s.code).toBe(0);
    expect(Math.abs((JSON.parse(s.out) as { rows: { busbwGBps: number }[] }).rows[0].busbwGBps / 48.5 - 1)).toBeLessThan(0.002);
  });

  test('--reduce-bw hbm prices ring reductions at the H100\'s 3.35 TB/s', () => {
    // 7 reductions of 3 × (1 GiB/8) bytes at 3.35e12 B/s add 7 × 120.2 µs = 841 µs.
    const time = (...extra: string[]) =>
      (JSON.parse(fairway('collective', 'all_reduce', '-t', 'dgx-h100-1node', '-b', '1G', '-e', '1G', '--algo', 'ring', '--proto', 'Simple', '--channels', '1', '--chunk', '1G', '--json', ...extra).out) as { rows: { timeUs: number }[] }).rows[0].timeUs;
    expect(time('--reduce-bw', 'hbm') - time()).toBeCloseTo((7 * 3 * 2 ** 27) / 3.35e12 * 1e6, 1);
  });

  test("-g N: one host thread launching N GPUs is a floor of N launches (3.95 µs each) under each operation's time", () => {
    const rows = (...extra: string[]) =>
      (JSON.parse(fairway('collective', 'all_reduce', '-t', 'hgx-a100', '-b', '8', '-e', '1G', '-f', '1024', '--json', ...extra).out) as { rows: { timeUs: number; busbwGBps: number }[] }).rows;
    const [one, eight] = [rows(), rows('-g', '8')];
    // 8 B: ring/LL on 8 A100 is 15 µs of kernel (NCCL's 6.6 + 14 × 0.6); 8 launches are 8 × 3.95 = 31.6 µs.
    expect(one[0].timeUs).toBeLessThan(20);
    expect(eight[0].timeUs).toBeCloseTo(31.6, 9);
    // 1 GiB: the kernel (milliseconds) is far above the floor; nothing changes.
    expect(eight[3]).toEqual(one[3]);
    // busbw follows the reported time: 8 KiB at 31.6 µs is 8192 / 31.6e-6 × 14/8 B/s.
    expect(eight[1].busbwGBps).toBeCloseTo((8192 / 31.6e-6) * (14 / 8) / 1e9, 9);
    const bad = fairway('collective', 'all_reduce', '-t', 'hgx-a100', '-g', '0');
    expect([bad.code, bad.err.includes('--ngpus: must be a whole number from 1 to 1024, got "0"')]).toEqual([2, true]);
  });

  test('--net-channels-per-peer: NCCL_NCHANNELS_PER_NET_PEER for network peers; one channel a peer slows a 2-server alltoall below its NICs, and has no effect on one server', () => {
    const time = (topo: string, ...extra: string[]) =>
      (JSON.parse(fairway('collective', 'alltoall', '-t', topo, '-b', '1G', '-e', '1G', '--json', ...extra).out) as { rows: { timeUs: number }[] }).rows[0].timeUs;
    const two = 'rail-optimized:template=hgx-b200,count=2,radix=64';
    // 64 MiB a peer in one part; a schedule group's 8 remote peers on one CTA: 8 · 42 / 16 = 21 GB/s for the 512 MiB that leave a rank
    expect(time(two, '--net-channels-per-peer', '1')).toBeGreaterThan((512 * 2 ** 20) / 21e9 * 1e6);
    expect(time(two)).toBeLessThan(time(two, '--net-channels-per-peer', '1') / 1.5);
    expect(time('hgx-b200', '--net-channels-per-peer', '1')).toBe(time('hgx-b200'));
    const bad = fairway('collective', 'alltoall', '-t', 'hgx-b200', '--net-channels-per-peer', '0');
    expect([bad.code, bad.err.includes('--net-channels-per-peer: must be a whole number from 1 to 64, got "0"')]).toEqual([2, true]);
  });

  test('--fidelity analytical: the closed form, no graph; refused where NCCL does not run the collective, naming the flag', () => {
    const a = fairway('collective', 'all_reduce', '-t', 'dgx-h100-1node', '-b', '8', '-e', '8', '--fidelity', 'analytical', '--json');
    expect(a.code).toBe(0);
    // ring/LL on 8 H100: NCCL's base 6.6 µs + 14 NVLink hops of 0.6 µs
    const doc = JSON.parse(a.out);
    expect(doc.fidelity).toBe('analytical');
    expect(doc.rows[0].timeUs).toBeCloseTo(15.0, 2);
    const bad = fairway('collective', 'alltoall', '-t', 'dgx-h100-1node', '-b', '1M', '-e', '1M', '--fidelity', 'analytical');
    expect([bad.code, bad.out]).toEqual([2, '']);
    expect(bad.err).toMatch(/^fairway: error: --fidelity: analytical needs a collective NCCL runs/);
    expect(fairway('collective', 'all_reduce', '-t', 'dgx-h100-1node', '--fidelity', 'exact').err).toContain('--fidelity: must be flow or analytical, got "exact"');
  });

  test('bad options are errors naming the option, exit 2', () => {
    const r = fairway('collective', 'all_reduce', '-t', 'dgx-h100-1node', '-b', 'lots');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--minbytes: cannot read "lots" as a size');
    const r2 = fairway('collective', 'bcast', '-t', 'dgx-h100-1node');
    expect(r2.code).toBe(2);
    expect(r2.err).toContain('unknown collective "bcast"');
    expect(fairway('collective', 'sendrecv', '-t', 'dgx-h100-1node', '--rank-list', 'dgx0/acc0,dgx0/nic0').err).toContain('"dgx0/nic0" is not an accelerator');
    const r3 = fairway('collective', 'all_reduce', '-t', 'dgx-h100-1node', '-n', '9');
    expect(r3.code).toBe(2);
    expect(r3.err).toContain('need 2 to 8 ranks');
  });
});

describe('fairway collective: runs too large to build (issue 19, item 10)', () => {
  test('a size whose graph would outgrow --max-memory is refused before it is built, with the counted operations; 512 ranks or fewer are not counted', () => {
    // 1,024 hosts of fat-tree:k=16: NCCL's plan counted (collectiveOperations), 240 B each on top of the process
    const r = fairway('collective', 'all_reduce', '-t', 'fat-tree:k=16', '-b', '1M', '-e', '1M', '--max-memory', '50M');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^fairway: error: .*1048576 B on 1,024 ranks is a graph of [\d,]+ operations: about [\d.]+ GB of memory with the topology, more than the 0\.1 GB allowed; use fewer ranks \(-n\)/);
    expect(r.out).toBe('');
    // 512 ranks are not counted: the same bound lets them run
    expect(fairway('collective', 'all_reduce', '-t', 'fat-tree:k=16', '-n', '512', '-b', '1M', '-e', '1M', '--max-memory', '50M').code).toBe(0);
    expect(fairway('collective', 'all_reduce', '-t', 'fat-tree:k=16', '--max-memory', 'lots').err).toMatch(/--max-memory: must be a size such as 16G/);
  });
});
