// Reading sweep results back: a finished results file (msgpack stream or CSV, sweep/results.ts)
// for resuming and merging, and the partial file of an interrupted run, whose last record may
// be cut short.
import { readFileSync } from 'node:fs';
import { FairwayError } from '../core/errors.js';
import { decodeRecords, formatOf, unpackRecords, type SweepRecord } from '../sweep/results.js';

export function readRecords(file: string): SweepRecord[] {
  return decodeRecords(Buffer.from(readFileSync(file)), formatOf(file), file);
}

export /** The records of an interrupted run; a record cut short by the interruption is dropped. */
function readPartial(file: string): SweepRecord[] {
  const bytes = readFileSync(file);
  try {
    return unpackRecords(bytes);
  } catch {
    // keep the whole records before the damage
    for (let end = bytes.length - 1; end > 0; end--) {
      try {
        const records = unpackRecords(bytes.subarray(0, end));
        if (records.every((r) => r && typeof r.index === 'number' && typeof r.point === 'object')) return records;
      } catch {
        /* shorter */
      }
    }
    throw new FairwayError('E_INPUT', `${file} is damaged; delete it (its points will run again)`, [{ path: file, message: 'unreadable partial results' }]);
  }
}
