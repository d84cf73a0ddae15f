// A memcpy operation: a copy kernel launched by the rank's host thread, from host memory (the
// socket's DRAM, pinned) to the accelerator, back, within the accelerator's HBM (every byte
// read and written: HBM traffic only), or to a peer rank's accelerator (p2p.ts).
import type { Expansion, RankExpander } from '../expansion.js';
import { CAT_COMM } from '../timeline.js';
import type { OpExpander } from './op-expander.js';
import { p2pGroups, peerCopyOn } from './p2p.js';

const localCopyOn: RankExpander = (x, r, _o, bytes) => {
  const deps = x.kernelDeps(r);
  const acc = x.accs[r];
  const host = x.hosts[r].dram;
  const direction = x.op.direction;
  const id = direction === 'd2d' ? x.dag.compute(r, acc, 0, 2 * bytes, deps) : direction === 'h2d' ? x.dag.transfer(r, host, acc, bytes, 0, 0, deps) : x.dag.transfer(r, acc, host, bytes, 0, 0, deps);
  x.interval(r, CAT_COMM, id);
  x.kernelDone(r, id);
};

export const memcpyExpander: OpExpander = {
  groups: (op, n, path) => (op.direction === 'peer' ? p2pGroups(op, n, path) : []),
  expand: (x: Expansion) => x.eachRank(x.op.direction === 'peer' ? peerCopyOn : localCopyOn),
};
