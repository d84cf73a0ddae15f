// Reading the charts back: a spec's layer by name (its data and encodings, as Vega-Lite gets
// them) and, in vega's SVG, the items a named mark drew (each mark group's elements) with their
// tooltips, and an axis's tick labels.
import type { ChartSpec } from '../../src/report/chart-axis.js';

type Loose = any;

/** The layer named `name` (or the spec itself when it is one unnamed-layer chart of that name). */
export function layerOf(spec: ChartSpec, name: string): Loose {
  const s = spec as Loose;
  const found = s.name === name ? s : (s.layer ?? []).find((l: Loose) => l.name === name);
  if (!found) throw new Error(`no layer ${name} in the spec`);
  return found;
}

/** The data rows of layer `name` (its own data, else the spec's). */
export const rowsOf = (spec: ChartSpec, name: string): Loose[] => (layerOf(spec, name).data ?? (spec as Loose).data).values;

/** The elements vega drew for the mark named `name` (every group of it: a line mark draws a group per series). */
export function itemsOf(svg: string, name: string): string[] {
  const out: string[] = [];
  // an empty mark is one self-closed group
  for (const m of svg.matchAll(new RegExp(`<g class="mark-[a-z]+ role-mark ${name}_marks"[^>]*?(?:/>|>(.*?)</g>)`, 'g'))) out.push(...((m[1] ?? '').match(/<(path|rect|text|line)\b.*?(?:\/>|<\/\1>)/g) ?? []));
  return out;
}

/** The tooltips (<title>) of the mark named `name`, in drawing order. */
export const tooltipsOf = (svg: string, name: string): string[] => itemsOf(svg, name).map((e) => /<title>([^<]*)<\/title>/.exec(e)?.[1] ?? '');

/** The tick labels of each axis, in the order vega draws the axes (x before y in a plain chart). */
export function axisLabels(svg: string): string[][] {
  return [...svg.matchAll(/<g class="mark-text role-axis-label"[^>]*>(.*?)<\/g>/g)].map((m) => [...m[1].matchAll(/>([^<]*)<\/text>/g)].map((t) => t[1]));
}
