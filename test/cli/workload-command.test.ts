// `fairway workload gen` and `fairway simulate --model`: generated training steps from the
// command line, the shipped training workloads, and plans that do not fit.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ACCELERATOR_SPECS } from '../../src/hardware/index.js';
import { parseWorkloadText } from '../../src/io/workload-file.js';
import { trainingWorkload } from '../../src/workload/generators/transformer.js';
import { fairway, root } from '../helpers/cli.js';
import { scratchDir } from '../helpers/scratch-dir.js';

describe('fairway workload gen', () => {
  test('writes a workload file that reads back with every operation', () => {
    const out = join(scratchDir('fairway-gen-'), 'w.yaml');
    const r = fairway('workload', 'gen', '-m', 'gpt-1.3b', '-p', 'tp=2,pp=2,dp=2,globalBatch=8', '-o', out);
    expect(r.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toMatch(/^# gpt-1\.3b tp2 pp2 dp2/);
    expect(text).toMatch(/# \d+\.\d PFLOP per step; \d+\.\d GB per rank on h100-sxm/);
    const spec = parseWorkloadText(text, out);
    expect(spec.ranks).toBe(8);
    // 2 stages × 4 micro-batches × (forward + backward) passes, the last backward split in 4
    // buckets, each pass a math and a memory-bound op, + the optimizers
    expect(spec.ops.filter((o) => o.type === 'compute')).toHaveLength(2 * 2 * (4 + 3 + 4) + 2);
  });

  test('--model takes a shape: a two-layer model generates and names itself custom', () => {
    const r = fairway('workload', 'gen', '-m', 'layers=2,hidden=256,heads=4,ffn=1024,vocab=1000', '-p', 'dp=2,globalBatch=2', '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as { name: string; ranks: number };
    expect(doc.name).toMatch(/^custom tp1 pp1 dp2: global batch 2/);
    expect(doc.ranks).toBe(2);
    expect(fairway('workload', 'gen', '-m', 'layers=2,depth=3').err).toMatch(/--model: unknown shape field "depth"/);
  });

  test('a plan that does not fit, an unknown model or setting: exit 2 with the reason', () => {
    expect(fairway('workload', 'gen', '-m', 'gpt3-175b', '-p', 'tp=8,globalBatch=1').err).toMatch(/needs [\d.]+ GB per rank .* more than the 85\.5 GB of an h100-sxm/);
    expect(fairway('workload', 'gen', '-m', 'gpt5').err).toMatch(/--model: unknown model "gpt5"; catalogue: gpt3-175b/);
    expect(fairway('workload', 'gen', '-m', 'gpt-1.3b', '-p', 'tp=2,speed=3').err).toMatch(/--parallel: unknown setting "speed"/);
  });
});

describe('fairway simulate --model', () => {
  test('a generated step runs on a topology and reports its breakdown', () => {
    const r = fairway('simulate', '--model', 'gpt-1.3b', '-p', 'tp=2,pp=2,dp=2,globalBatch=16', '-t', 'topologies/dgx-h100-1node.yaml', '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as { ranks: number; stepSec: number; computeSec: number; idleSec: number };
    expect(doc.ranks).toBe(8);
    expect(doc.computeSec / doc.stepSec).toBeGreaterThan(0.6);
    expect(doc.idleSec).toBeGreaterThan(0); // the pipeline bubble
  });

  test('the shipped training workloads parse and fit their accelerators', () => {
    const on: Record<string, string> = { 'deepseek-v3-256gpu-gb200': 'gb200' };
    for (const w of ['gpt3-175b-1024gpu', 'llama3-70b-256gpu', 'llama2-13b-128gpu', 'mixtral-8x7b-ep', 'deepseek-v3-256gpu-gb200']) {
      const spec = parseWorkloadText(readFileSync(join(root, 'workloads', `${w}.yaml`), 'utf8'), `${w}.yaml`);
      expect(spec.ops.length).toBeGreaterThan(10);
      const { model, plan } = spec.training!;
      expect(() => trainingWorkload(model, plan, ACCELERATOR_SPECS.get(on[w] ?? 'h100-sxm')!)).not.toThrow();
    }
    expect(fairway('simulate', '-w', 'workloads/mixtral-8x7b-ep.yaml', '-t', 'dgx-h100-1node').err).toMatch(/ranks: need 1 to 8 ranks on this topology, got 64/);
  });
});
