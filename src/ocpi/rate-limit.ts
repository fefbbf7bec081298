import type { NextFunction, Request, Response } from 'express';
import type { Clock } from '../shared/clock.ts';
import { sendOcpi } from './envelope.ts';

export interface RateLimit {
  /** Sustained requests per second per partner; 0 = no limit. */
  requestsPerSec: number;
  /** Requests a partner may make at once after a quiet spell (the bucket size). */
  burst: number;
}

// Refills are summed in floating point (0.998 + 0.002 may come out a hair under 1): a token within this of a
// whole one counts as whole.
const EPSILON = 1e-9;

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Token buckets, one per key (a partner): each holds up to `burst` tokens, refilled at `requestsPerSec`,
 * and a request takes one. In memory, per node: a cluster of n nodes lets a partner make up to n times
 * as many requests. Time comes from the injected clock.
 */
export class TokenBuckets {
  private readonly buckets = new Map<number, Bucket>();

  constructor(private readonly limit: RateLimit, private readonly clock: Clock) {}

  /** Takes a token for `key`: 0 when granted, else the seconds (≥ 1) until one is available. */
  take(key: number): number {
    const now = this.clock.now().getTime();
    const { requestsPerSec, burst } = this.limit;
    const last = this.buckets.get(key) ?? { tokens: burst, at: now };
    const tokens = Math.min(burst, last.tokens + (Math.max(0, now - last.at) / 1000) * requestsPerSec);
    if (tokens >= 1 - EPSILON) {
      this.buckets.set(key, { tokens: Math.max(0, tokens - 1), at: now });
      return 0;
    }
    this.buckets.set(key, { tokens, at: now });
    return Math.max(1, Math.ceil((1 - tokens) / requestsPerSec - EPSILON));
  }
}

/**
 * Per-partner rate limit of /ocpi, after authentication: a request beyond it is answered HTTP 429 with
 * `Retry-After` and the OCPI envelope (status_codes §5: 2000, generic client error), without running the
 * handler or reading the body. `requestsPerSec` 0 turns it off.
 */
export function ocpiRateLimit(limit: RateLimit, clock: Clock) {
  const buckets = new TokenBuckets(limit, clock);
  return (req: Request, res: Response, next: NextFunction): void => {
    if (limit.requestsPerSec <= 0) {
      next();
      return;
    }
    const retryAfterSec = buckets.take(req.ocpi.partner.id);
    if (retryAfterSec === 0) {
      next();
      return;
    }
    res.set('Retry-After', String(retryAfterSec));
    sendOcpi(res, undefined, {
      statusCode: 2000,
      httpStatus: 429,
      message: `rate limit: at most ${limit.requestsPerSec} requests per second per partner (bursts of ${limit.burst}); retry after ${retryAfterSec} s`,
    });
  };
}
