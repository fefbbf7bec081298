import type { Clock } from '../shared/clock.ts';

export interface LoginBackoffOptions {
  /** Failed handshakes of one charger id within the window that block the id (0 = never). */
  failuresPerId: number;
  /** Failed handshakes from one remote address within the window that block the address (0 = never). */
  failuresPerAddress: number;
  windowSec: number;
  /** The n-th block in a row lasts baseSec * 2^(n-1), capped at maxSec. */
  baseSec: number;
  maxSec: number;
  /** Counters kept per node (least recently used ones are dropped beyond this). */
  maxEntries: number;
}

interface Counter {
  failures: number;
  windowStart: number;
  /** How many blocks in a row this key earned; the next one lasts twice as long. */
  level: number;
  blockedUntil: number;
}

/**
 * Per-node, in-memory back-off for failed charger logins, per charger id and per remote address: after
 * `failuresPer…` failures within `windowSec`, handshakes for that id or from that address are refused at
 * once (no database, no hashing) until the block ends. A success clears the id's counter; the address's
 * is kept (other chargers, or an attacker, may share it). Bounded in size: an LRU of counters.
 */
export class LoginBackoff {
  private readonly counters = new Map<string, Counter>();

  constructor(
    private readonly o: LoginBackoffOptions,
    private readonly clock: Clock,
  ) {}

  /** Seconds until the id and the address may try again, or 0 when neither is blocked. */
  retryAfterSec(id: string, address: string | undefined): number {
    const now = this.clock.now().getTime();
    const until = Math.max(this.peek(`id:${id}`)?.blockedUntil ?? 0, address ? (this.peek(`addr:${address}`)?.blockedUntil ?? 0) : 0);
    return until > now ? Math.ceil((until - now) / 1000) : 0;
  }

  recordFailure(id: string, address: string | undefined): void {
    this.fail(`id:${id}`, this.o.failuresPerId);
    if (address) this.fail(`addr:${address}`, this.o.failuresPerAddress);
  }

  recordSuccess(id: string): void {
    this.counters.delete(`id:${id}`);
  }

  private peek(key: string): Counter | undefined {
    return this.counters.get(key);
  }

  private fail(key: string, limit: number): void {
    if (limit <= 0) return;
    const now = this.clock.now().getTime();
    const c = this.counters.get(key) ?? { failures: 0, windowStart: now, level: 0, blockedUntil: 0 };
    // A key quiet for longer than the longest block starts over at the first level.
    if (c.blockedUntil && now - c.blockedUntil > this.o.maxSec * 1000) c.level = 0;
    if (now - c.windowStart >= this.o.windowSec * 1000) Object.assign(c, { failures: 0, windowStart: now });
    c.failures += 1;
    if (c.failures >= limit) {
      c.level += 1;
      const blockSec = Math.min(this.o.baseSec * 2 ** (c.level - 1), this.o.maxSec);
      Object.assign(c, { failures: 0, windowStart: now, blockedUntil: now + blockSec * 1000 });
    }
    this.touch(key, c);
  }

  /** Most recently used last; the oldest is dropped beyond maxEntries (Map keeps insertion order). */
  private touch(key: string, c: Counter): void {
    this.counters.delete(key);
    this.counters.set(key, c);
    if (this.counters.size > this.o.maxEntries) this.counters.delete(this.counters.keys().next().value!);
  }

  get size(): number {
    return this.counters.size;
  }
}
