// Seeded mutations of input files, for the fuzz suite: byte-level (flips, insertions, deletions,
// truncation, duplicated ranges, hostile tokens) and structural on JSON/YAML documents (deleted
// fields, swapped types, extreme and non-finite values, duplicated array items, cross-wired
// values, prototype-named keys, deep nesting) and on line-oriented text (deleted, duplicated
// and swapped lines and fields). Every mutant is a pure function of (seed file, seed number), so
// a failure names the number that reproduces it.
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { SeededRandom } from '../../src/core/random.js';

export type Format = 'json' | 'yaml' | 'lines' | 'bytes';

export interface Mutant {
  readonly data: string | Uint8Array;
  /** What was done, for the failure report. */
  readonly how: string;
}

/** Values a field is set to: zero, negative, tiny, huge, non-finite, wrong types, long, prototype names. */
const EXTREMES: readonly unknown[] = [0, -1, -0.5, 1e-300, 1e300, -1e300, 2 ** 53, 2 ** 31, Number.NaN, Number.POSITIVE_INFINITY, '', 'x'.repeat(2000), null, true, [], {}, '__proto__', 'constructor', '1e309', '-0', '0x10', '8Z'];
const TOKENS: readonly string[] = ['null', '-1', '1e309', 'NaN', '"', "'", '{', '}', '[', ']', ':', ',', '\n', '\u0000', '\uFEFF', '&a', '*a', '!!binary', '#', '\t', '\\'];

const pick = <T>(rng: SeededRandom, xs: readonly T[]): T => xs[rng.int(xs.length)];

/** Every path (keys and indexes) to a value in `doc`, the root excluded. */
function paths(doc: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (out.length > 5000) return out;
  if (Array.isArray(doc)) doc.forEach((v, i) => (out.push([...at, i]), paths(v, [...at, i], out)));
  else if (doc !== null && typeof doc === 'object') for (const [k, v] of Object.entries(doc)) out.push([...at, k]), paths(v, [...at, k], out);
  return out;
}

function parentOf(doc: unknown, path: (string | number)[]): Record<string | number, unknown> {
  let x = doc as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) x = x[k] as Record<string | number, unknown>;
  return x;
}

function nested(depth: number, inner: unknown): unknown {
  let v = inner;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

/** One structural change to a parsed document (mutated in place); what it did. */
function mutateDoc(rng: SeededRandom, doc: unknown): string {
  const all = paths(doc);
  if (all.length === 0) return 'empty document kept';
  const path = pick(rng, all);
  const parent = parentOf(doc, path);
  const key = path[path.length - 1];
  const where = path.join('.');
  switch (rng.int(7)) {
    case 0:
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
      return `deleted ${where}`;
    case 1: {
      const v = pick(rng, EXTREMES);
      parent[key] = Array.isArray(v) ? [] : v !== null && typeof v === 'object' ? {} : v;
      return `set ${where} = ${String(v).slice(0, 20)}`;
    }
    case 2: {
      const v = parent[key];
      parent[key] = typeof v === 'number' ? String(v) : typeof v === 'string' ? Number(v.length) : Array.isArray(v) ? { ...v } : v !== null && typeof v === 'object' ? Object.values(v) : [v];
      return `swapped the type of ${where}`;
    }
    case 3: {
      const arr = all.filter((p) => Array.isArray(parentOf(doc, p)));
      if (arr.length === 0) return 'no array to duplicate in';
      const p = pick(rng, arr);
      const a = parentOf(doc, p) as unknown as unknown[];
      a.splice(p[p.length - 1] as number, 0, structuredClone(a[p[p.length - 1] as number]));
      return `duplicated ${p.join('.')}`;
    }
    case 4: {
      const other = pick(rng, all);
      parent[key] = structuredClone(parentOf(doc, other)[other[other.length - 1]]);
      return `cross-wired ${where} := ${other.join('.')}`;
    }
    case 5:
      if (Array.isArray(parent)) parent.push({ __proto__: 1, constructor: 2 });
      else Object.defineProperty(parent, pick(rng, ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'x-unknown']), { value: parent[key], enumerable: true, configurable: true, writable: true });
      return `added a prototype-named key beside ${where}`;
    default:
      parent[key] = nested(rng.int(2) ? 80 : 8, parent[key]);
      return `nested ${where} deeply`;
  }
}

function mutateBytes(rng: SeededRandom, bytes: Uint8Array): Mutant {
  const b = Array.from(bytes);
  const at = rng.int(b.length + 1);
  switch (rng.int(6)) {
    case 0:
      for (let k = 1 + rng.int(4); k > 0 && b.length; k--) b[rng.int(b.length)] ^= 1 << rng.int(8);
      return { data: Uint8Array.from(b), how: 'flipped bits' };
    case 1:
      b.splice(at, 0, ...Array.from({ length: 1 + rng.int(16) }, () => rng.int(256)));
      return { data: Uint8Array.from(b), how: `inserted bytes at ${at}` };
    case 2:
      b.splice(at, 1 + rng.int(64));
      return { data: Uint8Array.from(b), how: `deleted bytes at ${at}` };
    case 3:
      return { data: Uint8Array.from(b.slice(0, at)), how: `truncated at ${at}` };
    case 4: {
      const len = 1 + rng.int(256);
      b.splice(at, 0, ...b.slice(Math.max(0, at - len), at));
      return { data: Uint8Array.from(b), how: `duplicated ${len} bytes at ${at}` };
    }
    default: {
      const t = Buffer.from(pick(rng, TOKENS));
      b.splice(at, rng.int(4), ...t);
      return { data: Uint8Array.from(b), how: `token ${JSON.stringify(t.toString())} at ${at}` };
    }
  }
}

function mutateLines(rng: SeededRandom, text: string): Mutant {
  const lines = text.split('\n');
  const i = rng.int(lines.length);
  switch (rng.int(5)) {
    case 0:
      lines.splice(i, 1);
      return { data: lines.join('\n'), how: `deleted line ${i + 1}` };
    case 1:
      lines.splice(i, 0, lines[i]);
      return { data: lines.join('\n'), how: `duplicated line ${i + 1}` };
    case 2: {
      const j = rng.int(lines.length);
      [lines[i], lines[j]] = [lines[j], lines[i]];
      return { data: lines.join('\n'), how: `swapped lines ${i + 1} and ${j + 1}` };
    }
    default: {
      const sep = lines[i].includes('\t') ? '\t' : lines[i].includes(',') ? ',' : ' ';
      const f = lines[i].split(sep);
      const k = rng.int(f.length);
      f[k] = String(pick(rng, EXTREMES)).slice(0, 64);
      lines[i] = f.join(sep);
      return { data: lines.join('\n'), how: `line ${i + 1} field ${k + 1} = ${f[k].slice(0, 20)}` };
    }
  }
}

/** Mutant number `n` of `seed` (a file of `format`): half structural where the format has structure, half byte-level. */
export function mutate(seed: string | Uint8Array, format: Format, n: number): Mutant {
  const rng = new SeededRandom(0x5eed ^ (n * 2654435761));
  const bytes = typeof seed === 'string' ? Buffer.from(seed) : seed;
  const structural = format !== 'bytes' && rng.int(2) === 0;
  if (!structural) {
    const m = mutateBytes(rng, bytes);
    return typeof seed === 'string' ? { data: Buffer.from(m.data).toString('utf8'), how: m.how } : m;
  }
  const text = String(seed);
  if (format === 'lines') return mutateLines(rng, text);
  const doc = format === 'json' ? JSON.parse(text) : parseYaml(text);
  const steps = 1 + rng.int(3);
  const how: string[] = [];
  for (let k = 0; k < steps; k++) how.push(mutateDoc(rng, doc));
  const data = format === 'json' ? JSON.stringify(doc) ?? 'null' : stringifyYaml(doc, { aliasDuplicateObjects: false });
  return { data, how: how.join('; ') };
}
