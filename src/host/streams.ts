// Streams, as on a GPU: a rank's operations on one stream run one after another, in program
// order and across iterations; operations on different streams may overlap. A stream remembers,
// per rank, the graph op last put on it, which the next one waits for.

export class Stream {
  /** Per rank: the last op on the stream, −1 while empty. */
  private readonly tail: Int32Array;

  constructor(ranks: number) {
    this.tail = new Int32Array(ranks).fill(-1);
  }

  /** The op the rank's next operation on this stream waits for (−1: none). */
  last(rank: number): number {
    return this.tail[rank];
  }

  append(rank: number, op: number): void {
    this.tail[rank] = op;
  }
}

/** Every rank's streams by name, each made empty on first use. */
export class Streams {
  private readonly byName = new Map<string, Stream>();

  constructor(private readonly ranks: number) {}

  of(name: string): Stream {
    let s = this.byName.get(name);
    if (!s) this.byName.set(name, (s = new Stream(this.ranks)));
    return s;
  }
}
