// Running the built command line (bin/fairway.js) as a user does, from the package root.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scratchDir } from './scratch-dir.js';

export const root = fileURLToPath(new URL('../../', import.meta.url));

export function fairway(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [join(root, 'bin/fairway.js'), ...args], { encoding: 'utf8', cwd: root });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** A fresh temporary directory for a test's output files, removed when the test finishes. */
export const scratch = (): string => scratchDir('fairway-cli-');
