// The collective scenario: one size rule for flags and files, defaults, and every problem
// reported with its document path.
import { describe, expect, it } from 'vitest';
import { parseSize } from '../../src/core/units.js';
import { readCollectiveScenario } from '../../src/scenario/collective-scenario.js';

import { problems as issues } from '../helpers/problems.js';

describe('sizes: one rule', () => {
  it('K, M, G alone and KiB… are binary; KB… are decimal; a number is bytes', () => {
    expect([parseSize('8'), parseSize('64K'), parseSize('8M'), parseSize('1G'), parseSize('1GiB')]).toEqual([8, 65536, 8 * 2 ** 20, 2 ** 30, 2 ** 30]);
    expect([parseSize('4MB'), parseSize('1GB'), parseSize('150KB')]).toEqual([4e6, 1e9, 150e3]);
    expect([parseSize(12.7), parseSize('1.5K')]).toEqual([12, 1536]);
    expect(parseSize('lots')).toMatch(/^cannot read "lots" as a size/);
  });

  it('a sweep file and the command line read the same text the same way', () => {
    // the command line puts -b 4MB into minBytes; a sweep file writes bytes: 4MB
    expect(readCollectiveScenario({ op: 'all_reduce', minBytes: '4MB', maxBytes: '4MB' }).sizes).toEqual([4e6]);
    expect(readCollectiveScenario({ op: 'all_reduce', bytes: '4MB', chunk: '4M' })).toMatchObject({ sizes: [4e6], chunkBytes: 4 * 2 ** 20 });
  });
});

describe('readCollectiveScenario', () => {
  it('defaults: auto algorithm and protocol; channels, chunk and latencies left to the NCCL plan; float, root 0', () => {
    const c = readCollectiveScenario({ op: 'all_gather', bytes: '1GiB' });
    expect(c).toMatchObject({ op: 'all_gather', sizes: [2 ** 30], algorithm: 'auto', dtype: 'float', root: 0, reduceBw: 0 });
    expect([c.protocol, c.channels, c.chunkBytes, c.alphaSec, c.baseLatencySec]).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(readCollectiveScenario({ op: 'all_reduce', bytes: 8, proto: 'll128', channels: 'auto', alpha: '2us' })).toMatchObject({ protocol: 'LL128', channels: undefined, alphaSec: 2e-6 });
  });

  it('a size range: min, then ×factor (floored, at least one byte more) up to max', () => {
    expect(readCollectiveScenario({ op: 'all_reduce', minBytes: 8, maxBytes: 100, stepFactor: 3 }).sizes).toEqual([8, 24, 72]);
  });

  it('at most 1,000 sizes: a step factor of 1.0001 from 8 B to 1 GiB is refused on stepFactor, before the sizes are made', () => {
    expect(() => readCollectiveScenario({ op: 'all_reduce', minBytes: 8, maxBytes: '1G', stepFactor: 1.0001 })).toThrow(/^collective\.stepFactor: 8 to 1073741824 by ×1\.0001 is more than 1000 sizes/);
    expect(readCollectiveScenario({ op: 'all_reduce', minBytes: 1, maxBytes: 1000, stepFactor: 1.0001 }).sizes).toHaveLength(1000);
  });

  it('every problem at once, each with its path', () => {
    expect(issues(() => readCollectiveScenario({ op: 'all_reduce', bytes: 0, algo: 'nope', proto: 'LL64', channels: 65, alpha: '3', dtype: 'fp4', colour: 1 }))).toEqual([
      'collective.colour: unknown field; expected one of: op, bytes, minBytes, maxBytes, stepFactor, algo, proto, nvls, channels, ranks, rankList, root, chunk, alpha, baseLatency, dtype, reduceBw, matrix, gpusPerThread, netChannelsPerPeer, fidelity',
      'collective.bytes: must be > 0, got 0',
      'collective.algo: all_reduce supports ring, tree, hier, hier-hd, hd, nvls, nvls-tree, one-shot, two-shot or auto; got nope',
      'collective.proto: unknown protocol "LL64"; choose one of LL, LL128, Simple or auto',
      'collective.channels: must be a whole number from 1 to 64, got 65',
      'collective.alpha: give a unit, e.g. 3us',
      'collective.dtype: unknown type "fp4"; choose one of int8, uint8, half, bfloat16, float, int32, double, int64',
    ]);
  });

  it('one problem is its own message: path: message', () => {
    expect(() => readCollectiveScenario({ op: 'bcast', bytes: 8 })).toThrow(/^collective\.op: unknown collective "bcast"/);
    expect(() => readCollectiveScenario({ op: 'all_reduce', bytes: 8, matrix: 'm.json' })).toThrow('collective.matrix: only alltoall takes a size matrix');
    expect(() => readCollectiveScenario({ op: 'all_reduce', bytes: 8, ranks: 4, rankList: 'a,b' })).toThrow('collective.rankList: give either collective.ranks or collective.rankList');
  });
});
