// Readable units in input files, parsed once into fairway's internal units: bytes/s, seconds,
// bytes, FLOP/s (all plain f64). "b" is a bit and "B" a byte; K/M/G/T/P are powers of 1000 and
// Ki/Mi/Gi/Ti powers of 1024. A bare number is already in the internal unit.

export type Quantity = 'bandwidth' | 'duration' | 'bytes' | 'flops' | 'flop' | 'count';

const DECIMAL: Record<string, number> = { '': 1, K: 1e3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15 };
const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50 };

const NUMBER = String.raw`([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)`;
const BANDWIDTH_RE = new RegExp(`^${NUMBER}\\s*(Ki|Mi|Gi|Ti|Pi|K|k|M|G|T|P)?(bps|b/s|Bps|B/s)$`);
const DURATION_RE = new RegExp(`^${NUMBER}\\s*(ns|us|µs|ms|s|min)$`);
const BYTES_RE = new RegExp(`^${NUMBER}\\s*(Ki|Mi|Gi|Ti|Pi|K|k|M|G|T|P)?B$`);
const FLOPS_RE = new RegExp(`^${NUMBER}\\s*(K|k|M|G|T|P)?(FLOP/s|FLOPS|flops)$`);
const FLOP_RE = new RegExp(`^${NUMBER}\\s*(K|k|M|G|T|P)?(FLOP|flop)?$`);
const BARE_NUMBER_RE = new RegExp(`^${NUMBER}$`);
const DURATION_SCALE: Record<string, number> = { ns: 1e-9, us: 1e-6, 'µs': 1e-6, ms: 1e-3, s: 1, min: 60 };

const UNIT_EXAMPLES: Record<Quantity, string> = {
  bandwidth: '"400Gbps", "900GB/s", "64GiB/s" or a number of bytes/s',
  duration: '"1us", "150ns", "2.5ms" or a number of seconds',
  bytes: '"80GB", "64GiB" or a number of bytes',
  flops: '"989TFLOPS", "0.8PFLOP/s" or a number of FLOP/s',
  flop: '"2TFLOP", "2e12" or a number of floating-point operations',
  count: 'a whole number',
};

function prefixScale(p: string | undefined): number {
  if (p === undefined) return 1;
  return BINARY[p] ?? DECIMAL[p] ?? NaN;
}

/** Parses a quantity; returns the value in internal units, or an error message. */
export function parseQuantity(value: unknown, kind: Quantity): number | string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return `must be a finite number (${UNIT_EXAMPLES[kind]})`;
    if (kind === 'count' && !Number.isInteger(value)) return 'must be a whole number';
    return value;
  }
  if (typeof value !== 'string' || kind === 'count') return `expected ${UNIT_EXAMPLES[kind]}, got ${JSON.stringify(value)}`;
  const s = value.trim();
  if (BARE_NUMBER_RE.test(s)) return parseQuantity(Number(s), kind);
  let m: RegExpExecArray | null;
  switch (kind) {
    case 'bandwidth':
      m = BANDWIDTH_RE.exec(s);
      if (m) return (Number(m[1]) * prefixScale(m[2])) / (m[3].startsWith('b') ? 8 : 1);
      break;
    case 'duration':
      m = DURATION_RE.exec(s);
      if (m) return Number(m[1]) * DURATION_SCALE[m[2]];
      break;
    case 'bytes':
      m = BYTES_RE.exec(s);
      if (m) return Number(m[1]) * prefixScale(m[2]);
      break;
    case 'flops':
      m = FLOPS_RE.exec(s);
      if (m) return Number(m[1]) * prefixScale(m[2]);
      break;
    case 'flop':
      m = FLOP_RE.exec(s);
      if (m) return Number(m[1]) * prefixScale(m[2]);
      break;
  }
  if (kind === 'bandwidth' && /^[\d.]+\s*[KMGTP]?i?b$/i.test(s)) return `"${s}" has no time unit: write e.g. "${s}ps" or "${s}/s"`;
  return `cannot read "${s}" as a ${kind}: expected ${UNIT_EXAMPLES[kind]}`;
}

const SIZE_RE = new RegExp(`^${NUMBER}\\s*(?:(Ki|Mi|Gi|Ti|Pi)B|([KMGTP])B|([KMGTP]))?$`, 'i');
const SIZE_POWER = 'KMGTP';

/** How sizes are written, for error messages and help. */
export const SIZE_RULE = 'bytes with an optional K, M, G or T (binary, as nccl-tests: 8M = 8 MiB), KiB/MiB/GiB (binary) or KB/MB/GB (decimal), e.g. 8, 64K, 8G';

/**
 * A message, chunk or buffer size: the one rule for command-line flags and files alike. A
 * number of bytes with an optional suffix: K, M, G, T, P alone are binary, as nccl-tests reads
 * them (8M = 8 MiB = 8,388,608); KiB, MiB, … are binary too; KB, MB, GB, … (with B) are decimal
 * (4MB = 4,000,000). Fractions of a byte are floored. Returns bytes, or an error message.
 */
export function parseSize(value: unknown): number | string {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.floor(value) : `must be a finite number of bytes, got ${value}`;
  const m = typeof value === 'string' ? SIZE_RE.exec(value.trim()) : null;
  if (!m) return `cannot read ${JSON.stringify(value ?? null)} as a size: use ${SIZE_RULE}`;
  const [, num, binaryB, decimalB, bare] = m;
  const scale = binaryB ? 1024 ** (SIZE_POWER.indexOf(binaryB[0].toUpperCase()) + 1) : decimalB ? 1000 ** (SIZE_POWER.indexOf(decimalB.toUpperCase()) + 1) : bare ? 1024 ** (SIZE_POWER.indexOf(bare.toUpperCase()) + 1) : 1;
  return Math.floor(Number(num) * scale);
}

function scaled(v: number, steps: readonly [number, string][], digits = 3): string {
  const a = Math.abs(v);
  for (const [s, unit] of steps) if (a >= s) return `${+(v / s).toPrecision(digits)}${unit}`;
  const last = steps[steps.length - 1];
  return `${+(v / last[0]).toPrecision(digits)}${last[1]}`;
}

export function formatBandwidth(bytesPerSec: number): string {
  return scaled(bytesPerSec, [[1e12, 'TB/s'], [1e9, 'GB/s'], [1e6, 'MB/s'], [1e3, 'KB/s'], [1, 'B/s']]);
}

export function formatDuration(sec: number): string {
  return scaled(sec, [[1, 's'], [1e-3, 'ms'], [1e-6, 'us'], [1e-9, 'ns']]);
}

export function formatBytes(bytes: number): string {
  return scaled(bytes, [[2 ** 40, 'TiB'], [2 ** 30, 'GiB'], [2 ** 20, 'MiB'], [2 ** 10, 'KiB'], [1, 'B']]);
}

export function formatFlops(flops: number): string {
  return scaled(flops, [[1e15, 'PFLOP/s'], [1e12, 'TFLOP/s'], [1e9, 'GFLOP/s'], [1, 'FLOP/s']]);
}
