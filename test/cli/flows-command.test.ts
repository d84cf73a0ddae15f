// The `fairway flows` command end to end, as a user runs it (the built bin/fairway.js).
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { fairway, root, scratch } from '../helpers/cli.js';

const example = join(root, 'examples/parking-lot.json');

describe('fairway flows', () => {
  test('CSV ids with a comma, a quote or a line break are quoted as RFC 4180 says (issue 19, item 16)', () => {
    const file = join(scratch(), 'p.json');
    writeFileSync(file, JSON.stringify({ links: [{ id: 'l', bw: 1e9, lat: 0 }], flows: [{ id: 'a,"b"\nc', size: 1e9, start: 0, route: ['l'] }, { id: 'plain', size: 1e9, start: 0, route: ['l'] }] }));
    const r = fairway('flows', file);
    expect(r.code).toBe(0);
    // two flows share 1 GB/s: each 1 GB takes 2 s
    expect(r.out).toBe('id,finish\n"a,""b""\nc",2\nplain,2\n');
  });

  test('prints id,finish CSV for the shipped example and a summary on stderr', () => {
    // examples/parking-lot.json is the 3-link parking lot derived in test/engine/conformance.test.ts.
    const r = fairway('flows', example);
    expect(r.code).toBe(0);
    expect(r.out).toBe('id,finish\nfL,3.5\ns0,3\ns1,4\ns2,4.166666666666667\n');
    const summary = JSON.parse(r.err.trim()) as Record<string, number | string>;
    expect(summary).toMatchObject({ flows: 4, links: 3, engine: 'wasm' });
    expect(summary.solves).toBeGreaterThan(0);
  });

  test('--json and --engine ts give the same numbers', () => {
    const r = fairway('flows', example, '--json', '--engine', 'ts', '--quiet');
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const doc = JSON.parse(r.out) as { schema: string; finish: Record<string, number> };
    expect(doc.schema).toBe('fairway.flows/1');
    expect(doc.finish).toEqual({ fL: 3.5, s0: 3, s1: 4, s2: 4.166666666666667 });
  });

  test('invalid input: every problem with its path, exit 2, no stack trace, nothing written', () => {
    const dir = scratch();
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ links: [{ id: 'l0', bw: 0, lat: 0 }], flows: [{ id: 'f', route: ['l9'], size: 1, start: 0 }] }));
    const out = join(dir, 'out.csv');
    const r = fairway('flows', bad, '-o', out);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain('links[0].bw: must be a bandwidth in bytes/s');
    expect(r.err).toContain('flows[0].route[0]: unknown link id "l9"');
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });

  test('non-JSON and missing files are input errors too', () => {
    const dir = scratch();
    const junk = join(dir, 'junk.json');
    writeFileSync(junk, 'links: nope');
    expect(fairway('flows', junk).code).toBe(2);
    const missing = fairway('flows', join(dir, 'absent.json'));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/no such file/);
  });

  test('--out never replaces an existing file without --force', () => {
    const dir = scratch();
    const out = join(dir, 'finish.csv');
    writeFileSync(out, 'precious');
    const r = fairway('flows', example, '-o', out, '-q');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/already exists; pass --force/);
    expect(readFileSync(out, 'utf8')).toBe('precious');
    expect(fairway('flows', example, '-o', out, '--force', '-q').code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^id,finish\nfL,3.5\n/);
  });

  test('--help explains the format; unknown options exit 2', () => {
    const h = fairway('flows', '--help');
    expect(h.code).toBe(0);
    expect(h.out.replace(/\s+/g, ' ')).toMatch(/start \+ the sum of its route's latencies/);
    expect(fairway('flows', example, '--bogus').code).toBe(2);
    expect(fairway('flows', example, '--engine', 'gpu').code).toBe(2);
  });
});
