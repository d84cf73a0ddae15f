// Reading untyped documents (parsed JSON/YAML) into typed values with path-named errors: each
// getter records an issue and returns a fallback, so a validator reports every problem at once.
import type { IssueList } from '../core/errors.js';
import { parseQuantity, type Quantity } from '../core/units.js';

export type Doc = Record<string, unknown>;

export function isDoc(v: unknown): v is Doc {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export class FieldReader {
  constructor(readonly issues: IssueList) {}

  /** Flags keys that are not in `known` (typos would otherwise be ignored silently). */
  known(doc: Doc, path: string, known: readonly string[]): void {
    for (const k of Object.keys(doc))
      if (!known.includes(k)) this.issues.add(join(path, k), `unknown field; expected one of: ${known.join(', ')}`);
  }

  str(doc: Doc, key: string, path: string, fallback?: string): string | undefined {
    const v = doc[key];
    if (v === undefined) return fallback;
    if (typeof v === 'string' && v.length > 0) return v;
    this.issues.add(join(path, key), `must be a non-empty string, got ${JSON.stringify(v)}`);
    return fallback;
  }

  oneOf<T extends string>(doc: Doc, key: string, path: string, options: readonly T[], fallback: T): T {
    const v = doc[key];
    if (v === undefined) return fallback;
    if (typeof v === 'string' && (options as readonly string[]).includes(v)) return v as T;
    this.issues.add(join(path, key), `must be one of ${options.join(', ')}, got ${JSON.stringify(v)}`);
    return fallback;
  }

  bool(doc: Doc, key: string, path: string, fallback: boolean): boolean {
    const v = doc[key];
    if (v === undefined) return fallback;
    if (typeof v === 'boolean') return v;
    this.issues.add(join(path, key), `must be true or false, got ${JSON.stringify(v)}`);
    return fallback;
  }

  /** A whole number in [min, max]. */
  int(doc: Doc, key: string, path: string, min: number, max: number, fallback?: number): number | undefined {
    const v = doc[key];
    if (v === undefined) return fallback;
    if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) return v;
    this.issues.add(join(path, key), `must be a whole number from ${min} to ${max}, got ${JSON.stringify(v)}`);
    return fallback;
  }

  /** A quantity with units that must be > 0 (or ≥ 0 with allowZero). */
  quantity(doc: Doc, key: string, path: string, kind: Quantity, opts: { allowZero?: boolean; max?: number; maxLabel?: string } = {}): number | undefined {
    const v = doc[key];
    if (v === undefined) return undefined;
    const q = parseQuantity(v, kind);
    const p = join(path, key);
    if (typeof q === 'string') this.issues.add(p, q);
    else if (opts.allowZero ? q < 0 : q <= 0) this.issues.add(p, `must be ${opts.allowZero ? '≥ 0' : '> 0'}, got ${JSON.stringify(v)}`);
    else if (opts.max !== undefined && q > opts.max) this.issues.add(p, `must be at most ${opts.maxLabel ?? opts.max}, got ${JSON.stringify(v)}`);
    else return q;
    return undefined;
  }

  fraction(doc: Doc, key: string, path: string): number | undefined {
    const v = doc[key];
    if (v === undefined) return undefined;
    if (typeof v === 'number' && v > 0 && v <= 1) return v;
    this.issues.add(join(path, key), `must be a number in (0, 1], got ${JSON.stringify(v)}`);
    return undefined;
  }

  intList(doc: Doc, key: string, path: string, min: number, max: number): number[] | undefined {
    const v = doc[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) {
      this.issues.add(join(path, key), 'must be a list of whole numbers');
      return undefined;
    }
    const out: number[] = [];
    v.forEach((x, i) => {
      if (typeof x === 'number' && Number.isInteger(x) && x >= min && x <= max) out.push(x);
      else this.issues.add(`${join(path, key)}[${i}]`, `must be a whole number from ${min} to ${max}, got ${JSON.stringify(x)}`);
    });
    return out;
  }

  object(doc: Doc, key: string, path: string): Doc | undefined {
    const v = doc[key];
    if (v === undefined) return undefined;
    if (isDoc(v)) return v;
    this.issues.add(join(path, key), 'must be an object');
    return undefined;
  }

  list(doc: Doc, key: string, path: string): unknown[] {
    const v = doc[key];
    if (v === undefined) return [];
    if (Array.isArray(v)) return v;
    this.issues.add(join(path, key), 'must be a list');
    return [];
  }
}

export function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}
