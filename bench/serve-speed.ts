// Serving speed: each shipped serve example (serving/*.yaml) run end to end, printing requests,
// scheduler steps, KV transfers, the simulated duration, wall time, steps per second and peak
// memory. The Azure conversation trace cases are the speed check (19,366 requests).
//   npm run bench:serve
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readServeFile } from '../dist/io/serve-file.js';
import { runServeScenario } from '../dist/scenario/serve-scenario.js';

const DIR = 'serving';
console.log('| example | requests | steps | KV transfers | simulated s | wall s | steps/s | peak RSS MiB |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const f of readdirSync(DIR).filter((x) => x.endsWith('.yaml')).sort()) {
  const file = join(DIR, f);
  const { spec, topology } = readServeFile(file);
  const t0 = performance.now();
  const r = await runServeScenario(spec, { ref: topology ?? 'dgx-h100' });
  const wall = (performance.now() - t0) / 1000;
  const rss = process.memoryUsage().rss / 2 ** 20;
  console.log(`| ${f} | ${r.summary.requests} | ${r.summary.steps} | ${r.run.kvTransfers.count} | ${r.summary.durationSec.toFixed(1)} | ${wall.toFixed(2)} | ${Math.round(r.summary.steps / r.wallSec)} | ${rss.toFixed(0)} |`);
}
