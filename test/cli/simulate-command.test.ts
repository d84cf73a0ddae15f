// `fairway simulate` on the shipped workloads, and its errors.
import { spawnSync } from 'node:child_process';
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
    const doc = JSON.parse(r.out) as { stepSec: number; computeSec: number; hostSec: number };
    expect(doc.stepSec).toBeCloseTo(10.002e-3 / 200, 9);
    expect(doc.computeSec).toBeCloseTo(20e-6, 9);
    expect(doc.hostSec).toBeCloseTo(50e-6, 9);
  });

  test('the data-parallel example runs and reports its collectives', () => {
    const r = fairway('simulate', '-w', 'workloads/dp-step-overlap.yaml');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/8 rank\(s\), 4 iteration\(s\)/);
    expect(r.out).toMatch(/collectives: +\d/);
  });

  test('a bad workload: problems with paths, exit 2', () => {
    const r = fairway('simulate', '-w', 'topologies/dgx-h100-1node.yaml');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/invalid workload/);
    expect(r.err).toMatch(/servers: unknown field/);
  });
});
