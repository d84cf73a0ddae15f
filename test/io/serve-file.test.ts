// Serve files: presets and overrides, disaggregated pools, errors with paths.
import { describe, expect, it } from 'vitest';
import { parseServe } from '../../src/io/serve-file.js';
import { problems } from '../helpers/problems.js';

const load = { kind: 'poisson', rate: 2.5, requests: 10, input: 100, output: { uniform: [1, 50] } };

describe('parseServe', () => {
  it('a preset and its overrides; kvCache follows the weights; SLO defaults 2 s and 50 ms', () => {
    const { spec, topology } = parseServe({ topology: 'dgx-h100', model: 'llama3-8b', precision: { weights: 'fp8' }, scheduler: { preset: 'trtllm', tokenBudget: 4096 }, load }, 'f.yaml');
    expect(topology).toBe('dgx-h100');
    expect(spec.scheduler).toMatchObject({ preset: 'trtllm', policy: 'decode-first', tokenBudget: 4096, maxSequences: 2048, reserveOutput: 1 });
    expect([spec.weights, spec.kvCache]).toEqual(['fp8', 'fp8']);
    expect(spec.load).toMatchObject({ kind: 'poisson', rate: 2.5, output: { uniform: [1, 50] } });
    expect(spec.slo).toEqual({ ttftSec: 2, tpotSec: 0.05 });
  });

  it('weight-only 4-bit weights (w4a16): the KV cache defaults to BF16, the math\'s dtype', () => {
    const { spec } = parseServe({ model: 'llama3-70b', precision: { weights: 'w4a16' }, load }, 'f.yaml');
    expect([spec.weights, spec.kvCache]).toEqual(['w4a16', 'bf16']);
  });

  it('NVFP4 weights: the KV cache defaults to FP8 (ModelOpt\'s FP4 checkpoints carry FP8 KV scales); an FP4 cache is refused', () => {
    const { spec } = parseServe({ model: 'llama3-70b', precision: { weights: 'fp4' }, load }, 'f.yaml');
    expect([spec.weights, spec.kvCache]).toEqual(['fp4', 'fp8']);
    expect(parseServe({ model: 'llama3-70b', precision: { weights: 'fp4', kvCache: 'bf16' }, load }, 'f.yaml').spec.kvCache).toBe('bf16');
    expect(problems(() => parseServe({ model: 'llama3-70b', precision: { weights: 'fp4', kvCache: 'fp4' }, load }, 'f.yaml'))[0]).toMatch(/^precision\.kvCache: /);
  });

  it('speculative: {method: mtp, tokens, acceptance} goes to the scheduler; tokens required, acceptance 0 to 1, not with pipeline stages', () => {
    const { spec } = parseServe({ model: 'deepseek-v3', tp: 8, speculative: { method: 'mtp', tokens: 3, acceptance: 0.7 }, load }, 'f.yaml');
    expect(spec.scheduler.speculative).toEqual({ tokens: 3, acceptance: 0.7 });
    expect(problems(() => parseServe({ model: 'llama3-8b', speculative: { acceptance: 0.7 }, load }, 'f.yaml'))[0]).toMatch(/^speculative\.tokens: required/);
    expect(problems(() => parseServe({ model: 'llama3-8b', speculative: { tokens: 2, acceptance: 1.5 }, load }, 'f.yaml'))[0]).toMatch(/^speculative\.acceptance: /);
    expect(problems(() => parseServe({ model: 'llama3-8b', speculative: { method: 'medusa', tokens: 2, acceptance: 0.5 }, load }, 'f.yaml'))[0]).toMatch(/^speculative\.method: /);
    expect(problems(() => parseServe({ model: 'llama3-8b', tp: 2, pp: 2, speculative: { tokens: 2, acceptance: 0.5 }, load }, 'f.yaml'))).toEqual(['speculative: speculative decoding with pipeline stages is not modelled: leave out pp, or speculative']);
  });

  it('disaggregated pools replace instances and tp; giving both is an error', () => {
    const d = { prefill: { instances: 2, tp: 4 }, decode: { instances: 1, tp: 8 } };
    expect(parseServe({ model: 'llama3-8b', disaggregated: d, load }, 'f.yaml').spec.disaggregated).toEqual(d);
    expect(problems(() => parseServe({ model: 'llama3-8b', tp: 8, disaggregated: d, load }, 'f.yaml'))).toEqual(['disaggregated: give the pools here, not instances, tp and pp at the top']);
    // the KV cache moves whole after the first token unless streamed by layer
    expect(parseServe({ model: 'llama3-8b', disaggregated: { ...d, kvTransfer: 'layer' }, load }, 'f.yaml').spec.disaggregated?.kvTransfer).toBe('layer');
    expect(problems(() => parseServe({ model: 'llama3-8b', disaggregated: { ...d, kvTransfer: 'chunk' }, load }, 'f.yaml'))[0]).toMatch(/^disaggregated\.kvTransfer: /);
  });

  it('every problem with its path', () => {
    const got = problems(() => parseServe({ model: 'llama3-8b', scheduler: { preset: 'tgi', reserveOutput: 2 }, load: { kind: 'trace' } }, 'f.yaml'));
    expect(got.map((x) => x.split(':')[0])).toEqual(['scheduler.preset', 'scheduler.reserveOutput', 'load.trace']);
    expect(got[1]).toContain('must be a number from 0 to 1');
  });

  it('expertParallel: off by default, a boolean', () => {
    expect(parseServe({ model: 'qwen3-30b-a3b', tp: 4, load }, 'f.yaml').spec.expertParallel).toBe(false);
    expect(parseServe({ model: 'qwen3-30b-a3b', tp: 4, expertParallel: true, load }, 'f.yaml').spec.expertParallel).toBe(true);
    expect(problems(() => parseServe({ model: 'qwen3-30b-a3b', expertParallel: 'yes', load }, 'f.yaml'))[0]).toMatch(/^expertParallel: /);
  });

  it('scheduler.preemption: recompute by default, or swap with 4 GiB of swap space a GPU unless swapSpace says otherwise', () => {
    expect(parseServe({ model: 'llama3-8b', load }, 'f.yaml').spec.scheduler).toMatchObject({ preemption: 'recompute', swapSpaceBytes: 4 * 2 ** 30 });
    expect(parseServe({ model: 'llama3-8b', scheduler: { preemption: 'swap', swapSpace: '16GiB' }, load }, 'f.yaml').spec.scheduler).toMatchObject({ preemption: 'swap', swapSpaceBytes: 16 * 2 ** 30 });
    expect(problems(() => parseServe({ model: 'llama3-8b', scheduler: { preemption: 'evict' }, load }, 'f.yaml'))[0]).toMatch(/^scheduler\.preemption: /);
  });

  it('load.prefixes: groups and tokens, its seed the load\'s by default; kv-aware routing needs them; not with a hit rate', () => {
    const withPrefixes = { ...load, seed: 9, prefixes: { groups: 16, tokens: 1024 } };
    expect(parseServe({ model: 'llama3-8b', router: 'kv-aware', load: withPrefixes }, 'f.yaml').spec).toMatchObject({ router: 'kv-aware', prefixes: { groups: 16, tokens: 1024, seed: 9 } });
    expect(problems(() => parseServe({ model: 'llama3-8b', router: 'kv-aware', load }, 'f.yaml'))).toEqual(['router: kv-aware routes by cached prompt prefixes: give load.prefixes, e.g. {groups: 16, tokens: 1024}']);
    expect(problems(() => parseServe({ model: 'llama3-8b', scheduler: { prefixHitRate: 0.5 }, load: withPrefixes }, 'f.yaml'))).toEqual(['scheduler.prefixHitRate: give either a hit rate or load.prefixes (shared prefixes the instances cache), not both']);
    expect(problems(() => parseServe({ model: 'llama3-8b', load: { ...load, prefixes: { groups: 0 } } }, 'f.yaml'))[0]).toMatch(/^load\.prefixes\.groups: /);
  });

  it('dataParallelAttention: with expert parallelism (all-to-alls) or without (tensor-parallel FFNs over the gathered batch); DeepSeek-V3 is served', () => {
    expect(parseServe({ model: 'qwen3-30b-a3b', tp: 8, expertParallel: true, dataParallelAttention: true, load }, 'f.yaml').spec.dataParallelAttention).toBe(true);
    const gathered = parseServe({ model: 'deepseek-v3', tp: 8, dataParallelAttention: true, load }, 'f.yaml').spec;
    expect([gathered.dataParallelAttention, gathered.expertParallel, gathered.model.mla?.kvLora]).toEqual([true, false, 512]);
  });

  it('pp: pipeline stages at the top or in a pool, 1 to 64', () => {
    expect(parseServe({ model: 'llama3-70b', tp: 8, pp: 2, load }, 'f.yaml').spec).toMatchObject({ tp: 8, pp: 2 });
    expect(parseServe({ model: 'llama3-70b', tp: 8, load }, 'f.yaml').spec.pp).toBeUndefined();
    expect(parseServe({ model: 'llama3-70b', disaggregated: { prefill: { instances: 1, tp: 4, pp: 2 }, decode: { instances: 1, tp: 8 } }, load }, 'f.yaml').spec.disaggregated?.prefill).toEqual({ instances: 1, tp: 4, pp: 2 });
    expect(problems(() => parseServe({ model: 'llama3-70b', pp: 0, load }, 'f.yaml'))[0]).toMatch(/^pp: /);
  });

  it('scheduler.cudaGraphs: all by default, decode or none; launch 5 µs by default', () => {
    expect(parseServe({ model: 'llama3-8b', load }, 'f.yaml').spec.scheduler).toMatchObject({ cudaGraphs: 'all', launchSec: 5e-6 });
    const eager = parseServe({ model: 'llama3-8b', scheduler: { cudaGraphs: 'none', launch: '20us' }, load }, 'f.yaml').spec.scheduler;
    expect(eager.cudaGraphs).toBe('none');
    expect(eager.launchSec).toBeCloseTo(20e-6, 15);
    expect(problems(() => parseServe({ model: 'llama3-8b', scheduler: { cudaGraphs: 'some' }, load }, 'f.yaml'))[0]).toMatch(/^scheduler\.cudaGraphs: /);
  });

  it('load.burstiness: a number > 0, only for Poisson loads', () => {
    expect(parseServe({ model: 'llama3-8b', load: { ...load, burstiness: 0.5 } }, 'f.yaml').spec.load).toMatchObject({ kind: 'poisson', burstiness: 0.5 });
    expect(problems(() => parseServe({ model: 'llama3-8b', load: { ...load, burstiness: 0 } }, 'f.yaml'))[0]).toMatch(/^load\.burstiness: must be a number > 0/);
    expect(problems(() => parseServe({ model: 'llama3-8b', load: { kind: 'concurrency', concurrency: 2, requests: 4, input: 8, output: 2, burstiness: 2 } }, 'f.yaml'))).toEqual(['load.burstiness: shapes the gaps of a Poisson load (kind: poisson)']);
  });

  it('scheduler.prefixHitRate: 0 by default, a share from 0 to 1', () => {
    expect(parseServe({ model: 'llama3-8b', load }, 'f.yaml').spec.scheduler.prefixHitRate).toBe(0);
    expect(parseServe({ model: 'llama3-8b', scheduler: { prefixHitRate: 0.6 }, load }, 'f.yaml').spec.scheduler.prefixHitRate).toBe(0.6);
    expect(problems(() => parseServe({ model: 'llama3-8b', scheduler: { prefixHitRate: 1.5 }, load }, 'f.yaml'))).toEqual(['scheduler.prefixHitRate: must be a number from 0 to 1 (the share of each prompt found in the prefix cache), got 1.5']);
  });
});

