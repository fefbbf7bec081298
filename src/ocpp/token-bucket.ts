// Pure: the caller passes the time.

/**
 * A token bucket (capacity `burst`, refilled at `perSec` tokens a second): `take(now)` spends one token
 * and says whether there was one. Lets a charger replay a long offline queue at once (the burst) while
 * bounding what it can make the server do over time.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSec: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }

  take(now: number): boolean {
    this.tokens = Math.min(this.burst, this.tokens + (Math.max(0, now - this.last) / 1000) * this.perSec);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
