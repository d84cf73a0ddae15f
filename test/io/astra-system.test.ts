// ASTRA-sim system configs (src/io/astra-system.ts): the operation's implementation as the
// algorithm, endpoint-delay as α, local-mem-bw as the reduction bandwidth; what fairway does not
// model is noted; mixed or custom implementations and unknown fields are refused by name; and
// `collective --astra-system` gives the rows of the equivalent flags.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { astraSystemFields } from '../../src/io/astra-system.js';
import { fairway, scratch } from '../helpers/cli.js';

const HGX = { 'scheduling-policy': 'LIFO', 'endpoint-delay': 10, 'active-chunks-per-dimension': 2, 'preferred-dataset-splits': 4, 'all-reduce-implementation': ['ring'], 'all-gather-implementation': ['ring'], 'reduce-scatter-implementation': ['ring'], 'all-to-all-implementation': ['direct'], 'collective-optimization': 'localBWAware', 'local-mem-bw': 3350, 'boost-mode': 0 };

describe('ASTRA-sim system config', () => {
  test("ASTRA-sim's HGX-H100 example: ring all-reduce, 10 ns α, 3350 GB/s reductions; the scheduler's settings noted as not modelled", () => {
    const r = astraSystemFields(HGX, 'all_reduce', 'hgx.json');
    expect(r.fields).toEqual({ algo: 'ring', alpha: '10ns', reduceBw: '3350GB/s' });
    expect(r.notes[0]).toBe('hgx.json: used all-reduce-implementation as --algo ring, endpoint-delay as --alpha 10ns, local-mem-bw as --reduce-bw 3350GB/s; not modelled: scheduling-policy, active-chunks-per-dimension, preferred-dataset-splits, collective-optimization, boost-mode');
    expect(astraSystemFields(HGX, 'alltoall', 'hgx.json').fields.algo).toBe('direct');
  });

  test('names map per operation (direct all-reduce is two-shot, halvingDoubling hd, doubleBinaryTree tree, oneRing a ring); several equal dimensions run as one, with a note', () => {
    const algo = (name: string, op: 'all_reduce' | 'alltoall' = 'all_reduce') => astraSystemFields({ 'all-reduce-implementation': [name], 'all-to-all-implementation': [name] }, op, 's').fields.algo;
    expect([algo('direct'), algo('halvingDoubling'), algo('doubleBinaryTree'), algo('oneRing'), algo('ring', 'alltoall')]).toEqual(['two-shot', 'hd', 'tree', 'ring', 'pairwise']);
    const two = astraSystemFields({ 'all-reduce-implementation': ['ring', 'ring'] }, 'all_reduce', 's');
    expect(two.notes[1]).toBe('all-reduce-implementation: ring, ring runs dimension by dimension in ASTRA-sim; fairway runs one ring over all ranks');
  });

  test('mixed dimensions, custom collectives, unknown names and fields, bad numbers: refused naming the field', () => {
    expect(() => astraSystemFields({ 'all-reduce-implementation': ['ring', 'direct'] }, 'all_reduce', 's')).toThrow(/all-reduce-implementation mixes implementations across dimensions \(ring, direct\)/);
    expect(() => astraSystemFields({ 'all-reduce-implementation-custom': ['x.et'] }, 'all_reduce', 's')).toThrow(/custom \(MSCCL-IR\) collectives are not supported/);
    expect(() => astraSystemFields({ 'all-gather-implementation': ['halvingDoubling'] }, 'all_gather', 's')).toThrow(/halvingDoubling is not an implementation fairway has for all_gather \(ring\)/);
    expect(() => astraSystemFields({ 'endpoint-delay': -1 }, 'all_reduce', 's')).toThrow(/endpoint-delay must be a number ≥ 0/);
    expect(() => astraSystemFields({ 'endpoint-dely': 1 }, 'all_reduce', 's')).toThrow(/unknown field endpoint-dely/);
    expect(() => astraSystemFields([1], 'all_reduce', 's')).toThrow(/is a JSON object/);
  });

  test('collective --astra-system gives the rows of the flags it stands for; an explicit flag wins', () => {
    const dir = scratch();
    const file = join(dir, 'system.json');
    writeFileSync(file, JSON.stringify(HGX));
    // ASTRA-sim's own 8-NPU ring network (examples/network/analytical/Ring_8npus.yml)
    const net = join(dir, 'ring8.yml');
    writeFileSync(net, 'topology: [ Ring ]\nnpus_count: [ 8 ]\nbandwidth: [ 50.0 ]\nlatency: [ 500.0 ]\n');
    const rows = (...args: string[]) => {
      const r = fairway('collective', 'all_reduce', '-t', net, '-b', '1M', '-e', '16M', '-f', '4', '--json', ...args);
      expect(r.code, r.err).toBe(0);
      return JSON.parse(r.out).rows;
    };
    const viaConfig = rows('--astra-system', file);
    expect(viaConfig).toEqual(rows('--algo', 'ring', '--alpha', '10ns', '--reduce-bw', '3350GB/s'));
    expect(rows('--astra-system', file, '--algo', 'hd')).toEqual(rows('--algo', 'hd', '--alpha', '10ns', '--reduce-bw', '3350GB/s'));
    expect(viaConfig.map((r: { algo: string }) => r.algo)).toEqual(['ring', 'ring', 'ring']);
    expect(rows('--algo', 'ring')).not.toEqual(viaConfig);
    expect(fairway('collective', 'all_reduce', '-t', net, '-b', '1M', '-e', '1M', '--astra-system', file).err).toContain('not modelled: scheduling-policy');
  });
});
