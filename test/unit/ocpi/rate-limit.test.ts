import { expect } from 'chai';
import { TokenBuckets } from '../../../src/ocpi/rate-limit.ts';
import { fixedClock } from '../../../src/shared/clock.ts';

describe('unit ocpi/rate-limit TokenBuckets', () => {
  const start = new Date('2026-03-01T12:00:00Z');

  it('should grant a full burst at once, then refuse with the seconds until the next token', () => {
    const buckets = new TokenBuckets({ requestsPerSec: 2, burst: 3 }, fixedClock(start));

    expect([1, 2, 3, 4].map(() => buckets.take(7))).to.deep.equal([0, 0, 0, 1]);
  });

  it('should refill at the rate, never above the burst', () => {
    const clock = fixedClock(start);
    const buckets = new TokenBuckets({ requestsPerSec: 2, burst: 3 }, clock);
    for (let i = 0; i < 3; i++) buckets.take(7);

    clock.advance(499);
    const early = buckets.take(7);
    clock.advance(1);
    const onTime = buckets.take(7);
    clock.advance(3_600_000);
    const afterAnHour = [1, 2, 3, 4].map(() => buckets.take(7));

    expect([early, onTime, afterAnHour]).to.deep.equal([1, 0, [0, 0, 0, 1]]);
  });

  it('should say how long to wait at a slow rate', () => {
    const buckets = new TokenBuckets({ requestsPerSec: 0.1, burst: 1 }, fixedClock(start));

    expect([buckets.take(1), buckets.take(1)]).to.deep.equal([0, 10]);
  });

  it('should keep one bucket per key', () => {
    const buckets = new TokenBuckets({ requestsPerSec: 1, burst: 1 }, fixedClock(start));

    expect([buckets.take(1), buckets.take(1), buckets.take(2)]).to.deep.equal([0, 1, 0]);
  });
});
