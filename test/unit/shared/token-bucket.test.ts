import { expect } from 'chai';
import { TokenBuckets } from '../../../src/shared/token-bucket.ts';

describe('TokenBuckets (pure)', () => {
  it('should allow a burst, then refuse with Retry-After until a token refills', () => {
    const b = new TokenBuckets({ perSec: 0.5, burst: 3, maxKeys: 10 });
    const at = (s: number) => b.take('1.2.3.4', 1_000_000 + s * 1000);
    expect([at(0), at(0), at(0)].every((r) => r.allowed)).to.equal(true);
    expect(at(0)).to.deep.equal({ allowed: false, retryAfterSec: 2 });
    expect(at(1)).to.deep.equal({ allowed: false, retryAfterSec: 1 });
    expect(at(2).allowed).to.equal(true);
    expect(at(2).allowed).to.equal(false);
  });

  it('should keep one bucket per key', () => {
    const b = new TokenBuckets({ perSec: 1, burst: 1, maxKeys: 10 });
    expect(b.take('a', 0).allowed).to.equal(true);
    expect(b.take('a', 0).allowed).to.equal(false);
    expect(b.take('b', 0).allowed).to.equal(true);
  });

  it('should never refill above the burst', () => {
    const b = new TokenBuckets({ perSec: 10, burst: 2, maxKeys: 10 });
    b.take('a', 0);
    const results = [b.take('a', 3_600_000), b.take('a', 3_600_000), b.take('a', 3_600_000)];
    expect(results.map((r) => r.allowed)).to.deep.equal([true, true, false]);
  });

  it('should keep at most maxKeys buckets, dropping the least recently used', () => {
    const b = new TokenBuckets({ perSec: 1, burst: 1, maxKeys: 2 });
    b.take('a', 0);
    b.take('b', 0);
    b.take('a', 0);
    b.take('c', 0);
    expect(b.size).to.equal(2);
    expect(b.take('b', 0).allowed).to.equal(true); // dropped: starts full
    expect(b.take('c', 0).allowed).to.equal(false);
  });
});
