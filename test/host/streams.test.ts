// Streams: per rank, the next operation on a stream waits for the last one put on it; streams
// are made empty on first use and kept by name.
import { describe, expect, test } from 'vitest';
import { Streams } from '../../src/host/streams.js';

describe('streams', () => {
  test('each stream remembers its last op per rank', () => {
    const streams = new Streams(2);
    const compute = streams.of('compute');
    expect([compute.last(0), compute.last(1)]).toEqual([-1, -1]);
    compute.append(0, 5);
    compute.append(0, 9);
    expect([compute.last(0), compute.last(1)]).toEqual([9, -1]);
    expect(streams.of('compute')).toBe(compute);
    expect(streams.of('comm').last(0)).toBe(-1);
  });
});
