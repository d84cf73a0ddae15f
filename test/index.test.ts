// The public API (src/index.ts, the package entry): the embedding example runs against the
// built package and prints what the same calls give in-process; a sweep point run in-process
// equals the collective it describes.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ncclPlan } from '../src/collective/nccl-plan.js';
import {
  DEFAULT_COLLECTIVE_OPTIONS,
  Router,
  STANDALONE_LATENCIES,
  buildTopology,
  defaultCommunicator,
  loadTopologySpec,
  parseWorkload,
  runCollective,
  runScenario,
  scenarioFromDocument,
  scenarioMetrics,
  runWorkload,
  type Algorithm,
} from '../src/index.js';
import { root } from './helpers/cli.js';

describe('public API', () => {
  const topo = buildTopology(loadTopologySpec('dgx-h100-1node'));
  const router = new Router(topo);
  const comm = defaultCommunicator(topo);
  const busbw = (algorithm: Algorithm) =>
    runCollective(topo, router, comm, 'all_reduce', 2 ** 30, { ...DEFAULT_COLLECTIVE_OPTIONS, ...STANDALONE_LATENCIES, algorithm, channels: 8 }).busbwBytesPerSec / 1e9;

  test('examples/embed.mjs imports "fairway" (dist) and prints what the same calls give here', () => {
    const out = execFileSync(process.execPath, [join(root, 'examples/embed.mjs')], { cwd: root, encoding: 'utf8' });
    const figure = (re: RegExp) => Number(re.exec(out)?.[1]);
    expect(figure(/ring: .* busbw ([\d.]+) GB\/s/)).toBeCloseTo(busbw('ring'), 1);
    expect(figure(/nvls: .* busbw ([\d.]+) GB\/s/)).toBeCloseTo(busbw('nvls'), 1);
    const w = runWorkload(parseWorkload({ training: { model: 'gpt-1.3b', tp: 2, dp: 4, seq: 2048, globalBatch: 16 } }), topo, router);
    expect(figure(/step \(tp 2, dp 4\): ([\d.]+) ms/)).toBeCloseTo(w.summary.stepSec * 1e3, 2);
  });

  test("runScenario: one sweep point in-process is the collective it names, run as NCCL's plan says", async () => {
    const doc = { servers: [{ template: 'dgx-h100', count: 1 }] };
    const m = scenarioMetrics(await runScenario(scenarioFromDocument({ topology: doc, collective: { op: 'all_reduce', bytes: '1GiB', algo: 'ring', channels: 8 } })));
    const plan = ncclPlan(topo, comm, 'all_reduce', 2 ** 30, DEFAULT_COLLECTIVE_OPTIONS, { algorithm: 'ring', channels: 8 });
    expect([plan.options.channels, plan.options.protocol, plan.options.baseLatencySec]).toEqual([8, 'Simple', 8.4e-6]);
    const r = runCollective(topo, router, comm, 'all_reduce', 2 ** 30, plan.options);
    expect(m.timeUs).toBeCloseTo(r.makespanSec * 1e6, 6);
    expect(m.algo).toBe('ring');
  });
});
