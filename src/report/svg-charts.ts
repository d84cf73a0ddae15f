// Small, dependency-free SVG charts for the HTML reports: a line chart on a log₂ x axis (sizes,
// latencies) or a linear one (time), its y linear from 0 or log₁₀, and horizontal stacked bars
// (time breakdowns) with an axis.
// Output is deterministic text: the same data gives the same bytes. Coordinates are rounded to
// 0.1 px.

const PALETTE = ['#4e79a7', '#e15759', '#f28e2b', '#76b7b2', '#bab0ac', '#59a14f', '#edc948', '#b07aa1'];

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const px = (x: number) => Math.round(x * 10) / 10;

export interface Series {
  readonly name: string;
  /** Points (x > 0 on the log axis, y ≥ 0). */
  readonly points: readonly (readonly [number, number])[];
  /** 'bold': a thick line (the choice among alternatives); 'dashed': a thin dashed line without point marks (an alternative). */
  readonly style?: 'bold' | 'dashed';
}

export interface LineChartOptions {
  readonly width?: number;
  readonly height?: number;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly xTick?: (x: number) => string;
  /** A log₁₀ y axis (one tick per decade, labelled by yTick) instead of a linear one from 0; points with y ≤ 0 are left out. */
  readonly yLog?: boolean;
  readonly yTick?: (y: number) => string;
  /** 'linear': x from 0 to a round maximum in 5 steps (time), instead of log₂ with a tick per power of 4. */
  readonly xScale?: 'log2' | 'linear';
}

const MARGIN = { left: 64, right: 16, top: 16, bottom: 44 };

/** Lines over a log₂ (or linear) x axis and a linear (or log₁₀) y axis; one tick per power of 4 on a log x, 5 on linear axes. Points with x ≤ 0 on a log axis (x < 0 on a linear one) or a non-finite value are left out. */
export function lineChart(allSeries: readonly Series[], o: LineChartOptions): string {
  const width = o.width ?? 720;
  const height = o.height ?? 320;
  const series = allSeries.map((s) => ({ name: s.name, style: s.style, points: s.points.filter(([x, y]) => (o.xScale === 'linear' ? x >= 0 : x > 0) && Number.isFinite(x) && Number.isFinite(y) && (!o.yLog || y > 0)) })).filter((s) => s.points.length > 0);
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="40"><text x="8" y="24" font-family="sans-serif" font-size="12">no data to plot</text></svg>`;
  const w = width - MARGIN.left - MARGIN.right;
  const h = height - MARGIN.top - MARGIN.bottom;
  const { X, ticks: xTicks } = xAxis(all.map(([x]) => x), w, o.xScale === 'linear');
  const { Y, ticks } = yAxis(all.map(([, y]) => y), h, o.yLog === true);
  const parts: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`];
  for (const y of ticks) parts.push(`<line x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${Y(y)}" y2="${Y(y)}" stroke="#ddd"/>`, `<text x="${MARGIN.left - 6}" y="${Y(y) + 4}" text-anchor="end">${escapeHtml((o.yTick ?? ((v: number) => String(+v.toPrecision(3))))(y))}</text>`);
  for (const t of xTicks) {
    const x = X(t);
    parts.push(`<line x1="${x}" x2="${x}" y1="${MARGIN.top}" y2="${MARGIN.top + h}" stroke="#eee"/>`, `<text x="${x}" y="${MARGIN.top + h + 16}" text-anchor="middle">${escapeHtml((o.xTick ?? String)(t))}</text>`);
  }
  parts.push(`<text x="${MARGIN.left + w / 2}" y="${height - 6}" text-anchor="middle">${escapeHtml(o.xLabel)}</text>`);
  parts.push(`<text transform="translate(14 ${MARGIN.top + h / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(o.yLabel)}</text>`);
  series.forEach((s, i) => {
    const colour = PALETTE[i % PALETTE.length];
    const stroke = s.style === 'bold' ? 'stroke-width="3.5"' : s.style === 'dashed' ? 'stroke-width="1.5" stroke-dasharray="5 3"' : 'stroke-width="2"';
    parts.push(`<polyline class="series" data-name="${escapeHtml(s.name)}" fill="none" stroke="${colour}" ${stroke} points="${s.points.map(([x, y]) => `${X(x)},${Y(y)}`).join(' ')}"/>`);
    if (s.style !== 'dashed') for (const [x, y] of s.points) parts.push(`<circle cx="${X(x)}" cy="${Y(y)}" r="2.5" fill="${colour}"><title>${escapeHtml(`${s.name}: ${(o.xTick ?? String)(x)}, ${+y.toPrecision(4)}`)}</title></circle>`);
    parts.push(`<text x="${MARGIN.left + 8}" y="${MARGIN.top + 12 + 14 * i}" fill="${colour}">${escapeHtml(s.name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

/** The x scale (pixel of a value) and its ticks: log₂ over whole powers of 2, a tick every power of 4 (of 2 over fewer than 4 powers); or linear from 0 to a round maximum in 5 steps. */
function xAxis(xs: readonly number[], w: number, linear: boolean): { X: (x: number) => number; ticks: number[] } {
  if (linear) {
    const x1 = niceMax(xs.reduce((a, x) => Math.max(a, x), 0));
    return { X: (x) => px(MARGIN.left + (x / x1) * w), ticks: [0, 1, 2, 3, 4, 5].map((k) => (x1 * k) / 5) };
  }
  const logs = xs.map((x) => Math.log2(x));
  const x0 = Math.floor(logs.reduce((a, b) => Math.min(a, b), Infinity));
  const x1 = Math.max(Math.ceil(logs.reduce((a, b) => Math.max(a, b), -Infinity)), x0 + 1);
  // a tick every power of 4, or of 2 where that would give fewer than 3
  const every = x1 - x0 >= 4 ? 2 : 1;
  const ticks: number[] = [];
  for (let e = Math.ceil(x0 / every) * every; e <= x1; e += every) ticks.push(2 ** e);
  return { X: (x) => px(MARGIN.left + ((Math.log2(x) - x0) / (x1 - x0)) * w), ticks };
}

/** The y scale (pixel of a value) and its ticks: linear from 0 to a round maximum in 5 steps, or log₁₀ over whole decades. */
function yAxis(ys: readonly number[], h: number, log: boolean): { Y: (y: number) => number; ticks: number[] } {
  if (!log) {
    const y1 = niceMax(ys.reduce((a, y) => Math.max(a, y), 0));
    return { Y: (y) => px(MARGIN.top + h - (y / y1) * h), ticks: [0, 1, 2, 3, 4, 5].map((k) => (y1 * k) / 5) };
  }
  const lo = Math.floor(Math.log10(ys.reduce((a, y) => Math.min(a, y), Infinity)));
  const hi = Math.max(Math.ceil(Math.log10(ys.reduce((a, y) => Math.max(a, y), 0))), lo + 1);
  return { Y: (y) => px(MARGIN.top + h - ((Math.log10(y) - lo) / (hi - lo)) * h), ticks: Array.from({ length: hi - lo + 1 }, (_, k) => 10 ** (lo + k)) };
}

/** The smallest of 1, 2, 5 × 10^k at or above `v` (a round axis end); 1 for 0. */
export function niceMax(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 5, 10].map((m) => m * p).find((m) => m >= v * (1 - 1e-12))!;
}

export interface StackedRow {
  readonly label: string;
  /** One value per key, in the keys' order (seconds, bytes, …). */
  readonly values: readonly number[];
}

/** Room right of the bars for each row's total. */
const VALUE_COLUMN = 64;

/**
 * One horizontal bar per row, its segments in key order, scaled so the longest row fills the
 * width between the `label` column and the totals column; each row's total at its end, and an
 * axis below with round ticks (1, 2 or 5 × 10^k of the unit) and grid lines.
 */
export function stackedBars(keys: readonly string[], rows: readonly StackedRow[], unit: (v: number) => string, width = 720, label = 110): string {
  const barH = 16, gap = 6, legend = 22, axis = 26;
  const plotH = rows.length * (barH + gap);
  const height = legend + plotH + axis;
  const sums = rows.map((r) => r.values.reduce((a, b) => a + (b > 0 ? b : 0), 0));
  const total = sums.reduce((m, v) => Math.max(m, v), 0);
  const scale = total > 0 ? (width - label - VALUE_COLUMN) / total : 0;
  const parts: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`];
  let lx = label;
  keys.forEach((k, i) => {
    parts.push(`<rect x="${lx}" y="4" width="10" height="10" fill="${PALETTE[i % PALETTE.length]}"/><text x="${lx + 14}" y="13">${escapeHtml(k)}</text>`);
    lx += 24 + 7 * k.length;
  });
  if (total > 0) {
    const step = niceMax(total / 5);
    for (let t = 0; t <= total * (1 + 1e-9); t += step) {
      const x = px(label + t * scale);
      parts.push(`<line class="tick" x1="${x}" x2="${x}" y1="${legend - 2}" y2="${legend + plotH}" stroke="#e4e4e4"/>`, `<text x="${x}" y="${legend + plotH + 14}" text-anchor="middle">${t === 0 ? '0' : escapeHtml(unit(t))}</text>`);
    }
  }
  rows.forEach((r, j) => {
    const y = legend + j * (barH + gap);
    parts.push(`<text x="${label - 6}" y="${y + 12}" text-anchor="end">${escapeHtml(r.label)}</text>`);
    let x = label;
    r.values.forEach((v, i) => {
      if (!(v > 0)) return;
      parts.push(`<rect class="segment" data-key="${escapeHtml(keys[i])}" x="${px(x)}" y="${y}" width="${px(v * scale)}" height="${barH}" fill="${PALETTE[i % PALETTE.length]}"><title>${escapeHtml(`${r.label} ${keys[i]}: ${unit(v)}`)}</title></rect>`);
      x += v * scale;
    });
    parts.push(`<text class="total" x="${px(x + 4)}" y="${y + 12}">${escapeHtml(unit(sums[j]))}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}
