// Token buckets: `burst` at once, refilled at `perSecond`; one per key (a user) in a KeyedBuckets.
import { rateLimited } from './errors.ts';

export class TokenBucket {
  private tokens: number;
  private updatedAt = Date.now();

  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
  ) {
    this.tokens = burst;
  }

  private refill(now: number): void {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.perSecond);
    this.updatedAt = now;
  }

  /** Takes one token; returns false when the bucket is empty. */
  take(): boolean {
    if (!this.hasToken()) return false;
    this.tokens -= 1;
    return true;
  }

  /** Whether a token is left, without taking it. */
  hasToken(): boolean {
    this.refill(Date.now());
    return this.tokens >= 1;
  }

  /** Milliseconds until a token is back (0 when one is left). */
  msUntilToken(): number {
    return this.hasToken() ? 0 : Math.ceil(((1 - this.tokens) / this.perSecond) * 1000);
  }

  /** Full again: as if never used, so it can be forgotten. */
  isFull(now: number): boolean {
    this.refill(now);
    return this.tokens >= this.burst;
  }
}

/** One bucket per key, shared by everything that key does on this instance; idle keys are forgotten. */
export class KeyedBuckets {
  private readonly buckets = new Map<string, TokenBucket>();
  private sinceSweep = 0;

  constructor(
    private readonly limit: { burst: number; perSecond: number },
    /** The budget's name, as a refusal is counted. */
    private readonly name: string,
  ) {}

  /** Takes one of `key`'s tokens, or throws RATE_LIMITED saying when the next one is back: every budget's one refusal. */
  spend(key: string): void {
    if (!this.take(key)) throw rateLimited(this.msUntilToken(key), this.name);
  }

  take(key: string): boolean {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(this.limit.burst, this.limit.perSecond);
      this.buckets.set(key, bucket);
      if (++this.sinceSweep >= 1_000) this.sweep();
    }
    return bucket.take();
  }

  /** Milliseconds until `key` may take again (0 when it may now); nothing is taken. */
  msUntilToken(key: string): number {
    return this.buckets.get(key)?.msUntilToken() ?? 0;
  }

  private sweep(): void {
    this.sinceSweep = 0;
    const now = Date.now();
    for (const [key, bucket] of this.buckets) if (bucket.isFull(now)) this.buckets.delete(key);
  }
}
