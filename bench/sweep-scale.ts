// Sweep benchmark: a 32-point what-if sweep (ring all-reduce on 128 H100s: 4 NICs × 4 sizes ×
// 2 fabric oversubscriptions, ~0.5–2 s a point) run with 1 and 2 worker threads, checking the
// results are identical; then the result records as msgpackr vs JSON: size and encode/decode time.
//   npm run bench:sweep [-- --workers 1,2,4]
import { Packr, unpackMultiple } from 'msgpackr';
import { runSweep } from '../dist/parallel/run-sweep.js';
import type { SweepSpec } from '../dist/sweep/spec.js';
import type { SweepRecord } from '../dist/sweep/results.js';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const spec: SweepSpec = {
  name: 'bench-32',
  base: {
    topology: { servers: [{ template: 'dgx-h100', name: 'dgx', count: 16 }], fabric: { type: 'rail-optimized', radix: 16 } },
    collective: { op: 'all_reduce', bytes: '1GiB', algo: 'ring' },
  },
  axes: [
    { path: 'topology.servers[0].nic', values: ['connectx-6', 'connectx-7', 'connectx-7-eth', 'connectx-8'] },
    { path: 'collective.bytes', values: ['128MiB', '256MiB', '512MiB', '1GiB'] },
    { path: 'topology.fabric.oversubscription', values: [1, 3] },
  ],
  listed: [],
};

const workers = (arg('--workers') ?? '1,2').split(',').map(Number);
console.log(`# ${spec.name}: 32 points, ${workers.join(' vs ')} worker(s), on ${(await import('node:os')).availableParallelism()} cores`);
console.log('| workers | wall s | points/s | speed-up vs 1 | failed |');
console.log('|---:|---:|---:|---:|---:|');
let first: { wall: number; json: string } | undefined;
let records: SweepRecord[] = [];
for (const w of workers) {
  const t0 = performance.now();
  records = await runSweep(spec, { workers: w });
  const wall = (performance.now() - t0) / 1000;
  const json = JSON.stringify(records);
  if (first && json !== first.json) throw new Error(`results with ${w} workers differ from the first run`);
  first ??= { wall, json };
  console.log(`| ${w} | ${wall.toFixed(2)} | ${(records.length / wall).toFixed(2)} | ${(first.wall / wall).toFixed(2)} | ${records.filter((r) => !r.ok).length} |`);
}

// result encoding: the 32 records, and 100,000 records of the same shape (a large sweep)
const many: SweepRecord[] = Array.from({ length: 100_000 }, (_, i) => ({ ...records[i % records.length], index: i }));
const packr = new Packr({ useRecords: false });
console.log('\n| records | format | bytes | encode ms | decode ms |');
console.log('|---:|---|---:|---:|---:|');
for (const set of [records, many]) {
  const time = (f: () => unknown) => {
    const t0 = performance.now();
    f();
    return performance.now() - t0;
  };
  let bytes = Buffer.alloc(0);
  const encMp = time(() => (bytes = Buffer.concat(set.map((r) => packr.pack(r)))));
  const decMp = time(() => unpackMultiple(bytes));
  let text = '';
  const encJson = time(() => (text = set.map((r) => JSON.stringify(r)).join('\n')));
  const decJson = time(() => text.split('\n').map((l) => JSON.parse(l)));
  console.log(`| ${set.length} | msgpackr stream (plain maps, as written) | ${bytes.length} | ${encMp.toFixed(1)} | ${decMp.toFixed(1)} |`);
  // msgpackr's record structures (keys written once): smaller and faster, readable by msgpackr only
  const records = new Packr({ useRecords: true, sequential: true });
  let packed: Uint8Array = new Uint8Array(0);
  const encRec = time(() => (packed = records.pack(set)));
  const decRec = time(() => records.unpack(packed));
  console.log(`| ${set.length} | msgpackr records (one array) | ${packed.length} | ${encRec.toFixed(1)} | ${decRec.toFixed(1)} |`);
  console.log(`| ${set.length} | JSON lines | ${Buffer.byteLength(text)} | ${encJson.toFixed(1)} | ${decJson.toFixed(1)} |`);
}
