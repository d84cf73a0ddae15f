#!/usr/bin/env node
// fairway command-line entry: runs the compiled CLI in dist/ (built by `npm ci` / `npm run build`).
//
// V8 reserves about 10 GiB of address space per WebAssembly memory so that its bounds checks
// are free (the trap handler). Under an address-space limit (`ulimit -v 8G`, some batch
// schedulers) that reservation fails before anything runs, so there fairway runs itself again
// with inline bounds checks instead (--disable-wasm-trap-handler: the same results, a little
// slower): issue 19, item 7.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const FLAG = '--disable-wasm-trap-handler';
/** Address space the wasm engine needs with its guard regions, plus the V8 heap: 16 GiB. */
const ROOMY = 16 * 2 ** 30;

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

if (addressSpaceLimit() < ROOMY && !process.execArgv.includes(FLAG)) {
  const r = spawnSync(process.execPath, [...process.execArgv, FLAG, fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  if (r.signal) process.kill(process.pid, r.signal);
  process.exit(r.status ?? 1);
}

const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(process.argv);
