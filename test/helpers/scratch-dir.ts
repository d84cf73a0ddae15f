// A fresh temporary directory that removes itself: made with mkdtempSync under os.tmpdir() (or
// `parent`), deleted with its contents when the current test finishes, passed or failed. Made
// outside a test (at describe level, shared by its tests), it is deleted once that suite has run.
// Not for beforeAll/beforeEach hooks: call it in the test or at describe level.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, onTestFinished } from 'vitest';

export function scratchDir(prefix = 'fairway-', parent = tmpdir()): string {
  const dir = mkdtempSync(join(parent, prefix));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    onTestFinished(remove); // throws outside a running test
  } catch {
    afterAll(remove);
  }
  return dir;
}
