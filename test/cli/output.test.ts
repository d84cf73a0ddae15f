// Writing results: several outputs are written all or none, standard output included; devices in place.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { checkWritable, writeOutputs } from '../../src/cli/output.js';
import type { FairwayError } from '../../src/core/errors.js';
import { root } from '../helpers/cli.js';
import { scratchDir } from '../helpers/scratch-dir.js';

describe('writeOutputs', () => {
  test('all outputs land, or none: a failure on the second leaves neither the first nor any temporary file (issue 19, item 13)', () => {
    const dir = scratchDir('fairway-out-');
    const a = join(dir, 'a.txt');
    // b's directory does not exist: staging it fails after a's temporary file was written
    const b = join(dir, 'gone', 'b.txt');
    expect(() => writeOutputs([[a, () => ['first']], [b, () => ['second']]])).toThrow(/cannot write .*b\.txt: its directory does not exist/);
    expect(readdirSync(dir)).toEqual([]);
    // without the obstacle both land, and an undefined path is skipped
    writeOutputs([[a, () => ['first']], [undefined, () => ['never built']], [join(dir, 'c.txt'), () => ['third']]]);
    expect([readFileSync(a, 'utf8'), readFileSync(join(dir, 'c.txt'), 'utf8'), readdirSync(dir)]).toEqual(['first', 'third', ['a.txt', 'c.txt']]);
  });

  test('a directory, a path under a file and a name too long for the file system are refused before anything runs, naming the option (found by test/fuzz/output-paths.test.ts)', () => {
    const dir = scratchDir('fairway-out-');
    mkdirSync(join(dir, 'adir'));
    writeFileSync(join(dir, 'file'), 'kept');
    const refused = (path: string) => {
      try {
        checkWritable(path, true, '--trace');
      } catch (e) {
        return (e as FairwayError).message;
      }
      return 'accepted';
    };
    expect(refused(join(dir, 'adir'))).toMatch(/^--trace: .*adir is a directory; give a file name/);
    expect(refused(join(dir, 'file', 'x'))).toMatch(/^--trace: .*file is a file, not a directory/);
    expect(refused(join(dir, 'n'.repeat(256)))).toMatch(/^--trace: the file name is 256 bytes long; file systems take at most 255/);
    expect(refused(join(dir, 'n'.repeat(255)))).toBe('accepted');
    // a regular file under /dev (tmpfs) is not a device: replaced only with --force
    if (existsSync('/dev/shm')) {
      const shm = scratchDir('fairway-out-', '/dev/shm');
      writeFileSync(join(shm, 'kept.txt'), 'kept');
      expect(() => checkWritable(join(shm, 'kept.txt'), false, '--out')).toThrow(/already exists; pass --force/);
    }
    expect(refused(`${dir}/newname/`)).toMatch(/^--trace: .*newname\/ ends with "\/": give a file name/);
    expect(refused(join(dir, ...Array.from({ length: 20 }, () => 'd'.repeat(250)), 'x'))).toMatch(/^--trace: the path is \d+ bytes long; file systems take less than 4096/);
    expect(readFileSync(join(dir, 'file'), 'utf8')).toBe('kept');
  });
});

describe('standard output with files beside it', () => {
  const run = (shell: string) => spawnSync('bash', ['-c', shell], { cwd: root, encoding: 'utf8' });
  const cmd = (trace: string) => `"${process.execPath}" "${join(root, 'bin/fairway.js')}" collective all_reduce -t dgx-h100 -b 1M -e 1M --trace "${trace}"`;

  test.runIf(existsSync('/dev/full'))('a result that cannot be printed (a full device) leaves none of the files: exit 1, one line', () => {
    const dir = scratchDir('fairway-out-');
    const r = run(`${cmd(join(dir, 't.json'))} > /dev/full`);
    expect([r.status, r.stderr, readdirSync(dir)]).toEqual([1, 'fairway: error: cannot write to standard output: no space left on device\n', []]);
  });

  test.runIf(existsSync('/dev/full'))('a device output that fails (-o /dev/full) leaves none of the files beside it: exit 2, one line; /dev/stdout is written in place', () => {
    const dir = scratchDir('fairway-out-');
    const r = run(`${cmd(join(dir, 't.json'))} -o /dev/full`);
    expect([r.status, r.stderr, readdirSync(dir)]).toEqual([2, 'fairway: error: cannot write /dev/full: no space left on device\n', []]);
    const toFile = run(`${cmd(join(dir, 't.json'))} -o /dev/stdout > "${join(dir, 'out.txt')}"`);
    expect([toFile.status, readdirSync(dir)]).toEqual([0, ['out.txt', 't.json']]);
    expect(readFileSync(join(dir, 'out.txt'), 'utf8')).toMatch(/# Algorithm per size/);
  });

  test('a reader that stops reading (| true: gone before the result is printed, EPIPE) got what it wanted: exit 0, the files written', () => {
    const dir = scratchDir('fairway-out-');
    const r = run(`${cmd(join(dir, 't.json'))} | true; echo "\${PIPESTATUS[0]}" >&2`);
    expect(r.stderr).toBe('0\n');
    expect(readdirSync(dir)).toEqual(['t.json']);
  });
});
