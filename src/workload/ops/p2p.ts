// Point-to-point operations: send, recv and peer copies, each between a rank and its partner
// at offset `peer` within the rank's group (wrapping around the group's ends, or skipped past
// them). A send and its matching recv (send-recv-matching.ts) are one transfer: with rendezvous,
// it starts once both sides are ready; eager, the data leaves when the sender is ready and the
// recv completes once it has arrived. A peer copy is a transfer to the partner's accelerator.
import { FairwayError } from '../../core/errors.js';
import { groupsOf } from '../groups.js';
import type { Expansion, RankExpander } from '../expansion.js';
import { matchKey, type P2pSide, type PostedP2p } from '../send-recv-matching.js';
import type { WorkloadOp } from '../spec.js';
import { CAT_COMM } from '../timeline.js';
import type { OpExpander } from './op-expander.js';

/** The partner is counted in the whole group, wherever the op runs. */
export const p2pGroups = (op: WorkloadOp, n: number, path: string): number[][] => groupsOf(op, n, path, false);

/** Rank r's partner for the current op, or −1 when there is none (past the group's end, or itself). */
function partnerOf(x: Expansion, r: number): number {
  const { groupOf, position } = x.plan.membership[x.i];
  const members = groupOf[r] >= 0 ? x.plan.groups[x.i][groupOf[r]] : [];
  let p = position[r] + x.op.peer;
  if (x.op.wrap && members.length > 0) p = ((p % members.length) + members.length) % members.length;
  return p < 0 || p >= members.length || members[p] === r ? -1 : members[p];
}

/** A copy from rank r's accelerator to its partner's. */
export const peerCopyOn: RankExpander = (x, r, _o, bytes) => {
  const partner = partnerOf(x, r);
  if (partner < 0) return x.skip(r);
  const id = x.dag.transfer(r, x.accs[r], x.accs[partner], bytes, 0, 0, x.kernelDeps(r));
  x.interval(r, CAT_COMM, id);
  x.kernelDone(r, id);
};

/** A send and its recv must move the same bytes. */
function checkBytes(x: Expansion, side: P2pSide, r: number, partner: number, bytes: number, match: PostedP2p): void {
  if (match.bytes !== bytes)
    throw new FairwayError('E_INPUT', `${x.path}: rank ${r} ${side}s ${bytes} bytes but the matching ${side === 'send' ? 'recv' : 'send'} (${x.plan.paths[match.op]}) of rank ${partner} expects ${match.bytes}`, [
      { path: `${x.path}.bytes`, message: 'a send and its recv must move the same bytes' },
    ]);
}

interface P2pEnds {
  /** The op the rank's side ends with, and (eager recv) the op its interval begins after (−1: none). */
  id: number;
  begin: number;
}

/** Rendezvous: one transfer, once both sides are ready (the second side adds its dependencies to the first's). */
function rendezvous(x: Expansion, src: number, dst: number, bytes: number, deps: number[], match: PostedP2p | undefined, check: () => void): P2pEnds {
  if (!match) return { id: x.dag.transfer(src, x.accs[src], x.accs[dst], bytes, 0, 0, deps), begin: -1 };
  check();
  for (const d of deps) x.dag.depend(d, match.t);
  return { id: match.t, begin: -1 };
}

/** Eager: the data leaves when the sender is ready; the recv completes once it has arrived. */
function eager(x: Expansion, side: P2pSide, r: number, src: number, dst: number, bytes: number, deps: number[], match: PostedP2p | undefined, check: () => void): P2pEnds {
  if (side === 'send') {
    const id = x.dag.transfer(src, x.accs[src], x.accs[dst], bytes, 0, 0, deps);
    if (match) check(), x.dag.depend(id, match.t);
    return { id, begin: -1 };
  }
  const begin = x.dag.delay(r, 0, deps);
  const id = x.dag.delay(r, 0, [begin, ...(match ? [match.t] : [])]);
  if (match) check();
  return { id, begin };
}

/** A send to, or a recv from, rank r's partner, matched with the other side. */
function sendRecvOn(side: P2pSide): RankExpander {
  return (x, r, _o, bytes) => {
    const partner = partnerOf(x, r);
    if (partner < 0) return x.skip(r);
    const deps = x.kernelDeps(r);
    const [src, dst] = side === 'send' ? [r, partner] : [partner, r];
    const key = matchKey(src, dst, x.op.tag);
    const match = x.matching.take(side, key);
    const check = () => checkBytes(x, side, r, partner, bytes, match!);
    const { id, begin } = x.spec.eager ? eager(x, side, r, src, dst, bytes, deps, match, check) : rendezvous(x, src, dst, bytes, deps, match, check);
    if (!match) x.matching.post(side, key, { t: id, op: x.i, src, dst, bytes });
    if (begin >= 0) x.span(r, CAT_COMM, begin, id);
    else x.interval(r, CAT_COMM, id);
    x.kernelDone(r, id);
  };
}

export const sendExpander: OpExpander = { groups: p2pGroups, expand: (x) => x.eachRank(sendRecvOn('send')) };
export const recvExpander: OpExpander = { groups: p2pGroups, expand: (x) => x.eachRank(sendRecvOn('recv')) };
