// Sweep results: one record per point, kept in point order. Files are a msgpack stream (one
// map per record, concatenated, read with msgpackr's unpackMultiple) or CSV (a header, then a
// row per record). Both round-trip: a file read back and written again is byte-identical, which
// is what resuming and merging rely on.
import { extname } from 'node:path';
import { Packr, unpackMultiple } from 'msgpackr';
import { FairwayError } from '../core/errors.js';

/** What a point's run gives: flat named numbers and strings (a table row). */
export type Metrics = Record<string, number | string>;

export interface SweepRecord {
  readonly index: number;
  /** The point's overrides, path → value. */
  readonly point: Record<string, unknown>;
  readonly ok: boolean;
  readonly error?: string;
  readonly metrics?: Metrics;
}

export type ResultFormat = 'msgpack' | 'csv';

const packr = new Packr({ useRecords: false });

export function formatOf(file: string): ResultFormat {
  const ext = extname(file).toLowerCase();
  if (ext === '.msgpack' || ext === '.mpk') return 'msgpack';
  if (ext === '.csv') return 'csv';
  throw new FairwayError('E_INPUT', `${file}: results files end in .msgpack or .csv`, [{ path: '--out', message: `unknown extension "${ext}"` }]);
}

export function packRecord(r: SweepRecord): Uint8Array {
  return packr.pack(r);
}

export function unpackRecords(bytes: Uint8Array): SweepRecord[] {
  return bytes.length === 0 ? [] : (unpackMultiple(bytes) as SweepRecord[]);
}

export function encodeRecords(records: readonly SweepRecord[], format: ResultFormat): Uint8Array | string {
  if (format === 'msgpack') return Buffer.concat(records.map((r) => packRecord(r)));
  return toCsv(records);
}

export function decodeRecords(data: Buffer, format: ResultFormat, file: string): SweepRecord[] {
  let records: unknown[];
  try {
    records = format === 'msgpack' ? unpackRecords(data) : fromCsv(data.toString('utf8'));
  } catch (e) {
    throw new FairwayError('E_INPUT', `${file}: not a fairway sweep results file (${(e as Error).message})`, [{ path: file, message: 'unreadable results' }]);
  }
  const bad = records.findIndex((r) => !isRecord(r));
  if (bad >= 0) throw new FairwayError('E_INPUT', `${file}: not a fairway sweep results file (record ${bad} is not {index, point, ok})`, [{ path: file, message: 'unreadable results' }]);
  return records as SweepRecord[];
}

/** Whether a decoded value has a record's shape: a whole index, the point's overrides, ok. */
export function isRecord(r: unknown): r is SweepRecord {
  if (typeof r !== 'object' || r === null) return false;
  const x = r as Record<string, unknown>;
  return Number.isInteger(x.index) && typeof x.point === 'object' && x.point !== null && !Array.isArray(x.point) && typeof x.ok === 'boolean';
}

/** Records sorted by index; a point present twice must have the same overrides (else the files are from different sweeps). */
export function mergeRecords(lists: readonly (readonly SweepRecord[])[], what: string): SweepRecord[] {
  const byIndex = new Map<number, SweepRecord>();
  for (const list of lists)
    for (const r of list) {
      const seen = byIndex.get(r.index);
      if (seen && JSON.stringify(pointKey(seen.point)) !== JSON.stringify(pointKey(r.point)))
        throw new FairwayError('E_INPUT', `${what}: point ${r.index} has different overrides in two inputs; they come from different sweeps`, [{ path: `point ${r.index}`, message: 'mismatched overrides' }]);
      if (!seen || (!seen.ok && r.ok)) byIndex.set(r.index, r);
    }
  return [...byIndex.values()].sort((a, b) => a.index - b.index);
}

/**
 * Overrides compared as text, so CSV-read values (strings) match their originals, and in key
 * order, so a point that lists its keys in another order than the CSV's columns is the same
 * point (issue 19, item 12).
 */
export function pointKey(point: Record<string, unknown>): [string, string][] {
  return Object.entries(point)
    .map(([k, v]): [string, string] => [k, cell(v)])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

const cell = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
const quote = (s: string): string => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

function columns(records: readonly SweepRecord[]): { paths: string[]; metrics: string[] } {
  const paths: string[] = [];
  const metrics: string[] = [];
  for (const r of records) {
    for (const p of Object.keys(r.point)) if (!paths.includes(p)) paths.push(p);
    for (const m of Object.keys(r.metrics ?? {})) if (!metrics.includes(m)) metrics.push(m);
  }
  return { paths, metrics };
}

function toCsv(records: readonly SweepRecord[]): string {
  const { paths, metrics } = columns(records);
  const lines = [['index', ...paths.map((p) => `set:${p}`), 'status', ...metrics, 'error'].map(quote).join(',')];
  for (const r of records)
    lines.push([String(r.index), ...paths.map((p) => cell(r.point[p])), r.ok ? 'ok' : 'failed', ...metrics.map((m) => cell(r.metrics?.[m])), r.error ?? ''].map(quote).join(','));
  return `${lines.join('\n')}\n`;
}

function parseCsvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\n') row.push(field), rows.push(row), (row = []), (field = '');
    else if (c !== '\r') field += c;
  }
  if (field !== '' || row.length > 0) row.push(field), rows.push(row);
  return rows;
}

/** A CSV cell as the value it was written from: numbers and booleans come back typed when they print the same. */
function typed(cellText: string): unknown {
  if (cellText === 'true' || cellText === 'false') return cellText === 'true';
  const x = Number(cellText);
  return cellText !== '' && Number.isFinite(x) && String(x) === cellText ? x : cellText;
}

function fromCsv(text: string): SweepRecord[] {
  const rows = parseCsvRows(text);
  if (rows.length === 0) return [];
  const header = rows[0];
  const status = header.indexOf('status');
  if (header[0] !== 'index' || status < 0 || header[header.length - 1] !== 'error') throw new Error('the header must read index, set:…, status, …, error');
  return rows.slice(1).map((cells, line) => {
    if (cells.length !== header.length) throw new Error(`row ${line + 2} has ${cells.length} cells, the header ${header.length}`);
    const point: Record<string, unknown> = {};
    for (let c = 1; c < status; c++) if (cells[c] !== '') point[header[c].replace(/^set:/, '')] = typed(cells[c]);
    const ok = cells[status] === 'ok';
    const metrics: Metrics = {};
    for (let c = status + 1; c < header.length - 1; c++) if (cells[c] !== '') metrics[header[c]] = typed(cells[c]) as number | string;
    const index = Number(cells[0]);
    if (!Number.isInteger(index) || index < 0) throw new Error(`row ${line + 2}: index "${cells[0]}" is not a point number`);
    return ok ? { index, point, ok, metrics } : { index, point, ok, error: cells[header.length - 1] };
  });
}
