import type { Knex } from 'knex';
import type { Clock } from '../shared/clock.ts';
import { InvalidInput, Unauthorized } from '../shared/errors.ts';
import { hashSecret, newSecret } from '../shared/ids.ts';
import type { PasswordHasher } from '../shared/password.ts';
import * as repo from './operator.repo.ts';
import * as sessions from './operator-session.repo.ts';
import type { Operator, OperatorCredentials } from './operator.repo.ts';
import type { SessionPrincipal } from './operator-session.repo.ts';
import { PasswordLogin } from './password-login.ts';
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

const SESSION_PREFIX = 'cpmsop_';

/** Whether a bearer token is a session token (API keys start with `cpms_`). */
export const isSessionToken = (token: string): boolean => token.startsWith(SESSION_PREFIX);

/** The CSRF token of a session: derived from its token, so it needs no storage and dies with the session. */
export const csrfTokenOf = (token: string): string => hashSecret(`csrf:${token}`);

/**
 * Operator logins: email + password (scrypt, off the event loop) → a session whose random token is stored
 * as SHA-256 only; lock-out after `maxFailedLogins` failures in a row for `lockoutMin` minutes.
 */
export class AuthService {
  private readonly logins: PasswordLogin<OperatorCredentials>;

  constructor(private readonly o: AuthOptions) {
    this.logins = new PasswordLogin({
      ...o,
      gate: o.loginGate,
      accounts: {
        findByEmail: (email) => repo.findCredentialsByEmail(o.db, email),
        recordFailure: (id, lock) => repo.recordOperatorFailedLogin(o.db, id, lock),
        resetFailures: (id) => repo.resetOperatorFailedLogins(o.db, id),
      },
      // A disabled account: the same answer as a wrong password.
      usable: (account) => !account.disabledAt,
    });
  }

  /** Login password checks running and waiting now (for tests and diagnostics). */
  get load(): { active: number; queued: number } {
    return this.logins.load;
  }

  async login(email: unknown, password: unknown): Promise<Login> {
    return this.openSession(await this.logins.check(email, password));
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
    if (!account || !(await this.logins.verifyPassword(current, account.passwordHash))) throw new InvalidInput('currentPassword: does not match');
    if (current === password) throw new InvalidInput('newPassword: must differ from the current password');
    const passwordHash = await this.o.passwords.hash(password);
    await this.o.db.transaction(async (trx) => {
      await repo.updatePassword(trx, s.operatorId, { passwordHash, mustChangePassword: false });
      await sessions.deleteOperatorSessions(trx, s.operatorId, s.sessionId);
    });
  }
}
