// A paged KV cache's block pool: a count of free blocks out of a fixed total.
export class KvBlocks {
  private usedBlocks = 0;

  constructor(readonly total: number) {}

  get used(): number {
    return this.usedBlocks;
  }

  get free(): number {
    return this.total - this.usedBlocks;
  }

  take(n: number): void {
    if (n > this.free) throw new Error(`KV blocks: taking ${n} with ${this.free} free`);
    this.usedBlocks += n;
  }

  give(n: number): void {
    if (n > this.usedBlocks) throw new Error(`KV blocks: giving back ${n} with ${this.usedBlocks} used`);
    this.usedBlocks -= n;
  }
}
