// Send/recv matching: the k-th send pairs with the k-th recv of the same ranks and tag, whichever
// comes first; one left waiting at the end of an iteration is named in the error.
import { describe, expect, test } from 'vitest';
import { matchKey, SendRecvMatching } from '../../src/workload/send-recv-matching.js';

describe('send/recv matching', () => {
  test('first in, first matched, per ranks and tag', () => {
    const m = new SendRecvMatching();
    const key = matchKey(0, 1, 7);
    expect(m.take('recv', key)).toBeUndefined();
    m.post('send', key, { t: 10, op: 0, src: 0, dst: 1, bytes: 8 });
    m.post('send', key, { t: 11, op: 0, src: 0, dst: 1, bytes: 8 });
    expect(m.take('send', key)).toBeUndefined();
    expect(m.take('recv', matchKey(0, 1, 8))).toBeUndefined();
    expect(m.take('recv', key)?.t).toBe(10);
    expect(m.take('recv', key)?.t).toBe(11);
    m.checkAllMatched(0, ['ops.s']);
  });

  test('an unmatched send or recv at the end of the iteration is an error naming it', () => {
    const sends = new SendRecvMatching();
    sends.post('send', matchKey(2, 3, 0), { t: 1, op: 1, src: 2, dst: 3, bytes: 8 });
    expect(() => sends.checkAllMatched(4, ['ops.a', 'ops.s'])).toThrow('ops.s: rank 2 sends to rank 3 in iteration 4 but rank 3 posts no matching recv');
    const recvs = new SendRecvMatching();
    recvs.post('recv', matchKey(2, 3, 0), { t: 1, op: 0, src: 2, dst: 3, bytes: 8 });
    expect(() => recvs.checkAllMatched(0, ['ops.r'])).toThrow('ops.r: rank 3 receives from rank 2 in iteration 0 but rank 2 posts no matching send');
  });
});
