// Progress reporting on stderr for long runs: only when stderr is a terminal (quiet when
// piped), at most a few times per second, erased when done.

export interface Progress {
  update(done: number, total: number, detail?: string): void;
  finish(): void;
}

export function makeProgress(label: string, enabled = process.stderr.isTTY === true): Progress {
  if (!enabled) return { update() {}, finish() {} };
  const t0 = Date.now();
  let lastPrint = 0, shown = false;
  return {
    update(done, total, detail) {
      const t = Date.now();
      if (t - lastPrint < 250 || t - t0 < 1000) return;
      lastPrint = t;
      shown = true;
      const pct = total > 0 ? ((100 * done) / total).toFixed(1) : '?';
      process.stderr.write(`\r${label}: ${done}/${total} (${pct}%)${detail ? ' ' + detail : ''}   `);
    },
    finish() {
      if (shown) process.stderr.write('\r\x1b[K');
    },
  };
}
