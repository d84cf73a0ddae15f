// An event of a simulation: something that happens once, at an instant; whoever waits on it
// (processes, graphs, callbacks) resumes when it fires, in the order they started waiting.

/** Something that happens once; waiters run, in order, when it fires (at once if it already has). */
export class SimEvent<T = void> {
  private waiters: ((value: T) => void)[] | null = [];
  private result: T | undefined;

  get fired(): boolean {
    return this.waiters === null;
  }

  /** The value it fired with (undefined before). */
  get value(): T | undefined {
    return this.result;
  }

  fire(value: T): void {
    const waiters = this.waiters;
    if (waiters === null) throw new Error('SimEvent fired twice');
    this.waiters = null;
    this.result = value;
    for (const w of waiters) w(value);
  }

  /** Runs `waiter` when the event fires (now, if it has). */
  then(waiter: (value: T) => void): void {
    if (this.waiters === null) waiter(this.result as T);
    else this.waiters.push(waiter);
  }
}
