// Reading sweep results back: a finished results file (msgpack stream or CSV, sweep/results.ts)
// for resuming and merging, and the partial file of an interrupted run, whose last record may
// be cut short.
import { readInputBytes } from './read-text.js';
import { FairwayError } from '../core/errors.js';
import { decodeRecords, formatOf, isRecord, unpackRecords, type SweepRecord } from '../sweep/results.js';

/** A finished results file, every record checked for its shape. */
export function readRecords(file: string): SweepRecord[] {
  return decodeRecords(readInputBytes(file, file), formatOf(file), file);
}

/** The records of an interrupted run; a record cut short by the interruption is dropped. */
export function readPartial(file: string): SweepRecord[] {
  const bytes = readInputBytes(file, file);
  if (bytes.length === 0) return [];
  // the whole records before any damage: the longest prefix that decodes to records
  for (let end = bytes.length; end > 0; end--) {
    try {
      const records: unknown[] = unpackRecords(bytes.subarray(0, end));
      if (records.every(isRecord)) return records;
    } catch {
      /* shorter */
    }
  }
  throw new FairwayError('E_INPUT', `${file} is damaged; delete it (its points will run again)`, [{ path: file, message: 'unreadable partial results' }]);
}
