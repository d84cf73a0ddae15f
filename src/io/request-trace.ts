// Request traces (CSV): arrivals with prompt and output lengths. Two layouts, told apart by the
// header:
//   - the Azure LLM inference traces (2023; Patel et al., Splitwise, ISCA 2024; CC BY 4.0):
//     TIMESTAMP (YYYY-MM-DD HH:MM:SS.fffffff), ContextTokens, GeneratedTokens;
//   - fairway's own: arrival_s, input_tokens, output_tokens.
// Arrivals count from the first request; rows must be in time order.
import { FairwayError } from '../core/errors.js';
import type { RequestSpec } from '../workload/serving/serve-spec.js';
import { readInputText } from './read-text.js';

const AZURE = ['TIMESTAMP', 'ContextTokens', 'GeneratedTokens'];
const PLAIN = ['arrival_s', 'input_tokens', 'output_tokens'];

function fail(file: string, line: number, message: string): never {
  throw new FairwayError('E_INPUT', `${file}:${line}: ${message}`, [{ path: `${file}:${line}`, message }]);
}

/** Seconds of an Azure timestamp, from the Unix epoch (UTC, as the trace writes local time without a zone). */
function azureSeconds(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(text.trim());
  if (!m) return null;
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]) / 1000 + Number(m[6]);
}

function tokens(text: string, file: string, line: number, column: string): number {
  const v = Number(text);
  if (!Number.isInteger(v) || v < 0 || v > 10_000_000) fail(file, line, `${column} must be a whole number of tokens from 0 to 10,000,000, got ${JSON.stringify(text)}`);
  return v;
}

/** Parses a trace's text; `limit` keeps the first N requests. Requests with no prompt or no output are kept as 1 token (a request needs both). */
export function parseRequestTrace(text: string, file: string, limit = Infinity): RequestSpec[] {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((h) => h.trim());
  const azure = AZURE.every((h, i) => header[i] === h);
  if (!azure && !PLAIN.every((h, i) => header[i] === h)) fail(file, 1, `unknown header; expected "${AZURE.join(',')}" (Azure LLM inference trace) or "${PLAIN.join(',')}"`);
  const out: RequestSpec[] = [];
  let first = NaN;
  let last = -Infinity;
  for (let i = 1; i < lines.length && out.length < limit; i++) {
    if (lines[i].trim() === '') continue;
    const cells = lines[i].split(',');
    if (cells.length !== 3) fail(file, i + 1, `expected 3 columns, got ${cells.length}`);
    const t = azure ? azureSeconds(cells[0]) : Number(cells[0]);
    if (t === null || !Number.isFinite(t)) fail(file, i + 1, `cannot read the arrival ${JSON.stringify(cells[0])}`);
    if (t < last) fail(file, i + 1, 'arrivals must be in time order');
    last = t;
    if (Number.isNaN(first)) first = t;
    const input = Math.max(1, tokens(cells[1], file, i + 1, header[1]));
    const output = Math.max(1, tokens(cells[2], file, i + 1, header[2]));
    out.push({ arrivalSec: t - first, input, output });
  }
  if (out.length === 0) fail(file, 2, 'no requests');
  return out;
}

export function readRequestTrace(file: string, option: string, limit?: number): RequestSpec[] {
  return parseRequestTrace(readInputText(file, option), file, limit);
}
