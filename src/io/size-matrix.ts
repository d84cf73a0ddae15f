// The size matrix of an all-to-all-v: a JSON list of n lists of n byte counts, matrix[i][j] =
// bytes rank i sends to rank j (numbers or sizes like "4MiB"; the diagonal is ignored).
import { IssueList } from '../core/errors.js';
import { parseQuantity } from '../core/units.js';
import { parseDocumentText } from './topology-file.js';

export function parseSizeMatrix(text: string, file: string, ranks: number): number[][] {
  const doc = parseDocumentText(text, file);
  const issues = new IssueList();
  const out: number[][] = [];
  if (!Array.isArray(doc) || doc.length !== ranks) {
    issues.add('', `must be a list of ${ranks} rows (one per rank), got ${Array.isArray(doc) ? `${doc.length} rows` : typeof doc}`);
    issues.throwIfAny(`${file}: invalid size matrix`);
  }
  (doc as unknown[]).forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== ranks) return issues.add(`[${i}]`, `must be a list of ${ranks} byte counts`);
    out.push(
      row.map((v, j) => {
        const q = parseQuantity(v, 'bytes');
        if (typeof q === 'string') issues.add(`[${i}][${j}]`, q);
        else if (q < 0 || q > 2 ** 50) issues.add(`[${i}][${j}]`, `must be from 0 to 2^50 bytes, got ${JSON.stringify(v)}`);
        else return q;
        return 0;
      }),
    );
  });
  issues.throwIfAny(`${file}: invalid size matrix`);
  return out;
}
