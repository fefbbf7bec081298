// Pure: token buckets per key (e.g. a client address), for rate limits. The time is passed in (ms); no I/O.
// Each key's bucket holds at most `burst` tokens and refills at `perSec` tokens a second; a request takes one.
// At most `maxKeys` buckets are kept (least recently used dropped: a dropped key starts full again).

export interface TokenBucketOptions {
  perSec: number;
  burst: number;
  maxKeys: number;
}

interface Bucket {
  tokens: number;
  atMs: number;
}

/** Allowed, or refused with the whole seconds until a token is there again. */
export type Take = { allowed: true } | { allowed: false; retryAfterSec: number };

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly o: TokenBucketOptions) {}

  take(key: string, nowMs: number): Take {
    const b = this.buckets.get(key) ?? { tokens: this.o.burst, atMs: nowMs };
    this.buckets.delete(key); // re-inserted last: the map's order is the eviction order
    b.tokens = Math.min(this.o.burst, b.tokens + (Math.max(0, nowMs - b.atMs) / 1000) * this.o.perSec);
    b.atMs = nowMs;
    let outcome: Take;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      outcome = { allowed: true };
    } else {
      outcome = { allowed: false, retryAfterSec: Math.max(1, Math.ceil((1 - b.tokens) / this.o.perSec)) };
    }
    this.buckets.set(key, b);
    if (this.buckets.size > this.o.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    return outcome;
  }

  /** Buckets kept now (for tests). */
  get size(): number {
    return this.buckets.size;
  }
}
