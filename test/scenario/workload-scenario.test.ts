// The default system a workload without --topology runs on (AICB and Chakra imports).
import { describe, expect, test } from 'vitest';
import { parseTopology } from '../../src/io/topology-file.js';
import { defaultSystem } from '../../src/scenario/workload-scenario.js';
import { buildTopology } from '../../src/topology/build.js';

describe('defaultSystem', () => {
  test('9,216 ranks (all_gpus of the SimAI example) build: 1,152 DGX H100 on a 3-tier leaf-spine, where two tiers of radix 64 stop at 2,048 NICs (issue 19, item 17)', () => {
    const d = defaultSystem(9216);
    const topo = buildTopology(parseTopology(d.doc));
    expect(topo.nodesOfKind('accelerator').length).toBe(9216);
    expect(d.note).toMatch(/1152 DGX H100 on a non-blocking 3-tier leaf-spine.*--topology names another/);
  });

  test('2,048 ranks (256 servers, 2,048 NICs) still fit two tiers', () => {
    const d = defaultSystem(2048);
    expect(d.note).toMatch(/2-tier/);
    expect(buildTopology(parseTopology(d.doc)).nodesOfKind('accelerator').length).toBe(2048);
  });
});
