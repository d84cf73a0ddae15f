// The layering rule of docs/architecture.md, enforced: every import in src/ points to the same
// folder or to a folder lower in LAYERS (so no folder cycle can exist), and files are read only
// in io/. The order here and the table in docs/architecture.md are the same list.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Lowest first: a folder may import from its own layer and those before it. */
export const LAYERS = ['core', 'engine', 'hardware', 'topology', 'graph', 'host', 'collective', 'workload', 'sim', 'report', 'sweep', 'io', 'scenario', 'parallel', 'cli'] as const;

/** Files outside io/ allowed to read files, and why. */
const READERS: Record<string, string> = {
  'engine/wasm-module.ts': 'loads the engine\'s own compiled WebAssembly binary',
};

const SRC = join(import.meta.dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** Relative module specifiers a file imports or re-exports (static, type-only and import() types). */
function importsOf(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)'(\.[^']+)'/g)) out.push(m[1]);
  return out;
}

/** The top folder of a path relative to src/ ('' for src/index.ts). */
const folderOf = (rel: string): string => (rel.includes('/') ? rel.slice(0, rel.indexOf('/')) : '');

export function layerViolations(files: { rel: string; text: string }[]): string[] {
  const rank = new Map<string, number>(LAYERS.map((l, i) => [l, i]));
  const out: string[] = [];
  for (const { rel, text } of files) {
    const from = folderOf(rel);
    if (from === '') continue; // the package entry exports every layer
    if (!rank.has(from)) out.push(`${rel}: folder ${from}/ is not in the layer list`);
    for (const spec of importsOf(text)) {
      const target = normalize(join(dirname(rel), spec));
      const to = folderOf(target);
      if (to === from) continue;
      if (!((rank.get(to) ?? Infinity) < (rank.get(from) ?? -1))) out.push(`${rel} imports ${target}: ${to || 'the package entry'} is not below ${from}`);
    }
  }
  return out;
}

function readAll(): { rel: string; text: string }[] {
  return sourceFiles(SRC).map((f) => ({ rel: relative(SRC, f).split('\\').join('/'), text: readFileSync(f, 'utf8') }));
}

describe('layers', () => {
  it('every import points to the same folder or a lower layer', () => {
    expect(layerViolations(readAll())).toEqual([]);
  });

  it('an upward import is caught (the check can fail)', () => {
    const files = [{ rel: 'engine/x.ts', text: "import { runDag } from '../sim/dag-runner.js';" }, { rel: 'sim/y.ts', text: "import type { FlowEngine } from '../engine/flow-engine.js';" }];
    expect(layerViolations(files)).toEqual(['engine/x.ts imports sim/dag-runner.js: sim is not below engine']);
  });

  it('files are read only in io/ (and the listed exceptions)', () => {
    const readers = readAll()
      .filter(({ rel, text }) => folderOf(rel) !== 'io' && !(rel in READERS) && /\b(readFileSync|readFile|createReadStream|readSync)\b/.test(text))
      .map((f) => f.rel);
    expect(readers).toEqual([]);
  });
});
