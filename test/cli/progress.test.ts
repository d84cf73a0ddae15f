// Progress on stderr: silent unless enabled (a terminal), each phase on one rewritten line
// with the time so far, and the line erased at the end.
import { afterEach, describe, expect, test, vi } from 'vitest';
import { makePhases, makeProgress, timeLeft } from '../../src/cli/progress.js';

afterEach(() => vi.restoreAllMocks());

describe('makePhases', () => {
  test('enabled: one rewritten line per phase, erased by finish', () => {
    const writes: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => (writes.push(String(s)), true));
    const p = makePhases('topo', true);
    p.phase('building the graph');
    p.phase('diameter');
    p.finish();
    expect(writes).toHaveLength(3);
    expect(writes[0]).toMatch(/^\r\x1b\[Ktopo: building the graph \(0\.\d s so far\)$/);
    expect(writes[1]).toMatch(/^\r\x1b\[Ktopo: diameter \(/);
    expect(writes[2]).toBe('\r\x1b[K');
  });
  test('a counted stage shows its count and the time left at its rate so far, at most 4 lines a second', () => {
    const writes: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => (writes.push(String(s)), true));
    let now = 1_000_000;
    vi.spyOn(Date, 'now').mockImplementation(() => now);
    const p = makePhases('topo', true);
    p.count('diameter: profile pairs', 0, 9_000_000);
    now += 100;
    p.count('diameter: profile pairs', 1_000_000, 9_000_000); // within 250 ms of the last line: not shown
    now += 1900;
    // 3 M of 9 M in 2 s: 6 M more at that rate is 4 s
    p.count('diameter: profile pairs', 3_000_000, 9_000_000);
    expect(writes).toEqual(['\r\x1b[Ktopo: diameter: profile pairs 0/9,000,000 (0.0 s so far)', '\r\x1b[Ktopo: diameter: profile pairs 3,000,000/9,000,000 (2.0 s so far, ~4 s left)']);
  });

  test('timeLeft: the rest at the rate so far, in minutes from 90 s; nothing before a rate or after the end', () => {
    expect([timeLeft(10, 1, 4), timeLeft(60, 1, 3), timeLeft(1, 0, 5), timeLeft(5, 5, 5), timeLeft(0.1, 99, 100)]).toEqual(['~30 s left', '~2 min left', '', '', '~1 s left']);
  });

  test('makeProgress shows the time left too', () => {
    const writes: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => (writes.push(String(s)), true));
    let now = 0;
    vi.spyOn(Date, 'now').mockImplementation(() => now);
    const p = makeProgress('collective', true);
    now = 2000;
    p.update(8, 32, '1 MiB');
    expect(writes).toEqual(['\r\x1b[Kcollective: 8/32 (25.0%, ~6 s left) 1 MiB']);
  });

  test('disabled (stderr not a terminal): writes nothing', () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const p = makePhases('topo', false);
    p.phase('x');
    p.finish();
    expect(write).not.toHaveBeenCalled();
  });
});
