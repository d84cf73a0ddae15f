// The transformer training-step generator against closed forms: the generated ops' FLOPs, the
// 1F1B bubble (p−1)/(m+p−1), ZeRO-3's extra all-gathers, the MoE all-to-all volume, per-chunk
// gradient reduction, uneven stages, offloading, and DeepSeek-V3's layout (its FLOPs and memory:
// model-flops.test.ts, memory-model.test.ts).
import { describe, expect, test } from 'vitest';
import { ACCELERATOR_SPECS } from '../../../src/hardware/index.js';
import { KERNEL_EFFICIENCY } from '../../../src/hardware/kernel-efficiency.js';
import { parseWorkload } from '../../../src/io/workload-file.js';
import { runWorkload } from '../../../src/sim/workload-run.js';
import { Router } from '../../../src/topology/routing/router.js';
import { MODELS } from '../../../src/workload/generators/models.js';
import { memoryPerRank } from '../../../src/workload/generators/memory-model.js';
import { layersOf } from '../../../src/workload/generators/stage-layers.js';
import { DEFAULT_PLAN, fsdpGradientBytesPerParam, pipelineSchedule, trainingWorkload, type TrainingPlan } from '../../../src/workload/generators/transformer.js';
import { topologyOf } from '../../helpers/topologies.js';

const H100 = ACCELERATOR_SPECS.get('h100-sxm')!;
type Op = { id: string; type: string; op?: string; flops?: number; bytes?: number; ranks?: string };
const opsOf = (doc: Record<string, unknown>) => doc.ops as Op[];

describe('FLOPs', () => {
  test('the generated ops carry exactly the kernels\' FLOPs (per rank, summed over ranks)', () => {
    // gpt-1.3b, tp 2, pp 2, dp 2, 8 sequences of 2048: every rank runs 2 micro-batches over its 12
    // layers forward and backward; the last stage adds the output layer. The math ops carry the
    // FLOPs the kernels execute: the GEMMs' 6·N_layers·tokens plus causal flash attention
    // (forward 2·t·s·h·(1 + 128/s), backward 2.5 × that) and the LM head's 6·t·h·V.
    const model = MODELS.get('gpt-1.3b')!;
    const plan: TrainingPlan = { ...DEFAULT_PLAN, tp: 2, pp: 2, dp: 2, globalBatch: 8, buckets: 2 };
    const doc = trainingWorkload(model, plan, H100, false);
    const perRankOps = opsOf(doc).filter((o) => o.type === 'compute' && !o.id.endsWith('optimizer'));
    const total = perRankOps.reduce((s, o) => s + (o.flops ?? 0) * 4, 0); // every op runs on one stage's tp·dp = 4 ranks
    const t = 8 * 2048;
    const h = 2048;
    const layerParams = 4 * h * h + 2 * h * 8192;
    const attention = 2 * t * 2048 * h * (1 + 128 / 2048) * (1 + 2.5);
    expect(total).toBeCloseTo(24 * (6 * t * layerParams + attention) + 6 * t * h * model.vocab, -6);
  });
});

describe('pipeline, ZeRO and experts', () => {
  const topo = topologyOf({ servers: [{ template: 'dgx-h100' }] });
  const router = new Router(topo);

  test('1F1B on an ideal network: the bubble is (p−1)/(m+p−1)', () => {
    // 4 stages, 12 micro-batches, tp = dp = 1: each stage's forward takes F, backward 2F; the
    // step takes (m + p − 1)·3F, of which each stage computes m·3F.
    const model = { ...MODELS.get('gpt-1.3b')!, vocab: 8 }; // a negligible LM head keeps stages equal
    const plan: TrainingPlan = { ...DEFAULT_PLAN, pp: 4, globalBatch: 12, microBatch: 1, seq: 1024 };
    const w = runWorkload(parseWorkload(trainingWorkload(model, plan, H100, false)), topo, router);
    const p = 4;
    const m = 12;
    const busy = w.perRank[0].computeSec;
    const bubble = 1 - busy / w.summary.stepSec;
    // launches, p2p hops, the first stage's embedding kernels and the optimizer step shift the
    // bubble (a small number) by under 3% of itself and the step by under 1%
    expect(Math.abs(bubble / ((p - 1) / (m + p - 1)) - 1)).toBeLessThan(0.03);
    // every stage computes the same, and the step is (m + p − 1)/m of it
    expect(Math.abs(w.summary.stepSec / busy / ((m + p - 1) / m) - 1)).toBeLessThan(0.01);
  });

  test('interleaved 1F1B (2 chunks per device): the bubble shrinks to (p−1)·t/v', () => {
    // Each device holds 2 chunks of 6 layers. With t the compute time of one micro-batch on one
    // device (forward + backward over all its chunks), the pipeline idles (p − 1)·t/v while it
    // fills and drains (Narayanan et al. 2021, §2.2); plain 1F1B idles (p − 1)·t. The optimizer
    // step comes after and is left out of t.
    const model = { ...MODELS.get('gpt-1.3b')!, vocab: 8 };
    const [p, m] = [4, 8];
    const idle = (vpp: number) => {
      const spec = parseWorkload(trainingWorkload(model, { ...DEFAULT_PLAN, pp: p, vpp, globalBatch: m, microBatch: 1, seq: 1024 }, H100, false));
      const w = runWorkload(spec, topo, router);
      const t = w.expanded.timeline;
      let optimizer = 0;
      for (let k = 0; k < t.size; k++)
        if (t.rank[k] === 0 && t.op[k] >= 0 && spec.ops[t.op[k]].id === 's0.optimizer') optimizer = w.run.finishSec[t.end[k]] - w.run.startSec[t.begin[k]];
      return { idle: w.perRank[0].idleSec, t: (w.perRank[0].computeSec - optimizer) / m };
    };
    const plain = idle(1);
    const interleaved = idle(2);
    // within 1.5%: the pipeline's send/recv hops and the first launches add a little idle time
    expect(Math.abs(plain.idle / ((p - 1) * plain.t) - 1)).toBeLessThan(0.015);
    expect(Math.abs(interleaved.idle / (((p - 1) * interleaved.t) / 2) - 1)).toBeLessThan(0.015);
    expect(interleaved.idle).toBeLessThan(0.55 * plain.idle);
  });

  test('every schedule runs each micro-batch chunk once forward and once backward, forward first', () => {
    for (const [pp, micro, v] of [[4, 12, 1], [4, 8, 2], [2, 4, 3]]) {
      for (let stage = 0; stage < pp; stage++) {
        const sched = pipelineSchedule(stage, pp, micro, v);
        expect(sched).toHaveLength(2 * micro * v);
        for (let j = 0; j < micro; j++)
          for (let c = 0; c < v; c++) {
            const f = sched.findIndex(([ph, jj, cc]) => ph === 'F' && jj === j && cc === c);
            const b = sched.findIndex(([ph, jj, cc]) => ph === 'B' && jj === j && cc === c);
            expect(f).toBeGreaterThanOrEqual(0);
            expect(b).toBeGreaterThan(f);
          }
      }
    }
  });

  test('ZeRO-3 adds one parameter all-gather per micro-batch and phase on the DP group', () => {
    const model = MODELS.get('gpt-1.3b')!;
    const plan: TrainingPlan = { ...DEFAULT_PLAN, dp: 8, globalBatch: 32, microBatch: 2 };
    const base = opsOf(trainingWorkload(model, plan, H100, false));
    const z3 = opsOf(trainingWorkload(model, { ...plan, zero: 3 }, H100, false));
    const gathers = (ops: Op[]) => ops.filter((o) => o.op === 'all_gather');
    // 2 micro-batches × (forward + backward) of the rank's layer parameters in BF16 (and no
    // post-step gather: ZeRO-3 gathers per pass); ZeRO-1 gathers the updated shards once a step,
    // in `buckets` pieces overlapping the first forward
    const layersOnly = model.layers * (4 * 2048 * 2048 + 2 * 2048 * 8192) * 2;
    expect(gathers(base)).toHaveLength(0);
    expect(gathers(z3)).toHaveLength(2 * 2);
    expect(gathers(z3).every((o) => o.bytes === layersOnly)).toBe(true);
    expect(gathers(opsOf(trainingWorkload(model, { ...plan, zero: 1 }, H100, false)))).toHaveLength(plan.buckets);
    // ZeRO-2/3 reduce-scatter every backward's gradients (the last one in buckets)
    expect(z3.filter((o) => o.op === 'reduce_scatter')).toHaveLength(1 + plan.buckets);
  });

  test('ZeRO-3 passes over each backward\'s unsharded gradients: a cast to a wider reduce type and the scaling (PyTorch FSDP)', () => {
    // per parameter: BF16 gradients reduced in FP32: cast 2 + 4, scale in place 4 + 4 = 14 bytes;
    // reduced in BF16: the scaling only, 2 + 2 = 4
    expect(fsdpGradientBytesPerParam({ dtypeBytes: 2, gradReduceBytes: 4 })).toBe(14);
    expect(fsdpGradientBytesPerParam({ dtypeBytes: 2, gradReduceBytes: 2 })).toBe(4);
    // GPT 1.3B on one stage: the first backward's memory-bound op carries 14 bytes more per
    // layer parameter than under ZeRO-1, 24 × (4·2048² + 2·2048·8192) = 1,207,959,552 of them
    type M = Op & { id: string };
    const model = MODELS.get('gpt-1.3b')!;
    const plan: TrainingPlan = { ...DEFAULT_PLAN, dp: 8, globalBatch: 32, microBatch: 2 };
    const mem = (p: TrainingPlan) => (opsOf(trainingWorkload(model, p, H100, false)) as M[]).find((o) => o.id === 's0.b0.mem')!.bytes!;
    expect(mem({ ...plan, zero: 3 }) - mem({ ...plan, zero: 1 })).toBe(14 * 24 * (4 * 2048 * 2048 + 2 * 2048 * 8192));
  });

  test('MoE: the all-to-all volume is tokens · hidden · top-k · bytes per dispatch and per combine, per layer', () => {
    const mixtral = MODELS.get('mixtral-8x7b')!;
    const plan: TrainingPlan = { ...DEFAULT_PLAN, dp: 8, ep: 8, globalBatch: 8, seq: 4096 };
    const a2a = opsOf(trainingWorkload(mixtral, plan, H100, false)).filter((o) => o.op === 'alltoall');
    const tokens = 1 * 4096;
    // one forward and one backward phase, each: 32 layers × (dispatch + combine)
    expect(a2a).toHaveLength(2);
    for (const o of a2a) expect(o.bytes).toBe(32 * 2 * tokens * 4096 * 2 * 2);
  });

  test('selective recomputation by module: what each stops keeping, and its forward kernels again in the backward', () => {
    // Mixtral as above (per layer, SP over tp 2): replicated 8, attention 5, MLP 6·f·k/h = 42.
    // layernorm: the two norm outputs (QKV and MLP inputs, 2 each) not kept: 8 → 4;
    // moe_act: the activation's output (FC2's input, 2·f·k/h = 14) not kept: 42 → 28;
    // moe: the whole MLP not kept: 42 → 0.
    const mixtral = MODELS.get('mixtral-8x7b')!;
    const p3: TrainingPlan = { ...DEFAULT_PLAN, seq: 4096, tp: 2, pp: 1, dp: 8, ep: 8, globalBatch: 8 };
    const sbh3 = 4096 * 4096;
    const act = (modules: TrainingPlan['recomputeModules']) => memoryPerRank(mixtral, { ...p3, recomputeModules: modules }).parts.activations;
    const layers = (x: number) => ((sbh3 * x) / 2) * 32;
    expect(act(['layernorm'])).toBeCloseTo(layers(4 + 5 + 42), 0);
    expect(act(['layernorm', 'moe_act'])).toBeCloseTo(layers(4 + 5 + 28), 0);
    expect(act(['moe'])).toBeCloseTo(layers(8 + 5), 0);
    // core_attn with fused attention: nothing stored to drop
    expect(act(['core_attn'])).toBeCloseTo(layers(8 + 5 + 42), 0);
    // time: the recomputed modules' forward kernels run again in the backward; the step's
    // compute grows by the layernorm and activation kernels (memory-bound) and no more
    const doc = (modules: TrainingPlan['recomputeModules']) => trainingWorkload(mixtral, { ...p3, recomputeModules: modules }, H100, false);
    const bytes = (d: Record<string, unknown>) => opsOf(d).filter((o) => o.type === 'compute' && o.id.includes('.b')).reduce((s, o) => s + (o.bytes ?? 0), 0);
    const flops = (d: Record<string, unknown>) => opsOf(d).filter((o) => o.type === 'compute' && o.id.includes('.b')).reduce((s, o) => s + (o.flops ?? 0), 0);
    expect(flops(doc(['layernorm', 'moe_act']))).toBe(flops(doc([])));
    // one micro-batch of 4096 tokens on each rank: per layer the norms' 2·2·t_sp·h·E and the
    // activation's 3·t·k·f/tp·E forward bytes again (t_sp = t/2 with SP, E = 2), over 32 layers
    const t = 4096;
    const again = 2 * 2 * (t / 2) * 4096 * 2 + 3 * t * 2 * (14336 / 2) * 2;
    expect(bytes(doc(['layernorm', 'moe_act'])) - bytes(doc([]))).toBeCloseTo(32 * again, -3);
    expect(flops(doc(['moe']))).toBeGreaterThan(flops(doc([])));
  });

  test('MoE gradients: dense ones over the DP group, each expert shard over the dp/ep ranks holding it', () => {
    // Mixtral (h 4096, 32 heads of d 128, 8 KV heads, gated FFN 14336, 8 experts, 32 layers),
    // tp 1, dp 16, ep 8, ZeRO-1, 4 buckets: per layer the attention has h(h + 2·8·128) + h² =
    // 41,943,040 parameters and an expert 3·4096·14336 = 176,160,768; each rank holds 8/8 = 1
    // expert. Expert data parallelism: 16/8 = 2 ranks, 8 apart. Gradients travel in FP32 (4
    // bytes, the default gradReduce), parameters are 2 bytes.
    const mixtral = MODELS.get('mixtral-8x7b')!;
    const plan: TrainingPlan = { ...DEFAULT_PLAN, dp: 16, ep: 8, zero: 1, globalBatch: 16, seq: 4096 };
    const grads = opsOf(trainingWorkload(mixtral, plan, H100, false)).filter((o) => o.id.includes('.grads')) as (Op & { group: { size: number; stride?: number } })[];
    const dense = grads.filter((o) => !o.id.endsWith('.experts'));
    const experts = grads.filter((o) => o.id.endsWith('.experts'));
    expect(dense).toHaveLength(4);
    expect(experts).toHaveLength(4);
    for (const o of dense) expect([o.op, o.bytes, o.group.size, o.group.stride]).toEqual(['reduce_scatter', (32 * 41943040 * 4) / 4, 16, 1]);
    for (const o of experts) expect([o.op, o.bytes, o.group.size, o.group.stride]).toEqual(['reduce_scatter', (32 * 176160768 * 4) / 4, 2, 8]);
    // gradReduce bf16 halves every gradient reduction; the parameters are the same
    const half = opsOf(trainingWorkload(mixtral, { ...plan, gradReduceBytes: 2 }, H100, false)).filter((o) => o.id.includes('.grads'));
    expect(half.map((o) => o.bytes)).toEqual(grads.map((o) => o.bytes! / 2));
    // the gradient buffer: 4 bytes a parameter the rank holds (ZeRO-1 does not shard it), 2 with bf16
    const held = (32 * 41943040 + 32000 * 4096) + 32 * 176160768;
    expect(memoryPerRank(mixtral, plan).parts.grads).toBeCloseTo(4 * held, 0);
    expect(memoryPerRank(mixtral, { ...plan, gradReduceBytes: 2 }).parts.grads).toBeCloseTo(2 * held, 0);
    // ZeRO-1 optimizer state: 12 bytes a parameter, dense ones over 16 ranks, expert ones over 2
    const embedding = 32000 * 4096;
    expect(memoryPerRank(mixtral, plan).parts.optimizer).toBeCloseTo(12 * ((32 * 41943040 + embedding) / 16 + (32 * 176160768) / 2), 0);
    // dp = ep: every expert shard is on one rank of its DP group, nothing to reduce
    expect(opsOf(trainingWorkload(mixtral, { ...plan, dp: 8, globalBatch: 8 }, H100, false)).filter((o) => o.id.endsWith('.experts'))).toHaveLength(0);
  });

  test('tpOverlap: a tp-th of each phase\'s TP volume goes before its compute, the rest alongside it', () => {
    // gpt-1.3b (24 layers, h 2048), tp 4, one micro-batch of 2048 tokens, BF16: per phase the TP
    // volume is two activation-sized collectives per layer, V = 2 · 24 · 2048 · 2048 · 2 bytes
    // (each of AG and RS). Overlapped: V/4 before the compute on its stream, 3V/4 on stream tp.
    const model = MODELS.get('gpt-1.3b')!;
    const plan: TrainingPlan = { ...DEFAULT_PLAN, tp: 4, globalBatch: 1 };
    const V = 2 * 24 * 2048 * 2048 * 2;
    type Full = Op & { stream?: string; after?: string[] };
    const plain = opsOf(trainingWorkload(model, plan, H100, false)) as Full[];
    const over = opsOf(trainingWorkload(model, { ...plan, tpOverlap: true }, H100, false)) as Full[];
    const byId = (ops: Full[], id: string) => ops.find((o) => o.id === id)!;
    expect([byId(plain, 's0.f0.ag').bytes, byId(plain, 's0.f0.ag').stream]).toEqual([V, 'compute']);
    expect([byId(over, 's0.f0.head.ag').bytes, byId(over, 's0.f0.head.ag').stream]).toEqual([V / 4, 'compute']);
    expect([byId(over, 's0.f0.ag').bytes, byId(over, 's0.f0.ag').stream, byId(over, 's0.f0.ag').after]).toEqual([(3 * V) / 4, 'tp', ['s0.f0.head.rs']]);
    expect(byId(over, 's0.f0').after).toContain('s0.f0.head.rs');
    // the forward's memory-bound kernels follow its math kernels
    expect(byId(over, 's0.f0.mem').after).toEqual(['s0.f0']);
    // the backward waits for the forward's tail (the layers' outputs), the optimizer for the backward's
    expect(byId(over, 's0.b0.head.ag').after).toContain('s0.f0.rs');
    expect(byId(over, 's0.optimizer').after).toContain('s0.b0.rs');
    // on a DGX H100: hiding three quarters of the TP traffic behind the GEMMs shortens the step
    const topo = topologyOf({ servers: [{ template: 'dgx-h100' }] });
    const run = (p: TrainingPlan) => runWorkload(parseWorkload(trainingWorkload(model, p, H100, false), 'gen'), topo, new Router(topo)).summary;
    const a = run(plan);
    const b = run({ ...plan, tpOverlap: true });
    expect(b.stepSec).toBeLessThan(a.stepSec);
    expect(b.exposedCommSec).toBeLessThan(a.exposedCommSec);
    // Megatron-LM overlaps only with sequence parallelism
    expect(() => trainingWorkload(model, { ...plan, tpOverlap: true, sequenceParallel: false }, H100, false)).toThrow(/tpOverlap.*needs sequence parallelism/s);
  });

  test('sliding windows: no more windowed layers than the model has, and a width with them', () => {
    const small = { ...MODELS.get('llama3-8b')!, layers: 4 };
    const plan = { ...DEFAULT_PLAN, seq: 1024, globalBatch: 1 };
    expect(() => trainingWorkload({ ...small, window: 128, windowLayers: 5 }, plan, H100, false)).toThrow(/5 sliding-window layers, more than the model's 4/);
    expect(() => trainingWorkload({ ...small, windowLayers: 2 }, plan, H100, false)).toThrow(/windowLayers needs the window width/);
    expect(() => trainingWorkload({ ...small, window: 128, windowLayers: 2 }, plan, H100, false)).not.toThrow();
  });

});

describe('gradient reduction per model chunk', () => {
  test('interleaved (vpp 2, ZeRO-1): each chunk\'s gradients are reduce-scattered as its last backward ends, overlapping the other chunk\'s', () => {
    // gpt-1.3b on 2 stages × 2 chunks (6 layers each), dp 2, 4 buckets, 4 micro-batches. Each
    // chunk's last backward is split in 4 parts, each followed by a reduce-scatter of a quarter of
    // that chunk's gradients: half the stage's, b/2/4. Stage 0 runs chunk 1's backwards before
    // chunk 0's, so chunk 1's reductions run while chunk 0's last backwards still compute.
    const model = MODELS.get('gpt-1.3b')!;
    const plan: TrainingPlan = { ...DEFAULT_PLAN, pp: 2, vpp: 2, dp: 2, zero: 1, globalBatch: 8, buckets: 4 };
    type Full = Op & { after?: string[] };
    const ops = opsOf(trainingWorkload(model, plan, H100, false)) as Full[];
    const grads = ops.filter((o) => o.id.startsWith('s0.') && o.id.includes('.grads'));
    // the stage's 12 layers of 4h² + 2·h·4h parameters, FP32 gradients (the generator's DP volume counts the layers)
    const stageBytes = 12 * (4 * 2048 * 2048 + 2 * 2048 * 8192) * 4;
    expect(grads).toHaveLength(2 * 4);
    expect(grads.every((o) => o.op === 'reduce_scatter')).toBe(true);
    const order = ops.map((o) => o.id);
    const chunk1 = grads.filter((o) => o.id.includes('.c1.'));
    const chunk0 = grads.filter((o) => o.id.includes('.c0.'));
    expect([chunk1.length, chunk0.length]).toEqual([4, 4]);
    // chunk 1's first reduction waits only for a backward issued before chunk 0's last backward
    const lastBackward = order.filter((id) => /^s0\.b\d+\.c0\.\d$/.test(id)).pop()!;
    expect(order.indexOf(chunk1[0].after![0])).toBeLessThan(order.indexOf(lastBackward));
    // the four buckets of a chunk carry its gradients: an eighth of the stage's each, the same for both chunks
    const total = grads.reduce((s, o) => s + o.bytes!, 0);
    for (const o of grads) expect(o.bytes).toBeCloseTo(total / 8, 6);
    expect(total).toBe(stageBytes);
  });
});

describe('uneven pipeline stages', () => {
  test('embeddingInSplit: Llama 3.1 405B on pp 8 × vpp 8 puts 1 layer on the first and last virtual stages, 2 elsewhere', () => {
    // 126 layers + embedding + loss = 128 = 64 chunks of 2; the first chunk gives one slot to the
    // embedding, the last to the loss
    const llama = MODELS.get('llama3.1-405b')!;
    const plan: TrainingPlan = { ...DEFAULT_PLAN, seq: 8192, tp: 8, pp: 8, vpp: 8, embeddingInSplit: true, dp: 1, globalBatch: 8 };
    expect(layersOf(llama, plan, 0, 0)).toBe(1);
    expect(layersOf(llama, plan, 7, 7)).toBe(1);
    expect(layersOf(llama, plan, 0, 1)).toBe(2);
    expect(layersOf(llama, plan, 7, 0)).toBe(2);
    let total = 0;
    for (let s = 0; s < 8; s++) for (let c = 0; c < 8; c++) total += layersOf(llama, plan, s, c);
    expect(total).toBe(126);
    // without it, 126 layers do not split into 64 chunks: refused with the way out
    expect(() => trainingWorkload(llama, { ...plan, embeddingInSplit: false }, H100, false)).toThrow(/126 layers, which do not split into 8 equal stages; embeddingInSplit: true/);
    // the generated chunks carry their layers: stage 0's chunk 0 forward has half the TP volume of its chunk 1
    const ops = opsOf(trainingWorkload(llama, plan, H100, false)) as (Op & { stream?: string })[];
    const ag = (id: string) => ops.find((o) => o.id === id)!.bytes!;
    expect(ag('s0.f0.c0.ag') * 2).toBe(ag('s0.f0.c1.ag'));
  });

  test('embeddingInSplit with one slot a chunk (pp 16 × vpp 8, Megatron-Bridge\'s 405B on GB200): the first chunk runs only the embedding, the last only the loss', () => {
    // 126 + 2 = 128 chunks of 1: layersOf gives 0 to stage 0's chunk 0 and stage 15's chunk 7
    const llama = MODELS.get('llama3.1-405b')!;
    const plan: TrainingPlan = { ...DEFAULT_PLAN, seq: 8192, tp: 4, pp: 16, vpp: 8, embeddingInSplit: true, dp: 1, globalBatch: 16 };
    expect(layersOf(llama, plan, 0, 0)).toBe(0);
    expect(layersOf(llama, plan, 15, 7)).toBe(0);
    expect(layersOf(llama, plan, 0, 1)).toBe(1);
    const ops = opsOf(trainingWorkload(llama, plan, H100, false)) as (Op & { stream?: string })[];
    const op = (id: string) => ops.find((o) => o.id === id)!;
    // no transformer layer: no TP traffic, and the forward's math is the embedding's (none: a gather, memory-bound)
    expect(op('s0.f0.c0.ag').bytes).toBe(0);
    expect(op('s0.f0.c0').flops).toBe(0);
    expect(op('s0.f0.c1').flops).toBeGreaterThan(0);
    // the last chunk's forward is the output layer alone: the LM head GEMM 2·t·h·V/tp (t = 8192 tokens)
    expect(op('s15.f0.c7').flops).toBeCloseTo((2 * 8192 * llama.hidden * llama.vocab) / 4, -6);
  });
});

describe('activation offloading (offloadLayers)', () => {
  const llama70 = MODELS.get('llama3-70b')!;
  const GB200 = ACCELERATOR_SPECS.get('gb200')!;
  // Megatron-Bridge 25.11's GB200 recipe: Megatron-FSDP over 64 GPUs, micro-batch 2 of 8192, FP8, 40 layers offloaded
  const fsdp: TrainingPlan = { ...DEFAULT_PLAN, seq: 8192, microBatch: 2, globalBatch: 256, dp: 64, zero: 3, precision: 'fp8', gradReduceBytes: 2 };

  test('the memory check counts the offloaded layers out, but the one being copied', () => {
    // tp 1: a layer keeps sbh(6 + 3.5 + 17.5) bytes with FP8 (the FP8 activation test above, not
    // split over TP), sbh = 2·8192·8192; 80 layers resident without offloading, 80 − 40 + 1 = 41
    // with 40 offloaded
    const sbh = 2 * 8192 * 8192;
    const perLayer = sbh * (6 + 3.5 + 17.5);
    const without = memoryPerRank(llama70, fsdp);
    const with40 = memoryPerRank(llama70, { ...fsdp, offloadLayers: 40 });
    expect(without.parts.activations).toBeCloseTo(perLayer * 80, 0);
    expect(with40.parts.activations).toBeCloseTo(perLayer * 41, 0);
    // 289.9 GB of activations do not fit GB200's 186 GB; 148.6 GB with the offload do
    expect(() => trainingWorkload(llama70, fsdp, GB200)).toThrow(/needs 307\.3 GB per rank .*activations 289\.9 GB.*or offload activations to host memory \(offloadLayers\)/);
    // the hint only where Megatron-Core allows offloading (pp = 1, no recomputation)
    expect(() => trainingWorkload(llama70, { ...fsdp, pp: 2, dp: 32 }, GB200)).toThrow(/turn on recompute$/);
    expect(with40.bytes / 1e9).toBeCloseTo(166.0, 1);
    expect(() => trainingWorkload(llama70, { ...fsdp, offloadLayers: 40 }, GB200)).not.toThrow();
  });

  test('Megatron-Core\'s limits: fewer layers than the model has, pp = 1, no recomputation', () => {
    const run = (p: Partial<TrainingPlan>) => () => trainingWorkload(llama70, { ...fsdp, offloadLayers: 40, ...p }, GB200, false);
    expect(run({ offloadLayers: 80 })).toThrow(/training\.offloadLayers.*80 layers: offload fewer/s);
    expect(run({ pp: 2, dp: 32 })).toThrow(/offloadLayers.*needs pp = 1/s);
    expect(run({ recompute: true })).toThrow(/offloadLayers.*recomputation/s);
    expect(run({ recomputeModules: ['layernorm'] })).toThrow(/offloadLayers.*recomputation/s);
  });

  test('each micro-batch copies its offloaded activations out during the forward and back during the backward', () => {
    const model = MODELS.get('gpt-1.3b')!;
    const plan: TrainingPlan = { ...DEFAULT_PLAN, seq: 2048, globalBatch: 2, microBatch: 1, offloadLayers: 6 };
    const ops = opsOf(trainingWorkload(model, plan, H100, false)) as (Op & { direction?: string; stream?: string; after?: string[] })[];
    const byId = (id: string) => ops.find((o) => o.id === id)!;
    // gpt-1.3b (h 2048, 16 heads, f 8192, dropout): a layer keeps sbh(10 + 24 + 4·f/h... ) = 34·sbh with fused
    // attention (Korthikanti et al.'s 34, no scores), sbh = 2048·2048: 6 layers = 6 · 34 · sbh bytes
    const bytes = 6 * 34 * 2048 * 2048;
    for (const j of [0, 1]) {
      expect(byId(`s0.f${j}.offload`)).toMatchObject({ type: 'memcpy', direction: 'd2h', bytes, stream: 'offload' });
      expect(byId(`s0.b${j}.reload`)).toMatchObject({ type: 'memcpy', direction: 'h2d', bytes, stream: 'reload' });
      // the backward waits for its forward's copy, and the reload starts with the backward (after the same copy)
      expect(byId(`s0.b${j}`).after).toContain(`s0.f${j}.offload`);
      expect(byId(`s0.b${j}.reload`).after).toContain(`s0.f${j}.offload`);
    }
    // the next forward waits for the previous backward's reload; the optimizer for the last one
    expect(byId('s0.f1').after).toContain('s0.b0.reload');
    expect(byId('s0.optimizer').after).toContain('s0.b1.reload');
  });

  test('a copy slower than the compute it overlaps sets the step: two copies per micro-batch', () => {
    // gpt-1.3b, one H100 of a DGX, 4 micro-batches of 2048 tokens, 23 of 24 layers offloaded:
    // 23 · 34 · sbh = 3.28 GB each way over PCIe Gen5 (about 50 GB/s: 65 ms), longer than a
    // micro-batch's whole forward and backward (40 ms). Each micro-batch then takes its offload
    // (the backward waits for it) and its reload (the next forward waits for it), with the
    // compute hidden under them: step ≈ 4 · 2 · copy, the copy timed alone on the same topology.
    const model = MODELS.get('gpt-1.3b')!;
    const topo = topologyOf({ servers: [{ template: 'dgx-h100' }] });
    const plan: TrainingPlan = { ...DEFAULT_PLAN, seq: 2048, globalBatch: 4, microBatch: 1, offloadLayers: 23 };
    const bytes = 23 * 34 * 2048 * 2048;
    const alone = (direction: string) =>
      runWorkload(parseWorkload({ name: 'copy', ranks: 1, iterations: 1, launch: 0, ops: [{ id: 'c', type: 'memcpy', direction, bytes }] }), topo, new Router(topo)).summary.stepSec;
    const copies = 4 * (alone('d2h') + alone('h2d'));
    const step = runWorkload(parseWorkload(trainingWorkload(model, plan, H100, false)), topo, new Router(topo)).summary;
    const base = runWorkload(parseWorkload(trainingWorkload(model, { ...plan, offloadLayers: 0 }, H100, false)), topo, new Router(topo)).summary;
    expect(Math.min(alone('d2h'), alone('h2d'))).toBeGreaterThan(base.stepSec / 4);
    // then the optimizer (after the last reload): Adam's bytes at the elementwise HBM rate
    const optimizer = opsOf(trainingWorkload(model, plan, H100, false)).find((o) => o.id === 's0.optimizer')!;
    const optimizerSec = optimizer.bytes! / (H100.memoryBytesPerSec * KERNEL_EFFICIENCY.get('elementwise')!.efficiency);
    expect(Math.abs(step.stepSec / (copies + optimizerSec) - 1)).toBeLessThan(0.01);
    expect(step.exposedCommSec).toBeGreaterThan(0.9 * (step.stepSec - base.stepSec));
  });
});

describe('DeepSeek-V3: dense first layers, shared experts, MTP and a pipeline layout', () => {
  const ds = MODELS.get('deepseek-v3')!;
  const GB200 = ACCELERATOR_SPECS.get('gb200')!;
  // Megatron-Bridge 26.04's GB200 plan: pp 4 × vpp 4, EP 64, the (4, 4) layout with one MTP layer
  const plan: TrainingPlan = { ...DEFAULT_PLAN, pp: 4, vpp: 4, dp: 64, ep: 64, zero: 1, precision: 'fp8', sequenceParallel: false, recomputeModules: ['mlp'], seq: 4096, globalBatch: 4096, microBatch: 1, gradReduceBytes: 2, mtp: 1, layout: 'Et*4|(t*4|)*14tmL' };

  test('chunk 0 of stage 0 holds the embedding, the 3 dense layers and 1 MoE layer: one layer of all-to-all, where other chunks have 4', () => {
    const doc = trainingWorkload(ds, plan, GB200, false);
    const byId = (id: string) => opsOf(doc).find((o) => o.id === id)!;
    const a2a0 = byId('s0.f0.c0.a2a').bytes!;
    const a2a1 = byId('s0.f0.c1.a2a').bytes!;
    // a2a per MoE layer: dispatch + combine of 4096 tokens × 8 experts × 7168 × 2 bytes
    const perLayer = 2 * 4096 * 8 * 7168 * 2;
    expect(a2a0).toBeCloseTo(perLayer, 0);
    expect(a2a1).toBeCloseTo(4 * perLayer, 0);
    // the last stage's last chunk: one MoE layer and the MTP layer, each with its all-to-all
    expect(byId('s3.f0.c3.a2a').bytes).toBeCloseTo(2 * perLayer, 0);
  });

  test('a layout equal to the even split gives the same step as the even split', () => {
    const llama = MODELS.get('llama3-8b')!;
    const even: TrainingPlan = { ...DEFAULT_PLAN, pp: 4, dp: 2, zero: 1, globalBatch: 16, seq: 2048 };
    const topo = topologyOf({ servers: [{ template: 'dgx-h100' }] });
    const run = (p: TrainingPlan) => runWorkload(parseWorkload(trainingWorkload(llama, p, H100, false), 'gen'), topo, new Router(topo)).summary.stepSec;
    expect(run({ ...even, layout: 'Et*8|t*8|t*8|t*8L' })).toBeCloseTo(run(even), 12);
  });

  test('refusals: unfused attention or cp with latent attention, mla_up_proj without it, a layout with embeddingInSplit', () => {
    expect(() => trainingWorkload(ds, { ...plan, flashAttention: false }, GB200, false)).toThrow(/training\.flashAttention.*latent attention/s);
    expect(() => trainingWorkload(MODELS.get('llama3-8b')!, { ...DEFAULT_PLAN, recomputeModules: ['mla_up_proj'] }, H100, false)).toThrow(/mla_up_proj recomputes latent attention's up-projections, which llama3-8b does not have/);
    expect(() => trainingWorkload(ds, { ...plan, embeddingInSplit: true }, GB200, false)).toThrow(/a layout places the embedding \(E\) and the loss \(L\) itself/);
    // without a layout, 61 layers do not split over 16 chunks: the message points at the layout
    expect(() => trainingWorkload(ds, { ...plan, layout: '' }, GB200, false)).toThrow(/a layout places them as you say/);
  });
});

describe('standalone embedding and loss stages', () => {
  test('E|t*24|L: the first stage runs only the embedding, the last only the loss, the middle one all 24 layers (3 × the balanced middle stage\'s math)', () => {
    const m = MODELS.get('gpt-1.3b')!;
    const p: TrainingPlan = { ...DEFAULT_PLAN, pp: 3, globalBatch: 6 };
    const alone = trainingWorkload(m, { ...p, layout: 'E|t*24|L' }, H100, false);
    const balanced = trainingWorkload(m, { ...p, layout: 'Et*8|t*8|t*8L' }, H100, false);
    // every field a number: the stages without layers share no volumes (no 0/0)
    expect(() => parseWorkload(alone, 'gen')).not.toThrow();
    const flops = (doc: Record<string, unknown>, id: string) => opsOf(doc).find((o) => o.id === id)!.flops!;
    expect(flops(alone, 's1.f0')).toBeCloseTo(3 * flops(balanced, 's1.f0'), 0);
    expect(flops(alone, 's0.f0')).toBe(0);
  });
});
