// The password check of a sign-in, one flow for every kind of account (operators, drivers): input bounds,
// the lock-out of unknown emails (in memory) and of real accounts (in the database), password checks bounded
// by a gate (scrypt on the libuv pool, which charger handshakes share), and one answer for every failure so
// that a caller learns nothing about which emails have an account (issue 9: no user enumeration).
import type { Clock } from '../shared/clock.ts';
import { InvalidInput, TooManyAttempts, Unauthorized } from '../shared/errors.ts';
import { UNMATCHABLE_HASH, type PasswordHasher } from '../shared/password.ts';
import { WorkGate } from '../shared/work-gate.ts';
import { UnknownEmailLockout } from './login-lockout.ts';

/** One answer for every failed login, whatever failed. */
export const INVALID_LOGIN = 'invalid email or password';

/** What a sign-in needs of an account. An account without a password cannot sign in (as an unknown email). */
export interface LoginAccount {
  id: number;
  passwordHash: string | null;
  failedAttempts: number;
  lockedUntil: Date | null;
}

/** The account store of one kind of account. */
export interface LoginAccounts<A extends LoginAccount> {
  findByEmail(email: string): Promise<A | undefined>;
  /** Counts a failure; locks the account (`lockedUntil`) at `maxFailed` failures in a row. Returns the lock in force. */
  recordFailure(id: number, o: { maxFailed: number; lockedUntil: Date }): Promise<Date | null>;
  resetFailures(id: number): Promise<void>;
}

export interface PasswordLoginOptions<A extends LoginAccount> {
  clock: Clock;
  passwords: PasswordHasher;
  maxFailedLogins: number;
  lockoutMin: number;
  accounts: LoginAccounts<A>;
  /** Password checks running at once and waiting (default 2 and 32); beyond that a login is refused (429). */
  gate?: { maxActive: number; maxQueued: number };
  /** An account that may not sign in although its password is right (e.g. disabled): the same answer as a wrong password. */
  usable?: (account: A) => boolean;
}

export const lockedError = (until: Date, now: Date): TooManyAttempts => {
  const retryAfterSec = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
  return new TooManyAttempts(`too many failed logins: try again in ${Math.ceil(retryAfterSec / 60)} minute(s)`, retryAfterSec);
};

export class PasswordLogin<A extends LoginAccount> {
  private readonly unknown: UnknownEmailLockout;
  private readonly gate: WorkGate;

  constructor(private readonly o: PasswordLoginOptions<A>) {
    this.unknown = new UnknownEmailLockout({ clock: o.clock, maxFailed: o.maxFailedLogins, lockoutMs: o.lockoutMin * 60_000, maxEntries: 10_000 });
    this.gate = new WorkGate(o.gate?.maxActive ?? 2, o.gate?.maxQueued ?? 32);
  }

  /** Password checks running and waiting now (for tests and diagnostics). */
  get load(): { active: number; queued: number } {
    return this.gate.load;
  }

  /** A password check under the gate; refused at once (429) when every slot and queue place is taken. */
  async verifyPassword(password: string, hash: string): Promise<boolean> {
    const outcome = await this.gate.run(() => this.o.passwords.verify(password, hash));
    if (!outcome.ran) throw new TooManyAttempts('too many logins in progress: try again in a moment', 1);
    return outcome.value;
  }

  /**
   * The account whose email and password these are, its failure count reset; otherwise 400 (malformed), 401
   * (one answer for an unknown email, a wrong password or an unusable account) or 429 (locked, or too many
   * checks at once). An unknown email costs the same password check and is locked out the same way.
   */
  async check(email: unknown, password: unknown): Promise<A> {
    if (typeof email !== 'string' || email.length === 0 || email.length > 254) throw new InvalidInput('email: required string of 1-254 characters');
    if (typeof password !== 'string' || password.length === 0 || password.length > 256) throw new InvalidInput('password: required string of 1-256 characters');
    const account = await this.o.accounts.findByEmail(email);
    if (!account || account.passwordHash === null) return this.refuseUnknown(email, password);
    const now = this.o.clock.now();
    if (account.lockedUntil && account.lockedUntil > now) throw lockedError(account.lockedUntil, now);
    if (!(await this.verifyPassword(password, account.passwordHash))) return this.refuse(account);
    if (this.o.usable && !this.o.usable(account)) throw new Unauthorized(INVALID_LOGIN);
    if (account.failedAttempts > 0 || account.lockedUntil) await this.o.accounts.resetFailures(account.id);
    return account;
  }

  private async refuseUnknown(email: string, password: string): Promise<never> {
    const now = this.o.clock.now();
    const lockedUntil = this.unknown.lockedUntil(email);
    if (lockedUntil) throw lockedError(lockedUntil, now);
    await this.verifyPassword(password, UNMATCHABLE_HASH);
    const locked = this.unknown.recordFailure(email);
    if (locked) throw lockedError(locked, now);
    throw new Unauthorized(INVALID_LOGIN);
  }

  private async refuse(account: A): Promise<never> {
    const now = this.o.clock.now();
    const locked = await this.o.accounts.recordFailure(account.id, { maxFailed: this.o.maxFailedLogins, lockedUntil: new Date(now.getTime() + this.o.lockoutMin * 60_000) });
    if (locked && locked > now) throw lockedError(locked, now);
    throw new Unauthorized(INVALID_LOGIN);
  }
}
