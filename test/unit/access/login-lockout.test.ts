import { expect } from 'chai';
import { UnknownEmailLockout } from '../../../src/access/login-lockout.ts';
import { fixedClock } from '../../../src/shared/clock.ts';

describe('unit access unknown-email lock-out', () => {
  it('should lock an email, whatever its case, at the maxFailed-th failure until the lock-out ends', () => {
    const clock = fixedClock(new Date('2026-01-01T00:00:00Z'));
    const lockout = new UnknownEmailLockout({ clock, maxFailed: 2, lockoutMs: 60_000, maxEntries: 10 });

    const first = lockout.recordFailure('a@x.com');
    const second = lockout.recordFailure('A@x.com');
    const locked = lockout.lockedUntil('a@X.com');
    clock.advance(60_000);

    expect([first, second?.toISOString(), locked?.toISOString()]).to.deep.equal([undefined, '2026-01-01T00:01:00.000Z', '2026-01-01T00:01:00.000Z']);
    expect(lockout.lockedUntil('a@x.com')).to.equal(undefined);
  });

  it('should forget the least recently failed email beyond maxEntries', () => {
    const clock = fixedClock(new Date('2026-01-01T00:00:00Z'));
    const lockout = new UnknownEmailLockout({ clock, maxFailed: 2, lockoutMs: 60_000, maxEntries: 2 });

    lockout.recordFailure('a@x.com');
    lockout.recordFailure('b@x.com');
    lockout.recordFailure('c@x.com');

    expect(lockout.recordFailure('a@x.com')).to.equal(undefined); // its first failure was forgotten
    expect(lockout.recordFailure('c@x.com')).to.not.equal(undefined);
  });
});
