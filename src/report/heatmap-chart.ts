// A heat map as deterministic SVG: a cell per (column, row) value pair coloured from green (the
// best: the least value for times, the largest where higher is better, e.g. goodput) to red (the
// worst), its value written in it, the best cell outlined and starred; cells without a value are
// left grey.
import { escapeHtml } from './svg-charts.js';

export interface HeatMap {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly xs: readonly string[];
  readonly ys: readonly string[];
  /** values[y][x]; undefined where no point has that pair (or it failed). */
  readonly values: readonly (readonly (number | undefined)[])[];
  /** The cell to outline as the best, [x, y]. */
  readonly best?: readonly [number, number];
  /** Which end is green: 'lower' (the default: times) or 'higher' (rates such as goodput). */
  readonly better?: 'lower' | 'higher';
}

const CELL_W = 96, CELL_H = 26, LABEL = 150, TOP = 40;

/** Green → yellow → red by the value's place between lo and hi (reversed where higher is better). */
function colour(v: number, lo: number, hi: number, higher: boolean): string {
  const place = hi > lo ? (v - lo) / (hi - lo) : 0;
  const t = higher && hi > lo ? 1 - place : place;
  const [r, g] = t < 0.5 ? [Math.round(90 + 330 * t), 190] : [255, Math.round(190 - 250 * (t - 0.5))];
  return `rgb(${Math.min(255, r)},${Math.max(60, g)},90)`;
}

export function heatMapChart(m: HeatMap, format: (v: number) => string): string {
  const width = LABEL + m.xs.length * CELL_W + 16;
  const height = TOP + m.ys.length * CELL_H + 40;
  const all = m.values.flat().filter((v): v is number => v !== undefined && Number.isFinite(v));
  const lo = all.reduce((a, b) => Math.min(a, b), Infinity), hi = all.reduce((a, b) => Math.max(a, b), -Infinity);
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" class="heatmap" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`];
  parts.push(`<text x="${LABEL}" y="14" font-weight="bold">${escapeHtml(m.title)}</text>`);
  m.xs.forEach((x, i) => parts.push(`<text x="${LABEL + i * CELL_W + CELL_W / 2}" y="${TOP - 6}" text-anchor="middle">${escapeHtml(x)}</text>`));
  parts.push(`<text x="${LABEL + (m.xs.length * CELL_W) / 2}" y="${height - 8}" text-anchor="middle">${escapeHtml(m.xLabel)}</text>`);
  parts.push(`<text x="8" y="${TOP - 6}">${escapeHtml(m.yLabel)}</text>`);
  m.ys.forEach((y, j) => {
    const top = TOP + j * CELL_H;
    parts.push(`<text x="${LABEL - 6}" y="${top + 17}" text-anchor="end">${escapeHtml(y)}</text>`);
    m.xs.forEach((x, i) => {
      const v = m.values[j]?.[i];
      const left = LABEL + i * CELL_W;
      const has = v !== undefined && Number.isFinite(v);
      const best = m.best !== undefined && m.best[0] === i && m.best[1] === j;
      const tip = has ? `${m.yLabel} ${y}, ${m.xLabel} ${x}: ${format(v)}${best ? ' (best)' : ''}` : `${m.yLabel} ${y}, ${m.xLabel} ${x}: no result`;
      parts.push(`<rect class="cell" x="${left + 1}" y="${top + 1}" width="${CELL_W - 2}" height="${CELL_H - 2}" fill="${has ? colour(v, lo, hi, m.better === 'higher') : '#eee'}"${best ? ' stroke="#000" stroke-width="2.5"' : ''}><title>${escapeHtml(tip)}</title></rect>`);
      if (has) parts.push(`<text x="${left + CELL_W / 2}" y="${top + 17}" text-anchor="middle"${best ? ' font-weight="bold"' : ''}>${escapeHtml((best ? '★ ' : '') + format(v))}</text>`);
    });
  });
  parts.push('</svg>');
  return parts.join('');
}
