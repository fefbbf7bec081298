import { expect } from 'chai';
import { PasswordLogin, type LoginAccount } from '../../../src/access/password-login.ts';
import { fixedClock } from '../../../src/shared/clock.ts';
import type { PasswordHasher } from '../../../src/shared/password.ts';

interface Account extends LoginAccount {
  email: string;
  disabled?: boolean;
}

// Hashes are `h:<password>`; every check is recorded, so a test sees that an unknown email costs one check too.
function setup(accounts: Account[], o: { gate?: { maxActive: number; maxQueued: number }; hold?: Promise<void> } = {}) {
  const clock = fixedClock(new Date('2026-01-01T00:00:00Z'));
  const checks: string[] = [];
  const passwords: PasswordHasher = {
    hash: async (p) => `h:${p}`,
    verify: async (p, hash) => {
      checks.push(hash);
      await o.hold;
      return hash === `h:${p}`;
    },
  };
  const login = new PasswordLogin<Account>({
    clock,
    passwords,
    maxFailedLogins: 3,
    lockoutMin: 15,
    gate: o.gate,
    usable: (a) => !a.disabled,
    accounts: {
      findByEmail: async (email) => accounts.find((a) => a.email.toLowerCase() === email.toLowerCase()),
      recordFailure: async (id, lock) => {
        const a = accounts.find((x) => x.id === id)!;
        a.failedAttempts += 1;
        if (a.failedAttempts >= lock.maxFailed) Object.assign(a, { failedAttempts: 0, lockedUntil: lock.lockedUntil });
        return a.lockedUntil;
      },
      resetFailures: async (id) => {
        Object.assign(accounts.find((x) => x.id === id)!, { failedAttempts: 0, lockedUntil: null });
      },
    },
  });
  return { login, clock, checks };
}

const account = (over: Partial<Account> = {}): Account => ({ id: 1, email: 'a@x.com', passwordHash: 'h:right password', failedAttempts: 0, lockedUntil: null, ...over });

async function failure(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (err) {
    return { code: (err as { code: string }).code, message: (err as Error).message };
  }
  throw new Error('expected a refusal');
}

describe('unit access password login (operators and drivers share it)', () => {
  it('should return the account, whatever the case of its email, and reset its failure count', async () => {
    const a = account({ failedAttempts: 2 });
    const { login } = setup([a]);

    const found = await login.check('A@X.com', 'right password');

    expect([found.id, a.failedAttempts]).to.deep.equal([1, 0]);
  });

  it('should give one answer for an unknown email, a wrong password, an account without password and a disabled one', async () => {
    const { login, checks } = setup([account(), account({ id: 2, email: 'none@x.com', passwordHash: null }), account({ id: 3, email: 'off@x.com', disabled: true })]);

    const answers = [
      await failure(login.check('nobody@x.com', 'right password')),
      await failure(login.check('a@x.com', 'wrong password')),
      await failure(login.check('none@x.com', 'right password')),
      await failure(login.check('off@x.com', 'right password')),
    ];

    expect(answers).to.deep.equal(Array(4).fill({ code: 'UNAUTHORIZED', message: 'invalid email or password' }));
    expect(checks).to.have.length(4); // every refusal costs one password check
  });

  it('should lock a real account at the third failure in a row and refuse even the right password until the lock ends', async () => {
    const { login, clock } = setup([account()]);

    await failure(login.check('a@x.com', 'wrong 1'));
    await failure(login.check('a@x.com', 'wrong 2'));
    const third = await failure(login.check('a@x.com', 'wrong 3'));
    const whileLocked = await failure(login.check('a@x.com', 'right password'));
    clock.advance(15 * 60_000);

    expect([third.code, whileLocked.code]).to.deep.equal(['TOO_MANY_ATTEMPTS', 'TOO_MANY_ATTEMPTS']);
    expect(whileLocked.message).to.equal('too many failed logins: try again in 15 minute(s)');
    expect((await login.check('a@x.com', 'right password')).id).to.equal(1);
  });

  it('should lock an unknown email exactly as a real account, without a password check while locked', async () => {
    const { login, checks } = setup([]);

    const answers = [];
    for (let i = 0; i < 4; i++) answers.push((await failure(login.check('nobody@x.com', 'x'))).code);

    expect(answers).to.deep.equal(['UNAUTHORIZED', 'UNAUTHORIZED', 'TOO_MANY_ATTEMPTS', 'TOO_MANY_ATTEMPTS']);
    expect(checks).to.have.length(3);
  });

  it('should refuse malformed input with 400 before any lookup or check', async () => {
    const { login, checks } = setup([account()]);

    const answers = [await failure(login.check(42, 'x')), await failure(login.check('a@x.com', '')), await failure(login.check('a@x.com', 'p'.repeat(257)))];

    expect(answers.map((a) => a.code)).to.deep.equal(['INVALID_INPUT', 'INVALID_INPUT', 'INVALID_INPUT']);
    expect(answers.map((a) => a.message.split(':')[0])).to.deep.equal(['email', 'password', 'password']);
    expect(checks).to.have.length(0);
  });

  it('should refuse a login at once (429) when every check slot and queue place is taken', async () => {
    let release!: () => void;
    const hold = new Promise<void>((resolve) => (release = resolve));
    const { login } = setup([account()], { gate: { maxActive: 1, maxQueued: 1 }, hold });

    const running = login.check('a@x.com', 'right password');
    const queued = login.check('a@x.com', 'right password');
    const refused = await failure(login.check('a@x.com', 'right password'));
    release();

    expect(refused).to.deep.equal({ code: 'TOO_MANY_ATTEMPTS', message: 'too many logins in progress: try again in a moment' });
    expect((await Promise.all([running, queued])).map((a) => a.id)).to.deep.equal([1, 1]);
  });
});
