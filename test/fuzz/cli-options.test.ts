// Fuzzing command-line option values: seeded command lines built from each command's options
// and hostile values must end with exit 0, or exit 2 and one `fairway: error:` line naming what
// to fix — never a stack trace, an internal error or a hang. `npm test` runs 12 (FAIRWAY_FUZZ_CLI);
// `npm run fuzz` more.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { SeededRandom } from '../../src/core/random.js';
import { root } from './targets.js';

const VALUES = ['0', '-1', 'NaN', '1e309', '', 'x', '8Z', '1P', '999999999999', '0.5', '1e-300', '-', '%s', '1,2,,3', '__proto__', '2^63', '0x20', ' 7 '];

/** Cheap command lines (well under a second each when valid) and the options whose values are fuzzed ('' : a positional argument); never output paths, which would write files here. */
const COMMANDS: readonly { base: string[]; options: string[] }[] = [
  { base: ['collective', 'all_reduce', '-t', 'dgx-h100', '-b', '1M', '-e', '1M'], options: ['-b', '-e', '-f', '-n', '--channels', '--chunk', '--alpha', '--base-latency', '-g', '--proto', '--algo', '-d', '--nvls', '--reduce-bw', '--root', '--workers'] },
  { base: ['topo'], options: [''] },
  { base: ['flows', 'examples/parking-lot.json'], options: ['--engine'] },
  { base: ['simulate', '-w', 'workloads/launch-bound-inference.yaml'], options: ['-i', '--top', '--engine', '-t'] },
  { base: ['simulate', '-m', 'llama2-13b', '-t', 'dgx-h100'], options: ['-p', '-i'] },
  { base: ['serve', 'serving/llama3-70b-h100-tp8.yaml'], options: ['-t'] },
];

const COUNT = Number(process.env.FAIRWAY_FUZZ_CLI ?? 12);

describe('fuzz: option values', () => {
  test(`${COUNT} command lines: exit 0, or exit 2 with one error line and no stack trace`, () => {
    const bad: string[] = [];
    for (let n = 0; n < COUNT; n++) {
      const rng = new SeededRandom(0xc11 + n);
      const c = COMMANDS[rng.int(COMMANDS.length)];
      const args = [...c.base];
      for (let k = 1 + rng.int(2); k > 0; k--) {
        const o = c.options[rng.int(c.options.length)];
        args.push(...(o ? [o] : []), VALUES[rng.int(VALUES.length)]);
      }
      const r = spawnSync(process.execPath, [join(root, 'bin/fairway.js'), ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
      const err = r.stderr ?? '';
      const ok = r.status === 0 || (r.status === 2 && /^fairway: error: /.test(err) && !/\n\s+at |internal error/.test(err));
      if (!ok) bad.push(`#${n} fairway ${args.map((a) => JSON.stringify(a)).join(' ')} → exit ${r.status ?? r.signal}: ${err.slice(0, 300)}`);
    }
    expect(bad).toEqual([]);
  }, Math.max(120_000, COUNT * 5_000));
});
