// Fuzzing output paths and standard output: seeded command lines write their outputs (-o,
// --trace, --html, --requests) to hostile places — a missing directory, a file where a directory
// should be, a directory where the file should be, an existing file with and without --force,
// two outputs on one path, odd characters, a name too long for the file system, /dev/null — and
// some send stdout to /dev/full. Each must end one of two ways:
// - exit 0: every output is whole (a regular file, or the device left a device), and an
//   existing file was replaced only with --force;
// - exit 1 or 2 with one `fairway: error:` line and no stack trace, and nothing written: the
//   directory holds what it held before, byte for byte, and no temporary file.
// `npm test` runs 8 (FAIRWAY_FUZZ_OUT); `npm run fuzz` more.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { SeededRandom } from '../../src/core/random.js';
import { root } from './targets.js';

/** Cheap command lines and the output options each takes. */
const COMMANDS: readonly { base: string[]; outputs: string[] }[] = [
  { base: ['flows', 'examples/parking-lot.json'], outputs: ['-o'] },
  { base: ['topo', 'dgx-h100', '--dot'], outputs: ['-o'] },
  { base: ['collective', 'all_reduce', '-t', 'dgx-h100', '-b', '1M', '-e', '1M'], outputs: ['-o', '--trace', '--html'] },
  { base: ['simulate', '-w', 'workloads/launch-bound-inference.yaml', '-i', '2'], outputs: ['-o', '--trace', '--html'] },
];

/** How an output path is made hostile; each returns the path to pass (dir: the case's scratch directory). */
const PLACES: readonly ((dir: string, k: number) => string)[] = [
  (dir, k) => join(dir, `out${k}.txt`), // plain, new
  (dir, k) => join(dir, 'missing', `out${k}.txt`), // parent does not exist
  (dir) => join(dir, 'existing.txt', 'x'), // a file where a directory should be
  (dir) => join(dir, 'adir'), // a directory where the file should be
  (dir) => join(dir, 'existing.txt'), // an existing file (replaced only with --force)
  (dir, k) => join(dir, `sp ace "q" é ${k}.out`), // odd characters
  (dir) => join(dir, 'n'.repeat(300)), // longer than a file name may be
  () => '/dev/null', // a device: written in place
  (dir) => join(dir, 'same.txt'), // every output that draws it shares the path
];

const COUNT = Number(process.env.FAIRWAY_FUZZ_OUT ?? 8);
const EXISTING = 'kept: the user wrote this\n';

/** Every file under dir (relative path → contents), directories as entries of their own. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string, rel: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name), r = rel ? `${rel}/${name}` : name;
      if (lstatSync(p).isDirectory()) {
        out.set(`${r}/`, '');
        walk(p, r);
      } else out.set(r, readFileSync(p, 'utf8'));
    }
  };
  walk(dir, '');
  return out;
}

/** The problems with one run's outcome (empty when it ended one of the two allowed ways). */
function judge(status: number | null, stderr: string, before: Map<string, string>, after: Map<string, string>, paths: string[], force: boolean, dir: string): string[] {
  const bad: string[] = [];
  if ([...after.keys()].some((k) => /partial/.test(k))) bad.push('a temporary file was left behind');
  if (status === 0) {
    for (const p of paths) {
      if (p === '/dev/null') {
        if (!statSync(p).isCharacterDevice()) bad.push('/dev/null is no longer a device');
      } else if (!existsSync(p) || !statSync(p).isFile() || statSync(p).size === 0) bad.push(`${p}: not a whole regular file`);
    }
    if (!force && after.get('existing.txt') !== EXISTING) bad.push('existing.txt was replaced without --force');
    return bad;
  }
  const lines = stderr.split('\n').filter((l) => l.startsWith('fairway: error: '));
  if (status !== 1 && status !== 2) bad.push(`exit ${status}`);
  if (lines.length !== 1 || /\n\s+at |internal error/.test(stderr)) bad.push(`stderr is not one error line: ${stderr.slice(0, 300)}`);
  const changed = [...new Set([...before.keys(), ...after.keys()])].filter((k) => before.get(k) !== after.get(k));
  if (changed.length > 0) bad.push(`a failed run changed ${changed.join(', ')} in ${dir}`);
  return bad;
}

describe('fuzz: output paths and standard output', () => {
  test(`${COUNT} command lines: whole outputs and exit 0, or one error line and nothing written`, () => {
    const bad: string[] = [];
    for (let n = 0; n < COUNT; n++) {
      const rng = new SeededRandom(0x0a7 + n);
      const dir = mkdtempSync(join(tmpdir(), 'fairway-fuzz-out-'));
      writeFileSync(join(dir, 'existing.txt'), EXISTING);
      mkdirSync(join(dir, 'adir'));
      const c = COMMANDS[rng.int(COMMANDS.length)];
      const args = [...c.base];
      const paths: string[] = [];
      for (const o of c.outputs) {
        if (rng.int(3) === 0) continue;
        const p = PLACES[rng.int(PLACES.length)](dir, paths.length);
        args.push(o, p);
        paths.push(p);
      }
      const force = rng.int(2) === 0;
      if (force) args.push('--force');
      // without -o the result goes to stdout: half the time a full device
      const full = !args.includes('-o') && rng.int(2) === 0;
      const before = snapshot(dir);
      const line = [process.execPath, join(root, 'bin/fairway.js'), ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
      const r = full && existsSync('/dev/full') ? spawnSync('sh', ['-c', `${line} > /dev/full`], { cwd: root, encoding: 'utf8', timeout: 60_000 }) : spawnSync(process.execPath, [join(root, 'bin/fairway.js'), ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
      const problems = judge(r.status, r.stderr ?? '', before, snapshot(dir), paths, force, dir);
      if (problems.length > 0) bad.push(`#${n} fairway ${args.map((a) => JSON.stringify(a)).join(' ')}${full ? ' > /dev/full' : ''} → exit ${r.status ?? r.signal}: ${problems.join('; ')}`);
      else rmSync(dir, { recursive: true, force: true });
    }
    expect(bad).toEqual([]);
  }, Math.max(120_000, COUNT * 8_000));
});
