import type { Knex } from 'knex';
import type { Clock } from '../shared/clock.ts';
import { InvalidInput, TooManyAttempts, Unauthorized } from '../shared/errors.ts';
import { hashSecret, newSecret } from '../shared/ids.ts';
import { UNMATCHABLE_HASH, type PasswordHasher } from '../shared/password.ts';
import * as repo from './operator.repo.ts';
import * as sessions from './operator-session.repo.ts';
import type { Operator, OperatorCredentials } from './operator.repo.ts';
import type { SessionPrincipal } from './operator-session.repo.ts';
import { WorkGate } from '../shared/work-gate.ts';
import { UnknownEmailLockout } from './login-lockout.ts';
import { checkPassword } from './operator.service.ts';

export interface AuthOptions {
  db: Knex;
  clock: Clock;
  passwords: PasswordHasher;
  sessionTtlMin: number;
  maxFailedLogins: number;
  lockoutMin: number;
  /**
   * Password checks of logins running at once, and waiting (default 2 and 32): scrypt runs on the libuv pool
   * (4 threads), which charger handshakes and file I/O share; a flood of logins is refused beyond this.
   */
  loginGate?: { maxActive: number; maxQueued: number };
}

export interface Login {
  /** The session token: the cookie's value, or a bearer token. Shown only here. */
  token: string;
  /** What a cookie-authenticated unsafe request sends in X-CSRF-Token. */
  csrfToken: string;
  expiresAt: Date;
  operator: Operator;
}

// One answer for every failed login, whatever failed (no user enumeration).
const INVALID = 'invalid email or password';
const SESSION_PREFIX = 'cpmsop_';

/** Whether a bearer token is a session token (API keys start with `cpms_`). */
export const isSessionToken = (token: string): boolean => token.startsWith(SESSION_PREFIX);

/** The CSRF token of a session: derived from its token, so it needs no storage and dies with the session. */
export const csrfTokenOf = (token: string): string => hashSecret(`csrf:${token}`);

const lockedError = (until: Date, now: Date): TooManyAttempts => {
  const retryAfterSec = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
  return new TooManyAttempts(`too many failed logins: try again in ${Math.ceil(retryAfterSec / 60)} minute(s)`, retryAfterSec);
};

/**
 * Operator logins: email + password (scrypt, off the event loop) → a session whose random token is stored
 * as SHA-256 only; lock-out after `maxFailedLogins` failures in a row for `lockoutMin` minutes.
 */
export class AuthService {
  private readonly unknown: UnknownEmailLockout;
  private readonly gate: WorkGate;

  constructor(private readonly o: AuthOptions) {
    this.unknown = new UnknownEmailLockout({ clock: o.clock, maxFailed: o.maxFailedLogins, lockoutMs: o.lockoutMin * 60_000, maxEntries: 10_000 });
    this.gate = new WorkGate(o.loginGate?.maxActive ?? 2, o.loginGate?.maxQueued ?? 32);
  }

  /** Login password checks running and waiting now (for tests and diagnostics). */
  get load(): { active: number; queued: number } {
    return this.gate.load;
  }

  /** A password check under the gate; refused at once (429) when every slot and queue place is taken. */
  private async verifyPassword(password: string, hash: string): Promise<boolean> {
    const outcome = await this.gate.run(() => this.o.passwords.verify(password, hash));
    if (!outcome.ran) throw new TooManyAttempts('too many logins in progress: try again in a moment', 1);
    return outcome.value;
  }

  async login(email: unknown, password: unknown): Promise<Login> {
    if (typeof email !== 'string' || email.length === 0 || email.length > 254) throw new InvalidInput('email: required string of 1-254 characters');
    if (typeof password !== 'string' || password.length === 0 || password.length > 256) throw new InvalidInput('password: required string of 1-256 characters');
    const account = await repo.findCredentialsByEmail(this.o.db, email);
    if (!account) return this.refuseUnknown(email, password);
    const now = this.o.clock.now();
    if (account.lockedUntil && account.lockedUntil > now) throw lockedError(account.lockedUntil, now);
    if (!(await this.verifyPassword(password, account.passwordHash))) return this.refuse(account);
    // A disabled account: the same answer as a wrong password.
    if (account.disabledAt) throw new Unauthorized(INVALID);
    if (account.failedAttempts > 0 || account.lockedUntil) await repo.resetFailedLogins(this.o.db, account.id);
    return this.openSession(account);
  }

  /** Same work as a wrong password of a real account, and the same lock-out. */
  private async refuseUnknown(email: string, password: string): Promise<never> {
    const now = this.o.clock.now();
    const lockedUntil = this.unknown.lockedUntil(email);
    if (lockedUntil) throw lockedError(lockedUntil, now);
    await this.verifyPassword(password, UNMATCHABLE_HASH);
    const locked = this.unknown.recordFailure(email);
    if (locked) throw lockedError(locked, now);
    throw new Unauthorized(INVALID);
  }

  private async refuse(account: OperatorCredentials): Promise<never> {
    const now = this.o.clock.now();
    const lockedUntil = new Date(now.getTime() + this.o.lockoutMin * 60_000);
    const locked = await repo.recordFailedLogin(this.o.db, account.id, { maxFailed: this.o.maxFailedLogins, lockedUntil });
    if (locked && locked > now) throw lockedError(locked, now);
    throw new Unauthorized(INVALID);
  }

  private async openSession(account: OperatorCredentials): Promise<Login> {
    const token = `${SESSION_PREFIX}${newSecret(32)}`;
    const expiresAt = new Date(this.o.clock.now().getTime() + this.o.sessionTtlMin * 60_000);
    await sessions.deleteExpiredSessions(this.o.db, account.id);
    await sessions.insertSession(this.o.db, { operatorId: account.id, tokenHash: hashSecret(token), expiresAt });
    const { passwordHash: _hash, failedAttempts: _failed, ...operator } = account;
    return { token, csrfToken: csrfTokenOf(token), expiresAt, operator: { ...operator, lockedUntil: null } };
  }

  /** The live session of `token`: unexpired, of an account not disabled. */
  async verify(token: string): Promise<SessionPrincipal> {
    const principal = await sessions.findLiveSession(this.o.db, hashSecret(token));
    if (!principal) throw new Unauthorized('invalid or expired session');
    return principal;
  }

  logout(sessionId: number): Promise<void> {
    return sessions.deleteSession(this.o.db, sessionId);
  }

  /** Needs the current password; every other session of the account ends. */
  async changePassword(s: { operatorId: number; sessionId: number }, current: unknown, next: unknown): Promise<void> {
    if (typeof current !== 'string' || current.length > 256) throw new InvalidInput('currentPassword: required string');
    const password = checkPassword(next, 'newPassword');
    const account = await repo.findCredentialsById(this.o.db, s.operatorId);
    if (!account || !(await this.verifyPassword(current, account.passwordHash))) throw new InvalidInput('currentPassword: does not match');
    if (current === password) throw new InvalidInput('newPassword: must differ from the current password');
    const passwordHash = await this.o.passwords.hash(password);
    await this.o.db.transaction(async (trx) => {
      await repo.updatePassword(trx, s.operatorId, { passwordHash, mustChangePassword: false });
      await sessions.deleteOperatorSessions(trx, s.operatorId, s.sessionId);
    });
  }
}
