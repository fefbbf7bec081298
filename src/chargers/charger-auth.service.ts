import type { Knex } from 'knex';
import type { Logger } from '../shared/logger.ts';
import { hexKeyBytes, isGeneratedSecretHash, UNMATCHABLE_HASH, verifyGeneratedSecret, type PasswordHasher } from '../shared/password.ts';
import { WorkGate } from '../shared/work-gate.ts';
import type { GroupCommitWriter } from '../db/group-commit.ts';
import type { AuthDecision, Handshake } from '../ocpp/server.ts';
import * as repo from './charger.repo.ts';
import * as connectionRepo from './connection.repo.ts';
import { createAuthLookup } from './auth-lookup.ts';
import type { LoginBackoff } from './login-backoff.ts';
import { certificateProblem, isBelowRecordedProfile, profileOf } from './security-profile.ts';

export interface ChargerAuthOptions {
  db: Knex;
  logger: Logger;
  nodeId: string;
  passwords: PasswordHasher;
  backoff: LoginBackoff;
  acceptUnknownChargers: boolean;
  /** Password checks (with their lookup) running at once, and waiting for a slot. */
  maxConcurrentVerifications: number;
  maxQueuedVerifications: number;
  /** Retry-After of a handshake refused because every verification slot was taken. */
  busyRetryAfterSec: number;
  /** Batching of the handshakes' charger lookups (auth-lookup.ts); defaults there. */
  lookup?: { windowMs?: number; maxBatch?: number; maxInFlight?: number };
}

// One answer for every failed login, whatever failed (no charger id enumeration).
const INVALID = { ok: false, status: 401, reason: 'invalid charge point identity or password' } as const;

/** Whether checking against this stored hash runs the KDF (scrypt), rather than a generated secret's sha256. */
const usesKdf = (stored: string | null): boolean => stored !== null && !isGeneratedSecretHash(stored);

/** Every KDF slot and queue place is taken: the handshake is refused with 503. */
class KdfBusy extends Error {}

/**
 * Decides WebSocket handshakes (OCPP security profiles 1 and 2: HTTP Basic auth) before the socket
 * opens, at a bounded cost: a blocked id or address is refused without any lookup, KDF work (scrypt: a
 * chosen password's check or hash) runs under a WorkGate, a generated secret's sha256 hash is checked on the
 * spot (a reconnect storm of imported chargers costs lookups only), and every failed login (unknown id, or a
 * wrong password whatever the stored scheme) costs one KDF check, so that its timing tells nothing.
 */
export class ChargerAuthService {
  private readonly gate: WorkGate;
  /** Handshakes' charger lookups, many in one query. */
  readonly lookups: GroupCommitWriter<string, connectionRepo.AuthRecord | undefined>;

  constructor(private readonly o: ChargerAuthOptions) {
    this.gate = new WorkGate(o.maxConcurrentVerifications, o.maxQueuedVerifications);
    this.lookups = createAuthLookup({ db: o.db, ...o.lookup });
  }

  /** Password checks running and waiting now (for tests and diagnostics). */
  get load(): { active: number; queued: number } {
    return this.gate.load;
  }

  async authenticate(h: Handshake): Promise<AuthDecision> {
    const retryAfterSec = this.o.backoff.retryAfterSec(h.identity, h.remoteAddress);
    if (retryAfterSec > 0) return { ok: false, status: 429, reason: 'too many failed logins: try again later', retryAfterSec };
    // Without credentials (no password, no client certificate) only an onboarding charger can get in
    // (the same for every id: no lookup).
    if (h.password === undefined && !h.clientCertificate && !this.o.acceptUnknownChargers) return this.failed(h);
    let decision: AuthDecision;
    try {
      decision = await this.decide(h);
    } catch (err) {
      if (!(err instanceof KdfBusy)) throw err;
      return { ok: false, status: 503, reason: 'too many logins in progress: try again later', retryAfterSec: this.o.busyRetryAfterSec };
    }
    if (decision.ok) this.o.backoff.recordSuccess(h.identity);
    else if (decision.status === 401) this.o.backoff.recordFailure(h.identity, h.remoteAddress);
    return decision;
  }

  /**
   * A password check: a generated secret's sha256 hash at once, a KDF hash under the gate (or KdfBusy). An
   * OCPP 2.0.1 station presents a generated key as the hex text it was sent (A01 BasicAuthPassword): those
   * bytes are tried too. A 1.6 charger must send the key's bytes (whitepaper), never the text.
   */
  private async check(h: Handshake, stored: string): Promise<boolean> {
    const password = h.password ?? Buffer.alloc(0);
    if (isGeneratedSecretHash(stored)) {
      if (verifyGeneratedSecret(password, stored)) return true;
      const keyBytes = h.protocol === 'ocpp2.0.1' ? hexKeyBytes(password) : undefined;
      return keyBytes !== undefined && verifyGeneratedSecret(keyBytes, stored);
    }
    return this.kdf(() => this.o.passwords.verify(password, stored));
  }

  private async kdf<T>(work: () => Promise<T>): Promise<T> {
    const outcome = await this.gate.run(work);
    if (!outcome.ran) throw new KdfBusy();
    return outcome.value;
  }

  private failed(h: Handshake): AuthDecision {
    this.o.backoff.recordFailure(h.identity, h.remoteAddress);
    return INVALID;
  }

  private async decide(h: Handshake): Promise<AuthDecision> {
    if (h.clientCertificate) return this.decideByCertificate(h, h.clientCertificate);
    const row = await this.lookups.submit(h.identity);
    if (!row) return this.o.acceptUnknownChargers ? this.onboard(h) : this.verifyUnknown(h);
    if (h.password === undefined) return this.admitWithoutCredential(h, row);
    if (row.passwordHash && (await this.check(h, row.passwordHash))) return this.admit(h, row);
    // The charger may already use the AuthorizationKey we sent it and are still waiting to hear about
    // (onboarding, or a rotation: the old password stays valid until the charger connects with the new one).
    if (row.pendingPasswordHash && (await this.check(h, row.pendingPasswordHash))) {
      const refused = this.refuseLowerProfile(h, row);
      if (refused) return refused;
      await connectionRepo.promotePendingPassword(this.o.db, h.identity, row.pendingPasswordHash);
      this.o.logger.info('charger connected with the AuthorizationKey sent to it: it is now its password', { chargePointId: h.identity });
      return this.admit(h, row);
    }
    // A failed login costs one KDF check whatever the stored hashes are: a generated secret's sha256 check
    // alone would answer in microseconds where an unknown id costs a scrypt, and tell the two apart.
    if (!usesKdf(row.passwordHash) && !usesKdf(row.pendingPasswordHash)) await this.check(h, UNMATCHABLE_HASH);
    return INVALID;
  }

  /** Security profile 3: the TLS client certificate authenticates the charger (no password needed). */
  private async decideByCertificate(h: Handshake, cert: NonNullable<Handshake['clientCertificate']>): Promise<AuthDecision> {
    const problem = certificateProblem(cert, h.identity);
    if (problem) {
      this.o.logger.warn('charger client certificate refused', { chargePointId: h.identity, problem });
      return this.failed(h);
    }
    const row = await this.lookups.submit(h.identity);
    return row ? this.admit(h, row) : this.failed(h);
  }

  /** Refusal (401) of a handshake below the profile the charger was raised to (whitepaper §2.1: no fall back). */
  private refuseLowerProfile(h: Handshake, row: connectionRepo.AuthRecord): AuthDecision | undefined {
    const used = profileOf(h);
    if (!isBelowRecordedProfile(used, row.securityProfile)) return undefined;
    this.o.logger.warn('charger refused: security profile lower than the one it was raised to', { chargePointId: h.identity, used, recorded: row.securityProfile });
    return { ok: false, status: 401, reason: `security profile ${used} refused: this charger must use profile ${row.securityProfile} or higher` };
  }

  /** A charger that proved its credential: admitted unless below its profile, whose use is recorded. */
  private async admit(h: Handshake, row: connectionRepo.AuthRecord): Promise<AuthDecision> {
    const refused = this.refuseLowerProfile(h, row);
    if (refused) return refused;
    const used = profileOf(h);
    if (row.securityProfile === null || used > row.securityProfile) await connectionRepo.raiseSecurityProfile(this.o.db, h.identity, used);
    return { ok: true, hasCredential: true, registrationStatus: row.registrationStatus };
  }

  /** Same work as a wrong password of a known charger. */
  private async verifyUnknown(h: Handshake): Promise<AuthDecision> {
    if (h.password !== undefined) await this.check(h, UNMATCHABLE_HASH);
    return INVALID;
  }

  /**
   * Onboarding (ocpp.acceptUnknownChargers): the unknown charger is stored Pending. A password it sent is
   * its credential from now on; without one it may only hold one connection at a time (claimed here).
   */
  private async onboard(h: Handshake): Promise<AuthDecision> {
    const password = h.password;
    const passwordHash = password === undefined ? null : await this.kdf(() => this.o.passwords.hash(password));
    const inserted = await connectionRepo.insertChargePointIfAbsent(this.o.db, { id: h.identity, passwordHash, registrationStatus: 'Pending' });
    if (!inserted) return this.decide(h); // another handshake stored it first: decide as for a known charger
    this.o.logger.warn('unknown charger admitted as Pending for onboarding', { chargePointId: h.identity, hasPassword: passwordHash !== null });
    if (passwordHash) return { ok: true, hasCredential: true, registrationStatus: 'Pending' };
    return this.admitWithoutCredential(h, { passwordHash: null, pendingPasswordHash: null, registrationStatus: 'Pending', securityProfile: null });
  }

  /**
   * A charger without credentials: only while onboarding, never one that is Accepted or has a password,
   * and only when no other connection of it is open (claimed atomically, so two handshakes cannot both win).
   */
  private async admitWithoutCredential(h: Handshake, row: connectionRepo.AuthRecord): Promise<AuthDecision> {
    if (!this.o.acceptUnknownChargers || row.passwordHash || row.registrationStatus === 'Accepted') return INVALID;
    if (!(await connectionRepo.claimConnection(this.o.db, h.identity, { connectionId: h.connectionId, node: this.o.nodeId }))) {
      return { ok: false, status: 409, reason: 'charger without credentials is already connected' };
    }
    return { ok: true, hasCredential: false, registrationStatus: row.registrationStatus, claimed: true };
  }
}
