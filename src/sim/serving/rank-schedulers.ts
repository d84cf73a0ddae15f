// Data-parallel attention as the engines schedule it: every rank of the instance runs its own
// scheduler (SGLang's data-parallel scheduler processes, TensorRT-LLM's attention-DP ranks)
// over its own sequences and KV blocks, with a tp-th of the instance's token budget and
// sequence limit (SGLang divides chunked_prefill_size by the DP size; TensorRT-LLM's
// max_batch_size and max_num_tokens are per rank). A request goes to the rank with the least
// outstanding work (less what its prefix cache already holds). The ranks step together, since
// the FFN layers need all of them, so one rank may prefill while the others decode; each rank's
// batch is its own (data-parallel-cost.ts prices the step from them).
import type { BatchSums } from '../../workload/serving/instance-shape.js';
import type { SchedulerConfig } from '../../workload/serving/serve-spec.js';
import { plainLayout, type KvLayout } from '../../workload/serving/kv-layout.js';
import { batchSums, BatchScheduler, type Scheduled, type Sequence } from './batch-scheduler.js';

export class RankSchedulers {
  readonly ranks: BatchScheduler[];
  /** The rank each sequence here belongs to, by id. */
  private readonly rankOf = new Map<number, number>();
  private readonly stuck: Sequence[] = [];

  constructor(config: SchedulerConfig, count: number, blocks: number, hostBlocks: number, prefixTokens: number, readonly layout: KvLayout = plainLayout(config.blockSize)) {
    const per: SchedulerConfig = { ...config, tokenBudget: Math.max(1, Math.floor(config.tokenBudget / count)), maxSequences: Math.max(1, Math.floor(config.maxSequences / count)) };
    const rankBlocks = Math.floor(blocks / count), rankHost = Math.floor(hostBlocks / count);
    this.ranks = Array.from({ length: count }, () => new BatchScheduler(per, rankBlocks, rankHost, prefixTokens, rankBlocks, rankHost, layout));
  }

  /** The ranks' KV blocks together. */
  get kv(): { used: number; total: number } {
    return { used: this.sum((r) => r.kv.used), total: this.sum((r) => r.kv.total) };
  }

  get waiting(): readonly Sequence[] {
    return this.ranks.flatMap((r) => r.waiting);
  }

  get running(): readonly Sequence[] {
    return this.ranks.flatMap((r) => r.running);
  }

  get load(): number {
    return this.sum((r) => r.load);
  }

  get outstandingTokens(): number {
    return this.sum((r) => r.outstandingTokens);
  }

  get preemptions(): number {
    return this.sum((r) => r.preemptions);
  }

  get swapOuts(): number {
    return this.sum((r) => r.swapOuts);
  }

  get prefixHitTokens(): number {
    return this.sum((r) => r.prefixHitTokens);
  }

  /** Whether `s` can ever finish here: it fits one rank's cache (all ranks are alike). */
  fits(s: Sequence): boolean {
    return this.ranks[0].fits(s);
  }

  /** The most of `s`'s prompt one rank's prefix cache holds. */
  cachedPrefix(s: Sequence): number {
    return this.ranks.reduce((a, r) => Math.max(a, r.cachedPrefix(s)), 0);
  }

  /** To the rank with the least outstanding tokens less the prompt tokens it has cached (the first such rank on ties). */
  enqueue(s: Sequence): void {
    let best = 0, bestCost = Infinity;
    this.ranks.forEach((r, k) => {
      const cost = r.outstandingTokens - r.cachedPrefix(s);
      if (cost < bestCost) (bestCost = cost), (best = k);
    });
    this.rankOf.set(s.id, best);
    this.ranks[best].enqueue(s);
  }

  /** Every rank's next batch, together; a rank with nothing to run adds nothing. */
  next(nowSec: number): Scheduled[] {
    const batch: Scheduled[] = [];
    for (const r of this.ranks) {
      for (const b of r.next(nowSec)) batch.push(b);
      const s = r.takeStuck();
      if (s) this.stuck.push(s);
    }
    return batch;
  }

  takeStuck(): Sequence | undefined {
    return this.stuck.shift();
  }

  /** `batch` split by rank, in rank order. */
  split(batch: readonly Scheduled[]): Scheduled[][] {
    const parts: Scheduled[][] = this.ranks.map(() => []);
    for (const b of batch) parts[this.rankOf.get(b.seq.id)!].push(b);
    return parts;
  }

  /** Each rank's share of `batch` as the sums its step cost needs. */
  rankSums(batch: readonly Scheduled[]): BatchSums[] {
    return this.split(batch).map((b) => batchSums(b, this.layout.windowTokens));
  }

  complete(batch: readonly Scheduled[], nowSec: number): Sequence[] {
    const done = this.split(batch).flatMap((part, k) => this.ranks[k].complete(part, nowSec));
    for (const s of done) this.rankOf.delete(s.id);
    return done;
  }

  check(batch: readonly Scheduled[]): void {
    this.split(batch).forEach((part, k) => this.ranks[k].check(part));
  }

  markInFlight(batch: readonly Scheduled[]): void {
    this.split(batch).forEach((part, k) => this.ranks[k].markInFlight(part));
  }

  /** Blocks the ranks swapped out and in while forming the last step, together (the largest: one sequence's most). */
  takeSwaps(): { out: number; in: number; largest: number } {
    let out = 0, inn = 0, largest = 0;
    for (const r of this.ranks) {
      const m = r.takeSwaps();
      out += m.out;
      inn += m.in;
      largest = Math.max(largest, m.largest);
    }
    return { out, in: inn, largest };
  }

  private sum(f: (r: BatchScheduler) => number): number {
    return this.ranks.reduce((a, r) => a + f(r), 0);
  }
}
