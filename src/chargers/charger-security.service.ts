import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { dbNow } from '../db/clock.ts';
import { Conflict, InvalidInput, Timeout, UpstreamFailed } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { hashGeneratedSecret } from '../shared/password.ts';
import type { CommandSender } from '../ocpp/commands.ts';
import * as repo from './charger.repo.ts';
import * as connectionRepo from './connection.repo.ts';
import { chooseSlot, connectionDataFor, csmsUrlFor, NETWORK_CONFIGURATION_PRIORITY, parsePriority, priorityWithFirst } from '../security/network-profile.ts';

export interface ChargerSecurityOptions {
  db: Knex;
  logger: Logger;
  commands: CommandSender;
  callTimeoutMs: number;
  /** The highest profile this deployment serves: 1 without TLS, 2 with a certificate, 3 with tls.caFile too. */
  maxProfile: 1 | 2 | 3;
  /** config.ocpp.path: the CSMS URL a 2.0.1 station is given (SetNetworkProfile) ends with it. */
  ocppPath: string;
}

/** Where a 2.0.1 station is to connect: cpms's public base URL, and optionally the slot to write. */
export interface RaiseTarget {
  baseUrl: string;
  configurationSlot?: unknown;
}

type Sent = Record<string, any>;

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

  /**
   * 1.6: ChangeConfiguration SecurityProfile, recorded once the charger accepts (it may never go down).
   * 2.0.1: the A05 sequence (raiseStation201), recorded when the station reconnects with the new profile.
   */
  async raiseSecurityProfile(chargePointId: string, profile: unknown, target?: RaiseTarget): Promise<{ status: string; securityProfile: number; configurationSlot?: number }> {
    if (profile !== 1 && profile !== 2 && profile !== 3) throw new InvalidInput('profile: must be 1, 2 or 3');
    if (profile > this.o.maxProfile) throw new InvalidInput(`profile: this server serves security profiles up to ${this.o.maxProfile} (profile 2 needs tls.certFile, 3 also tls.caFile)`);
    const cp = await repo.getChargePoint(this.o.db, chargePointId);
    if (cp.protocol === 'ocpp2.0.1' && target?.configurationSlot !== undefined) chooseSlot([], target.configurationSlot); // 400 before anything is sent
    const recorded = (await connectionRepo.findAuthRecord(this.o.db, chargePointId))?.securityProfile ?? null;
    if (recorded !== null && profile <= recorded) throw new Conflict(`charger ${chargePointId} is at security profile ${recorded}: a profile can only be raised`);
    if (cp.protocol === 'ocpp2.0.1') {
      if (!target) throw new InvalidInput('raising an OCPP 2.0.1 station needs the CSMS base URL');
      return this.raiseStation201(chargePointId, profile, target);
    }
    const status = await this.changeConfiguration(chargePointId, 'SecurityProfile', String(profile));
    if (!isApplied(status)) throw new Conflict(`ChangeConfiguration SecurityProfile: the charger answered ${status}; its profile is unchanged`);
    await connectionRepo.raiseSecurityProfile(this.o.db, chargePointId, profile);
    this.o.logger.info('charger security profile raised', { chargePointId, profile, answer: status });
    return { status, securityProfile: profile };
  }

  /**
   * OCPP 2.0.1 A05: SetNetworkProfile (a slot with the new securityProfile and cpms's URL), then SetVariables
   * OCPPCommCtrlr.NetworkConfigurationPriority with that slot first, then Reset OnIdle. Nothing is stored
   * here: the handshake records the profile when the station reconnects with it, and refuses lower ones from
   * then on. A refusal at any step is a 409 naming the step and the answer.
   */
  private async raiseStation201(chargePointId: string, profile: 1 | 2 | 3, target: RaiseTarget): Promise<{ status: string; securityProfile: number; configurationSlot: number }> {
    const got = await this.call201(chargePointId, 'GetVariables', { getVariableData: [NETWORK_CONFIGURATION_PRIORITY] });
    const read = got.getVariableResult?.[0];
    const current = read?.attributeStatus === 'Accepted' ? parsePriority(read.attributeValue) : [];
    const slot = chooseSlot(current, target.configurationSlot);
    const connectionData = connectionDataFor(csmsUrlFor(target.baseUrl, this.o.ocppPath, profile), profile);
    const network = await this.call201(chargePointId, 'SetNetworkProfile', { configurationSlot: slot, connectionData });
    refuseUnless(network.status === 'Accepted', 'SetNetworkProfile', network.status);
    const set = await this.call201(chargePointId, 'SetVariables', { setVariableData: [{ ...NETWORK_CONFIGURATION_PRIORITY, attributeValue: priorityWithFirst(current, slot) }] });
    const setStatus = set.setVariableResult?.[0]?.attributeStatus;
    refuseUnless(setStatus === 'Accepted' || setStatus === 'RebootRequired', 'SetVariables OCPPCommCtrlr.NetworkConfigurationPriority', setStatus);
    // The 1.6 name: Reset Soft is translated to Reset OnIdle, its Scheduled (B12) read as Accepted.
    const reset = await this.call201(chargePointId, 'Reset', { type: 'Soft' });
    refuseUnless(reset.status === 'Accepted', 'Reset OnIdle', reset.status);
    this.o.logger.info('OCPP 2.0.1 station given a higher security profile: recorded when it reconnects with it', { chargePointId, profile, configurationSlot: slot });
    return { status: 'Accepted', securityProfile: profile, configurationSlot: slot };
  }

  /** One CALL to a 2.0.1 station (2.0.1 actions pass through the sender; SetNetworkProfile: security/ocpp201.mapper.ts). */
  private async call201(chargePointId: string, action: string, payload: Sent): Promise<Sent> {
    try {
      return (await this.o.commands.send(chargePointId, action as never, payload as never, this.o.callTimeoutMs)) as Sent;
    } catch (err) {
      if (err instanceof Conflict) throw err;
      throw new UpstreamFailed(`${action} to station ${chargePointId} failed: ${(err as Error).message}; its profile is unchanged`);
    }
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

function refuseUnless(ok: boolean, step: string, answer: string | undefined): void {
  if (!ok) throw new Conflict(`${step}: the station answered ${answer ?? 'nothing readable'}; its profile is unchanged`);
}
