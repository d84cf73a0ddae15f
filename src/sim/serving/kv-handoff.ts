// Moving a request's KV cache from a prefill instance to a decode instance, rank pair by rank
// pair (rank j of one to rank j of the other, modulo their sizes), as engine activities on the
// topology's routes, sharing links max-min with every other transfer. Two ways:
//   - 'request': the whole prompt's cache once the prefill has sampled the first token;
//   - 'layer' (streamed, as SGLang's Mooncake and NIXL layer-wise transfers): each prefill step's
//     new keys and values leave as the step computes them, in LAYER_GROUPS groups of layers,
//     group g when the step is (g + 1) / LAYER_GROUPS done; a prompt cut into chunks streams each
//     chunk, so only the last layers of the last chunk remain when the first token is sampled.
// Either way the decode instance gets the request when its last byte lands. The reported time
// of a transfer is its exposed part: from the first token to the last byte.
import type { NetworkResources } from '../../topology/network-resources.js';
import type { Router } from '../../topology/routing/router.js';
import { SimEvent, type Process, type Processes } from '../process.js';

/** Groups of layers a streamed step's KV cache leaves in (per-layer timing at 1/8 of the step). */
export const LAYER_GROUPS = 8;

export interface KvEnd {
  /** Topology nodes of the instance's ranks. */
  readonly nodes: readonly number[];
}

/** A request's streamed transfer: its chunks in flight and whether the prefill has finished. */
interface Stream {
  readonly from: KvEnd;
  readonly to: KvEnd;
  readonly startSec: number;
  /** Prompt tokens whose KV has been sent (a recomputed chunk is not sent twice). */
  sent: number;
  pending: number;
  prefillDone: boolean;
  readonly done: SimEvent;
}

export interface KvTransferStats {
  count: number;
  bytes: number;
  sumSec: number;
  maxSec: number;
}

export class KvHandoff {
  readonly stats: KvTransferStats = { count: 0, bytes: 0, sumSec: 0, maxSec: 0 };
  private readonly streams = new Map<number, Stream>();

  constructor(
    private readonly p: Processes,
    private readonly net: NetworkResources,
    private readonly router: Router,
    /** Bytes of one token's KV cache over the whole model. */
    private readonly bytesPerToken: number,
    private readonly onTransfer?: (request: number, from: KvEnd, to: KvEnd, startSec: number, endSec: number, bytes: number) => void,
  ) {}

  /** `bytes` from the ranks of `from` to those of `to`, split over the rank pairs; the events of their activities. */
  private send(id: number, from: KvEnd, to: KvEnd, bytes: number): SimEvent[] {
    const pairs = Math.max(from.nodes.length, to.nodes.length);
    const acts: SimEvent[] = [];
    for (let j = 0; j < pairs; j++) {
      const [src, dst] = [from.nodes[j % from.nodes.length], to.nodes[j % to.nodes.length]];
      if (src === dst) continue;
      const route = this.router.route(src, dst, id);
      acts.push(this.p.activity(bytes / pairs, this.net.resourcesOf(route), undefined, { delaySec: route.latencySec }));
    }
    return acts;
  }

  private record(id: number, from: KvEnd, to: KvEnd, startSec: number, bytes: number, exposedSec: number): void {
    const s = this.stats;
    s.count++;
    s.bytes += bytes;
    s.sumSec += exposedSec;
    s.maxSec = Math.max(s.maxSec, exposedSec);
    this.onTransfer?.(id, from, to, startSec, this.p.now, bytes);
  }

  /** 'request': the whole prompt's cache after the first token; then `then`. */
  *whole(id: number, prompt: number, from: KvEnd, to: KvEnd, then: () => void): Process {
    const t0 = this.p.now;
    const bytes = prompt * this.bytesPerToken;
    yield this.p.allOf(this.send(id, from, to, bytes));
    this.record(id, from, to, t0, bytes, this.p.now - t0);
    then();
  }

  /** 'layer': a prefill step of `sec` starting now computes `tokens` more of request `id`'s prompt (cached before it: `cached`); its KV leaves in layer groups as the step goes. `to` is used on the request's first step. */
  stepStarted(id: number, cached: number, tokens: number, sec: number, from: KvEnd, to: () => KvEnd): void {
    let st = this.streams.get(id);
    if (!st) this.streams.set(id, (st = { from, to: to(), startSec: this.p.now, sent: 0, pending: 0, prefillDone: false, done: new SimEvent() }));
    const fresh = Math.max(0, cached + tokens - st.sent); // a prefix found cached leaves with the first chunk
    if (fresh <= 0) return;
    st.sent += fresh;
    st.pending++;
    this.p.spawn(this.chunk(id, st, fresh * this.bytesPerToken, sec, from));
  }

  private *chunk(id: number, st: Stream, bytes: number, sec: number, from: KvEnd): Process {
    const acts: SimEvent[] = [];
    for (let g = 0; g < LAYER_GROUPS; g++) {
      yield this.p.timeout(sec / LAYER_GROUPS);
      acts.push(...this.send(id, from, st.to, bytes / LAYER_GROUPS));
    }
    yield this.p.allOf(acts);
    if (--st.pending === 0 && st.prefillDone) st.done.fire();
  }

  /** 'layer': request `id`'s first token is sampled; once its chunks have landed, `then(to)`. */
  *prefillDone(id: number, prompt: number, then: (to: KvEnd) => void): Process {
    const st = this.streams.get(id)!;
    const sampled = this.p.now;
    st.prefillDone = true;
    if (st.pending > 0) yield st.done;
    this.streams.delete(id);
    this.record(id, st.from, st.to, st.startSec, prompt * this.bytesPerToken, this.p.now - sampled);
    then(st.to);
  }
}
