// Reading a user's input file: an unreadable file is an input error naming the option or field
// that named it, and no input is read past MAX_INPUT_BYTES (a device such as /dev/zero, or a
// runaway file, would otherwise be read until memory runs out).
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { FairwayError } from '../core/errors.js';

/** The largest input file fairway reads: 1 GiB. */
export const MAX_INPUT_BYTES = 2 ** 30;

function unreadable(file: string | URL, option: string, e: unknown): FairwayError {
  const code = (e as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a directory, not a file' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
  return new FairwayError('E_INPUT', `cannot read ${String(file)}: ${why}`, [{ path: option, message: why }]);
}

function tooLarge(file: string | URL, option: string, max: number): FairwayError {
  const why = `larger than the ${max.toLocaleString('en-US')} bytes fairway reads from one input (is it a device or a runaway file?)`;
  return new FairwayError('E_INPUT', `cannot read ${String(file)}: ${why}`, [{ path: option, message: why }]);
}

/** A regular file in one read; anything else (a device, a pipe) in pieces, stopping past `max`. */
function readBounded(fd: number, file: string | URL, option: string, max: number): Buffer {
  const stat = fstatSync(fd);
  if (stat.isDirectory()) throw unreadable(file, option, Object.assign(new Error('EISDIR'), { code: 'EISDIR' }));
  if (stat.isFile()) {
    if (stat.size > max) throw tooLarge(file, option, max);
    return readFileSync(fd);
  }
  const chunks: Buffer[] = [];
  const piece = Buffer.allocUnsafe(1 << 20);
  let total = 0;
  for (let n = readSync(fd, piece); n > 0; n = readSync(fd, piece)) {
    total += n;
    if (total > max) throw tooLarge(file, option, max);
    chunks.push(Buffer.from(piece.subarray(0, n)));
  }
  return Buffer.concat(chunks, total);
}

/** The bytes of an input file, at most `max`. */
export function readInputBytes(file: string | URL, option: string, max = MAX_INPUT_BYTES): Buffer {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    throw unreadable(file, option, e);
  }
  try {
    return readBounded(fd, file, option, max);
  } catch (e) {
    throw e instanceof FairwayError ? e : unreadable(file, option, e);
  } finally {
    closeSync(fd);
  }
}

/** The text of an input file (UTF-8, a leading byte-order mark dropped: issue 19, item 20), at most `max` bytes. */
export function readInputText(file: string | URL, option: string, max = MAX_INPUT_BYTES): string {
  const text = readInputBytes(file, option, max).toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
