// A chart spec (Vega-Lite) rendered to static SVG text by vega, headless: no DOM, no canvas, no
// network, so the HTML reports inline it and the playground page draws the same spec. Vega's
// string renderer writes each mark's `description` as its aria-label; a mark that has one also
// gets it as a <title>, the tooltip a browser shows on hover (with the value and its unit).
// Deterministic: the same spec gives the same bytes. Vega numbers its clip paths and gradients
// from a counter it keeps for the whole process; each chart's are renumbered from 1 in the order
// they appear, and a page with several charts gives each its own prefix (scopeIds).
import type { ChartSpec } from './chart-axis.js';

/** vega and Vega-Lite, loaded with the first chart: a command that draws none does not pay the ~150 ms of loading them. */
let packages: Promise<[typeof import('vega'), typeof import('vega-lite')]> | undefined;
const chartPackages = () => (packages ??= Promise.all([import('vega'), import('vega-lite')]));

/** A mark's self-closing element with an aria-label (its description): the label also as the element's <title>. */
const LABELLED_MARK = /<(path|rect|line|text) aria-label="([^"]*)" (role="graphics-symbol"[^>]*?)\/>/g;

/** Each labelled mark's description as its hover tooltip, a <title> child (the text is already escaped for an attribute, so for text too). */
export function withTooltips(svg: string): string {
  return svg.replace(LABELLED_MARK, (_m, tag: string, label: string, rest: string) => `<${tag} ${rest}><title>${label}</title></${tag}>`);
}

/** An element id vega made (clip3, gradient_12) where it is defined or referred to. */
const VEGA_ID = /(id="|url\(#)([a-z]+_?)(\d+)/g;

/** Vega's ids renumbered from 1 in the order they first appear, so the text does not depend on what was rendered before. */
export function localIds(svg: string): string {
  const ids = new Map<string, number>();
  return svg.replace(VEGA_ID, (_m, at: string, kind: string, n: string) => {
    if (!ids.has(kind + n)) ids.set(kind + n, ids.size + 1);
    return `${at}${kind}${ids.get(kind + n)}`;
  });
}

/** The chart's ids prefixed with `prefix`, so several charts inline in one page do not share one. */
export function scopeIds(svg: string, prefix: string): string {
  return svg.replace(VEGA_ID, (_m, at: string, kind: string, n: string) => `${at}${prefix}-${kind}${n}`);
}

/** The spec compiled to Vega and rendered to an SVG document's text. */
export async function renderChart(spec: ChartSpec): Promise<string> {
  const [{ parse, View }, { compile }] = await chartPackages();
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return localIds(withTooltips(await view.toSVG()));
  } finally {
    view.finalize();
  }
}
