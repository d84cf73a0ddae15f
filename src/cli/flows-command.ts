// `fairway flows PROBLEM.json`: replays a flow problem and prints id,finish per flow.
import type { Command } from 'commander';
import { FairwayError } from '../core/errors.js';
import { createEngine, type EngineKind } from '../engine/index.js';
import { parseFlowProblemText } from '../io/flow-problem.js';
import { replayFlows } from '../sim/flow-replay.js';
import { checkWritable, mib, peakRssBytes, readInputText, writeStdout, writeWhole } from './output.js';
import { makeProgress } from './progress.js';

interface FlowsOptions {
  engine: EngineKind;
  json?: boolean;
  out?: string;
  force?: boolean;
  quiet?: boolean;
}

/** A CSV field (RFC 4180): quoted, with quotes doubled, when it holds a comma, a quote or a line break (issue 19, item 16). */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function registerFlowsCommand(program: Command): void {
  program
    .command('flows')
    .argument('<problem.json>', 'flow problem: {"links":[{"id","bw","lat"}], "flows":[{"id","route","size","start"}]}')
    .summary('replay a flow problem and print each flow\'s finish time')
    .description(
      [
        "Replays a flow problem (the format of the SimGrid peer harness): every link is one shared resource of bw bytes/s; flow f becomes active at start + the sum of its route's latencies and shares the links of its route max-min fairly until size bytes are through.",
        '',
        'Output: CSV "id,finish" (seconds, full double precision) on stdout or --out, or --json. A one-line JSON summary (flows, links, events, solves, seconds, peak memory) goes to stderr.',
        '',
        'Invalid input: every problem is listed with its path (e.g. flows[3].route[1]), exit code 2, nothing is written.',
      ].join('\n'),
    )
    .option('--engine <kind>', 'solver: wasm (fast) or ts (pure-TypeScript reference)', 'wasm')
    .option('--json', 'print {"finish": {id: seconds}, "stats": {...}} instead of CSV')
    .option('-o, --out <file>', 'write the result to a file instead of stdout')
    .option('--force', 'replace --out if it already exists')
    .option('-q, --quiet', 'no summary or progress on stderr')
    .addHelpText('after', '\nExample:\n  fairway flows examples/parking-lot.json\n  fairway flows big.json -o finish.csv')
    .action(async (file: string, opts: FlowsOptions) => runFlows(file, opts));
}

async function runFlows(file: string, opts: FlowsOptions): Promise<void> {
  if (opts.engine !== 'wasm' && opts.engine !== 'ts') {
    throw new FairwayError('E_INPUT', `--engine must be "wasm" or "ts", got "${opts.engine}"`, [{ path: '--engine', message: 'unknown engine' }]);
  }
  if (opts.out) checkWritable(opts.out, opts.force === true);
  let text = readInputText(file, file);
  const t0 = performance.now();
  const problem = parseFlowProblemText(text, file);
  text = '';
  const tParsed = performance.now();
  const engine = createEngine(opts.engine);
  const progress = makeProgress('flows', !opts.quiet && process.stderr.isTTY === true);
  const { finish, stats } = replayFlows(problem, engine, (done, total, t) => progress.update(done, total, `t=${t.toPrecision(6)}s`));
  progress.finish();
  const tDone = performance.now();

  const chunks: string[] = [];
  const ids = problem.flowIds;
  if (opts.json) {
    const parts: string[] = [];
    for (let f = 0; f < ids.length; f++) parts.push(`${JSON.stringify(ids[f])}:${finish[f]}`);
    chunks.push(`{"schema":"fairway.flows/1","finish":{${parts.join(',')}},"stats":${JSON.stringify({ flows: ids.length, links: problem.linkIds.length, ...stats })}}\n`);
  } else {
    let buf = 'id,finish\n';
    for (let f = 0; f < ids.length; f++) {
      buf += `${csvField(ids[f])},${finish[f]}\n`;
      if (buf.length > 1 << 20) {
        chunks.push(buf);
        buf = '';
      }
    }
    chunks.push(buf);
  }
  if (opts.out) writeWhole(opts.out, chunks);
  else await writeStdout(chunks);
  if (!opts.quiet) {
    const summary = {
      flows: ids.length,
      links: problem.linkIds.length,
      events: stats.events,
      solves: stats.solves,
      parse_s: +((tParsed - t0) / 1000).toFixed(3),
      sim_s: +((tDone - tParsed) / 1000).toFixed(3),
      peak_rss_mib: +mib(peakRssBytes()),
      engine: engine.kind,
    };
    process.stderr.write(`${JSON.stringify(summary)}\n`);
  }
}
