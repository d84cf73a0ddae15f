#!/usr/bin/env node
// fairway command-line entry: runs the compiled CLI in dist/ (built by `npm ci` / `npm run build`).
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv);
