// A roofline chart as deterministic SVG: log-log axes of arithmetic intensity (FLOPs per HBM
// byte) and FLOP/s, a roof per data type (min(peak, HBM bandwidth × intensity)), and a dot per
// kernel group at what it reached, its area proportional to its share of the kernel time.
import { formatBytes, formatFlops } from '../core/units.js';
import type { Roofline } from './kernel-roofline.js';
import { escapeHtml } from './svg-charts.js';

const px = (x: number) => Math.round(x * 10) / 10;
const M = { left: 84, right: 16, top: 16, bottom: 44 };
const DTYPE_COLOUR: Record<string, string> = { bf16: '#4e79a7', fp8: '#e15759' };
const colourOf = (dtype: string) => DTYPE_COLOUR[dtype] ?? '#59a14f';
const most = (xs: readonly number[], from: number) => xs.reduce((a, b) => Math.max(a, b), from);
const least = (xs: readonly number[], from: number) => xs.reduce((a, b) => Math.min(a, b), from);

export function rooflineChart(r: Roofline, width = 720, height = 360): string {
  const w = width - M.left - M.right;
  const h = height - M.top - M.bottom;
  const ai = r.kernels.map((k) => (k.bytes > 0 ? k.flops / k.bytes : Infinity));
  const finite = ai.filter(Number.isFinite);
  const ridge = most(r.peaks.map((p) => p.flopsPerSec / r.hbmBytesPerSec), 0);
  // x: whole decades around the kernels' intensities and the ridge points; kernels without bytes at the right edge
  const x0 = Math.floor(Math.log10(least(finite, ridge / 10)));
  const x1 = Math.max(Math.ceil(Math.log10(most(finite, ridge * 10))), x0 + 1);
  const reached = r.kernels.map((k) => (k.seconds > 0 ? (k.flops * k.count) / k.seconds : 0));
  const top = most(r.peaks.map((p) => p.flopsPerSec), 0);
  const y1 = Math.ceil(Math.log10(top));
  const y0 = Math.min(Math.floor(Math.log10(least(reached.filter((v) => v > 0), top / 1000))), y1 - 1);
  const X = (v: number) => px(M.left + ((Math.min(Math.log10(v), x1) - x0) / (x1 - x0)) * w);
  const Y = (v: number) => px(M.top + h - ((Math.max(Math.log10(v), y0) - y0) / (y1 - y0)) * h);
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`];
  for (let e = x0; e <= x1; e++) parts.push(`<line x1="${X(10 ** e)}" x2="${X(10 ** e)}" y1="${M.top}" y2="${M.top + h}" stroke="#eee"/>`, `<text x="${X(10 ** e)}" y="${M.top + h + 16}" text-anchor="middle">${escapeHtml(String(+(10 ** e).toPrecision(3)))}</text>`);
  for (let e = y0; e <= y1; e++) parts.push(`<line x1="${M.left}" x2="${M.left + w}" y1="${Y(10 ** e)}" y2="${Y(10 ** e)}" stroke="#ddd"/>`, `<text x="${M.left - 6}" y="${Y(10 ** e) + 4}" text-anchor="end">${escapeHtml(formatFlops(10 ** e))}</text>`);
  parts.push(`<text x="${M.left + w / 2}" y="${height - 6}" text-anchor="middle">arithmetic intensity (FLOPs per HBM byte)</text>`);
  parts.push(`<text transform="translate(12 ${M.top + h / 2}) rotate(-90)" text-anchor="middle">FLOP/s reached</text>`);
  // each roof: the HBM slope up to the ridge, then flat at the peak
  r.peaks.forEach((p, i) => {
    const knee = p.flopsPerSec / r.hbmBytesPerSec;
    const from = 10 ** x0;
    const pts = [[from, from * r.hbmBytesPerSec], [knee, p.flopsPerSec], [10 ** x1, p.flopsPerSec]].map(([x, y]) => `${X(x)},${Y(y)}`).join(' ');
    parts.push(`<polyline class="roof" data-dtype="${p.dtype}" fill="none" stroke="${colourOf(p.dtype)}" stroke-width="1.5" points="${pts}"/>`);
    parts.push(`<text x="${X(10 ** x1) - 4}" y="${Y(p.flopsPerSec) - 4}" text-anchor="end" fill="${colourOf(p.dtype)}">${escapeHtml(`${p.dtype} peak ${formatFlops(p.flopsPerSec)}`)}</text>`);
    if (i === 0) parts.push(`<text x="${X(from) + 4}" y="${Y(from * r.hbmBytesPerSec) - 6}" fill="#555">${escapeHtml(`HBM ${(r.hbmBytesPerSec / 1e12).toPrecision(3)} TB/s`)}</text>`);
  });
  const total = r.kernels.reduce((s, k) => s + k.seconds, 0);
  r.kernels.forEach((k, i) => {
    if (!(reached[i] > 0)) return;
    const radius = px(3 + 14 * Math.sqrt(total > 0 ? k.seconds / total : 0));
    const x = Number.isFinite(ai[i]) ? X(ai[i]) : X(10 ** x1);
    const tip = `${k.name} (${k.dtype}) ×${k.count}: ${formatFlops(k.flops).replace('/s', '')} and ${formatBytes(k.bytes)} each, intensity ${Number.isFinite(ai[i]) ? +ai[i].toPrecision(3) : '∞'}, ${formatFlops(reached[i])}, ${(100 * (total > 0 ? k.seconds / total : 0)).toFixed(1)}% of kernel time`;
    parts.push(`<circle class="kernel" cx="${x}" cy="${Y(reached[i])}" r="${radius}" fill="${colourOf(k.dtype)}" fill-opacity="0.45" stroke="${colourOf(k.dtype)}"><title>${escapeHtml(tip)}</title></circle>`);
  });
  parts.push('</svg>');
  return parts.join('');
}
