// AuthService on a real database: the bounded password-check work of logins (issue 9).
import { expect } from 'chai';
import { AuthService } from '../../../src/access/auth.service.ts';
import { OperatorService } from '../../../src/access/operator.service.ts';
import { systemClock } from '../../../src/shared/clock.ts';
import { TooManyAttempts } from '../../../src/shared/errors.ts';
import { useTestDb } from '../../helpers/use-test-app.ts';
import { aPasswordSpy } from '../../helpers/password-spy.ts';
import { eventually } from '../../helpers/wait.ts';

describe('integration access AuthService', () => {
  const tdb = useTestDb();

  it('should refuse a login at once with TooManyAttempts when every password-check slot and queue place is taken', async () => {
    // Arrange: one check at a time, one waiting; the checks are held until released
    const spy = aPasswordSpy();
    const options = { db: tdb.db, clock: systemClock, passwords: spy.hasher };
    await new OperatorService(options).add({ email: 'gate@example.com', role: 'viewer', password: 'gate password 1' });
    const auth = new AuthService({ ...options, sessionTtlMin: 60, maxFailedLogins: 100, lockoutMin: 1, loginGate: { maxActive: 1, maxQueued: 1 } });
    const held = spy.hold();

    // Act
    const running = auth.login('gate@example.com', 'gate password 1');
    await eventually(async () => auth.load.active === 1, 'the first check to run');
    const queued = auth.login('gate@example.com', 'gate password 1');
    await eventually(async () => auth.load.queued === 1, 'the second check to wait');
    const refused = await auth.login('gate@example.com', 'gate password 1').then(() => undefined, (err: unknown) => err);
    held.release();

    // Assert
    expect(refused).to.be.instanceOf(TooManyAttempts);
    expect((refused as TooManyAttempts).message).to.equal('too many logins in progress: try again in a moment');
    expect((await running).operator.email).to.equal('gate@example.com');
    expect((await queued).operator.email).to.equal('gate@example.com');
  });
});
