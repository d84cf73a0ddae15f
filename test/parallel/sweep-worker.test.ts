// A sweep point run in a worker: its result, or its error as one line that says each problem once.
import { describe, expect, test } from 'vitest';
import { parseSweepText } from '../../src/io/sweep-file.js';
import { runPoint } from '../../src/parallel/sweep-worker.js';
import { sweepPoints } from '../../src/sweep/spec.js';

describe('runPoint', () => {
  test('a point whose topology cannot be built fails with the field and the fix, said once', async () => {
    // 8 DGX H100 = 64 NIC ports; radix-4 leaves take 2 of them each: 32 leaves, more than a
    // radix-4 spine can reach
    const text = ['name: t', 'base:', '  topology:', '    servers: [{template: dgx-h100, count: 8}]', '    fabric: {type: leaf-spine, radix: 4}', '  collective: {op: all_reduce, bytes: 1MiB}', 'points:', '  - {collective.bytes: 2MiB}', ''].join('\n');
    const spec = parseSweepText(text, 't.yaml');
    const r = await runPoint(spec.base, sweepPoints(spec)[0].overrides);
    expect(r).toEqual({ ok: false, error: 'fabric.tiers: 32 leaves need spines with 32 ports but radix is 4; use tiers: 3 or a larger radix' });
  });
});
