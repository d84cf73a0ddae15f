// Runs one golden case (from cases.json) as a user would: bin/fairway.js from the package root,
// OUT replaced by a path in a fresh scratch directory. Returns the normalized golden text:
// stdout, stderr for a case expected to fail, then the written file (if any) after a separator line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { normalize } from './normalize.mjs';

export const root = fileURLToPath(new URL('../../', import.meta.url));
export const cases = JSON.parse(readFileSync(new URL('./cases.json', import.meta.url), 'utf8')).cases;
export const expectedPath = (name) => join(root, 'test/golden/expected', `${name}.out`);

export function runCase(c) {
  const dir = mkdtempSync(join(tmpdir(), 'fairway-golden-'));
  try {
    const file = c.file ? join(dir, c.file) : undefined;
    const args = c.args.map((a) => (a === 'OUT' ? file : a));
    const r = spawnSync(process.execPath, [join(root, 'bin/fairway.js'), ...args], { encoding: 'utf8', cwd: root, maxBuffer: 1 << 28 });
    const code = c.code ?? 0;
    if (r.status !== code) throw new Error(`golden case ${c.name} exited ${r.status}, expected ${code}: ${r.stderr}`);
    let text = r.stdout;
    if (code !== 0) text += `----- stderr, exit ${code} -----\n${r.stderr}`;
    if (file) text += `\n----- ${c.file} -----\n` + (existsSync(file) ? readFileSync(file, 'utf8') : '(not written)');
    return normalize(text);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
