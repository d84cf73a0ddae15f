// Progress reporting on stderr for long runs: only when stderr is a terminal (quiet when
// piped), at most a few times per second, erased when done.

export interface Progress {
  update(done: number, total: number, detail?: string): void;
  finish(): void;
}

/**
 * Named stages of a long step (a max-flow, a search): each shown on a terminal with the time so
 * far, erased when done; a stage whose work can be counted also shows its count and the time
 * it has left at the rate so far.
 */
export interface Phases {
  phase(text: string): void;
  /** The current stage `text` has done `done` of `total` units (at most 4 lines a second). */
  count(text: string, done: number, total: number): void;
  finish(): void;
}

/** "~12 s left" from the time a counted piece of work has taken so far; empty before there is a rate. */
export function timeLeft(elapsedSec: number, done: number, total: number): string {
  if (!(done > 0) || elapsedSec <= 0 || done >= total) return '';
  const left = (elapsedSec * (total - done)) / done;
  return left >= 90 ? `~${Math.round(left / 60)} min left` : `~${Math.max(1, Math.round(left))} s left`;
}

export function makePhases(label: string, enabled = process.stderr.isTTY === true): Phases {
  if (!enabled) return { phase() {}, count() {}, finish() {} };
  const t0 = Date.now();
  let shown = false;
  let stage = '', stageStart = t0, lastPrint = 0;
  return {
    phase(text) {
      shown = true;
      process.stderr.write(`\r\x1b[K${label}: ${text} (${((Date.now() - t0) / 1000).toFixed(1)} s so far)`);
    },
    count(text, done, total) {
      const t = Date.now();
      if (text !== stage) [stage, stageStart, lastPrint] = [text, t, 0];
      if (t - lastPrint < 250) return;
      lastPrint = t;
      shown = true;
      const left = timeLeft((t - stageStart) / 1000, done, total);
      process.stderr.write(`\r\x1b[K${label}: ${text} ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} (${((t - t0) / 1000).toFixed(1)} s so far${left ? `, ${left}` : ''})`);
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
      const left = timeLeft((t - t0) / 1000, done, total);
      process.stderr.write(`\r\x1b[K${label}: ${done}/${total} (${pct}%${left ? `, ${left}` : ''})${detail ? ' ' + detail : ''}`);
    },
    finish() {
      if (shown) process.stderr.write('\r\x1b[K');
    },
  };
}
