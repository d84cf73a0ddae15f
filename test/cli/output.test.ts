// Writing results: several outputs are written all or none; devices in place.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { writeOutputs } from '../../src/cli/output.js';

describe('writeOutputs', () => {
  test('all outputs land, or none: a failure on the second leaves neither the first nor any temporary file (issue 19, item 13)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fairway-out-'));
    const a = join(dir, 'a.txt');
    const b = join(dir, 'b.txt');
    // b's temporary file name is taken by a directory: writing it fails (EISDIR)
    mkdirSync(`${b}.partial-${process.pid}`);
    expect(() => writeOutputs([[a, () => ['first']], [b, () => ['second']]])).toThrow(/EISDIR/);
    expect(readdirSync(dir)).toEqual([`b.txt.partial-${process.pid}`]);
    // without the obstacle both land, and an undefined path is skipped
    writeOutputs([[a, () => ['first']], [undefined, () => ['never built']], [join(dir, 'c.txt'), () => ['third']]]);
    expect([readFileSync(a, 'utf8'), readFileSync(join(dir, 'c.txt'), 'utf8'), existsSync(`${a}.partial-${process.pid}`)]).toEqual(['first', 'third', false]);
  });
});
