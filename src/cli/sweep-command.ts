// `fairway sweep SWEEP.yaml`: runs every point of a what-if sweep on a pool of worker threads,
// streams results to disk as they finish, and prints one table in point order (the order of
// the sweep's axes). `fairway sweep merge -o OUT IN...` joins the outputs of shards.
import { appendFileSync, existsSync, unlinkSync } from 'node:fs';
import type { Command } from 'commander';
import { FairwayError, failInput } from '../core/errors.js';
import { parseSweepText } from '../io/sweep-file.js';
import { encodeRecords, formatOf, mergeRecords, packRecord, pointKey, type ResultFormat, type SweepRecord } from '../sweep/results.js';
import { analyticalSweep, flowPass, refinedRecords } from '../sweep/refine.js';
import { readPartial, readRecords } from '../io/sweep-results-file.js';
import { runSweep, shardPoints, type Shard } from '../parallel/run-sweep.js';
import { overridePaths, type SweepSpec } from '../sweep/spec.js';
import { applyOverrides } from '../sweep/paths.js';
import { parseTopology } from '../io/topology-file.js';
import { parseWorkload } from '../io/workload-file.js';
import { parseServe } from '../io/serve-file.js';
import { checkDistinct, checkWritable, readInputText, workersOption, writeOutputs, writeStdout } from './output.js';
import { sweepHtml } from '../report/sweep-html.js';
import { shortNames } from '../report/sweep-maps.js';
import { makeProgress } from './progress.js';

interface SweepOptions {
  workers?: string;
  shard?: string;
  out?: string;
  resume?: boolean;
  force?: boolean;
  timeout?: string;
  quiet?: boolean;
  html?: string;
  refine?: string;
}

export function registerSweepCommand(program: Command): void {
  const sweep = program
    .command('sweep')
    .summary('run a what-if sweep on every core; "sweep merge" joins shard outputs')
    .argument('<sweep>', 'sweep file (.yaml/.json); "merge" joins result files (fairway sweep merge --help)')
    .argument('[inputs...]', 'merge: the result files to join')
    .description(
      [
        'Runs every point of a sweep: a base scenario (a topology plus a collective or a workload, or a serving deployment) with fields overridden by path, over a grid of values and/or a list of points. Points run in parallel on worker threads; each result is appended to disk as it finishes; a failing point is reported and the others still run. The final table lists the points in the order of the sweep\'s axes.',
        '',
        'Results (--out) are a msgpack stream (.msgpack) or CSV (.csv), identical whatever the number of workers and however the sweep is sharded and merged. --shard i/N runs the points whose number is i modulo N (0 ≤ i < N), one cluster job each; `fairway sweep merge -o all.csv shard*.csv` joins them. The sweep format is documented in docs/sweep.md.',
        '',
        'Exit status: 0 when every point succeeded, 1 when some failed (listed on stderr), 2 for invalid input.',
      ].join('\n'),
    )
    .option('-w, --workers <n>', 'most worker threads (default: the number of cores); one starts at once, the others after 1 s if the points left are worth their cold start (docs/sweep.md)')
    .option('--shard <i/N>', 'run only the points numbered i modulo N')
    .option('-o, --out <file>', 'results file (.msgpack or .csv)')
    .option('--resume', 'keep the points already in --out and run only the rest (failed points run again)')
    .option('--force', 'replace --out / --html if they exist')
    .option('--timeout <seconds>', 'stop a point after this long and report it as failed')
    .option('--html <file>', 'also write an HTML report: the best point, heat maps over the grid\'s axes (of the time, or of a deployment\'s goodput), a bar per point (a workload step broken down, a collective\'s time, a deployment\'s requests/s within and outside its SLO) and the table')
    .option('--refine <k>', "every point first at the analytical fidelity (collectives as NCCL's closed form: milliseconds a collective point; a workload's collectives likewise, the rest simulated), then the k fastest (least time or step), and the points with no closed form, simulated (flow); the others keep their analytical results, each record's `fidelity` says which (docs/sweep.md)")
    .option('-q, --quiet', 'no table on stdout (with --out)')
    .addHelpText('after', '\nExamples:\n  fairway sweep sweeps/nic-vs-algorithm.yaml\n  fairway sweep sweeps/nic-vs-algorithm.yaml --workers 2 -o results.csv\n  fairway sweep sweeps/nic-vs-algorithm.yaml --shard 0/4 -o part0.msgpack\n  fairway sweep merge -o all.csv part0.msgpack part1.msgpack part2.msgpack part3.msgpack')
    .action(async (file: string, inputs: string[], opts: SweepOptions) => runSweepCommand(file, inputs, opts))
    // options after `merge` are merge's own (-o, --force, --html share their names with the sweep's)
    .enablePositionalOptions();
  sweep
    .command('merge')
    .summary('join the result files of a sharded (or resumed) sweep into one')
    .argument('<inputs...>', 'result files (.msgpack or .csv) of the shards, in any order')
    .description(
      [
        'Joins result files written by `fairway sweep --shard i/N -o FILE` (or any runs of the same sweep) into one file in point order, byte-identical to what one unsharded run writes. A point present in several files must hold the same overrides; a successful result wins over a failed one. Point numbers missing below the largest are reported on stderr.',
        '',
        'Exit status: 0 when merged, 2 for invalid input (unreadable files, conflicting points, an existing --out without --force).',
      ].join('\n'),
    )
    .requiredOption('-o, --out <file>', 'the merged results file (.msgpack or .csv)')
    .option('--force', 'replace --out / --html if they exist')
    .option('--html <file>', 'also write the HTML report of the merged points')
    .addHelpText('after', '\nExample:\n  fairway sweep merge -o all.csv part0.msgpack part1.msgpack part2.msgpack part3.msgpack')
    .action(async (inputs: string[], opts: SweepOptions) => runMerge(inputs, opts));
}

function parseShard(v: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(v.trim());
  const [index, count] = m ? [Number(m[1]), Number(m[2])] : [NaN, NaN];
  if (!m || count < 1 || index >= count) failInput('--shard', `must be i/N with 0 ≤ i < N, e.g. 0/4; got "${v}"`);
  return { index, count };
}

/**
 * Mistakes in the sweep itself are input errors before anything runs: a base that does not
 * read, or an override path that does not fit the base (every point would fail alike). A
 * value that makes one point invalid remains that point's failure.
 */
function checkSweep(spec: SweepSpec, shard?: Shard): void {
  const base = spec.base;
  if (base.topology !== undefined) parseTopology(base.topology, 'base.topology');
  if (base.workload !== undefined) parseWorkload(base.workload, 'base.workload');
  if (base.serve !== undefined) parseServe(base.serve, 'base.serve');
  for (const p of shardPoints(spec, shard))
    try {
      applyOverrides(base, p.overrides);
    } catch (e) {
      if (e instanceof FairwayError) throw new FairwayError('E_INPUT', `point ${p.index}: ${e.message}`, e.issues);
      throw e;
    }
}

async function runSweepCommand(file: string, extra: string[], opts: SweepOptions): Promise<void> {
  if (extra.length > 0) failInput('<sweep>', `one sweep file at a time; to join results use "fairway sweep merge -o OUT ${extra.join(' ')}"`);
  const workers = workersOption(opts.workers);
  const shard = opts.shard === undefined ? undefined : parseShard(opts.shard);
  const timeoutSec = opts.timeout === undefined ? undefined : Number(opts.timeout);
  if (timeoutSec !== undefined && !(timeoutSec > 0 && timeoutSec <= 1e6)) failInput('--timeout', `must be a number of seconds from 0 to 1,000,000, got "${opts.timeout}"`);
  if (opts.resume && !opts.out) failInput('--resume', 'needs --out, the results file to resume');
  if (opts.quiet && !opts.out && !opts.html) failInput('--quiet', 'needs --out or --html, or the results would go nowhere');
  const format = opts.out ? formatOf(opts.out) : undefined;
  checkDistinct([['--out', opts.out], ['--html', opts.html]]);
  if (opts.out && !opts.resume) checkWritable(opts.out, opts.force === true);
  if (opts.html) checkWritable(opts.html, opts.force === true, '--html');
  const spec = parseSweepText(readInputText(file, '<sweep>'), file);
  checkSweep(spec, shard);
  if (opts.refine !== undefined) return runRefined(spec, refineCount(opts), { ...opts, workers, timeoutSec, format });

  // resuming: what the output and an interrupted run's partial file already hold
  const partial = opts.out ? `${opts.out}.partial` : undefined;
  let kept: SweepRecord[] = [];
  if (opts.resume && opts.out) {
    const previous = [existsSync(opts.out) ? readRecords(opts.out) : [], partial && existsSync(partial) ? readPartial(partial) : []];
    kept = mergeRecords(previous, opts.out);
    const expected = new Map(shardPoints(spec, shard).map((p) => [p.index, JSON.stringify(pointKey(Object.fromEntries(p.overrides)))]));
    for (const r of kept) {
      const mine = expected.get(r.index);
      const theirs = JSON.stringify(pointKey(r.point));
      if (mine !== theirs) failInput('--resume', `${opts.out} holds point ${r.index} with other overrides than this sweep (and shard) gives it; use a new --out`);
    }
  } else if (partial && existsSync(partial)) {
    if (!opts.force) failInput('--out', `${partial} holds the results of an interrupted run: add --resume to keep them, or --force to discard them`);
    unlinkSync(partial);
  }
  const done = new Set(kept.filter((r) => r.ok).map((r) => r.index));

  const progress = makeProgress('sweep');
  let failed = 0;
  const fresh = await runSweep(spec, {
    workers,
    shard,
    timeoutSec,
    done,
    onRecord: (record, finished, total) => {
      if (!record.ok) failed++;
      if (partial) appendFileSync(partial, packRecord(record));
      progress.update(finished, total, `points${failed ? `, ${failed} failed` : ''}`);
    },
  });
  progress.finish();
  const records = mergeRecords([kept.filter((r) => r.ok), fresh], opts.out ?? file);
  const html = opts.html ? await sweepHtml(`sweep ${spec.name}`, overridePaths(spec), records) : '';
  writeOutputs([[opts.out && format ? opts.out : undefined, () => [encodeRecords(records, format!)]], [opts.html, () => [html]]]);
  if (opts.out && format && partial && existsSync(partial)) unlinkSync(partial);
  if (!opts.quiet) await writeStdout([formatTable(spec.name, overridePaths(spec), records, fresh.length, shard)]);
  reportFailures(records);
}

/** Failed points on stderr (the first 20) and exit status 1. */
function reportFailures(records: readonly SweepRecord[]): void {
  const failures = records.filter((r) => !r.ok);
  if (failures.length === 0) return;
  const lines = failures.slice(0, 20).map((r) => `  point ${r.index} (${Object.entries(r.point).map(([k, v]) => `${k}=${String(v)}`).join(', ')}): ${r.error}`);
  process.stderr.write(`fairway: ${failures.length} of ${records.length} points failed:\n${lines.join('\n')}${failures.length > 20 ? `\n  … and ${failures.length - 20} more (see the results file)` : ''}\n`);
  process.exitCode = 1;
}

function refineCount(opts: SweepOptions): number {
  const k = Number(opts.refine);
  if (!Number.isInteger(k) || k < 1 || k > 1_000_000) failInput('--refine', `must be a whole number of points from 1 to 1,000,000, got "${opts.refine}"`);
  if (opts.resume || opts.shard !== undefined) failInput('--refine', 'runs the whole sweep twice (closed form, then the best points simulated): not with --resume or --shard');
  return k;
}

/** --refine K: the analytical pass over every point, the flow pass over the best K and those with no closed form, then the usual outputs. */
async function runRefined(spec: SweepSpec, k: number, opts: Omit<SweepOptions, 'workers'> & { workers: number; timeoutSec?: number; format?: ResultFormat }): Promise<void> {
  const progress = makeProgress('sweep');
  const analytical = await runSweep(analyticalSweep(spec), { workers: opts.workers, timeoutSec: opts.timeoutSec, onRecord: (_, done, total) => progress.update(done, total, 'points (closed form)') });
  const pass = flowPass(spec, analytical, k);
  const flow = pass.indices.length ? await runSweep(pass.spec, { workers: opts.workers, timeoutSec: opts.timeoutSec, onRecord: (_, done, total) => progress.update(done, total, 'points simulated') }) : [];
  progress.finish();
  const records = refinedRecords(analytical, flow, pass.indices);
  const html = opts.html ? await sweepHtml(`sweep ${spec.name} (refined: ${pass.indices.length} simulated)`, overridePaths(spec), records) : '';
  writeOutputs([[opts.out && opts.format ? opts.out : undefined, () => [encodeRecords(records, opts.format!)]], [opts.html, () => [html]]]);
  if (!opts.quiet) await writeStdout([formatTable(spec.name, overridePaths(spec), records, records.length)]);
  reportFailures(records);
}

async function runMerge(inputs: string[], opts: SweepOptions): Promise<void> {
  if (!opts.out) failInput('--out', 'merge needs -o OUT, the merged results file');
  if (inputs.length === 0) failInput('<inputs>', 'give the result files to merge');
  const out = opts.out!;
  checkWritable(out, opts.force === true);
  if (opts.html) checkWritable(opts.html, opts.force === true, '--html');
  const records = mergeRecords(inputs.map(readRecords), 'merge');
  // the overridden paths, in the order the points first name them
  const paths = [...new Set(records.flatMap((r) => Object.keys(r.point)))];
  const html = opts.html ? await sweepHtml(`sweep merge of ${inputs.length} file(s)`, paths, records) : '';
  writeOutputs([[out, () => [encodeRecords(records, formatOf(out))]], [opts.html, () => [html]]]);
  const max = records.length ? records[records.length - 1].index : -1;
  const missing = max + 1 - records.length;
  process.stderr.write(`merged ${records.length} points from ${inputs.length} file(s) into ${out}${missing > 0 ? `; ${missing} point number(s) below ${max} are missing` : ''}\n`);
}

/** A table cell: whole numbers as they are, others to 4 significant digits without an exponent from 10⁴ up (38091, not 3.809e+4). */
const show = (v: unknown): string => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : Math.abs(v) >= 1e4 ? v.toFixed(0) : v.toPrecision(4)) : v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

function formatTable(name: string, paths: string[], records: readonly SweepRecord[], ran: number, shard?: Shard): string {
  const metrics: string[] = [];
  for (const r of records) for (const m of Object.keys(r.metrics ?? {})) if (!metrics.includes(m)) metrics.push(m);
  const names = shortNames(paths, metrics);
  const header = ['#', ...paths.map((p) => names.get(p) ?? p), ...metrics];
  const rows = records.map((r) => [String(r.index), ...paths.map((p) => show(r.point[p])), ...(r.ok ? metrics.map((m) => show(r.metrics?.[m])) : [`FAILED: ${r.error}`])]);
  const width = header.map((h, c) => rows.reduce((w, row) => Math.max(w, c < row.length && !(row[c] ?? '').startsWith('FAILED') ? row[c].length : 0), h.length));
  const line = (cells: string[]) => cells.map((x, c) => (x.startsWith('FAILED') ? x : x.padStart(width[c] ?? 0))).join('  ');
  const title = `sweep ${name}: ${records.length} point(s)${shard ? ` (shard ${shard.index}/${shard.count})` : ''}, ${ran} run now`;
  return [title, line(header), ...rows.map(line), ''].join('\n');
}
