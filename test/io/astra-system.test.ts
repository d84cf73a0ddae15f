// ASTRA-sim system configs (src/io/astra-system.ts): the operation's implementation as the
// algorithm, endpoint-delay as α, local-mem-bw as the reduction bandwidth; what fairway does not
// model is noted; mixed or custom implementations and unknown fields are refused by name; and
// `collective --astra-system` gives the rows of the equivalent flags; `simulate --astra-system`
// sets the algorithm of a workload's collectives whose algo is auto.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { astraSystemFields } from '../../src/io/astra-system.js';
import { fairway, scratch } from '../helpers/cli.js';

const HGX = { 'scheduling-policy': 'LIFO', 'endpoint-delay': 10, 'active-chunks-per-dimension': 2, 'preferred-dataset-splits': 4, 'all-reduce-implementation': ['ring'], 'all-gather-implementation': ['ring'], 'reduce-scatter-implementation': ['ring'], 'all-to-all-implementation': ['direct'], 'collective-optimization': 'localBWAware', 'local-mem-bw': 3350, 'boost-mode': 0 };

/** ASTRA-sim's HGX-H100 system config and its analytical ring of `npus` NPUs (50 GB/s, GB = 2^30 B; 500 ns links), written to a scratch folder. */
function astraInputs(npus: number): { system: string; net: string } {
  const dir = scratch();
  const system = join(dir, 'system.json');
  writeFileSync(system, JSON.stringify(HGX));
  const net = join(dir, `ring${npus}.yml`);
  writeFileSync(net, `topology: [ Ring ]\nnpus_count: [ ${npus} ]\nbandwidth: [ 50.0 ]\nlatency: [ 500.0 ]\n`);
  return { system, net };
}

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
    // ASTRA-sim's own 8-NPU ring network (examples/network/analytical/Ring_8npus.yml)
    const { system: file, net } = astraInputs(8);
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

  test("simulate --astra-system: the config's algorithms for the workload's auto collectives, an explicit algo kept, what workloads leave out on stderr", () => {
    const dir = scratch();
    const file = join(dir, 'system.json');
    writeFileSync(file, JSON.stringify(HGX));
    const run = (w: string, ...args: string[]) => {
      const r = fairway('simulate', '-w', w, '--json', ...args);
      expect(r.code, r.err).toBe(0);
      return { out: JSON.parse(r.out), err: r.err };
    };
    // dp-step-overlap's 8 all-reduces (2 per iteration × 4) are auto: NVLS on a DGX H100 by default, ring under the config
    expect(run('workloads/dp-step-overlap.yaml').out.collectiveAlgorithms).toEqual({ all_reduce: { nvls: 8 } });
    const viaConfig = run('workloads/dp-step-overlap.yaml', '--astra-system', file);
    expect(viaConfig.out.collectiveAlgorithms).toEqual({ all_reduce: { ring: 8 } });
    expect(viaConfig.err).toContain('used all_reduce ring, all_gather ring, reduce_scatter ring, alltoall direct');
    expect(viaConfig.err).toContain('not applied in workloads: endpoint-delay, local-mem-bw');
    // an algo the workload gives is kept
    const explicit = join(dir, 'w.yaml');
    writeFileSync(explicit, 'ops:\n  - {id: ar, type: collective, op: all_reduce, bytes: 64MiB, algo: tree}\n  - {id: ag, type: collective, op: all_gather, bytes: 64MiB, after: [ar]}\n');
    expect(run(explicit, '-t', 'dgx-h100-1node', '--astra-system', file).out.collectiveAlgorithms).toEqual({ all_reduce: { tree: 1 }, all_gather: { ring: 1 } });
    // a custom collective is refused, exit 2
    const custom = join(dir, 'custom.json');
    writeFileSync(custom, JSON.stringify({ 'all-reduce-implementation-custom': ['x.et'] }));
    const bad = fairway('simulate', '-w', 'workloads/dp-step-overlap.yaml', '--astra-system', custom);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/custom \(MSCCL-IR\) collectives are not supported/);
  });

  test("an ASTRA-sim run's three inputs in simulate: Chakra traces, a network config, a system config (NPUs without a CPU run: the traces do no host work)", () => {
    // ASTRA-sim's Ring_4npus.yml
    const { system, net } = astraInputs(4);
    const traces = fileURLToPath(new URL('../fixtures/chakra/microbenchmarks/all_reduce/4npus_1MB/all_reduce', import.meta.url));
    const run = (...args: string[]) => {
      const r = fairway('simulate', '--chakra', traces, '-t', net, '--json', ...args);
      expect(r.code, r.err).toBe(0);
      return JSON.parse(r.out);
    };
    // the ring all-reduce of 1 MiB: 2(n − 1)/n × S / B on each ring link plus 2(n − 1) hops of 500 ns:
    // 1.5 × 2^20 / (50 × 2^30) + 6 × 0.5 µs = 29.297 + 3 = 32.297 µs
    const ring = run('--astra-system', system);
    expect(ring.collectiveAlgorithms).toEqual({ all_reduce: { ring: 1 } });
    expect(ring.stepSec).toBeCloseTo((1.5 * 2 ** 20) / (50 * 2 ** 30) + 6 * 500e-9, 12);
    // without the config the NPUs' auto choice stands
    expect(run().collectiveAlgorithms).toEqual({ all_reduce: { 'two-shot': 1 } });
  });
});
