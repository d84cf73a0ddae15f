// HTML reports: the collective's line through every size with its choices and every row in the
// table; the workload page's bars are the breakdown, its stress points a bar per resource by
// class; each chart's ids its own; the same results give the same bytes.
import { describe, expect, test } from 'vitest';
import { collectiveHtml, workloadHtml, type WorkloadReport } from '../../src/report/html-report.js';
import type { CollectiveRow } from '../../src/report/nccl-table.js';
import { itemsOf, tooltipsOf } from '../helpers/charts.js';

const row = (sizeBytes: number, busbwGBps: number, algo: string): CollectiveRow => ({ sizeBytes, count: sizeBytes / 4, type: 'float', redop: 'sum', root: -1, timeUs: 1, algbwGBps: busbwGBps / 1.75, busbwGBps, algo, proto: '' });
const texts = (html: string, name: string) => itemsOf(html, name).map((e) => />([^<]*)<\/text>/.exec(e)![1]);

describe('html reports', () => {
  test('collective: busbw and time per operation, each one line over the sizes with a point per size, and the table', async () => {
    const rows = [row(8, 0.01, 'one-shot'), row(1 << 20, 200, 'two-shot'), row(1 << 30, 457, 'nvls'), row(2 ** 31, 462, 'nvls')];
    const html = await collectiveHtml('all_reduce <8 ranks>', rows);
    // two charts: a line each, 4 points each, three choices labelled where they start
    expect(itemsOf(html, 'lines')).toHaveLength(2);
    expect(itemsOf(html, 'points')).toHaveLength(8);
    expect(texts(html, 'group_starts')).toEqual(['one-shot', 'two-shot', 'nvls', 'one-shot', 'two-shot', 'nvls']);
    expect(tooltipsOf(html, 'points')[2]).toBe('chosen per size (nvls): 1GiB, 457 GB/s');
    expect(html).toContain('<h2>Time per operation</h2>');
    expect(html.match(/<tr>/g)).toHaveLength(1 + rows.length);
    expect(html).toContain('<title>all_reduce &lt;8 ranks&gt;</title>');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    expect(await collectiveHtml('all_reduce <8 ranks>', rows)).toBe(html);
  });

  test('workload: a bar per rank whose segments are its breakdown; a bar per stressed resource coloured by class; no bottleneck chart without the monitor', async () => {
    const rank = (label: string, computeSec: number, idleSec: number) => ({ label, computeSec, exposedCommSec: 0, hostBoundSec: 0, inputStallSec: 0, idleSec });
    const math = { resource: 'acc0 math', kind: 'math' as const, utilization: 0.75, bottleneckSec: 0 };
    const nic = { resource: 'nic0 → leaf0', kind: 'link' as const, linkType: 'infiniband' as const, utilization: 0.5, bottleneckSec: 0 };
    const nic1 = { ...nic, resource: 'nic1 → leaf0', utilization: 0.25 };
    const report: WorkloadReport = { title: 'w', stepSec: 4, summary: [['step time', '4s']], ranks: [rank('mean of ranks', 3, 1), rank('rank 0', 4, 0)], byUtilization: [math], byClass: [nic, nic1, math], makespanSec: 4 };
    const html = await workloadHtml(report);
    // the breakdown chart first, then the stress points: 3 segments (mean: compute 3 s and idle 1 s; rank 0: compute 4 s), then 3 resources
    expect(tooltipsOf(html, 'segments')).toEqual(['mean of ranks, compute: 3s', 'mean of ranks, idle: 1s', 'rank 0, compute: 4s', 'nic0 → leaf0, network links: 50%', 'nic1 → leaf0, network links: 25%', 'acc0 math, math: 75%']);
    expect(texts(html, 'totals')).toEqual(['4s', '4s', '50%', '25%', '75%']);
    expect(html).toContain('the resource monitor was off');
    // two charts, each its own clip-free ids; the page has no duplicate id
    const ids = [...html.matchAll(/ id="([^"]*)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
