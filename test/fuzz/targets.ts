// The input formats the fuzz suite mutates: for each, shipped or fixture files as seeds and the
// path fairway takes with such a file (parse, validate, build; flow problems also run). An
// attempt returns when fairway would accept the input and throws what it would refuse with.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine } from '../../src/engine/index.js';
import { parseAicbText } from '../../src/io/aicb-workload.js';
import { astraCollectiveOptions, astraTopology, parseAstraNetwork } from '../../src/io/astra-sim-config.js';
import { chakraCollective, parseChakraTrace } from '../../src/io/chakra-et.js';
import { chakraWorkload } from '../../src/io/chakra-workload.js';
import { parseFlowProblemText } from '../../src/io/flow-problem.js';
import { parseRequestTrace } from '../../src/io/request-trace.js';
import { parseServe } from '../../src/io/serve-file.js';
import { parseSizeMatrix } from '../../src/io/size-matrix.js';
import { parseSweepText } from '../../src/io/sweep-file.js';
import { parseDocumentText, parseTopologyText } from '../../src/io/topology-file.js';
import { parseWorkload, parseWorkloadText } from '../../src/io/workload-file.js';
import { replayFlows } from '../../src/sim/flow-replay.js';
import { runWorkload } from '../../src/sim/workload-run.js';
import { buildTopology } from '../../src/topology/build.js';
import type { Topology } from '../../src/topology/graph.js';
import { Router } from '../../src/topology/routing/router.js';
import type { TopologySpec } from '../../src/topology/spec.js';
import type { Format } from './mutate.js';

export const root = new URL('../../', import.meta.url).pathname;

export interface Target {
  readonly name: string;
  readonly format: Format;
  /** Seed files, relative to the package root. */
  readonly seeds: readonly string[];
  readonly attempt: (data: string | Uint8Array) => void;
}

/** Accelerators and nodes a topology spec asks for at most (servers × their nodes, raw nodes): the suite builds only what fits in a test's memory; what is larger is accepted unbuilt. */
const BUILD_LIMIT = 50_000;
function declaredNodes(spec: TopologySpec): number {
  return spec.servers.reduce((s, g) => s + g.count * 64, 0) + (spec.nodes?.length ?? 0);
}

let dgx: { topo: Topology; router: Router } | undefined;
/** One DGX H100 (8 GPUs), built once: what small workload mutants run on. */
function oneDgx(): { topo: Topology; router: Router } {
  if (!dgx) {
    const topo = buildTopology(parseTopologyText(readFileSync(join(root, 'topologies/dgx-h100-1node.yaml'), 'utf8'), 'dgx-h100-1node.yaml'));
    dgx = { topo, router: new Router(topo, 1) };
  }
  return dgx;
}

const text = (d: string | Uint8Array) => (typeof d === 'string' ? d : Buffer.from(d).toString('utf8'));

/** Runs `f` on `data` written as file `name` in a fresh directory (formats read by path). */
function asFile(name: string, data: string | Uint8Array, f: (path: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'fairway-fuzz-'));
  try {
    writeFileSync(join(dir, name), data);
    f(join(dir, name));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const TARGETS: readonly Target[] = [
  {
    name: 'flows',
    format: 'json',
    seeds: ['examples/parking-lot.json', 'test/fixtures/hand-cases/03_mid_arrival.json', 'test/fixtures/hand-cases/04_latencies.json', 'test/fixtures/hand-cases/07_duplex_and_ties.json'],
    attempt: (d) => {
      const p = parseFlowProblemText(text(d), 'fuzz.json');
      if (p.flowIds.length <= 10_000) replayFlows(p, createEngine('ts'));
    },
  },
  {
    name: 'flows-wasm',
    format: 'json',
    seeds: ['test/fixtures/hand-cases/02_parking_lot.json', 'test/fixtures/hand-cases/06_bottleneck_shift.json'],
    attempt: (d) => {
      const p = parseFlowProblemText(text(d), 'fuzz.json');
      if (p.flowIds.length <= 10_000) replayFlows(p, createEngine('wasm'));
    },
  },
  {
    name: 'topology',
    format: 'yaml',
    seeds: ['topologies/dgx-h100-1node.yaml', 'topologies/gb200-nvl72-rack.yaml', 'topologies/l40s-pcie-server.yaml', 'topologies/maia100-rack.yaml', 'topologies/h100-256gpu-rail.yaml'],
    attempt: (d) => {
      const spec = parseTopologyText(text(d), 'fuzz.yaml');
      if (declaredNodes(spec) <= BUILD_LIMIT) buildTopology(spec);
    },
  },
  { name: 'topology-json', format: 'json', seeds: ['topologies/dgx-h100-1node.yaml', 'topologies/gb200-nvl72-rack.yaml'], attempt: (d) => void parseTopologyText(text(d), 'fuzz.json') },
  { name: 'workload', format: 'yaml', seeds: ['workloads/dp-step-overlap.yaml', 'workloads/launch-bound-inference.yaml', 'workloads/input-bound-vision.yaml', 'workloads/mixtral-8x7b-ep.yaml', 'workloads/llama2-13b-128gpu.yaml'], attempt: (d) => void parseWorkloadText(text(d), 'fuzz.yaml') },
  {
    name: 'workload-run',
    format: 'yaml',
    seeds: ['workloads/launch-bound-inference.yaml', 'workloads/dp-step-overlap.yaml'],
    attempt: (d) => {
      const spec = parseWorkloadText(text(d), 'fuzz.yaml');
      const { topo, router } = oneDgx();
      // small mutants run whole on one DGX H100 (the suite's time bound); larger ones are accepted unrun
      if ((spec.ranks ?? 8) <= 8 && spec.ops.length <= 200 && spec.iterations <= 20) runWorkload(spec, topo, router, { engine: 'ts', monitor: false });
    },
  },
  { name: 'sweep', format: 'yaml', seeds: ['sweeps/loader-workers.yaml', 'sweeps/nic-vs-algorithm.yaml', 'sweeps/tp-overlap.yaml', 'test/fixtures/sweeps/small.yaml'], attempt: (d) => void parseSweepText(text(d), 'fuzz.yaml') },
  { name: 'serve', format: 'yaml', seeds: ['serving/llama3-70b-h100-tp8.yaml', 'serving/llama3-70b-2x-dgx-h100-disagg.yaml', 'serving/llama3-70b-maia100-tp4.yaml'], attempt: (d) => void parseServe(parseDocumentText(text(d), 'fuzz.yaml'), 'fuzz.yaml') },
  {
    name: 'chakra-et',
    format: 'bytes',
    seeds: ['test/fixtures/chakra/microbenchmarks/all_gather/4npus_1MB/all_gather.0.et', 'test/fixtures/chakra/microbenchmarks/reduce_scatter/4npus_1MB/reduce_scatter.1.et'],
    attempt: (d) => {
      const t = parseChakraTrace(typeof d === 'string' ? Buffer.from(d) : d, 'fuzz.et');
      for (const n of t.nodes) if (n.type === 'COMM_COLL_NODE') chakraCollective(n, 4, 'fuzz.et');
    },
  },
  { name: 'chakra-json', format: 'json', seeds: ['test/fixtures/chakra/mlcommons/small_chakra.0.json'], attempt: (d) => asFile('fuzz.0.json', d, (p) => void parseWorkload(chakraWorkload(p.replace(/\.0\.json$/, '')).doc, 'fuzz')) },
  { name: 'aicb', format: 'lines', seeds: ['test/fixtures/aicb/microAllReduce.txt', 'test/fixtures/aicb/all_to_all.txt', 'test/fixtures/aicb/L7B-D1-C02_Llama7B_deepspeed_zero3_A100.txt', 'test/fixtures/aicb/L7B-M1-C04_Llama7B_megatron_tp2_pp1_mbs1_A100.txt'], attempt: (d) => void parseWorkload(parseAicbText(text(d), 'fuzz.txt').doc, 'fuzz.txt') },
  { name: 'size-matrix', format: 'json', seeds: ['test/fuzz/seeds/matrix-4.json'], attempt: (d) => void parseSizeMatrix(text(d), 'fuzz.json', 4) },
  { name: 'request-trace', format: 'lines', seeds: ['test/fuzz/seeds/azure-conv-40.csv'], attempt: (d) => void parseRequestTrace(text(d), 'fuzz.csv') },
  {
    name: 'astra-sim',
    format: 'yaml',
    seeds: ['test/fixtures/astra-sim/Ring_16npus.yml'],
    attempt: (d) => {
      const spec = astraTopology(parseAstraNetwork(text(d), 'fuzz.yml'), 'fuzz');
      if (declaredNodes(spec) <= BUILD_LIMIT) buildTopology(spec);
    },
  },
  { name: 'astra-sim-system', format: 'json', seeds: ['test/fixtures/astra-sim/rt_template_system.json'], attempt: (d) => void astraCollectiveOptions(text(d), 'fuzz.json', 1 << 20, 'all-reduce') },
];

/** A seed file's contents: bytes for binary formats, else text (a YAML seed of a JSON target is converted). */
export function readSeed(t: Target, file: string): string | Uint8Array {
  const raw = readFileSync(join(root, file));
  if (t.format === 'bytes') return raw;
  if (t.format === 'json' && /\.ya?ml$/.test(file)) return JSON.stringify(parseDocumentText(raw.toString('utf8'), file));
  return raw.toString('utf8');
}
