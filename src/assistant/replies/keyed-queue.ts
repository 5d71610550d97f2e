// Jobs run one at a time per key, in the order they were queued (messages and replies of one conversation).

export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Runs `job` after every job queued before it under the same key; its failure does not stop the next. */
  run<T>(key: string, job: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.then(job, job);
    const settled = next.catch(() => undefined);
    this.tails.set(key, settled);
    void settled.then(() => {
      if (this.tails.get(key) === settled) this.tails.delete(key);
    });
    return next;
  }

  /** The keys with a job queued or running. */
  keys(): string[] {
    return [...this.tails.keys()];
  }

  /** Settles when every job queued so far has. */
  drained(): Promise<unknown> {
    return Promise.allSettled([...this.tails.values()]);
  }
}
