// A sweep's heat maps (src/report/sweep-maps.ts, heatmap-chart.ts): which paths become the
// columns and rows, how other varied paths split the points into maps, and the best cell.
import { describe, expect, test } from 'vitest';
import { heatMapChart } from '../../src/report/heatmap-chart.js';
import { shortNames, sweepMaps, type SweepPoint } from '../../src/report/sweep-maps.js';
import { layerOf, rowsOf } from '../helpers/charts.js';

const pt = (index: number, point: Record<string, unknown>, value: number | undefined): SweepPoint => ({ index, point, value });

describe('sweep heat maps', () => {
  test('tp with its dp, × overlap: tp and overlap tell all six points apart, so one map of 3 rows × 2 columns, dp left out', () => {
    const paths = ['tp', 'dp', 'overlap'];
    const points = [2, 4, 8].flatMap((tp, k) => [false, true].map((overlap, j) => pt(2 * k + j, { tp, dp: 128 / tp, overlap }, 2 + k + (overlap ? 0 : 0.5))));
    const maps = sweepMaps(points, paths, 'step time');
    expect(maps).toHaveLength(1);
    const m = maps[0];
    expect([m.xLabel, m.yLabel, m.xs, m.ys]).toEqual(['overlap', 'tp', ['false', 'true'], ['2', '4', '8']]);
    expect(m.values).toEqual([[2.5, 2], [3.5, 3], [4.5, 4]]);
    // the least time: tp 2 with overlap (column 1, row 0)
    expect(m.best).toEqual([1, 0]);
  });

  test('4 NICs × 3 algorithms × 2 oversubscriptions: columns algo, rows nic, a map per oversubscription; the best point outlined in its map only', () => {
    const nics = ['cx6', 'cx7', 'cx7-eth', 'cx8'], algos = ['ring', 'tree', 'hier'];
    const points: SweepPoint[] = [];
    for (const nic of nics) for (const algo of algos) for (const over of [1, 3]) points.push(pt(points.length, { nic, algo, over }, 10 - nics.indexOf(nic) + algos.indexOf(algo) + (over === 3 ? 5 : 0)));
    const maps = sweepMaps(points, ['nic', 'algo', 'over'], 'collective time');
    expect(maps.map((m) => m.title)).toEqual(['collective time, over=1', 'collective time, over=3']);
    expect([maps[0].xLabel, maps[0].yLabel]).toEqual(['algo', 'nic']);
    // best: cx8, ring, over 1: 10 − 3 + 0 = 7
    expect(maps[0].best).toEqual([0, 3]);
    expect(maps[1].best).toBeUndefined();
    expect(maps[1].values[3][0]).toBe(12);
  });

  test('one varied path gives no map; a failed point leaves its cell empty', () => {
    expect(sweepMaps([pt(0, { a: 1 }, 1), pt(1, { a: 2 }, 2)], ['a'], 't')).toEqual([]);
    const maps = sweepMaps([pt(0, { a: 1, b: 1 }, 1), pt(1, { a: 2, b: 1 }, undefined), pt(2, { a: 1, b: 2 }, 3), pt(3, { a: 2, b: 2 }, 4)], ['a', 'b'], 't');
    // columns b (the later path), rows a
    expect(maps[0].values).toEqual([[1, 3], [undefined, 4]]);
    expect(maps[0].best).toEqual([0, 0]);
    // the chart: the failed cell says so
    expect(rowsOf(heatMapChart(maps[0], (v) => `${v}s`), 'cells').find((c) => c.value === null).tip).toBe('a 2, b 1: no result');
  });

  test('goodput (higher is better): the largest value is the best cell and green, the least red', () => {
    const points = [pt(0, { p: 1, d: 1 }, 2), pt(1, { p: 1, d: 3 }, 8), pt(2, { p: 3, d: 1 }, 5), pt(3, { p: 3, d: 3 }, 0.5)];
    const [m] = sweepMaps(points, ['p', 'd'], 'goodput', 'higher');
    // columns d, rows p; the best is p 1, d 3 (8 requests/s): column 1, row 0
    expect(m.values).toEqual([[2, 8], [5, 0.5]]);
    expect(m.best).toEqual([1, 0]);
    expect(m.better).toBe('higher');
    // the chart stars 8 requests/s and gives it the green end of the reversed scale
    const spec = heatMapChart(m, (v) => `${v}/s`);
    expect(rowsOf(spec, 'cells').filter((c) => c.best).map((c) => c.tip)).toEqual(['p 1, d 3: 8/s (best)']);
    expect(layerOf(spec, 'cells').encoding.color.scale.domain).toEqual([0.5, 4.25, 8]);
  });

  test('labels: the last segment, or enough trailing segments to tell paths apart', () => {
    const names = shortNames(['serve.instances', 'serve.tp', 'serve.disaggregated.prefill.tp', 'serve.disaggregated.decode.tp', 'serve.disaggregated.prefill.instances', 'serve.disaggregated']);
    expect([...names.values()]).toEqual(['serve.instances', 'serve.tp', 'prefill.tp', 'decode.tp', 'prefill.instances', 'disaggregated']);
    expect(shortNames(['workload.training.tp', 'topology.fabric.oversubscription']).get('workload.training.tp')).toBe('tp');
    // a name a metric column already has is lengthened
    expect([...shortNames(['collective.algo', 'topology.servers[0].nic'], ['algo', 'timeUs']).values()]).toEqual(['collective.algo', 'nic']);
  });
});
