import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { dbNow } from '../db/clock.ts';
import { Conflict, InvalidInput, Timeout, UpstreamFailed } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { hashGeneratedSecret } from '../shared/password.ts';
import type { CommandSender } from '../ocpp/commands.ts';
import * as repo from './charger.repo.ts';
import * as connectionRepo from './connection.repo.ts';

export interface ChargerSecurityOptions {
  db: Knex;
  logger: Logger;
  commands: CommandSender;
  callTimeoutMs: number;
  /** The highest profile this deployment serves: 1 without TLS, 2 with a certificate, 3 with tls.caFile too. */
  maxProfile: 1 | 2 | 3;
}

// OCPP 1.6 security whitepaper, "Update Charge Point Password for HTTP Basic Authentication": a random
// 16-20 byte AuthorizationKey, sent as its hexadecimal representation (the charger sends its bytes).
const AUTHORIZATION_KEY_BYTES = 20;

/** OCPP 1.6 §7.9 ChangeConfiguration: RebootRequired = stored, applied after the charger's reboot. */
const isApplied = (status: string): boolean => status === 'Accepted' || status === 'RebootRequired';

/** Password rotation and raising the security profile of a registered charger (issue 13). */
export class ChargerSecurityService {
  constructor(private readonly o: ChargerSecurityOptions) {}

  /**
   * Sends a fresh AuthorizationKey. Its hash is kept pending beside the current password: the charger's
   * first handshake with it makes it the password (and the old one invalid); a refusal forgets it.
   */
  async rotatePassword(chargePointId: string): Promise<{ status: string }> {
    const cp = await repo.getChargePoint(this.o.db, chargePointId);
    if (cp.registrationStatus !== 'Accepted' || !cp.hasPassword) throw new Conflict(`charger ${chargePointId} is not Accepted with a password: accept it first`);
    const key = randomBytes(AUTHORIZATION_KEY_BYTES);
    const pendingHash = hashGeneratedSecret(key); // random 160 bits: no KDF needed (shared/password.ts)
    await connectionRepo.setPendingPassword(this.o.db, chargePointId, pendingHash);
    const status = await this.changeConfiguration(chargePointId, 'AuthorizationKey', key.toString('hex').toUpperCase(), pendingHash);
    if (!isApplied(status)) {
      await connectionRepo.clearPendingPassword(this.o.db, chargePointId, pendingHash);
      throw new Conflict(`ChangeConfiguration AuthorizationKey: the charger answered ${status}; its password is unchanged`);
    }
    this.o.logger.info('new AuthorizationKey accepted by the charger: valid beside the old one until it connects with it', { chargePointId, answer: status });
    return { status };
  }

  /**
   * The password-rotation job: rotates, one charger after the other, the passwords of connected chargers
   * older than `days` (at most `limit` per run). A refusal or no answer is logged and tried at the next run.
   */
  async rotateOlderThan(days: number, limit: number): Promise<{ due: number; rotated: number; failed: number }> {
    const before = new Date(dbNow(this.o.db).getTime() - days * 86_400_000);
    const due = await connectionRepo.listChargersDueForRotation(this.o.db, before, limit);
    let rotated = 0;
    for (const chargePointId of due) {
      try {
        await this.rotatePassword(chargePointId);
        rotated++;
      } catch (err) {
        this.o.logger.warn('scheduled password rotation failed: tried again at the next run', { chargePointId, err: (err as Error).message });
      }
    }
    return { due: due.length, rotated, failed: due.length - rotated };
  }

  /** ChangeConfiguration SecurityProfile; recorded once the charger accepts (it may never go down). */
  async raiseSecurityProfile(chargePointId: string, profile: unknown): Promise<{ status: string; securityProfile: number }> {
    if (profile !== 1 && profile !== 2 && profile !== 3) throw new InvalidInput('profile: must be 1, 2 or 3');
    if (profile > this.o.maxProfile) throw new InvalidInput(`profile: this server serves security profiles up to ${this.o.maxProfile} (profile 2 needs tls.certFile, 3 also tls.caFile)`);
    await repo.getChargePoint(this.o.db, chargePointId);
    const recorded = (await connectionRepo.findAuthRecord(this.o.db, chargePointId))?.securityProfile ?? null;
    if (recorded !== null && profile <= recorded) throw new Conflict(`charger ${chargePointId} is at security profile ${recorded}: a profile can only be raised`);
    const status = await this.changeConfiguration(chargePointId, 'SecurityProfile', String(profile));
    if (!isApplied(status)) throw new Conflict(`ChangeConfiguration SecurityProfile: the charger answered ${status}; its profile is unchanged`);
    await connectionRepo.raiseSecurityProfile(this.o.db, chargePointId, profile);
    this.o.logger.info('charger security profile raised', { chargePointId, profile, answer: status });
    return { status, securityProfile: profile };
  }

  /** One ChangeConfiguration; a failure forgets `pendingHash` unless the charger may have applied it. */
  private async changeConfiguration(chargePointId: string, key: string, value: string, pendingHash?: string): Promise<string> {
    try {
      return (await this.o.commands.send(chargePointId, 'ChangeConfiguration', { key, value }, this.o.callTimeoutMs)).status;
    } catch (err) {
      const what = `ChangeConfiguration ${key} to charger ${chargePointId}`;
      // No answer: the charger may have applied the key, so a handshake with it still works.
      if (err instanceof Timeout || err instanceof UpstreamFailed) throw new UpstreamFailed(`${what}: ${err.message}`);
      if (pendingHash) await connectionRepo.clearPendingPassword(this.o.db, chargePointId, pendingHash);
      if (err instanceof Conflict) throw err;
      throw new UpstreamFailed(`${what} failed: ${(err as Error).message}`);
    }
  }
}
