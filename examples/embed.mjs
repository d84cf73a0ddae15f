// fairway as a library: a collective on one DGX H100 with two algorithms, then a generated
// training step on the same system. Run after `npm ci`: node examples/embed.mjs
import {
  buildTopology, loadTopologySpec, Router, defaultCommunicator, runCollective,
  DEFAULT_COLLECTIVE_OPTIONS, STANDALONE_LATENCIES, parseWorkload, runWorkload,
} from 'fairway';

const topo = buildTopology(loadTopologySpec('dgx-h100-1node'));
const router = new Router(topo);
const comm = defaultCommunicator(topo); // all 8 GPUs
for (const algorithm of ['ring', 'nvls']) {
  const options = { ...DEFAULT_COLLECTIVE_OPTIONS, ...STANDALONE_LATENCIES, algorithm, channels: 8 };
  const r = runCollective(topo, router, comm, 'all_reduce', 2 ** 30, options);
  console.log(`all_reduce 1 GiB, ${algorithm}: ${(r.makespanSec * 1e6).toFixed(1)} us, busbw ${(r.busbwBytesPerSec / 1e9).toFixed(1)} GB/s`);
}

// the `training:` section of a workload file, as an object
const spec = parseWorkload({ training: { model: 'gpt-1.3b', tp: 2, dp: 4, seq: 2048, globalBatch: 16 } });
const { summary } = runWorkload(spec, topo, router);
console.log(`gpt-1.3b step (tp 2, dp 4): ${(summary.stepSec * 1e3).toFixed(2)} ms, compute ${(summary.computeSec * 1e3).toFixed(2)} ms, exposed communication ${(summary.exposedCommSec * 1e3).toFixed(2)} ms`);
