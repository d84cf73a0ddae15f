// A line chart as a Vega-Lite spec: series of (x, y) points over a log (sizes, latencies) or
// linear (time) x axis, y linear from 0 or log₁₀, one colour per series; a bold line (the choice
// among alternatives) or a dashed one (an alternative, without points); points may carry a
// group drawn as their shape (the algorithm chosen at each size). Every point's tooltip gives
// its series, x and y with their units.
import { CHART_CONFIG, coloursOf, extent, labelledTicks, linearTicks, logTicks, type ChartSpec } from './chart-axis.js';

export interface Series {
  readonly name: string;
  /** Points (x > 0 on a log axis, y > 0 on a log one). */
  readonly points: readonly (readonly [number, number])[];
  /** 'bold': a thick line (the choice among alternatives); 'dashed': a thin dashed line without point marks (an alternative). */
  readonly style?: 'bold' | 'dashed';
  /** Each point's group (drawn as its shape, in a legend titled LineChartOptions.groupTitle). */
  readonly groups?: readonly string[];
}

export interface LineChartOptions {
  readonly width?: number;
  readonly height?: number;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly xTick?: (x: number) => string;
  /** A log₁₀ y axis (decades, labelled by yTick) instead of a linear one from 0; points with y ≤ 0 are left out. */
  readonly yLog?: boolean;
  readonly yTick?: (y: number) => string;
  /** A y value with its unit, for tooltips (yTick by default). */
  readonly yValue?: (y: number) => string;
  /** 'log2' (the default: sizes, a tick per power of 4), 'log10' (latencies: decades, with 2 and 5 between over two or fewer) or 'linear' (from 0: time). */
  readonly xScale?: 'log2' | 'log10' | 'linear';
  readonly groupTitle?: string;
  /** The x ticks (a sweep's grid values) instead of the scale's own. */
  readonly xTicks?: readonly number[];
  /** Vertical rules at these x values with their labels (a service-level objective on a latency CDF). */
  readonly xRules?: readonly { readonly x: number; readonly label: string }[];
}

/** Each style's line width and dash pattern. */
const STROKE = { plain: [2, [1, 0]], bold: [3.5, [1, 0]], dashed: [1.5, [5, 3]] } as const;

/** The points to draw: on a log x axis x > 0 (on a linear one x ≥ 0), finite, y > 0 on a log y axis. */
function drawable(all: readonly Series[], o: LineChartOptions): Series[] {
  const keep = ([x, y]: readonly [number, number]) => (o.xScale === 'linear' ? x >= 0 : x > 0) && Number.isFinite(x) && Number.isFinite(y) && (!o.yLog || y > 0);
  return all
    .map((s) => ({ ...s, points: s.points.filter(keep), ...(s.groups ? { groups: s.groups.filter((_, i) => keep(s.points[i])) } : {}) }))
    .filter((s) => s.points.length > 0);
}

/** Where each run of one group starts along a series (the size from which an algorithm is chosen), to label it. */
function groupStarts(series: readonly Series[]): { x: number; y: number; group: string }[] {
  return series.flatMap((s) => (s.groups ? s.points.flatMap(([x, y], i) => (i === 0 || s.groups![i] !== s.groups![i - 1] ? [{ x, y, group: s.groups![i] }] : [])) : []));
}

/** A chart saying there is nothing to plot. */
export function emptyChart(text: string): ChartSpec {
  return { config: CHART_CONFIG, width: 300, height: 20, data: { values: [{ text }] }, mark: { type: 'text', align: 'left', x: 0, y: 10 }, encoding: { text: { field: 'text' } } };
}

/** x axis: its scale and ticks. */
function xAxisOf(xs: readonly number[], o: LineChartOptions): { scale: object; axis: object } {
  const label = o.xTick ?? String;
  const [lo, hi] = extent(xs);
  if (o.xScale === 'linear') {
    const ticks = linearTicks(hi);
    return { scale: { type: 'linear', domain: [0, ticks[ticks.length - 1]], nice: false }, axis: { title: o.xLabel, ...labelledTicks(o.xTicks ?? ticks, label) } };
  }
  const { domain, ticks } = logTicks(lo, hi, o.xScale === 'log10' ? 10 : 2);
  return { scale: { type: 'log', base: o.xScale === 'log10' ? 10 : 2, domain, nice: false }, axis: { title: o.xLabel, ...labelledTicks(o.xTicks ?? ticks, label) } };
}

/** y axis: linear from 0 in round steps (niceMax of a fifth of the largest) to the first at or past the largest, or log₁₀ over whole decades. */
function yAxisOf(ys: readonly number[], o: LineChartOptions): { scale: object; axis: object } {
  const label = o.yTick ?? ((y: number) => String(+y.toPrecision(3)));
  const [lo, hi] = extent(ys);
  if (!o.yLog) {
    const ticks = linearTicks(hi);
    return { scale: { type: 'linear', domain: [0, ticks[ticks.length - 1]], nice: false }, axis: { title: o.yLabel, ...labelledTicks(ticks, label) } };
  }
  const { domain, ticks } = logTicks(lo, hi, 10);
  return { scale: { type: 'log', domain, nice: false }, axis: { title: o.yLabel, ...labelledTicks(ticks, label) } };
}

/** Lines over a log₂, log₁₀ or linear x axis and a linear or log₁₀ y axis. Points outside the axes' reach (x ≤ 0 on a log axis, non-finite) are left out. */
/** The options' vertical rules as a dashed rule and its label, over the chart's x encoding. */
function ruleLayers(o: LineChartOptions, x: object): object[] {
  const rules = (o.xRules ?? []).filter((r) => Number.isFinite(r.x) && r.x > 0);
  if (rules.length === 0) return [];
  const data = { values: rules.map((r) => ({ x: r.x, label: r.label })) };
  return [
    { name: 'rules', data, mark: { type: 'rule', strokeDash: [6, 3], color: '#555' }, encoding: { x, description: { field: 'label' } } },
    { name: 'rule_labels', data, mark: { type: 'text', align: 'left', baseline: 'top', dx: 3, y: 2, fontSize: 10, color: '#333', aria: false }, encoding: { x, text: { field: 'label' } } },
  ];
}

export function lineChart(allSeries: readonly Series[], o: LineChartOptions): ChartSpec {
  const series = drawable(allSeries, o);
  if (series.length === 0) return emptyChart('no data to plot');
  const xTick = o.xTick ?? String;
  const yValue = o.yValue ?? o.yTick ?? ((y: number) => String(+y.toPrecision(4)));
  const values = series.flatMap((s) => s.points.map(([x, y], i) => ({ series: s.name, style: s.style ?? 'plain', width: STROKE[s.style ?? 'plain'][0], dash: STROKE[s.style ?? 'plain'][1], x, y, tip: `${s.name}${s.groups ? ` (${s.groups[i]})` : ''}: ${xTick(x)}, ${yValue(y)}`, ...(s.groups ? { group: s.groups[i] } : {}) })));
  const names = series.map((s) => s.name);
  const ruleXs = (o.xRules ?? []).map((r) => r.x).filter((v) => Number.isFinite(v) && v > 0);
  const x = { field: 'x', type: 'quantitative', ...xAxisOf([...values.map((v) => v.x), ...ruleXs], o) };
  const y = { field: 'y', type: 'quantitative', ...yAxisOf(values.map((v) => v.y), o) };
  const color = { field: 'series', type: 'nominal', title: null, scale: { domain: names, range: coloursOf(names) }, sort: null };
  const grouped = series.some((s) => s.groups);
  return {
    config: CHART_CONFIG,
    width: o.width ?? 640,
    height: o.height ?? 260,
    data: { values },
    layer: [
      {
        name: 'lines',
        mark: { type: 'line', clip: true },
        encoding: {
          x, y, color, description: { field: 'series' },
          strokeWidth: { field: 'width', type: 'quantitative', scale: null },
          strokeDash: { field: 'dash', type: 'nominal', scale: null },
        },
      },
      {
        name: 'points',
        transform: [{ filter: "datum.style !== 'dashed'" }],
        mark: { type: 'point', filled: true, opacity: 1 },
        encoding: { x, y, color, description: { field: 'tip' }, size: { condition: { test: "datum.style === 'bold'", value: 60 }, value: grouped ? 45 : 22 }, ...(grouped ? { shape: { field: 'group', type: 'nominal', title: o.groupTitle ?? null, sort: null } } : {}) },
      },
      ...ruleLayers(o, x),
      ...(grouped ? [{ name: 'group_starts', data: { values: groupStarts(series) }, mark: { type: 'text', align: 'left', angle: 0, dx: 2, dy: -12, fontSize: 10, aria: false }, encoding: { x, y, text: { field: 'group' } } }] : []),
    ],
  } as ChartSpec;
}
