#!/usr/bin/env node
// fairway command-line entry: runs the compiled CLI in dist/ (built by `npm ci` / `npm run build`).
//
// V8 reserves about 10 GiB of address space per WebAssembly memory so that its bounds checks
// are free (the trap handler). Under an address-space limit (`ulimit -v 8G`, some batch
// schedulers) that reservation fails before anything runs, so there fairway runs itself again
// with inline bounds checks instead (--disable-wasm-trap-handler: the same results, a little
// slower): issue 19, item 7.
//
// V8 also caps its JavaScript heap (about 4 GiB by default, whatever the machine has), and a
// graph of tens of millions of operations needs more: past the cap V8 aborts with a fatal
// error and a stack. `simulate` and `sweep` therefore run with the heap allowed 80% of the
// machine's memory, the same budget as simulate's --max-memory, so what that check lets
// through can also be built; a user's own --max-old-space-size is kept.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { getHeapStatistics } from 'node:v8';

const FLAG = '--disable-wasm-trap-handler';
/** Address space the wasm engine needs with its guard regions, plus the V8 heap: 16 GiB. */
const ROOMY = 16 * 2 ** 30;
/** Commands whose graphs grow with the input. */
const LARGE = new Set(['simulate', 'sweep']);

/** The process's address-space limit in bytes (Linux /proc/self/limits), or Infinity. */
function addressSpaceLimit() {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max address space'));
    const soft = line?.slice('Max address space'.length).trim().split(/\s+/)[0];
    return soft === undefined || soft === 'unlimited' ? Infinity : Number(soft);
  } catch {
    return Infinity;
  }
}

/** The flags this process should run with and does not: the trap handler off under an address-space limit, a heap as large as --max-memory's default. */
function missingFlags() {
  const flags = [];
  if (addressSpaceLimit() < ROOMY && !process.execArgv.includes(FLAG)) flags.push(FLAG);
  const own = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) => a.includes('--max-old-space-size'));
  const heapMb = Math.floor((0.8 * totalmem()) / 2 ** 20);
  if (LARGE.has(process.argv[2]) && !own && getHeapStatistics().heap_size_limit < 0.9 * heapMb * 2 ** 20) flags.push(`--max-old-space-size=${heapMb}`);
  return flags;
}

const flags = missingFlags();
if (flags.length > 0) {
  const r = spawnSync(process.execPath, [...process.execArgv, ...flags, fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  if (r.signal) process.kill(process.pid, r.signal);
  process.exit(r.status ?? 1);
}

const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(process.argv);
