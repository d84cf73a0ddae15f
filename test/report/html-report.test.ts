// HTML reports: one line per algorithm that won a size, every row in the table; the workload
// page's bars are the breakdown; the same results give the same bytes.
import { describe, expect, test } from 'vitest';
import { collectiveHtml, sweepHtml, workloadHtml, type WorkloadReport } from '../../src/report/html-report.js';
import type { CollectiveRow } from '../../src/report/nccl-table.js';

const row = (sizeBytes: number, busbwGBps: number, algo: string): CollectiveRow => ({ sizeBytes, count: sizeBytes / 4, type: 'float', redop: 'sum', root: -1, timeUs: 1, algbwGBps: busbwGBps / 1.75, busbwGBps, algo, proto: '' });

describe('html reports', () => {
  test('collective: busbw and time per operation, each a line per algorithm over the sizes it won, and the table', () => {
    const rows = [row(8, 0.01, 'one-shot'), row(1 << 20, 200, 'two-shot'), row(1 << 30, 457, 'nvls'), row(1 << 31, 462, 'nvls')];
    const html = collectiveHtml('all_reduce <8 ranks>', rows);
    expect([...html.matchAll(/<polyline[^>]* data-name="([^"]*)"/g)].map((m) => m[1])).toEqual(['one-shot', 'two-shot', 'nvls', 'one-shot', 'two-shot', 'nvls']);
    expect(html).toContain('<h2>Time per operation</h2>');
    expect(html.match(/<tr>/g)).toHaveLength(1 + rows.length);
    expect(html).toContain('<title>all_reduce &lt;8 ranks&gt;</title>');
    expect(collectiveHtml('all_reduce <8 ranks>', rows)).toBe(html);
  });

  test('workload: a bar per rank whose segments are its breakdown; stress points by resource class; no bottleneck table without the monitor', () => {
    const rank = (label: string, computeSec: number, idleSec: number) => ({ label, computeSec, exposedCommSec: 0, hostBoundSec: 0, inputStallSec: 0, idleSec });
    const math = { resource: 'acc0 math', kind: 'math' as const, utilization: 0.75, bottleneckSec: 0 };
    const nic = { resource: 'nic0 → leaf0', kind: 'link' as const, linkType: 'infiniband' as const, utilization: 0.5, bottleneckSec: 0 };
    const nic1 = { ...nic, resource: 'nic1 → leaf0', utilization: 0.25 };
    const report: WorkloadReport = { title: 'w', stepSec: 4, summary: [['step time', '4s']], ranks: [rank('mean of ranks', 3, 1), rank('rank 0', 4, 0)], byUtilization: [math], byClass: [nic, nic1, math], makespanSec: 4 };
    const html = workloadHtml(report);
    // the class is named on its first row only
    expect(html).toContain('<tr><td>network links</td><td>nic0 → leaf0</td><td>50.0%</td>');
    expect(html).toContain('<tr><td></td><td>nic1 → leaf0</td><td>25.0%</td>');
    expect(html).toContain('<tr><td>math</td><td>acc0 math</td><td>75.0%</td>');
    // both rows total 4 s over 546 px (720 less the labels' 110 and the totals' 64): compute 3 s = 409.5 px, idle 1 s = 136.5 px; rank 0 all compute
    expect([...html.matchAll(/<rect class="segment" data-key="([^"]*)"[^>]* width="([^"]*)"/g)].map((m) => [m[1], m[2]])).toEqual([['compute', '409.5'], ['idle', '136.5'], ['compute', '546']]);
    expect(html).toContain('the resource monitor was off');
  });

  test('sweep: a bar per successful point named by its overrides, stacked for workloads; every point in the table', () => {
    const metrics = (computeMs: number, exposedCommMs: number) => ({ stepMs: computeMs + exposedCommMs, computeMs, exposedCommMs, hostBoundMs: 0, inputStallMs: 0, idleMs: 0 });
    const html = sweepHtml('sweep s', ['workload.training.tp'], [
      { index: 0, point: { 'workload.training.tp': 2 }, ok: true, metrics: metrics(300, 100) },
      { index: 1, point: { 'workload.training.tp': 4 }, ok: false, error: 'does not <fit>' },
      { index: 2, point: { 'workload.training.tp': 8 }, ok: true, metrics: metrics(300, 20) },
    ]);
    // the longest bar (0.4 s) spans 546 px: compute 0.3 s = 409.5, communication 0.1 s = 136.5 and 0.02 s = 27.3
    expect([...html.matchAll(/<rect class="segment" data-key="([^"]*)"[^>]* width="([^"]*)"/g)].map((m) => [m[1], m[2]])).toEqual([['compute', '409.5'], ['exposed communication', '136.5'], ['compute', '409.5'], ['exposed communication', '27.3']]);
    expect(html).toContain('>#2 tp=8</text>');
    expect(html).toContain('<td>1</td><td>4</td><td>FAILED: does not &lt;fit&gt;</td>');
    // an object override reads as JSON, as in the CSV
    const objects = sweepHtml('s', ['workload.training.model'], [{ index: 0, point: { 'workload.training.model': { layers: 2 } }, ok: true, metrics: metrics(1, 1) }]);
    expect(objects).toContain('#0 model={&quot;layers&quot;:2}');
  });

  test('sweep of a serving deployment: the best point has the most goodput; a bar per point splits completed requests/s into within and outside the SLO', () => {
    const serve = (goodputPerSec: number, requestsPerSec: number) => ({ gpus: 16, goodputPerSec, requestsPerSec, ttftP99Ms: 100 });
    const paths = ['serve.disaggregated.prefill.tp', 'serve.disaggregated.decode.tp'];
    const html = sweepHtml('sweep split', paths, [
      { index: 0, point: { [paths[0]]: 8, [paths[1]]: 8 }, ok: true, metrics: serve(2, 10) },
      { index: 1, point: { [paths[0]]: 4, [paths[1]]: 8 }, ok: true, metrics: serve(12, 12) },
    ]);
    expect(html).toContain('<b>Best point</b>: #1 prefill.tp=4 decode.tp=8, goodput 12 req/s.');
    // the longer bar (12 requests/s) spans 546 px; point 0: 2 within (91 px) and 8 outside (364 px)
    expect([...html.matchAll(/<rect class="segment" data-key="([^"]*)"[^>]* width="([^"]*)"/g)].map((m) => [m[1], m[2]])).toEqual([['within SLO', '91'], ['outside SLO', '364'], ['within SLO', '546']]);
    // a third point varies decode.tp too: a heat map, the most goodput green
    const three = sweepHtml('sweep split', paths, [
      { index: 0, point: { [paths[0]]: 8, [paths[1]]: 8 }, ok: true, metrics: serve(2, 10) },
      { index: 1, point: { [paths[0]]: 4, [paths[1]]: 8 }, ok: true, metrics: serve(12, 12) },
      { index: 2, point: { [paths[0]]: 4, [paths[1]]: 4 }, ok: true, metrics: serve(5, 6) },
    ]);
    expect(three).toContain('green the most and red the least');
    expect(three).toContain('>★ 12 req/s</text>');
  });
});
