// Writing results safely: output files are written whole (to a temporary file, then renamed)
// only after a run succeeded — standard output included: files given beside a result printed to
// stdout are committed once it is flushed — and an existing file is never replaced without --force.
import { existsSync, renameSync, statSync, writeFileSync, unlinkSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { FairwayError, failInput } from '../core/errors.js';
import { parseSize } from '../core/units.js';

export { readInputText } from '../io/read-text.js';

/** The longest file name most file systems take, in bytes (NAME_MAX), and the longest path (PATH_MAX). */
const NAME_MAX = 255;
const PATH_MAX = 4096;

/**
 * Refuses "-", a path in a directory that does not exist (or under a file), a directory, a file
 * name longer than the file system takes, and an existing regular file (unless `force`; a device
 * such as /dev/null is fine), naming the `option` that gave the path.
 */
export function checkWritable(path: string, force: boolean, option = '--out'): void {
  if (path === '-') failInput(option, 'give a file name; "-" is not one (results go to stdout when no file is given)');
  if (path.endsWith('/')) failInput(option, `${path} ends with "/": give a file name (e.g. ${join(path, 'out.txt')})`);
  if (Buffer.byteLength(resolve(path)) >= PATH_MAX) failInput(option, `the path is ${Buffer.byteLength(resolve(path))} bytes long; file systems take less than ${PATH_MAX}`);
  const dir = dirname(path);
  if (!existsSync(dir)) failInput(option, `the directory ${dir} does not exist; create it first or write elsewhere`);
  if (!statSync(dir).isDirectory()) failInput(option, `${dir} is a file, not a directory; give a path in a directory`);
  if (Buffer.byteLength(basename(path)) > NAME_MAX) failInput(option, `the file name is ${Buffer.byteLength(basename(path))} bytes long; file systems take at most ${NAME_MAX}`);
  if (existsSync(path) && statSync(path).isDirectory()) failInput(option, `${path} is a directory; give a file name (e.g. ${join(path, 'out.txt')})`);
  if (!force && existsSync(path) && !isSpecialFile(path)) {
    throw new FairwayError('E_INPUT', `output file ${path} already exists; pass --force to replace it`, [
      { path: option, message: `${path} already exists` },
    ]);
  }
}

/**
 * Output files given to one command are distinct files: two options naming one path would
 * silently overwrite one result with another (issue 19, item 13). `outputs`: [option, path].
 */
export function checkDistinct(outputs: readonly [option: string, path: string | undefined][]): void {
  const seen = new Map<string, string>();
  for (const [option, path] of outputs) {
    if (path === undefined) continue;
    const key = resolve(path);
    const first = seen.get(key);
    if (first !== undefined) failInput(option, `${path} is also given to ${first}; give each output its own file`);
    seen.set(key, option);
  }
}

/** Whether `path` exists and is something other than a regular file (a device such as /dev/null or /dev/stdout, a FIFO). */
function isSpecialFile(path: string): boolean {
  // /dev/stdout, /dev/stderr and /dev/fd/N are links to whatever the shell opened (a file too);
  // other files under /dev (a tmpfs such as /dev/shm) are files like any other
  if (/^\/dev\/(stdout|stderr|fd\/\d+)$/.test(resolve(path))) return true;
  try {
    return !statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The bytes of an output's chunks. */
function joined(chunks: readonly (string | Uint8Array)[]): string | Buffer {
  return chunks.every((c) => typeof c === 'string') ? chunks.join('') : Buffer.concat(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c)));
}

const IO_REASONS: Readonly<Record<string, string>> = {
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  ENOENT: 'its directory does not exist',
  ENAMETOOLONG: 'the name is too long for the file system',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
};

/** A file-system error while writing `path` as an input error naming the path (never a stack trace). */
function writeError(path: string, e: unknown): FairwayError {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  const reason = IO_REASONS[code] ?? (e instanceof Error ? e.message : String(e));
  return new FairwayError('E_INPUT', `cannot write ${path}: ${reason}`, [{ path, message: reason }]);
}

let staging = 0;
/** A temporary name beside `path`, short whatever the length of its name. */
const temporary = (path: string) => join(dirname(path), `.fairway-${process.pid}-${staging++}.partial`);

/** Output files written to temporary files, waiting to be renamed into place (commit) or removed (discard). */
export interface StagedOutputs {
  commit(): void;
  discard(): void;
}

/** The staged outputs of the running command, which a failure of standard output settles (main.ts). */
let pending: StagedOutputs | undefined;

/** Commits (the reader of stdout stopped: what it wanted it got) or discards (stdout failed) the command's staged outputs. */
export function settleStagedOutputs(commit: boolean): void {
  const p = pending;
  pending = undefined;
  if (p) commit ? p.commit() : p.discard();
}

/**
 * Writes every output file's content to a temporary file beside it, to be renamed into place
 * by commit(): a failure while writing any of them (a full disk) leaves none of the results and
 * no temporary files behind (issue 19, item 13: outputs all or nothing). `undefined` paths are
 * skipped. Devices and FIFOs (`-o /dev/null`) are written in place at commit: renaming over one
 * would replace the device node with a regular file (item 14).
 */
export function stageOutputs(outputs: readonly (readonly [path: string | undefined, chunks: () => readonly (string | Uint8Array)[]])[]): StagedOutputs {
  const files = outputs.filter((o): o is readonly [string, () => readonly (string | Uint8Array)[]] => o[0] !== undefined).map(([path, chunks]) => ({ path, data: joined(chunks()), device: isSpecialFile(path) }));
  const staged: [tmp: string, path: string][] = [];
  // an interrupt before the files are in place (the result still being printed) leaves no temporary files
  const onSignal = (signal: NodeJS.Signals) => {
    discard();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  const discard = () => {
    pending = undefined;
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    for (const [tmp] of staged) if (existsSync(tmp)) unlinkSync(tmp);
    staged.length = 0;
  };
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  for (const f of files.filter((f) => !f.device)) {
    staged.push([temporary(f.path), f.path]);
    writeOrFail(staged[staged.length - 1][0], f.path, f.data, discard);
  }
  const run: StagedOutputs = {
    // devices first: one that fails (a full /dev/full) leaves the files unwritten
    commit: () => {
      for (const f of files.filter((f) => f.device)) writeOrFail(f.path, f.path, f.data, discard);
      for (const [tmp, path] of staged) {
        try {
          renameSync(tmp, path);
        } catch (e) {
          discard();
          throw writeError(path, e);
        }
      }
      staged.length = 0;
      discard();
    },
    discard,
  };
  pending = run;
  return run;
}

/** Writes `data` to `file` (the output `path`, or its temporary file); on failure runs `cleanUp` and throws an input error naming the path. */
function writeOrFail(file: string, path: string, data: string | Buffer, cleanUp?: () => void): void {
  try {
    writeFileSync(file, data);
  } catch (e) {
    cleanUp?.();
    throw writeError(path, e);
  }
}

/** Writes several output files as one (stageOutputs, then commit). */
export function writeOutputs(outputs: readonly (readonly [path: string | undefined, chunks: () => readonly (string | Uint8Array)[]])[]): void {
  stageOutputs(outputs).commit();
}

/** Writes `chunks` to `path` whole: to a temporary file beside it, then renamed over it, so a reader never sees half a result (a device in place). */
export function writeWhole(path: string, chunks: readonly (string | Uint8Array)[]): void {
  writeOutputs([[path, () => chunks]]);
}

/**
 * The result on standard output and the files beside it, all or nothing: the files are staged,
 * stdout written and flushed, then the files committed. If stdout fails (a full device), main.ts
 * discards the staged files and exits 1; if its reader stops early (`| head`), it commits them.
 */
export async function writeResults(stdout: readonly string[] | undefined, outputs: readonly (readonly [path: string | undefined, chunks: () => readonly (string | Uint8Array)[]])[]): Promise<void> {
  const staged = stageOutputs(outputs);
  if (stdout) await writeStdout(stdout);
  staged.commit();
}

/**
 * Writes to stdout in large chunks, honouring back-pressure, and resolves when flushed. On a
 * write error it never resolves: the stream's error handler (main.ts) ends the program.
 */
export async function writeStdout(chunks: readonly string[]): Promise<void> {
  for (const c of chunks) {
    if (!process.stdout.write(c)) await new Promise<void>((resolve) => process.stdout.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve) => process.stdout.write('', (e) => e || resolve()));
}

export function mib(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(0);
}

/** Peak resident memory of this process so far, in bytes. */
export function peakRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}

/** A command-line option that must be a whole number from 1 to `max`. */
export function positiveInt(v: string, option: string, max: number): number {
  const x = Number(v);
  if (!Number.isInteger(x) || x < 1 || x > max) failInput(option, `must be a whole number from 1 to ${max}, got "${v}"`);
  return x;
}

/** `--workers`: threads of the worker pool; default the machine's cores (at most 256). */
export function workersOption(v: string | undefined): number {
  return v === undefined ? Math.min(256, availableParallelism()) : positiveInt(v, '--workers', 256);
}

/** --max-memory in bytes; by default 80% of the machine's memory. */
export function maxMemoryOption(v: string | undefined): number {
  if (v === undefined) return 0.8 * totalmem();
  const q = parseSize(v);
  if (typeof q === 'string' || !(q > 0)) failInput('--max-memory', `must be a size such as 16G or 64GiB, got "${v}"`);
  return q as number;
}
