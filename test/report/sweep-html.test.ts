// The sweep report (src/report/sweep-html.ts): the best point, a line over the one varied path
// or heat maps over two, a bar per point with the best starred, and every point in the table.
import { describe, expect, test } from 'vitest';
import { sweepHtml } from '../../src/report/sweep-html.js';
import { itemsOf, tooltipsOf } from '../helpers/charts.js';

const texts = (html: string, name: string) => itemsOf(html, name).map((e) => />([^<]*)<\/text>/.exec(e)![1]);

describe('sweep report', () => {
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

  test('one numeric path varied: a line of the objective over its values in order, the best point drawn apart', async () => {
    const metrics = (stepMs: number) => ({ stepMs, computeMs: stepMs, exposedCommMs: 0, hostBoundMs: 0, inputStallMs: 0, idleMs: 0 });
    const html = await sweepHtml('sweep w', ['workload.ops[0].workers'], [
      { index: 0, point: { 'workload.ops[0].workers': 8 }, ok: true, metrics: metrics(120) },
      { index: 1, point: { 'workload.ops[0].workers': 2 }, ok: true, metrics: metrics(400) },
      { index: 2, point: { 'workload.ops[0].workers': 32 }, ok: true, metrics: metrics(100) },
    ]);
    // points in the path's order (2, 8, 32 workers: 16× apart, a log₂ axis), then the best, 32 workers at 100 ms
    expect(tooltipsOf(html, 'points').slice(0, 4)).toEqual(['step time: 2, 400ms', 'step time: 8, 120ms', 'step time: 32, 100ms', 'best: 100ms at workers=32: 32, 100ms']);
    expect(tooltipsOf(html, 'lines').slice(0, 2)).toEqual(['step time', 'best: 100ms at workers=32']);
    expect(html).toContain('over the one setting varied');
    // a path of names (not numbers) gets no line, only the bars
    const names = await sweepHtml('s', ['collective.algo'], [
      { index: 0, point: { 'collective.algo': 'ring' }, ok: true, metrics: { timeUs: 10 } },
      { index: 1, point: { 'collective.algo': 'tree' }, ok: true, metrics: { timeUs: 20 } },
    ]);
    expect(itemsOf(names, 'lines')).toHaveLength(0);
    expect(tooltipsOf(names, 'segments')).toEqual(['★ #0 algo=ring, time: 10us', '#1 algo=tree, time: 20us']);
  });
});
