// HTML reports: the collective's line through every size with its choices and every row in the
// table; the workload page's bars are the breakdown, its stress points a bar per resource by
// class; a sweep's bars and best point; each chart's ids its own; the same results give the
// same bytes.
import { describe, expect, test } from 'vitest';
import { collectiveHtml, sweepHtml, workloadHtml, type WorkloadReport } from '../../src/report/html-report.js';
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

  test('sweep: a bar per successful point named by its overrides, stacked for workloads, the best starred; every point in the table', async () => {
    const metrics = (computeMs: number, exposedCommMs: number) => ({ stepMs: computeMs + exposedCommMs, computeMs, exposedCommMs, hostBoundMs: 0, inputStallMs: 0, idleMs: 0 });
    const html = await sweepHtml('sweep s', ['workload.training.tp'], [
      { index: 0, point: { 'workload.training.tp': 2 }, ok: true, metrics: metrics(300, 100) },
      { index: 1, point: { 'workload.training.tp': 4 }, ok: false, error: 'does not <fit>' },
      { index: 2, point: { 'workload.training.tp': 8 }, ok: true, metrics: metrics(300, 20) },
    ]);
    expect(tooltipsOf(html, 'segments')).toEqual(['#0 tp=2, compute: 300ms', '#0 tp=2, exposed communication: 100ms', '★ #2 tp=8, compute: 300ms', '★ #2 tp=8, exposed communication: 20ms']);
    expect(texts(html, 'totals')).toEqual(['400ms', '320ms']);
    expect(html).toContain('<b>Best point</b>: #2 tp=8, step time 320ms.');
    expect(html).toContain('<td>1</td><td>4</td><td>FAILED: does not &lt;fit&gt;</td>');
    // an object override reads as JSON, as in the CSV
    const objects = await sweepHtml('s', ['workload.training.model'], [{ index: 0, point: { 'workload.training.model': { layers: 2 } }, ok: true, metrics: metrics(1, 1) }]);
    expect(objects).toContain('#0 model={&quot;layers&quot;:2}');
  });

  test('sweep of a serving deployment: the best point has the most goodput; a bar per point splits completed requests/s into within and outside the SLO', async () => {
    const serve = (goodputPerSec: number, requestsPerSec: number) => ({ gpus: 16, goodputPerSec, requestsPerSec, ttftP99Ms: 100 });
    const paths = ['serve.disaggregated.prefill.tp', 'serve.disaggregated.decode.tp'];
    const html = await sweepHtml('sweep split', paths, [
      { index: 0, point: { [paths[0]]: 8, [paths[1]]: 8 }, ok: true, metrics: serve(2, 10) },
      { index: 1, point: { [paths[0]]: 4, [paths[1]]: 8 }, ok: true, metrics: serve(12, 12) },
    ]);
    expect(html).toContain('<b>Best point</b>: #1 prefill.tp=4 decode.tp=8, goodput 12 req/s.');
    // point 0: 2 within and 8 outside; point 1: 12 within, none outside
    expect(tooltipsOf(html, 'segments')).toEqual(['#0 prefill.tp=8 decode.tp=8, within SLO: 2 req/s', '#0 prefill.tp=8 decode.tp=8, outside SLO: 8 req/s', '★ #1 prefill.tp=4 decode.tp=8, within SLO: 12 req/s']);
    // a third point varies decode.tp too: a heat map of 2 × 2 cells (one without a point), the most goodput starred
    const three = await sweepHtml('sweep split', paths, [
      { index: 0, point: { [paths[0]]: 8, [paths[1]]: 8 }, ok: true, metrics: serve(2, 10) },
      { index: 1, point: { [paths[0]]: 4, [paths[1]]: 8 }, ok: true, metrics: serve(12, 12) },
      { index: 2, point: { [paths[0]]: 4, [paths[1]]: 4 }, ok: true, metrics: serve(5, 6) },
    ]);
    expect(three).toContain('green the most and red the least');
    expect(itemsOf(three, 'cells')).toHaveLength(3);
    expect(itemsOf(three, 'missing')).toHaveLength(1);
    expect(texts(three, 'best_value')).toEqual(['★ 12 req/s']);
  });
});
