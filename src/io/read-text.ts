// Reading a user's input file as text: an unreadable file is an input error naming the option
// or field that named it.
import { readFileSync } from 'node:fs';
import { FairwayError } from '../core/errors.js';

export function readInputText(file: string | URL, option: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    throw new FairwayError('E_INPUT', `cannot read ${String(file)}: ${why}`, [{ path: option, message: why }]);
  }
}
