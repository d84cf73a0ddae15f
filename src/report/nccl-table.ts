// nccl-tests-style result table: size, count, type, redop, root, time (µs), algbw and busbw
// (GB/s = 1e9 B/s), and the average bus bandwidth line, so results can be read next to real
// nccl-tests logs.

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

export function formatNcclTable(title: string, rows: readonly CollectiveRow[]): string {
  const out = [`# ${title}`, '#', `#${'size'.padStart(12)}${'count'.padStart(13)}${'type'.padStart(8)}${'redop'.padStart(7)}${'root'.padStart(6)}${'time'.padStart(10)}${'algbw'.padStart(8)}${'busbw'.padStart(8)}  algo`];
  out.push(`#${'(B)'.padStart(12)}${'(elements)'.padStart(13)}${''.padStart(8)}${''.padStart(7)}${''.padStart(6)}${'(us)'.padStart(10)}${'(GB/s)'.padStart(8)}${'(GB/s)'.padStart(8)}`);
  for (const r of rows)
    out.push(
      ` ${String(r.sizeBytes).padStart(12)}${String(r.count).padStart(13)}${r.type.padStart(8)}${r.redop.padStart(7)}${String(r.root).padStart(6)}${r.timeUs.toFixed(2).padStart(10)}${r.algbwGBps.toFixed(2).padStart(8)}${r.busbwGBps.toFixed(2).padStart(8)}  ${r.algo}${r.proto ? `  ${r.proto}` : ''}`,
    );
  const avg = rows.length ? rows.reduce((a, r) => a + r.busbwGBps, 0) / rows.length : 0;
  out.push(`# Avg bus bandwidth    : ${avg.toFixed(4)}`);
  return out.join('\n') + '\n';
}

export function formatCsv(rows: readonly CollectiveRow[]): string {
  return ['size_bytes,count,type,redop,root,time_us,algbw_gbps,busbw_gbps,algo,proto', ...rows.map((r) => [r.sizeBytes, r.count, r.type, r.redop, r.root, r.timeUs, r.algbwGBps, r.busbwGBps, r.algo, r.proto].join(','))].join('\n') + '\n';
}
