// Rewrites the golden outputs: `node test/golden/update.mjs [name ...]` (after `npm run build`).
// Only for a deliberate change of output; say why in the commit.
import { writeFileSync } from 'node:fs';
import { cases, expectedPath, runCase } from './run-case.mjs';

const only = process.argv.slice(2);
for (const c of cases) {
  if (only.length > 0 && !only.includes(c.name)) continue;
  const t0 = Date.now();
  writeFileSync(expectedPath(c.name), runCase(c));
  process.stderr.write(`${c.name}: ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
}
