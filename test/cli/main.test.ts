// The program's edges: standard output closed early by the reader ends fairway quietly (exit 0,
// nothing on stderr); a full one is one line on stderr, exit 1, no stack trace; an output file in
// a missing directory is refused up front; a problem with a whole document is shown.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { fairway, root } from '../helpers/cli.js';
import { scratchDir } from '../helpers/scratch-dir.js';

describe('fairway main', () => {
  test('an error is printed once: its field is not repeated under a message that already names it (issue 19, item 20); one that does not name it is', () => {
    const r = fairway('collective', 'bcast', '-t', 'dgx-h100');
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toEqual([expect.stringMatching(/^fairway: error: <op>: unknown collective "bcast"/)]);
    const m = fairway('collective', 'alltoall', '-t', 'dgx-h100', '--matrix', join(tmpdir(), 'no-such-fairway-matrix.json'));
    expect(m.err.trim().split('\n')).toEqual([expect.stringMatching(/^fairway: error: cannot read .*: no such file$/), '  --matrix: no such file']);
  });

  test('two outputs naming one file are refused before anything runs (issue 19, item 13)', () => {
    const dir = scratchDir('fairway-same-');
    const f = join(dir, 'x.out');
    const r = fairway('collective', 'all_reduce', '-t', 'dgx-h100', '-b', '1M', '-e', '1M', '-o', f, '--html', f);
    expect([r.code, r.err]).toEqual([2, expect.stringMatching(/--html: .*x\.out is also given to --out; give each output its own file/)]);
    expect(existsSync(f)).toBe(false);
  });

  test('a device as the output is written in place, not replaced by a regular file, and needs no --force (issue 19, item 14)', () => {
    // /dev/zero discards writes like /dev/null; a regression would turn it into a regular file
    const r = fairway('flows', 'examples/parking-lot.json', '-o', '/dev/zero');
    expect([r.code, r.err]).toEqual([0, expect.not.stringMatching(/error/)]);
    expect(statSync('/dev/zero').isCharacterDevice()).toBe(true);
  });

  test('under an 8 GiB address-space limit (ulimit -v) the wasm engine still runs: fairway re-runs itself with inline bounds checks (issue 19, item 7)', () => {
    const r = spawnSync('bash', ['-c', `ulimit -v ${8 * 2 ** 20}; exec "${process.execPath}" bin/fairway.js flows examples/parking-lot.json`], { cwd: root, encoding: 'utf8' });
    expect([r.status, r.stderr]).toEqual([0, expect.stringContaining('"engine":"wasm"')]);
    expect(r.stdout).toContain('s2,4.166666666666667');
  });

  test("every shipped file a command's --help names as an example exists (issue 17: topo --help named a missing file)", () => {
    const named = new Set<string>();
    for (const c of ['flows', 'topo', 'collective', 'simulate', 'serve', 'sweep', 'workload gen']) {
      const help = fairway(...c.split(' '), '--help').out;
      for (const m of help.matchAll(/\b((?:topologies|workloads|serving|sweeps|examples|docs)\/[\w./-]+\.(?:ya?ml|json|md))\b/g)) named.add(m[1]);
    }
    expect(named.size).toBeGreaterThan(5);
    expect([...named].filter((f) => !existsSync(join(root, f)))).toEqual([]);
  });

  test('/dev/zero as an input: exit 2 with the bound named, not a read until memory runs out (issue 19, item 8)', () => {
    const r = fairway('flows', '/dev/zero');
    expect([r.code, r.err]).toEqual([2, expect.stringMatching(/cannot read \/dev\/zero: larger than the 1,073,741,824 bytes/)]);
  }, 60_000); // reads 1 GiB first: about 3.5 s alone on 2 cores, more beside other tests

  test('stdout closed after the first chunk (`| head -1`): exit 0, no stack trace', async () => {
    const child = spawn(process.execPath, [join(root, 'bin/fairway.js'), 'topo', 'h100-1024gpu-rail', '--dot'], { cwd: root }); // 670 kB: more than a pipe holds
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(err).toBe('');
    expect(code).toBe(0);
  });

  test('an output file in a directory that does not exist: exit 2 naming the option, before anything runs', () => {
    for (const [args, option] of [
      [['flows', 'examples/parking-lot.json', '-o', '/no-such-dir/x.csv'], '--out'],
      [['collective', 'all_reduce', '-t', 'dgx-h100-1node', '-b', '8', '-e', '8', '--trace', '/no-such-dir/t.json'], '--trace'],
      [['simulate', '-w', 'workloads/dp-step-overlap.yaml', '--html', '/no-such-dir/s.html'], '--html'],
    ] as const) {
      const r = fairway(...args);
      expect(r.code).toBe(2);
      expect(r.err).toContain(`${option}: the directory /no-such-dir does not exist`);
      expect(r.err).not.toContain('partial');
    }
  });

  test('a problem with the whole document is shown, not only counted', () => {
    const dir = scratchDir('fairway-main-');
    writeFileSync(join(dir, 't.yaml'), '{}\n');
    const r = fairway('topo', join(dir, 't.yaml'));
    expect(r.code).toBe(2);
    expect(r.err).toBe(`fairway: error: ${join(dir, 't.yaml')}: invalid topology: 1 problem\n  (document): describe the system with servers (and a fabric) or with nodes and links\n`);
  });

  test.runIf(existsSync('/dev/full'))('stdout to a full device: one line on stderr, exit 1', () => {
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${join(root, 'bin/fairway.js')}" topo h100-256gpu-rail --dot > /dev/full`], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('fairway: error: cannot write to standard output: no space left on device\n');
  });
});
