import { expect } from 'chai';
import { LoginBackoff } from '../../../src/chargers/login-backoff.ts';
import { fixedClock } from '../../../src/shared/clock.ts';

describe('unit chargers/login-backoff', () => {
  const options = { failuresPerId: 2, failuresPerAddress: 3, windowSec: 60, baseSec: 10, maxSec: 40, maxEntries: 100 };

  it('should block an id after its failures, for base, then twice as long, capped', () => {
    const clock = fixedClock(new Date('2026-03-01T00:00:00Z'));
    const b = new LoginBackoff({ ...options, failuresPerAddress: 0 }, clock);
    const blocks: number[] = [];

    for (let round = 0; round < 4; round += 1) {
      b.recordFailure('CP1', '10.0.0.1');
      b.recordFailure('CP1', '10.0.0.1');
      blocks.push(b.retryAfterSec('CP1', '10.0.0.1'));
      clock.advance(blocks[round] * 1000);
    }

    expect(blocks).to.deep.equal([10, 20, 40, 40]);
    expect(b.retryAfterSec('CP1', '10.0.0.1')).to.equal(0);
  });

  it('should block an address after failures across ids, and keep it blocked when one id succeeds', () => {
    const b = new LoginBackoff(options, fixedClock(new Date('2026-03-01T00:00:00Z')));

    for (const id of ['A', 'B', 'C']) b.recordFailure(id, '10.0.0.2');
    b.recordSuccess('D');

    expect([b.retryAfterSec('D', '10.0.0.2'), b.retryAfterSec('D', '10.0.0.3'), b.retryAfterSec('A', undefined)]).to.deep.equal([10, 0, 0]);
  });

  it('should forget the level of a key that stayed quiet for longer than the longest block', () => {
    const clock = fixedClock(new Date('2026-03-01T00:00:00Z'));
    const b = new LoginBackoff({ ...options, failuresPerAddress: 0 }, clock);
    b.recordFailure('CP1', undefined);
    b.recordFailure('CP1', undefined);
    clock.advance((10 + 41) * 1000);

    b.recordFailure('CP1', undefined);
    b.recordFailure('CP1', undefined);

    expect(b.retryAfterSec('CP1', undefined)).to.equal(10);
  });

  it('should keep at most maxEntries counters, dropping the least recently used', () => {
    const b = new LoginBackoff({ ...options, failuresPerId: 1, failuresPerAddress: 0, maxEntries: 3 }, fixedClock(new Date('2026-03-01T00:00:00Z')));

    for (const id of ['A', 'B', 'C', 'D']) b.recordFailure(id, undefined);

    expect(b.size).to.equal(3);
    expect(['A', 'B', 'C', 'D'].map((id) => b.retryAfterSec(id, undefined))).to.deep.equal([0, 10, 10, 10]);
  });
});
