// nccl-tests' result table: size, count, type, redop, root, then time (µs), algbw and busbw
// (GB/s = 1e9 B/s) and #wrong out-of-place and in-place, and the average bus bandwidth footer,
// so results read like (and parse as) real nccl-tests logs; and a CSV of the same rows.

export interface CollectiveRow {
  sizeBytes: number;
  count: number;
  type: string;
  redop: string;
  root: number;
  timeUs: number;
  algbwGBps: number;
  busbwGBps: number;
  /** Algorithm that produced the row (the fastest one under --algo auto). */
  algo: string;
  /** NCCL protocol the row ran with (LL, LL128, Simple), or '' for algorithms NCCL does not have. */
  proto: string;
}

/** nccl-tests' time column: two decimals under 100 µs, one under 10 ms, none above (src/common.cu). */
function timeText(us: number): string {
  return (us >= 10000 ? us.toFixed(0) : us >= 100 ? us.toFixed(1) : us.toFixed(2)).padStart(7);
}

/** One half (out-of-place or in-place) of a row: time, algbw, busbw, #wrong (N/A: no data is checked). */
function half(r: CollectiveRow): string {
  return `  ${timeText(r.timeUs)}  ${r.algbwGBps.toFixed(2).padStart(6)}  ${r.busbwGBps.toFixed(2).padStart(6)}  ${'N/A'.padStart(5)}`;
}

/** Consecutive sizes run the same way, as `algo/proto: first – last` (for the comment under the table). */
function algorithmRanges(rows: readonly CollectiveRow[]): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < rows.length) {
    const how = rows[i].proto ? `${rows[i].algo}/${rows[i].proto}` : rows[i].algo;
    let j = i;
    while (j + 1 < rows.length && (rows[j + 1].proto ? `${rows[j + 1].algo}/${rows[j + 1].proto}` : rows[j + 1].algo) === how) j++;
    out.push(`#   ${how}: ${rows[i].sizeBytes}${j > i ? ` – ${rows[j].sizeBytes}` : ''} B`);
    i = j + 1;
  }
  return out;
}

/**
 * nccl-tests' table, column for column (src/common.cu): the out-of-place and in-place halves
 * (equal here: the simulation does not tell them apart), #wrong as N/A (no data is checked, as
 * nccl-tests prints with -c 0), then its footer, so parsers and plotters of nccl-tests logs
 * read it unchanged. The algorithm and protocol of each size follow as comment lines.
 */
export function formatNcclTable(title: string, rows: readonly CollectiveRow[]): string {
  const out = [
    `# ${title}`,
    '#',
    '#                                                              out-of-place                       in-place          ',
    '#       size         count      type   redop    root     time   algbw   busbw #wrong     time   algbw   busbw #wrong',
    '#        (B)    (elements)                               (us)  (GB/s)  (GB/s)            (us)  (GB/s)  (GB/s)       ',
  ];
  for (const r of rows)
    out.push(`${String(r.sizeBytes).padStart(12)}  ${String(r.count).padStart(12)}  ${r.type.padStart(8)}  ${r.redop.padStart(6)}  ${String(r.root).padStart(6)}${half(r)}${half(r)}`);
  const avg = rows.length ? rows.reduce((a, r) => a + r.busbwGBps, 0) / rows.length : 0;
  out.push('# Out of bounds values : 0 OK', `# Avg bus bandwidth    : ${+avg.toPrecision(6)} `, '#', '# Algorithm per size (fairway):', ...algorithmRanges(rows));
  return out.join('\n') + '\n';
}

export function formatCsv(rows: readonly CollectiveRow[]): string {
  return ['sizeBytes,count,type,redop,root,timeUs,algbwGBps,busbwGBps,algo,proto', ...rows.map((r) => [r.sizeBytes, r.count, r.type, r.redop, r.root, r.timeUs, r.algbwGBps, r.busbwGBps, r.algo, r.proto].join(','))].join('\n') + '\n';
}
