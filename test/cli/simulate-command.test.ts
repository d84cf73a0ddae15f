// `fairway simulate` on the shipped workloads, and its errors.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fairway = (...args: string[]) => {
  const r = spawnSync(process.execPath, [join(root, 'bin/fairway.js'), ...args], { encoding: 'utf8', cwd: root });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
};

describe('fairway simulate', () => {
  test('the launch-bound example: 10 ms for 200 steps, 50 µs a step', () => {
    const r = fairway('simulate', '-w', 'workloads/launch-bound-inference.yaml', '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as { stepSec: number; computeSec: number; hostSec: number; stressPoints: { resource: string; utilization: number }[] };
    expect(doc.stepSec).toBeCloseTo(10.002e-3 / 200, 9);
    expect(doc.computeSec).toBeCloseTo(20e-6, 9);
    expect(doc.hostSec).toBeCloseTo(50e-6, 9);
    // the GPU's math units are busy 4 ms of 10.002 ms; the host socket runs one thread of 56 cores.
    expect(doc.stressPoints[0]).toEqual({ resource: 'dgx0/acc0 math', kind: 'math', utilization: expect.closeTo(4e-3 / 10.002e-3, 6) });
    expect(doc.stressPoints[1]).toEqual({ resource: 'dgx0/cpu0 cores', kind: 'cores', utilization: expect.closeTo(10e-3 / 56 / 10.002e-3, 6) });
  });

  test('the data-parallel example reports its collectives, stress points and a per-rank trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fairway-sim-'));
    const trace = join(dir, 'dp.json');
    const r = fairway('simulate', '-w', 'workloads/dp-step-overlap.yaml', '--trace', trace);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/8 rank\(s\), 4 iteration\(s\)/);
    expect(r.out).toMatch(/collectives: +\d/);
    expect(r.out).toMatch(/stress points[^\n]*\n +\d+\.\d% +dgx0\/acc\d math/);
    const doc = JSON.parse(readFileSync(trace, 'utf8')) as { traceEvents: { ph: string; pid: number; tid: number }[] };
    const slices = doc.traceEvents.filter((e) => e.ph === 'X');
    expect(new Set(slices.map((e) => e.pid)).size).toBe(8);
    expect(new Set(slices.map((e) => e.tid))).toEqual(new Set([0, 1, 2]));
  });

  test('the input-bound example: the step waits for its batch', () => {
    // 256 images per GPU per step over 4 loader workers at 20 ms of decode each: 64 × 20 ms =
    // 1.28 s of loading (plus reads and copies) against ~20 ms of compute.
    const r = fairway('simulate', '-w', 'workloads/input-bound-vision.yaml', '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as { stepSec: number; computeSec: number };
    expect(doc.stepSec).toBeGreaterThan(1.28);
    expect(doc.stepSec).toBeLessThan(1.35);
    expect(doc.computeSec).toBeLessThan(0.025);
  });

  test('a bad workload: problems with paths, exit 2', () => {
    const r = fairway('simulate', '-w', 'topologies/dgx-h100-1node.yaml');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/invalid workload/);
    expect(r.err).toMatch(/servers: unknown field/);
  });
});
