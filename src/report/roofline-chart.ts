// A roofline chart as a Vega-Lite spec: log-log axes of arithmetic intensity (FLOPs per HBM
// byte) and FLOP/s, a roof per data type (min(peak, HBM bandwidth × intensity)) labelled with its
// peak, and a dot per kernel group at what it reached, its area proportional to its share of the
// kernel time; each dot's tooltip gives its FLOPs, bytes, intensity, FLOP/s and share.
import { formatBytes, formatFlops } from '../core/units.js';
import { CHART_CONFIG, extent, labelledTicks, type ChartSpec } from './chart-axis.js';
import type { Roofline } from './kernel-roofline.js';

const DTYPE_COLOUR: Record<string, string> = { bf16: '#4e79a7', fp8: '#e15759' };
const colourOf = (dtype: string) => DTYPE_COLOUR[dtype] ?? '#59a14f';
const decades = (e0: number, e1: number) => Array.from({ length: e1 - e0 + 1 }, (_, k) => 10 ** (e0 + k));

/** The axes' whole decades: x around the kernels' intensities and the ridge points, y from below the slowest kernel (at most 3 decades under the top peak) to the top peak. */
function axesOf(r: Roofline, ai: readonly number[], reached: readonly number[]) {
  const ridge = r.peaks.reduce((m, p) => Math.max(m, p.flopsPerSec / r.hbmBytesPerSec), 0);
  const [aiLo, aiHi] = extent([...ai.filter(Number.isFinite), ridge / 10, ridge * 10]);
  const x0 = Math.floor(Math.log10(aiLo));
  const x1 = Math.max(Math.ceil(Math.log10(aiHi)), x0 + 1);
  const top = r.peaks.reduce((m, p) => Math.max(m, p.flopsPerSec), 0);
  const y1 = Math.ceil(Math.log10(top));
  const y0 = Math.min(Math.floor(Math.log10(extent([...reached.filter((v) => v > 0), top / 1000])[0])), y1 - 1);
  return { x0, x1, y0, y1 };
}

/** Each roof's points (the HBM slope from the left edge to the ridge, then flat at the peak) and labels. */
function roofsOf(r: Roofline, x0: number, x1: number) {
  const from = 10 ** x0, to = 10 ** x1;
  const lines = r.peaks.flatMap((p) => [[from, from * r.hbmBytesPerSec], [p.flopsPerSec / r.hbmBytesPerSec, p.flopsPerSec], [to, p.flopsPerSec]].map(([ai, flops]) => ({ dtype: p.dtype, ai, flops })));
  const labels = [
    ...r.peaks.map((p) => ({ dtype: p.dtype, ai: to, flops: p.flopsPerSec, text: `${p.dtype} peak ${formatFlops(p.flopsPerSec)}`, align: 'right' })),
    { dtype: '', ai: from, flops: from * r.hbmBytesPerSec, text: `HBM ${(r.hbmBytesPerSec / 1e12).toPrecision(3)} TB/s`, align: 'left' },
  ];
  return { lines, labels };
}

export function rooflineChart(r: Roofline): ChartSpec {
  const ai = r.kernels.map((k) => (k.bytes > 0 ? k.flops / k.bytes : Infinity));
  const reached = r.kernels.map((k) => (k.seconds > 0 ? (k.flops * k.count) / k.seconds : 0));
  const { x0, x1, y0, y1 } = axesOf(r, ai, reached);
  const total = r.kernels.reduce((s, k) => s + k.seconds, 0);
  const kernels = r.kernels.flatMap((k, i) => {
    if (!(reached[i] > 0)) return [];
    const share = total > 0 ? k.seconds / total : 0;
    const radius = 3 + 14 * Math.sqrt(share);
    const tip = `${k.name} (${k.dtype}) ×${k.count}: ${formatFlops(k.flops).replace('/s', '')} and ${formatBytes(k.bytes)} each, intensity ${Number.isFinite(ai[i]) ? +ai[i].toPrecision(3) : '∞'}, ${formatFlops(reached[i])}, ${(100 * share).toFixed(1)}% of kernel time`;
    // kernels without bytes at the right edge; a symbol's size is its bounding square's area, (2 r)²
    return [{ dtype: k.dtype, ai: Number.isFinite(ai[i]) ? ai[i] : 10 ** x1, flops: Math.max(reached[i], 10 ** y0), size: +(4 * radius * radius).toFixed(1), tip }];
  });
  const { lines, labels } = roofsOf(r, x0, x1);
  const dtypes = [...new Set([...r.peaks.map((p) => p.dtype), ...kernels.map((k) => k.dtype)])];
  const x = { field: 'ai', type: 'quantitative', scale: { type: 'log', domain: [10 ** x0, 10 ** x1], nice: false }, axis: { title: 'arithmetic intensity (FLOPs per HBM byte)', ...labelledTicks(decades(x0, x1), (v) => String(+v.toPrecision(3))) } };
  const y = { field: 'flops', type: 'quantitative', scale: { type: 'log', domain: [10 ** y0, 10 ** y1], nice: false }, axis: { title: 'FLOP/s reached', ...labelledTicks(decades(y0, y1), formatFlops) } };
  const color = { field: 'dtype', type: 'nominal', title: 'data type', sort: null, scale: { domain: dtypes, range: dtypes.map(colourOf) } };
  return {
    config: CHART_CONFIG,
    width: 620,
    height: 300,
    encoding: { x, y, color },
    layer: [
      { name: 'roofs', data: { values: lines }, mark: { type: 'line', strokeWidth: 1.5, clip: true }, encoding: { description: { field: 'dtype' } } },
      { name: 'peak_labels', data: { values: labels.filter((l) => l.align === 'right') }, mark: { type: 'text', align: 'right', dx: -4, dy: -6, fontSize: 11, aria: false }, encoding: { text: { field: 'text' } } },
      { name: 'hbm_label', data: { values: labels.filter((l) => l.align === 'left') }, mark: { type: 'text', align: 'left', dx: 4, dy: -8, fontSize: 11, aria: false }, encoding: { text: { field: 'text' }, color: { value: '#555' } } },
      { name: 'kernels', data: { values: kernels }, mark: { type: 'circle', opacity: 0.45 }, encoding: { size: { field: 'size', type: 'quantitative', scale: null }, description: { field: 'tip' } } },
      { name: 'kernel_outlines', data: { values: kernels }, mark: { type: 'point', shape: 'circle', filled: false, strokeWidth: 1, aria: false }, encoding: { size: { field: 'size', type: 'quantitative', scale: null } } },
    ],
  } as ChartSpec;
}
