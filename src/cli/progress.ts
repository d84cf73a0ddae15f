// Progress reporting on stderr for long runs: only when stderr is a terminal (quiet when
// piped), at most a few times per second, erased when done.

export interface Progress {
  update(done: number, total: number, detail?: string): void;
  finish(): void;
}

/** Named stages of a long step whose progress cannot be counted (a max-flow, a search): each shown on a terminal with the time so far, erased when done. */
export interface Phases {
  phase(text: string): void;
  finish(): void;
}

export function makePhases(label: string, enabled = process.stderr.isTTY === true): Phases {
  if (!enabled) return { phase() {}, finish() {} };
  const t0 = Date.now();
  let shown = false;
  return {
    phase(text) {
      shown = true;
      process.stderr.write(`\r\x1b[K${label}: ${text} (${((Date.now() - t0) / 1000).toFixed(1)} s so far)`);
    },
    finish() {
      if (shown) process.stderr.write('\r\x1b[K');
    },
  };
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
