// Serving runs: the scheduler's invariants on every step (with preemption), queueing sanity at
// low and at excessive load, closed-loop concurrency.
import { describe, expect, it } from 'vitest';
import { ACCELERATOR_SPECS } from '../../../src/hardware/index.js';
import { KERNEL_BOUNDARY_SEC } from '../../../src/hardware/kernel-boundary.js';
import { loadRequests, runServing, type ServingInstance } from '../../../src/sim/serving/serving-run.js';
import { summarize } from '../../../src/sim/serving/serving-stats.js';
import { MODELS } from '../../../src/workload/generators/models.js';
import { stepCost } from '../../../src/workload/serving/forward-cost.js';
import type { InstanceShape } from '../../../src/workload/serving/instance-shape.js';
import { plainLayout } from '../../../src/workload/serving/kv-layout.js';
import { SCHEDULER_PRESETS, type LoadSpec, type ServeSpec } from '../../../src/workload/serving/serve-spec.js';

const shape: InstanceShape = { model: MODELS.get('llama3-8b')!, accelerator: ACCELERATOR_SPECS.get('h100-sxm')!, tp: 1, weights: 'bf16', kvCache: 'bf16', attention: 'fused', allReduceSec: () => 0 };

function spec(load: LoadSpec, preset: 'vllm' | 'sglang' | 'trtllm' = 'vllm', overrides = {}): ServeSpec {
  return { name: 't', model: shape.model, instances: 1, tp: 1, weights: 'bf16', kvCache: 'bf16', scheduler: { preset, ...SCHEDULER_PRESETS[preset], ...overrides }, router: 'round-robin', load, slo: { ttftSec: 2, tpotSec: 0.05 } };
}
const instance = (blocks: number): ServingInstance[] => [{ shape, capacity: { blocks, blockSize: 16, blockBytes: 16 * 131_072, layout: plainLayout(16), budgetBytes: 0, weightBytes: 0, workspaceBytes: 0, kvBytes: 0 } }];

describe('runServing', () => {
  it('speculative decoding: every request finishes with exactly its output through preemptions, blocks and budget holding each step; at acceptance 0.8 with 3 drafts TPOT falls, not as far as the 2.95 tokens a step alone would take it', () => {
    const load: LoadSpec = { kind: 'poisson', rate: 20, requests: 200, input: { uniform: [16, 2000] }, output: { uniform: [1, 400] }, seed: 7 };
    const plainSpec = spec(load, 'vllm', { tokenBudget: 2048, maxSequences: 64 });
    const draftSpec = spec(load, 'vllm', { tokenBudget: 2048, maxSequences: 64, speculative: { tokens: 3, acceptance: 0.8 } });
    const plain = runServing(plainSpec, instance(2000), { check: true });
    const spec3 = runServing(draftSpec, instance(2000), { check: true });
    expect(spec3.rejected).toHaveLength(0);
    expect(spec3.requests.every((r) => r.finishedSec > 0 && r.generated === r.output && r.blocks === 0)).toBe(true);
    // 2.95 tokens a step, but each step verifies 4 tokens a sequence and drafts 3 one-layer passes with their LM heads:
    // between the ideal 1 / 2.95 of the plain TPOT and 0.8 of it
    const ratio = summarize(draftSpec, spec3).tpotSec.p50 / summarize(plainSpec, plain).tpotSec.p50;
    expect(ratio).toBeGreaterThan(1 / ((1 - 0.8 ** 4) / 0.2));
    expect(ratio).toBeLessThan(0.8);
  });

  it('data-parallel attention: a scheduler a rank; through preemptions every request finishes, each rank\'s blocks and limits hold on every step, and one rank prefills while the others decode', () => {
    // Qwen3-30B-A3B on 4 ranks with expert parallelism: 500 blocks, a quarter of the budget (1,024 tokens) and of the slots (32) a rank
    const dp: InstanceShape = { ...shape, model: MODELS.get('qwen3-30b-a3b')!, tp: 4, expertParallel: true, dataParallelAttention: true, allToAllSec: (bytes) => 1e-5 + bytes / 1e11 };
    const s = { ...spec({ kind: 'poisson', rate: 40, requests: 300, input: { uniform: [16, 2000] }, output: { uniform: [1, 400] }, seed: 7 }, 'sglang', { tokenBudget: 4096, maxSequences: 128 }), model: dp.model, tp: 4 };
    const run = runServing(s, [{ shape: dp, capacity: { blocks: 2000, blockSize: 16, blockBytes: 0, layout: plainLayout(16), budgetBytes: 0, weightBytes: 0, workspaceBytes: 0, kvBytes: 0 } }], { check: true, record: true });
    expect(run.rejected).toHaveLength(0);
    expect(run.requests.every((r) => r.finishedSec > 0 && r.generated === r.output && r.blocks === 0)).toBe(true);
    expect(run.instances[0].preemptions).toBeGreaterThan(0);
    expect(run.instances[0].kvBlocks).toBe(2000);
    // prefill-first on one scheduler never mixes a prefill and a decode in one step; with one a rank a step holds at most 4 × 1024 new tokens and often both
    const steps = run.timeline!.steps;
    expect(Math.max(...steps.map((x) => x.tokens))).toBeLessThanOrEqual(4096);
    expect(steps.some((x) => x.tokens > x.sequences && x.sequences > 4)).toBe(true);
  });

  it.each(['vllm', 'sglang'] as const)('%s: every request finishes once with its output length; blocks, budget and slots hold on every step, through preemptions', (preset) => {
    // 300 requests of up to 2,000 + 400 tokens at 20/s into 2,000 blocks (32,000 tokens): the cache fills and sequences are preempted
    const s = spec({ kind: 'poisson', rate: 20, requests: 300, input: { uniform: [16, 2000] }, output: { uniform: [1, 400] }, seed: 7 }, preset, { tokenBudget: 2048, maxSequences: 64 });
    const run = runServing(s, instance(2000), { check: true });
    expect(run.rejected).toHaveLength(0);
    expect(run.requests.every((r) => r.finishedSec > 0 && r.generated === r.output && r.blocks === 0)).toBe(true);
    expect(run.instances[0].preemptions).toBeGreaterThan(0);
    expect(run.instances[0].peakKvUse).toBeLessThanOrEqual(1);
    // a request can finish no earlier than its arrival plus one step a token
    expect(run.requests.every((r) => r.finishedSec >= r.firstTokenSec && r.firstTokenSec > r.arrivalSec)).toBe(true);
  });

  it('swap preemption: a preempted sequence keeps what it knew on the host and computes only the rest; each swapped block crosses the host path twice, every step waiting for its copies', () => {
    // the invariant test's pressure, with host swap space for 1,000 blocks at 50 GB/s: a block is 16 tokens × 128 KiB (Llama 3 8B, BF16) = 2 MiB, 41.9 µs
    const load: LoadSpec = { kind: 'poisson', rate: 20, requests: 300, input: { uniform: [16, 2000] }, output: { uniform: [1, 400] }, seed: 7 };
    const swapSpec = spec(load, 'vllm', { tokenBudget: 2048, maxSequences: 64, preemption: 'swap' });
    const swapped = runServing(swapSpec, [{ ...instance(2000)[0], swap: { blocks: 1000, bytesPerSec: 50e9 } }], { check: true });
    const recomputed = runServing(spec(load, 'vllm', { tokenBudget: 2048, maxSequences: 64 }), instance(2000), { check: true });
    const [i, r] = [swapped.instances[0], recomputed.instances[0]];
    expect(swapped.requests.every((q) => q.finishedSec > 0 && q.generated === q.output && q.swapped === 0)).toBe(true);
    expect(i.swapOuts).toBeGreaterThan(0);
    expect(i.swapOuts).toBe(i.preemptions); // the host never filled
    // every block out came back in, each copy one block's 2 MiB at 50 GB/s
    const perBlock = (16 * 128 * 1024) / 50e9;
    expect(i.swapBlocks % 2).toBe(0);
    expect(i.swapSec).toBeCloseTo(i.swapBlocks * perBlock, 12);
    // fewer tokens computed than when the preempted recompute what they knew
    expect(i.meanBatchTokens * i.steps).toBeLessThan(r.meanBatchTokens * r.steps);
    expect(r.swapOuts).toBe(0);
  });

  it('shared prefixes: a request whose group an instance computed finds that prefix cached there; kv-aware routing sends it there, round-robin does not', () => {
    // two requests of group 0 (prefixes: 1 group of 1,024 tokens), 10 s apart, on two idle instances; prompts of 2,000 tokens
    const load: LoadSpec = { kind: 'trace', source: 't', requests: [{ arrivalSec: 0, input: 2000, output: 4 }, { arrivalSec: 10, input: 2000, output: 4 }] };
    const two = [...instance(100_000), ...instance(100_000)];
    const prefixes = { groups: 1, tokens: 1024, seed: 1 };
    const kv = runServing({ ...spec(load), router: 'kv-aware', prefixes }, two, { check: true });
    // the first goes to instance 0 (a tie, broken in turn); the second costs 2,000 − 1,024 + 0 tokens there, 2,000 on instance 1
    expect(Array.from(kv.instanceOf)).toEqual([0, 0]);
    expect(kv.instances[0].prefixHitTokens).toBe(1024);
    // its prefill computes 976 tokens attending to the 1,024 cached: TTFT is that step
    const rest = stepCost(shape, { sequences: 1, tokens: 976, sampled: 1, attentionPairs: 976 * (1024 + 977 / 2), kvTokensRead: 2000 }).seconds;
    expect(kv.requests[1].firstTokenSec - kv.requests[1].arrivalSec).toBeCloseTo(rest, 9);
    const rr = runServing({ ...spec(load), router: 'round-robin', prefixes }, two, { check: true });
    expect(Array.from(rr.instanceOf)).toEqual([0, 1]);
    expect(rr.instances[0].prefixHitTokens + rr.instances[1].prefixHitTokens).toBe(0);
  });

  it('shared prefixes live in free blocks: all kept while they fit beside the running sequence, the least recently used evicted when they do not', () => {
    // one request at a time (every 2 s, each done in ~0.2 s): prompts of 1,700 tokens (107 blocks of 16 with their 8 outputs), 4 groups of 1,600-token prefixes (100 blocks each)
    const load: LoadSpec = { kind: 'trace', source: 't', requests: Array.from({ length: 60 }, (_, i) => ({ arrivalSec: 2 * i, input: 1700, output: 8 })) };
    const run = (blocks: number) => runServing({ ...spec(load), prefixes: { groups: 4, tokens: 1600, seed: 3 } }, instance(blocks), { check: true });
    const roomy = run(600);
    // 600 − 107 = 493 free blocks hold all 4 prefixes (400): every request after its group's first finds it
    const groups = new Set(roomy.requests.map((r) => r.group)).size;
    expect(groups).toBe(4);
    expect(roomy.instances[0].prefixHitTokens).toBe((60 - 4) * 1600);
    // 450 − 107 = 343 hold 3: a fourth group evicts the least recently used, whose next request computes it again
    const tight = run(450).instances[0].prefixHitTokens / 1600;
    expect(Number.isInteger(tight)).toBe(true);
    expect(tight).toBeGreaterThan(0);
    expect(tight).toBeLessThan(56);
  });

  it('a prefix computed by a request that finishes in the same step (a prefill instance\'s: output 1) is kept once its blocks are back', () => {
    // ten 1,700-token prompts one after another, one group of a 1,600-token prefix, 150 blocks of 16:
    // a request's 107 blocks leave 43 free while it runs, all 150 once it has finished
    const load: LoadSpec = { kind: 'trace', source: 't', requests: Array.from({ length: 10 }, (_, i) => ({ arrivalSec: 2 * i, input: 1700, output: 1 })) };
    const run = runServing({ ...spec(load), prefixes: { groups: 1, tokens: 1600, seed: 1 } }, instance(150), { check: true });
    expect(run.instances[0].prefixHitTokens).toBe(9 * 1600);
  });

  it('a short prompt holds only its own part of its group\'s prefix: a 100-token prompt leaves 96 tokens (6 blocks) for a later 2,000-token one', () => {
    const load: LoadSpec = { kind: 'trace', source: 't', requests: [{ arrivalSec: 0, input: 100, output: 2 }, { arrivalSec: 5, input: 2000, output: 2 }] };
    const run = runServing({ ...spec(load), prefixes: { groups: 1, tokens: 500, seed: 1 } }, instance(10_000), { check: true });
    expect(run.instances[0].prefixHitTokens).toBe(96);
  });

  it('one rank\'s share bounds a sequence under data-parallel attention: a request over it is rejected, one under it runs', () => {
    // 1,000 blocks of 16 in all, 125 a rank: 2,000 + 10 tokens need 126 blocks, 1,900 + 10 need 120
    const load: LoadSpec = { kind: 'trace', source: 't', requests: [{ arrivalSec: 0, input: 2000, output: 10 }, { arrivalSec: 0, input: 1900, output: 10 }] };
    const run = runServing(spec(load), [{ ...instance(1000)[0], sequenceBlocks: 125 }], { check: true });
    expect(run.rejected.map((r) => r.id)).toEqual([0]);
    expect(run.requests[1].generated).toBe(10);
  });

  it('swap space per rank (data-parallel attention): a sequence larger than one rank\'s space recomputes, though the instance\'s pooled space could hold it', () => {
    // the invariant test's pressure; prompts up to 2,000 tokens (125 blocks); 400 host blocks over 4 ranks: 100 a rank
    const load: LoadSpec = { kind: 'poisson', rate: 20, requests: 300, input: { uniform: [1700, 2000] }, output: { uniform: [1, 400] }, seed: 7 };
    const swapSpec = spec(load, 'vllm', { tokenBudget: 2048, maxSequences: 64, preemption: 'swap' });
    const pooled = runServing(swapSpec, [{ ...instance(2000)[0], swap: { blocks: 400, bytesPerSec: 50e9, ranks: 1 } }], { check: true }).instances[0];
    const perRank = runServing(swapSpec, [{ ...instance(2000)[0], swap: { blocks: 400, bytesPerSec: 50e9, ranks: 4 } }], { check: true }).instances[0];
    // a sequence with 1,600+ tokens cached holds 100+ blocks: over a rank's 100, so it recomputes there, while one pool of 400 takes it
    expect(pooled.swapOuts).toBe(pooled.preemptions);
    expect(perRank.swapOuts).toBeGreaterThan(0);
    expect(perRank.swapOuts).toBeLessThan(perRank.preemptions);
  });

  it('trtllm (GUARANTEED_NO_EVICT): blocks for the whole output are reserved at admission, so the same pressure preempts nothing', () => {
    const s = spec({ kind: 'poisson', rate: 20, requests: 300, input: { uniform: [16, 2000] }, output: { uniform: [1, 400] }, seed: 7 }, 'trtllm', { tokenBudget: 2048, maxSequences: 64, blockSize: 16 });
    const run = runServing(s, instance(2000), { check: true });
    expect(run.instances[0].preemptions).toBe(0);
    expect(run.requests.every((r) => r.generated === r.output)).toBe(true);
  });

  it('at low load a request meets an idle instance: its TTFT is the step of its whole prompt', () => {
    // 0.05 requests/s of 1,000-token prompts: arrivals ~20 s apart, each served alone in ~2 s
    const s = spec({ kind: 'poisson', rate: 0.05, requests: 20, input: { fixed: 1000 }, output: { fixed: 64 }, seed: 3 });
    const run = runServing(s, instance(100_000));
    const prefill = stepCost(shape, { sequences: 1, tokens: 1000, sampled: 1, attentionPairs: (1000 * 1001) / 2, kvTokensRead: 1000 }).seconds;
    const ttfts = run.requests.map((r) => r.firstTokenSec - r.arrivalSec);
    expect(Math.min(...ttfts)).toBeCloseTo(prefill, 9);
    expect(Math.max(...ttfts)).toBeLessThan(2 * prefill);
    expect(summarize(s, run).overloaded).toBe(false);
  });

  it('prefix caching: a 1,000-token prompt at hit rate 0.5 finds 496 tokens (31 blocks of 16) cached and computes the other 504, attending to the cached ones', () => {
    const s = spec({ kind: 'poisson', rate: 0.05, requests: 20, input: { fixed: 1000 }, output: { fixed: 64 }, seed: 3 }, 'vllm', { prefixHitRate: 0.5 });
    const run = runServing(s, instance(100_000), { check: true });
    // ⌊0.5 · 1000 / 16⌋ = 31 blocks = 496 tokens; the step computes 504 new tokens with 504 · (496 + 505/2) query-key pairs
    const prefill = stepCost(shape, { sequences: 1, tokens: 504, sampled: 1, attentionPairs: 504 * (496 + 505 / 2), kvTokensRead: 1000 }).seconds;
    const ttfts = run.requests.map((r) => r.firstTokenSec - r.arrivalSec);
    expect(Math.min(...ttfts)).toBeCloseTo(prefill, 9);
    expect(run.instances[0].prefixHitTokens).toBe(20 * 496);
    // a prompt inside one block has no whole block to find: at hit rate 1 a 10-token prompt still computes all 10
    const tiny = runServing(spec({ kind: 'trace', source: 't', requests: [{ arrivalSec: 0, input: 10, output: 2 }, { arrivalSec: 0, input: 40, output: 2 }] }, 'vllm', { prefixHitRate: 1 }), instance(100), { check: true });
    // and at hit rate 1 a 40-token prompt finds its 2 whole blocks (32 tokens), short of its last token
    expect(tiny.instances[0].prefixHitTokens).toBe(32);
  });

  it('burstiness: the same mean rate, gaps of a gamma distribution (vLLM --burstiness): 1 is Poisson draw for draw, 0.25 bunches the arrivals', () => {
    const poisson: LoadSpec = { kind: 'poisson', rate: 4, requests: 4000, input: { fixed: 10 }, output: { fixed: 1 }, seed: 11 };
    const gaps = (l: LoadSpec) => {
      const t = loadRequests(l).map((q) => q.arrivalSec);
      return t.map((x, i) => x - (i ? t[i - 1] : 0));
    };
    expect(loadRequests({ ...poisson, burstiness: 1 })).toEqual(loadRequests(poisson));
    // the lengths do not depend on the burstiness (its gaps come from a generator of their own)
    const lengths = (l: LoadSpec) => loadRequests(l).map((q) => q.input);
    const variable: LoadSpec = { ...poisson, input: { uniform: [10, 5000] } };
    expect(lengths({ ...variable, burstiness: 2 })).toEqual(lengths(variable));
    const cv2 = (g: number[]) => {
      const m = g.reduce((a, b) => a + b, 0) / g.length;
      return g.reduce((a, b) => a + (b - m) ** 2, 0) / g.length / (m * m);
    };
    const bursty = gaps({ ...poisson, burstiness: 0.25 });
    // mean gap 1/4 s within 5%; CV² near 1/0.25 = 4 (Poisson: 1)
    expect(Math.abs(bursty.reduce((a, b) => a + b, 0) / 4000 / 0.25 - 1)).toBeLessThan(0.05);
    expect(cv2(bursty)).toBeGreaterThan(3);
    expect(cv2(bursty)).toBeLessThan(5);
    expect(Math.abs(cv2(gaps(poisson)) - 1)).toBeLessThan(0.15);
  });

  it('pipeline stages: a batch passes both stages in turn (the first without the LM head), and the next batch enters the first stage as soon as it frees', () => {
    // Llama 3 8B in 2 stages of 16 layers; hidden states handed on at 50 GB/s plus 2 µs
    const stage: InstanceShape = { ...shape, model: { ...shape.model, layers: 16 }, pp: 2, stageSendSec: (bytes) => bytes / 50e9 + 2e-6 };
    // two 1,000-token prompts at 0, one sequence a step: A fills the pipeline, B follows it
    const load: LoadSpec = { kind: 'trace', source: 't', requests: [{ arrivalSec: 0, input: 1000, output: 1 }, { arrivalSec: 0, input: 1000, output: 1 }] };
    const run = runServing(spec(load, 'vllm', { maxSequences: 1 }), [{ ...instance(100_000)[0], shape: stage }], { check: true });
    const cost = stepCost(stage, { sequences: 1, tokens: 1000, sampled: 1, attentionPairs: (1000 * 1001) / 2, kvTokensRead: 1000 });
    // the first stage: the step less the LM head and its 3 kernels (final norm, head, sampling)
    const inner = cost.seconds - cost.headSec - 3 * KERNEL_BOUNDARY_SEC;
    const send = (1000 * 4096 * 2) / 50e9 + 2e-6;
    const [a, b] = run.requests;
    expect(a.firstTokenSec).toBeCloseTo(inner + send + cost.seconds, 12);
    // B enters stage 1 when A leaves it (at inner), and stage 2 when A leaves that: A's time plus one last stage
    expect(b.firstTokenSec).toBeCloseTo(inner + send + 2 * cost.seconds, 12);
    expect(b.admittedSec).toBeCloseTo(inner, 12);
    // with batches in flight more sequences run than one batch may hold: each batch still takes at most maxSequences (checked every step)
    const busy: LoadSpec = { kind: 'poisson', rate: 5, requests: 10, input: { uniform: [10, 2000] }, output: { fixed: 50 }, seed: 1 };
    for (const preset of ['sglang', 'vllm'] as const) {
      const r = runServing(spec(busy, preset, { maxSequences: 2 }), [{ ...instance(100_000)[0], shape: stage }], { check: true });
      expect(r.requests.every((q) => q.generated === 50)).toBe(true);
    }
    // a request arriving while the only batch is past the first stage is admitted at once, not when that batch lands
    const later: LoadSpec = { kind: 'trace', source: 't', requests: [{ arrivalSec: 0, input: 1000, output: 50 }, { arrivalSec: inner + 1e-4, input: 1000, output: 1 }] };
    const c = runServing(spec(later, 'vllm', { maxSequences: 1 }), [{ ...instance(100_000)[0], shape: stage }], { check: true }).requests[1];
    expect(c.admittedSec).toBeCloseTo(inner + 1e-4, 12);
  });

  it('CUDA graphs: an eager step takes the longer of its GPU time and its kernels\' launches (324 × 50 µs = 16.2 ms for Llama 3 8B), a graph replay one launch', () => {
    // one request alone: its decode steps decode one token each
    const load: LoadSpec = { kind: 'trace', source: 't', requests: [{ arrivalSec: 0, input: 1000, output: 3 }] };
    const run = (cudaGraphs: 'all' | 'decode' | 'none') => runServing(spec(load, 'vllm', { cudaGraphs, launchSec: 50e-6 }), instance(100_000), { check: true }).requests[0];
    const decodeGpu = stepCost(shape, { sequences: 1, tokens: 1, sampled: 1, attentionPairs: 1001, kvTokensRead: 1001 }).seconds;
    const prefillGpu = stepCost(shape, { sequences: 1, tokens: 1000, sampled: 1, attentionPairs: (1000 * 1001) / 2, kvTokensRead: 1000 }).seconds;
    const eagerHost = 324 * 50e-6;
    expect(decodeGpu).toBeLessThan(eagerHost);
    expect(prefillGpu).toBeGreaterThan(eagerHost);
    // eager: the prefill is GPU-bound, the decodes launch-bound
    const none = run('none');
    expect(none.firstTokenSec).toBeCloseTo(prefillGpu, 12);
    expect(none.finishedSec - none.firstTokenSec).toBeCloseTo(2 * eagerHost, 12);
    // decode graphs: the decodes replay a graph (one launch, under the GPU time)
    const decode = run('decode');
    expect(decode.finishedSec - decode.firstTokenSec).toBeLessThan(2 * decodeGpu * 1.01);
    expect(decode.finishedSec - decode.firstTokenSec).toBeGreaterThan(2 * decodeGpu * 0.99);
  });

  it('above capacity the admission queue grows to the last arrival, and the summary says overloaded', () => {
    // 200 requests/s of 2,000-token prompts need 400k prefill tokens/s; one H100 prefills ~40k/s for Llama 3 8B
    const s = spec({ kind: 'poisson', rate: 200, requests: 2000, input: { fixed: 2000 }, output: { fixed: 32 }, seed: 5 });
    const run = runServing(s, instance(50_000));
    const sum = summarize(s, run);
    expect(run.waitingAtEnd).toBeGreaterThan(1.5 * run.waitingAtHalf);
    expect(sum.overloaded).toBe(true);
    // the queue, not the prefill (~50 ms), sets the latency: the last arrivals wait seconds
    expect(sum.ttftSec.p99).toBeGreaterThan(1);
  });

  it('a request that could never finish (prompt + output over the whole cache) is rejected on arrival; the others run', () => {
    // 100 blocks of 16 tokens = 1,600 tokens: 1,590 + 20 does not fit, 100 + 20 does
    const s = spec({ kind: 'trace', source: 't', requests: [{ arrivalSec: 0, input: 1590, output: 20 }, { arrivalSec: 0, input: 100, output: 20 }] });
    const run = runServing(s, instance(100), { check: true });
    expect(run.rejected.map((r) => r.id)).toEqual([0]);
    expect(run.requests[1].generated).toBe(20);
  });

  it('closed loop: at most `concurrency` requests are in the system at once', () => {
    const s = spec({ kind: 'concurrency', concurrency: 4, requests: 40, input: { fixed: 256 }, output: { fixed: 32 }, seed: 1 });
    const run = runServing(s, instance(10_000), { check: true });
    expect(run.instances[0].meanBatchSequences).toBeLessThanOrEqual(4);
    const events = run.requests.flatMap((r) => [[r.arrivalSec, 1], [r.finishedSec, -1]] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let inSystem = 0, peak = 0;
    for (const [, d] of events) peak = Math.max(peak, (inSystem += d));
    expect(peak).toBe(4);
    expect(summarize(s, run).overloaded).toBe(false);
  });
});

describe('disaggregated serving', () => {
  it("one request's KV cache crosses the route's bottleneck: bytes / rank pairs at the slowest link, plus the route's latency", async () => {
    const { runServeScenario } = await import('../../../src/scenario/serve-scenario.js');
    const { parseServe } = await import('../../../src/io/serve-file.js');
    const { spec } = parseServe({ model: 'llama3-8b', disaggregated: { prefill: { instances: 1, tp: 8 }, decode: { instances: 1, tp: 8 } }, load: { kind: 'poisson', rate: 1, requests: 1, input: 4096, output: 8 } }, '<inline>');
    const r = await runServeScenario(spec, { ref: 'rail-optimized:template=dgx-h100,count=2,radix=64' }, { check: true });
    // Llama 3 8B in BF16: 2 · 32 layers · 8 KV heads · 128 · 2 B = 131,072 B a token; 4,096 tokens over 8 rank pairs
    const perPair = (4096 * 131_072) / 8;
    const { topo, router } = r.system;
    const accs = topo.nodesOfKind('accelerator');
    const route = router.route(accs[0].index, accs[8].index, 0);
    const bottleneck = Math.min(...Array.from(route.links, (d) => topo.links[d >> 1].bytesPerSec));
    expect(r.run.kvTransfers.count).toBe(1);
    expect(r.run.kvTransfers.meanSec).toBeCloseTo(perPair / bottleneck + route.latencySec, 9);
    // TTFT is the prefill alone; the transfer lands between the first and second token
    const s = r.run.requests[0];
    expect(s.generated).toBe(8);
    expect(r.summary.tpotSec.max * 7).toBeGreaterThan(r.run.kvTransfers.meanSec);
    // the fabric's links as watched: each rank pair's bytes crossed its own rail NIC, so the most used
    // link carried perPair bytes: utilization × its rate × the run's length
    const { fabricStressPoints } = await import('../../../src/report/serve-report.js');
    const top = fabricStressPoints(r.run)!.byUtilization[0];
    const { monitor, resources } = r.run.fabricUse!;
    const id = [...resources].find(([, n]) => n.name === top.resource)![0];
    expect(top.resource).toMatch(/nic\d → leaf\d/);
    expect(top.utilization * monitor.capacityOf(id) * r.run.makespanSec).toBeCloseTo(perPair, 0);
  });

  it('streamed by layer: the step sends an eighth of the cache at each eighth of its time, so only the last eighth is exposed after the first token', async () => {
    const { runServeScenario } = await import('../../../src/scenario/serve-scenario.js');
    const { parseServe } = await import('../../../src/io/serve-file.js');
    const doc = (kvTransfer: string) => ({ model: 'llama3-8b', disaggregated: { prefill: { instances: 1, tp: 8 }, decode: { instances: 1, tp: 8 }, kvTransfer }, load: { kind: 'poisson', rate: 1, requests: 1, input: 4096, output: 8 } });
    const topology = { ref: 'rail-optimized:template=dgx-h100,count=2,radix=64' };
    const layer = await runServeScenario(parseServe(doc('layer'), '<inline>').spec, topology, { check: true, record: true });
    const whole = await runServeScenario(parseServe(doc('request'), '<inline>').spec, topology, { check: true });
    const { topo, router } = layer.system;
    const accs = topo.nodesOfKind('accelerator');
    const route = router.route(accs[0].index, accs[8].index, 0);
    const bottleneck = Math.min(...Array.from(route.links, (d) => topo.links[d >> 1].bytesPerSec));
    // one prefill step of the 4,096-token prompt (under the 8,192 budget); each eighth of its cache,
    // 4,096 · 131,072 / 8 B over 8 rank pairs (8.4 MB each), takes 0.17 ms on a 400 Gb/s rail, under an eighth of the step
    const step = layer.run.timeline!.steps[0];
    const group = (4096 * 131_072) / 8 / 8 / bottleneck;
    expect(group).toBeLessThan((step.endSec - step.startSec) / 8);
    // exposed: the last group, sent as the step ends, plus the route's latency: an eighth of the whole transfer's time
    expect(layer.run.kvTransfers.meanSec).toBeCloseTo(group + route.latencySec, 9);
    expect(whole.run.kvTransfers.meanSec - route.latencySec).toBeCloseTo(8 * group, 9);
    expect(layer.run.kvTransfers.bytes).toBe(whole.run.kvTransfers.bytes);
    // the decode starts that much sooner: the request finishes 7 groups earlier
    expect(whole.run.requests[0].finishedSec - layer.run.requests[0].finishedSec).toBeCloseTo(7 * group, 9);
  });
});

describe('serving traffic shares the fabric', () => {
  it('a KV transfer and a background all-to-all on the same NIC path share it max-min: the transfer takes 2K/B, the all-to-all K/B longer', async () => {
    const { runServeScenario } = await import('../../../src/scenario/serve-scenario.js');
    const { parseServe } = await import('../../../src/io/serve-file.js');
    // prefill: 8 TP1 instances on dgx0 (the request goes to dgx0/acc0); decode: one TP1 instance on dgx1/acc0.
    // Background: a 2-rank all-to-all between the same two GPUs, 16 GiB: each sends 8 GiB over the same rail,
    // 177 ms alone, which outlasts the KV transfer (a 4,096-token prompt of Llama 3 8B, 512 MiB, sent
    // when its ~100 ms prefill ends) from start to end.
    const doc = (output: number) => ({
      model: 'llama3-8b',
      disaggregated: { prefill: { instances: 8, tp: 1 }, decode: { instances: 1, tp: 1 } },
      load: { kind: 'concurrency', concurrency: 1, requests: 1, input: 4096, output },
      background: { op: 'alltoall', bytes: '16GiB', ranks: ['dgx0/acc0', 'dgx1/acc0'], every: '10s', count: 1 },
    });
    const topology = { ref: 'rail-optimized:template=dgx-h100,count=2,radix=64' };
    const alone = await runServeScenario(parseServe(doc(1), '<inline>').spec, topology);
    const both = await runServeScenario(parseServe(doc(8), '<inline>').spec, topology);
    const { topo, router } = both.system;
    const route = router.route(topo.nodeIndex('dgx0/acc0')!, topo.nodeIndex('dgx1/acc0')!, 0);
    const B = Math.min(...Array.from(route.links, (d) => topo.links[d >> 1].bytesPerSec));
    const K = 4096 * 131_072;
    expect(both.run.kvTransfers.count).toBe(1);
    // shared with one other flow for its whole life: half the bottleneck
    expect(both.run.kvTransfers.meanSec).toBeCloseTo((2 * K) / B + route.latencySec, 6);
    // the all-to-all's flow lost B/2 for 2K/B seconds: it ends K/B later than alone
    expect(both.run.background.meanSec - alone.run.background.meanSec).toBeCloseTo(K / B, 6);
    expect(alone.run.kvTransfers.count).toBe(0);
  });
});
