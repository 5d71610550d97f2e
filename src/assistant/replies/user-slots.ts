// At most `size` replies generating at once per user on this instance; the rest wait their turn.

export class UserSlots {
  private readonly users = new Map<string, { running: number; waiting: (() => void)[] }>();

  constructor(private readonly size: number) {}

  /**
   * Resolves with the function that frees the slot once one is free; rejects with the signal's
   * reason if it aborts first (a queued reply that was stopped never takes a slot).
   */
  acquire(userId: string, signal: AbortSignal): Promise<() => void> {
    const user = this.users.get(userId) ?? { running: 0, waiting: [] };
    this.users.set(userId, user);
    const release = () => {
      const next = user.waiting.shift();
      if (next) return next();
      user.running -= 1;
      if (user.running === 0) this.users.delete(userId);
    };
    if (user.running < this.size) {
      user.running += 1;
      return Promise.resolve(once(release));
    }
    return new Promise((resolve, reject) => {
      const turn = () => {
        signal.removeEventListener('abort', giveUp);
        resolve(once(release));
      };
      const giveUp = () => {
        user.waiting.splice(user.waiting.indexOf(turn), 1);
        reject(signal.reason);
      };
      if (signal.aborted) return reject(signal.reason);
      user.waiting.push(turn);
      signal.addEventListener('abort', giveUp, { once: true });
    });
  }
}

function once(release: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    release();
  };
}
