// Writing results safely: output files are written whole (to a temporary file, then renamed)
// only after a run succeeded, and an existing file is never replaced without --force.
import { existsSync, renameSync, statSync, writeFileSync, unlinkSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { FairwayError, failInput } from '../core/errors.js';

export { readInputText } from '../io/read-text.js';

/** Refuses "-", a path in a directory that does not exist, and an existing regular file (unless `force`; a device such as /dev/null is fine), naming the `option` that gave the path. */
export function checkWritable(path: string, force: boolean, option = '--out'): void {
  if (path === '-') failInput(option, 'give a file name; "-" is not one (results go to stdout when no file is given)');
  const dir = dirname(path);
  if (!existsSync(dir)) failInput(option, `the directory ${dir} does not exist; create it first or write elsewhere`);
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
  try {
    return !statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Writes `chunks` to `path` whole: to a temporary file beside it, then renamed over it, so a
 * reader never sees half a result. A device or FIFO (`-o /dev/null`, `/dev/stdout`) is written in
 * place: renaming over it would replace the device node with a regular file (issue 19, item 14).
 */
export function writeWhole(path: string, chunks: readonly (string | Uint8Array)[]): void {
  const data = chunks.every((c) => typeof c === 'string') ? chunks.join('') : Buffer.concat(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c)));
  if (isSpecialFile(path)) return writeFileSync(path, data);
  const tmp = `${path}.partial-${process.pid}`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    if (existsSync(tmp)) unlinkSync(tmp);
    throw e;
  }
}

/**
 * Writes several output files as one: every file's content to its temporary file first, then all
 * renamed into place, so a failure while writing any of them (a full disk) leaves none of the
 * results and no temporary files behind (issue 19, item 13: outputs all or nothing). `undefined`
 * paths are skipped; devices are written in place, last.
 */
export function writeOutputs(outputs: readonly (readonly [path: string | undefined, chunks: () => readonly (string | Uint8Array)[]])[]): void {
  const given = outputs.filter((o): o is readonly [string, () => readonly (string | Uint8Array)[]] => o[0] !== undefined);
  const datas = given.map(([, chunks]) => {
    const c = chunks();
    return c.every((x) => typeof x === 'string') ? c.join('') : Buffer.concat(c.map((x) => (typeof x === 'string' ? Buffer.from(x) : x)));
  });
  const staged: [tmp: string, path: string][] = [];
  try {
    given.forEach(([path], i) => {
      if (isSpecialFile(path)) return;
      const tmp = `${path}.partial-${process.pid}`;
      staged.push([tmp, path]);
      writeFileSync(tmp, datas[i]);
    });
  } catch (e) {
    for (const [tmp] of staged) if (existsSync(tmp)) unlinkSync(tmp);
    throw e;
  }
  for (const [tmp, path] of staged) renameSync(tmp, path);
  given.forEach(([path], i) => isSpecialFile(path) && writeFileSync(path, datas[i]));
}

/** Writes to stdout in large chunks, honouring back-pressure, and resolves when flushed. */
export async function writeStdout(chunks: readonly string[]): Promise<void> {
  for (const c of chunks) {
    if (!process.stdout.write(c)) await new Promise<void>((resolve) => process.stdout.once('drain', () => resolve()));
  }
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
