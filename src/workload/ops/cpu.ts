// A cpu operation: host work of `seconds` core-seconds on the rank's host thread, after the
// thread's previous task (a launch or other host work). Nothing is launched for it.
import type { Expansion, RankExpander } from '../expansion.js';
import type { OpExpander } from './op-expander.js';

const cpuOn: RankExpander = (x, r, o) => x.done(r, x.hostTask(r, o?.coreSeconds ?? x.op.coreSeconds, x.depsOf(r)));

export const cpuExpander: OpExpander = {
  expand: (x: Expansion) => x.eachRank(cpuOn),
};
