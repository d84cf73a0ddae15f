// The cases `npm run validate` finds more than 20% from a published measurement, each with the
// reason test/fixtures/published/notes/known-gaps.yaml gives for it: what fairway does not model,
// or what is wrong with the measurement. Rows of one case over 20% are shown as one line per run
// of consecutive sizes.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';

export const GAP_THRESHOLD_PCT = 20;

export interface Gap {
  readonly fixture: string;
  readonly case: string;
  /** Inclusive byte range; absent: every size. */
  readonly sizes?: readonly [number, number];
  readonly reason: string;
}

/** The gaps file: a list under `gaps`, each with fixture, case ("*" = any), optional sizes and a reason. */
export function loadGaps(file: string): Gap[] {
  const doc = parseYaml(readFileSync(file, 'utf8')) as { gaps?: unknown };
  if (!doc || !Array.isArray(doc.gaps)) throw new Error(`${file}: gaps: a list of {fixture, case, sizes?, reason}`);
  return doc.gaps.map((g: Record<string, unknown>, i: number) => {
    const ok = typeof g.fixture === 'string' && typeof g.case === 'string' && typeof g.reason === 'string';
    const sizes = g.sizes;
    if (!ok || (sizes !== undefined && !(Array.isArray(sizes) && sizes.length === 2 && sizes.every((x) => typeof x === 'number'))))
      throw new Error(`${file}: gaps[${i}]: fixture, case and reason are strings; sizes, if given, [from, to] in bytes`);
    return g as unknown as Gap;
  });
}

/** The first gap that covers (fixture, case, size); size undefined (a training or serving case): gaps without sizes only. */
export function reasonFor(gaps: readonly Gap[], fixture: string, caseId: string, size?: number): string | undefined {
  return gaps.find((g) => g.fixture === fixture && (g.case === '*' || g.case === caseId) && (g.sizes === undefined || (size !== undefined && size >= g.sizes[0] && size <= g.sizes[1])))?.reason;
}

export interface GapRow {
  readonly fixture: string;
  readonly case: string;
  readonly sizeBytes?: number;
  readonly errorPct: number;
  /** Shown instead of the case id (a serving case's metric). */
  readonly label?: string;
}

export interface GapLine {
  readonly name: string;
  /** First and last size of the run (bytes), absent for a case without sizes. */
  readonly from?: number;
  readonly to?: number;
  readonly rows: number;
  readonly worstPct: number;
  readonly reason: string;
}

/**
 * Rows over the threshold, grouped into runs: consecutive rows (in the given order) of one case
 * over the threshold with the same reason make one line. `all` must be sorted by case, then size.
 */
export function gapLines(all: readonly GapRow[], gaps: readonly Gap[]): GapLine[] {
  const lines: GapLine[] = [];
  let open: { name: string; from?: number; to?: number; rows: number; worstPct: number; reason: string } | null = null;
  for (const r of all) {
    const name = `${r.fixture} / ${r.label ?? r.case}`;
    const over = Math.abs(r.errorPct) > GAP_THRESHOLD_PCT;
    const reason = reasonFor(gaps, r.fixture, r.case, r.sizeBytes) ?? 'no reason recorded';
    if (open && (!over || open.name !== name || open.reason !== reason)) {
      lines.push(open);
      open = null;
    }
    if (!over) continue;
    if (open === null) open = { name, from: r.sizeBytes, to: r.sizeBytes, rows: 0, worstPct: r.errorPct, reason };
    open.to = r.sizeBytes;
    open.rows++;
    if (Math.abs(r.errorPct) > Math.abs(open.worstPct)) open.worstPct = r.errorPct;
  }
  if (open) lines.push(open);
  return lines;
}
