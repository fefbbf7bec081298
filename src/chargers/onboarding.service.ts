import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { Conflict, InvalidInput, Timeout, UpstreamFailed } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { hashGeneratedSecret, type PasswordHasher } from '../shared/password.ts';
import type { CommandSender } from '../ocpp/commands.ts';
import * as repo from './charger.repo.ts';
import * as connectionRepo from './connection.repo.ts';
import type { ChargePoint } from './charger.types.ts';

/** Closes a charger's sockets that were opened without credentials, on whichever node holds them. */
export interface ConnectionControl {
  dropWithoutCredential(chargePointId: string): Promise<void>;
}

export interface OnboardingOptions {
  db: Knex;
  logger: Logger;
  passwords: PasswordHasher;
  commands: CommandSender;
  connections: ConnectionControl;
  callTimeoutMs: number;
}

// OCPP 1.6 security whitepaper, "Update Charge Point Password for HTTP Basic Authentication": the
// AuthorizationKey is 16-20 bytes, randomly generated binary for maximal entropy, configured as its
// hexadecimal representation (at most 40 hex digits); the charger sends the bytes as its password.
const AUTHORIZATION_KEY_BYTES = 20;

/**
 * Accepting a charger that onboarded as Pending (ocpp.acceptUnknownChargers): it ends holding a credential
 * only it knows, either one the operator configured on it or a random AuthorizationKey cpms sends it.
 */
export class OnboardingService {
  constructor(private readonly o: OnboardingOptions) {}

  async accept(chargePointId: string, input: { password?: string }): Promise<ChargePoint> {
    const cp = await repo.getChargePoint(this.o.db, chargePointId);
    if (cp.registrationStatus === 'Accepted' && cp.hasPassword) throw new Conflict(`charger ${chargePointId} is already Accepted`);
    if (input.password !== undefined) return this.acceptWithPassword(chargePointId, input.password);
    return this.acceptWithNewKey(chargePointId);
  }

  /** The operator configured this password on the charger. */
  private async acceptWithPassword(chargePointId: string, password: string): Promise<ChargePoint> {
    if (password.length < 8 || password.length > 40) throw new InvalidInput('password: must be 8-40 characters');
    await repo.updateChargePoint(this.o.db, chargePointId, { password_hash: await this.o.passwords.hash(password), pending_password_hash: null, registration_status: 'Accepted' });
    return this.accepted(chargePointId);
  }

  /**
   * ChangeConfiguration AuthorizationKey with a fresh random key. Its hash is kept as pending while the
   * charger answers (a handshake with it is accepted meanwhile) and becomes the password on Accepted.
   */
  private async acceptWithNewKey(chargePointId: string): Promise<ChargePoint> {
    const key = randomBytes(AUTHORIZATION_KEY_BYTES);
    const pendingHash = hashGeneratedSecret(key); // random 160 bits: no KDF needed (shared/password.ts)
    await repo.updateChargePoint(this.o.db, chargePointId, { pending_password_hash: pendingHash });
    const what = `ChangeConfiguration AuthorizationKey to charger ${chargePointId}`;
    let status: string;
    try {
      ({ status } = await this.o.commands.send(chargePointId, 'ChangeConfiguration', { key: 'AuthorizationKey', value: key.toString('hex').toUpperCase() }, this.o.callTimeoutMs));
    } catch (err) {
      throw await this.failed(chargePointId, pendingHash, what, err);
    }
    // RebootRequired: the charger stored the key and uses it after its reboot (OCPP 1.6 §7.9).
    if (status !== 'Accepted' && status !== 'RebootRequired') {
      await connectionRepo.clearPendingPassword(this.o.db, chargePointId, pendingHash);
      throw new Conflict(`${what}: the charger answered ${status}; it stays Pending (configure a password on it and accept it with that password)`);
    }
    if (!(await connectionRepo.acceptPendingPassword(this.o.db, chargePointId, pendingHash))) throw new Conflict(`${what}: the charger's credentials changed meanwhile; it stays Pending`);
    this.o.logger.info('charger accepted with a new AuthorizationKey', { chargePointId, answer: status });
    return this.accepted(chargePointId);
  }

  /** Maps a failed ChangeConfiguration; a key the charger may have applied is kept as pending. */
  private async failed(chargePointId: string, pendingHash: string, what: string, err: unknown): Promise<Error> {
    if (err instanceof Conflict) {
      await connectionRepo.clearPendingPassword(this.o.db, chargePointId, pendingHash);
      return new Conflict(`charger ${chargePointId} is not connected: it must be online to receive its AuthorizationKey; it stays Pending`);
    }
    if (err instanceof Timeout || err instanceof UpstreamFailed) {
      // The answer may have been lost after the charger applied the key: a handshake with it still works.
      return new UpstreamFailed(`${what}: ${(err as Error).message}; it stays Pending`);
    }
    await connectionRepo.clearPendingPassword(this.o.db, chargePointId, pendingHash);
    return new UpstreamFailed(`${what} failed: ${(err as Error).message}; it stays Pending`);
  }

  /** Sockets opened without credentials must come back with the credential to act as Accepted. */
  private async accepted(chargePointId: string): Promise<ChargePoint> {
    await this.o.connections.dropWithoutCredential(chargePointId);
    return repo.getChargePoint(this.o.db, chargePointId);
  }
}
