// Send/recv matching within one iteration: the k-th send from rank a to rank b with a tag pairs
// with the k-th recv at b from a with that tag. Whichever side comes first in program order
// waits in a first-in-first-out queue for the other; at the end of the iteration nothing may
// be left waiting.
import { FairwayError } from '../core/errors.js';

export type P2pSide = 'send' | 'recv';

/** A send or recv waiting for its match: its graph op, the workload op it came from, the ranks and bytes. */
export interface PostedP2p {
  readonly t: number;
  readonly op: number;
  readonly src: number;
  readonly dst: number;
  readonly bytes: number;
}

/** The queue a transfer from src to dst with a tag is matched in. */
export const matchKey = (src: number, dst: number, tag: number): string => `${src}>${dst}#${tag}`;

export class SendRecvMatching {
  /** Sends waiting for their recv, and recvs waiting for their send, by matchKey. */
  private readonly awaitingRecv = new Map<string, PostedP2p[]>();
  private readonly awaitingSend = new Map<string, PostedP2p[]>();

  /** The first waiting counterpart of a `side` op (a recv for a send and vice versa), taken off its queue. */
  take(side: P2pSide, key: string): PostedP2p | undefined {
    return (side === 'send' ? this.awaitingSend : this.awaitingRecv).get(key)?.shift();
  }

  /** A `side` op with no counterpart yet waits for one. */
  post(side: P2pSide, key: string, posted: PostedP2p): void {
    const mine = side === 'send' ? this.awaitingRecv : this.awaitingSend;
    const list = mine.get(key) ?? [];
    list.push(posted);
    mine.set(key, list);
  }

  /** Throws for the first op still waiting (sends first) at the end of iteration `it`. */
  checkAllMatched(it: number, paths: readonly string[]): void {
    for (const [waiting, side] of [[this.awaitingRecv, 'recv'], [this.awaitingSend, 'send']] as const)
      for (const list of waiting.values())
        if (list.length > 0) {
          const { src, dst } = list[0];
          const path = paths[list[0].op];
          const what = side === 'recv' ? `rank ${src} sends to rank ${dst} in iteration ${it} but rank ${dst} posts no matching recv` : `rank ${dst} receives from rank ${src} in iteration ${it} but rank ${src} posts no matching send`;
          throw new FairwayError('E_INPUT', `${path}: ${what}`, [{ path, message: `add a ${side} with the opposite peer offset, on the same ranks and group` }]);
        }
  }
}
