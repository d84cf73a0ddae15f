// `npm run fuzz -- [--count N] [--first K] [--format NAME] [--cli M] [--paths P]`: the long fuzz run.
// N mutants per format (default 10,000) numbered from K, optionally one format only (names in
// targets.ts), M seeded command lines of option values (default 200) and P of hostile output
// paths and standard outputs (default 200); prints the table of accepted / refused / failed
// counts per format and exits non-zero on any failure.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const whole = (name, v) => {
  if (!/^\d+$/.test(v)) {
    console.error(`fuzz: ${name} must be a whole number, got "${v}"`);
    process.exit(2);
  }
  return v;
};
const env = {
  ...process.env,
  FAIRWAY_FUZZ_COUNT: whole('--count', opt('--count', '10000')),
  FAIRWAY_FUZZ_FIRST: whole('--first', opt('--first', '0')),
  FAIRWAY_FUZZ_CLI: whole('--cli', opt('--cli', '200')),
  FAIRWAY_FUZZ_OUT: whole('--paths', opt('--paths', '200')),
  FAIRWAY_FUZZ_TABLE: '1',
  ...(opt('--format') ? { FAIRWAY_FUZZ_FORMAT: opt('--format') } : {}),
};
const root = fileURLToPath(new URL('../../', import.meta.url));
const r = spawnSync(process.execPath, [`${root}node_modules/vitest/vitest.mjs`, 'run', 'test/fuzz'], { cwd: root, env, stdio: 'inherit' });
process.exit(r.status ?? 1);
