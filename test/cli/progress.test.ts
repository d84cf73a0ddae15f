// Progress on stderr: silent unless enabled (a terminal), each phase on one rewritten line
// with the time so far, and the line erased at the end.
import { afterEach, describe, expect, test, vi } from 'vitest';
import { makePhases } from '../../src/cli/progress.js';

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
  test('disabled (stderr not a terminal): writes nothing', () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const p = makePhases('topo', false);
    p.phase('x');
    p.finish();
    expect(write).not.toHaveBeenCalled();
  });
});
