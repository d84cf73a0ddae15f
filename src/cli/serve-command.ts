// `fairway serve FILE`: an inference deployment (docs/serve.md) under its load, request by
// request: latency percentiles, throughput, goodput, KV-cache use; JSON and a per-request CSV.
import type { Command } from 'commander';
import { failInput } from '../core/errors.js';
import { readServeFile } from '../io/serve-file.js';
import { formatServeText, requestsCsv, serveJson, serveTiming, type ServeReport } from '../report/serve-report.js';
import { serveTrace } from '../report/serve-trace.js';
import { serveHtml } from '../report/serve-html.js';
import { defaultServeTopology, runServeScenario } from '../scenario/serve-scenario.js';
import type { ServeSpec } from '../workload/serving/serve-spec.js';
import { checkDistinct, checkWritable, writeResults } from './output.js';
import { makeProgress } from './progress.js';

interface ServeOptions {
  topology?: string;
  json?: boolean;
  out?: string;
  requests?: string;
  trace?: string;
  html?: string;
  force?: boolean;
  check?: boolean;
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .argument('<file>', 'serve file (YAML/JSON): model, instances and tp (or disaggregated pools), precision, scheduler, router, load, slo (docs/serve.md)')
    .summary('simulate an inference deployment under a load: TTFT, TPOT, throughput, goodput')
    .description(
      [
        'Runs every request of the load through the deployment: a router (least-loaded, round-robin, or kv-aware as NVIDIA Dynamo\'s: where the request\'s shared prompt prefix is cached) gives it to an instance (a replica of the model on tp GPUs; MoE experts sharded over them, or whole with expertParallel; with dataParallelAttention each GPU runs attention for its own sequences with its own scheduler; DeepSeek-style models cache their compressed latent KV); each instance runs a continuous-batching scheduler (presets vllm, sglang, trtllm: token budget, sequence limit, chunked prefill, a paged KV cache with preemption by recompute or swap to host memory, or reservation at admission; prefix caching as a hit rate or of shared prefixes; speculative decoding with a one-layer draft at a given acceptance rate) and each step takes the roofline time of its kernels on the accelerator, per layer, plus its tensor-parallel all-reduces as simulated on the topology. With disaggregated: prefill and decode pools; the KV cache of each request moves between them as transfers on the links of the topology. Sweeps vary any of these fields (docs/sweep.md).',
        '',
        'Prints TTFT (time to first token), TPOT (time per output token after the first) and end-to-end latency (mean, p50, p90, p99, max), throughput (requests/s, input and output tokens/s, per GPU), goodput (requests/s within the file\'s slo: ttft and tpot, defaults 2 s and 50 ms), KV-cache use and preemptions, and OVERLOADED when an open-loop load outruns the deployment.',
      ].join('\n'),
    )
    .option('-t, --topology <topology>', "the system (shipped name, builder spec or file); default: the file's topology, else dgx-h100 servers enough for instances × tp")
    .option('--json', 'print every figure as JSON (seconds and per-second units)')
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .option('--requests <file>', 'write one CSV row per request: id, instance, arrival_s, input_tokens, output_tokens, ttft_s, tpot_s, e2e_s, preemptions')
    .option('--trace <file>', 'write a Chrome/Perfetto trace: each instance\'s steps (tokens, sequences), each request as queued / prefill / decode slices, KV transfers of disaggregated runs')
    .option('--html <file>', 'write a self-contained HTML report: the summary, latency CDFs (TTFT, TPOT, end to end), and over time requests completed and tokens processed a second, each instance\'s KV cache in use, and the requests queued and running')
    .option('--force', 'replace --out / --requests / --trace / --html files if they exist')
    .option('--check', "check the scheduler's invariants after every step (slower)")
    .addHelpText('after', '\nExamples:\n  fairway serve serving/llama3-70b-h100-tp8.yaml\n  fairway serve serving/llama3-70b-h100-tp8.yaml --json --requests requests.csv\n  fairway serve serving/llama3-70b-h100-azure-conv.yaml --html serve.html')
    .action(async (file: string, opts: ServeOptions) => serve(file, opts));
}

/** Instance names in placement order: prefill pool, then decode pool, or plain instances. */
function instanceNames(spec: ServeSpec): string[] {
  const d = spec.disaggregated;
  const par = (tp: number, pp = 1) => `TP${tp}${pp > 1 ? `×PP${pp}` : ''}`;
  if (!d) return Array.from({ length: spec.instances }, (_, i) => `instance ${i} (${par(spec.tp, spec.pp)})`);
  return [...Array.from({ length: d.prefill.instances }, (_, i) => `prefill ${i} (${par(d.prefill.tp, d.prefill.pp)})`), ...Array.from({ length: d.decode.instances }, (_, i) => `decode ${i} (${par(d.decode.tp, d.decode.pp)})`)];
}

async function serve(file: string, opts: ServeOptions): Promise<void> {
  checkDistinct([['--out', opts.out], ['--requests', opts.requests], ['--trace', opts.trace], ['--html', opts.html]]);
  if (opts.out) checkWritable(opts.out, opts.force === true);
  if (opts.requests) checkWritable(opts.requests, opts.force === true, '--requests');
  if (opts.trace) checkWritable(opts.trace, opts.force === true, '--trace');
  if (opts.html) checkWritable(opts.html, opts.force === true, '--html');
  const { spec, topology } = readServeFile(file);
  const ref = opts.topology ?? topology ?? defaultServeTopology(spec);
  if (ref.trim() === '') failInput('--topology', 'give a topology');
  const progress = makeProgress('serve', process.stderr.isTTY === true);
  const r = await runServeScenario(spec, { ref }, { check: opts.check === true, record: opts.trace !== undefined || opts.html !== undefined, onProgress: (done, total) => progress.update(done, total, 'requests') });
  progress.finish();
  const report: ServeReport = { spec, topology: r.system.topo.name, accelerator: r.shape.accelerator.name, capacity: r.capacity, kvBytesPerToken: r.kvBytesPerToken, summary: r.summary, run: r.run, wallSec: r.wallSec };
  const text = opts.json ? `${JSON.stringify(serveJson(report), null, 2)}\n` : formatServeText(report);
  const html = opts.html ? await serveHtml(report, instanceNames(spec)) : '';
  await writeResults(opts.out ? undefined : [text], [[opts.requests, () => [requestsCsv(r.run)]], [opts.trace, () => [serveTrace(r.run, instanceNames(spec))]], [opts.html, () => [html]], [opts.out, () => [text]]]);
  process.stderr.write(serveTiming(report));
}
