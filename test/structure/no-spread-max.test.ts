// No Math.max(...xs) / Math.min(...xs) in src/: a spread passes every element as an argument, and
// past about 120 k elements V8 throws "Maximum call stack size exceeded" (a 100-rank-per-k²
// fat-tree's 250 k NICs did, in `fairway topo fat-tree:k=100`, and so would a 100,000-rank
// communicator's node map). A reduce has no such limit.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const SPREAD = /Math\.(max|min)\([^()]*\.\.\./;

describe('no argument spreads into Math.max / Math.min', () => {
  test('src/ has none (use a reduce)', () => {
    const files = readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    const hits = files.flatMap((f) =>
      readFileSync(join(root, 'src', f), 'utf8')
        .split('\n')
        .flatMap((line, i) => (SPREAD.test(line) ? [`src/${f}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(hits).toEqual([]);
  });

  test('the pattern catches what it should and nothing else', () => {
    expect(SPREAD.test('const n = Math.max(...nodeOf) + 1;')).toBe(true);
    expect(SPREAD.test('Math.max(0, ...homeCount.values())')).toBe(true);
    expect(SPREAD.test('xs.reduce((a, b) => Math.max(a, b), 0)')).toBe(false);
  });
});
