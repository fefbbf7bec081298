import type { Knex } from 'knex';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import type { CommandSender } from '../ocpp/commands.ts';
import type { AsyncJob, AsyncResults } from '../commands/async-result.ts';
import type { CommandCaller } from '../commands/command.service.ts';
import type { ClearChargingProfileRequest, ClearChargingProfileResponse, GetCompositeScheduleResponse, SetChargingProfileResponse } from '../ocpp/v16/types.ts';
import * as repo from './chargingprofile.repo.ts';
import type { ChargingProfileResponse, ChargingProfileResponseType, ChargingProfileResult, SetChargingProfile } from './chargingprofile.types.ts';
import { maxRateOf, toActiveChargingProfileResult, toChargingProfileResult, toClearProfileResult, toOcppTxProfile } from './ocpp16.mapper.ts';

export interface ChargingProfileServiceOptions {
  db: Knex;
  clock: Clock;
  logger: Logger;
  sender: CommandSender;
  results: AsyncResults;
  /** How long the charger may take to answer (seconds); also the ChargingProfileResponse `timeout`. */
  timeoutSec: number;
}

// Stack level of the TxProfiles set for eMSPs: above a CPO's level-0 defaults (OCPP 1.6 §3.13.2: higher wins).
export const OCPI_TX_STACK_LEVEL = 1;

type Checked = { ok: true; session: repo.ProfileSession } | { ok: false; response: ChargingProfileResponse };

/**
 * OCPI 2.2.1 chargingprofiles receiver (CPO): set / get active / clear the profile of a running session,
 * relayed to the charger as OCPP 1.6 SetChargingProfile / GetCompositeSchedule / ClearChargingProfile,
 * the result POSTed to the request's response_url. One request per session at a time (else TOO_OFTEN).
 */
export class ChargingProfileService {
  private readonly busy = new Set<number>();

  constructor(private readonly o: ChargingProfileServiceOptions) {}

  respond(result: ChargingProfileResponseType): ChargingProfileResponse {
    return { result, timeout: this.o.timeoutSec };
  }

  /** PUT: the profile becomes a TxProfile of the session's transaction (replacing the previous one). */
  async set(caller: CommandCaller, sessionUid: string, body: SetChargingProfile): Promise<ChargingProfileResponse> {
    const checked = await this.check(caller, sessionUid);
    if (!checked.ok) return checked.response;
    const { session } = checked;
    const converted = toOcppTxProfile(body.charging_profile, { chargingProfileId: 0, transactionId: session.id, stackLevel: OCPI_TX_STACK_LEVEL });
    if (!converted.ok) {
      this.o.logger.info('charging profile cannot be expressed in OCPP 1.6', { session: session.uid, reason: converted.reason });
      return this.respond('REJECTED');
    }
    const stored = await repo.upsertSessionProfile(this.o.db, session.id, caller.partner.id, body.charging_profile);
    const payload = { connectorId: session.connectorNumber, csChargingProfiles: { ...converted.value, chargingProfileId: stored.id } };
    this.relay<SetChargingProfileResponse, ChargingProfileResult>(caller, session, body.response_url, {
      what: `SetChargingProfile for session ${session.uid}`,
      call: () => this.o.sender.send(session.chargePointId, 'SetChargingProfile', payload, this.o.timeoutSec * 1000),
      toResult: (conf) => toChargingProfileResult(conf.status),
    });
    return this.respond('ACCEPTED');
  }

  /** GET: the charger's composite schedule for the next `duration` seconds, as an ActiveChargingProfile. */
  async getActive(caller: CommandCaller, sessionUid: string, duration: number, responseUrl: string): Promise<ChargingProfileResponse> {
    const checked = await this.check(caller, sessionUid);
    if (!checked.ok) return checked.response;
    const { session } = checked;
    const stored = await repo.findSessionProfile(this.o.db, session.id);
    const maxRate = maxRateOf(session.rating, stored?.profile.charging_rate_unit);
    const payload = { connectorId: session.connectorNumber, duration, chargingRateUnit: maxRate.unit };
    this.relay<GetCompositeScheduleResponse, ReturnType<typeof toActiveChargingProfileResult>>(caller, session, responseUrl, {
      what: `GetCompositeSchedule for session ${session.uid}`,
      call: () => this.o.sender.send(session.chargePointId, 'GetCompositeSchedule', payload, this.o.timeoutSec * 1000),
      toResult: (conf) => toActiveChargingProfileResult(conf, { now: this.o.clock.now(), duration, maxRate }),
    });
    return this.respond('ACCEPTED');
  }

  /** DELETE: clears the profile set for the eMSP (by its OCPP id), or the session's TxProfiles at our level. */
  async clear(caller: CommandCaller, sessionUid: string, responseUrl: string): Promise<ChargingProfileResponse> {
    const checked = await this.check(caller, sessionUid);
    if (!checked.ok) return checked.response;
    const { session } = checked;
    const stored = await repo.findSessionProfile(this.o.db, session.id);
    // OCPP 1.6 §5.5: with an id only that profile is cleared; otherwise every profile matching the criteria.
    const payload: ClearChargingProfileRequest = stored ? { id: stored.id } : { connectorId: session.connectorNumber, chargingProfilePurpose: 'TxProfile', stackLevel: OCPI_TX_STACK_LEVEL };
    this.relay<ClearChargingProfileResponse, ChargingProfileResult>(caller, session, responseUrl, {
      what: `ClearChargingProfile for session ${session.uid}`,
      call: () => this.o.sender.send(session.chargePointId, 'ClearChargingProfile', payload, this.o.timeoutSec * 1000),
      toResult: (conf) => toClearProfileResult(conf.status),
      persist: async (trx, result) => {
        if (result.result === 'ACCEPTED') await repo.deleteSessionProfile(trx, session.id);
      },
    });
    return this.respond('ACCEPTED');
  }

  /**
   * Sessions of another eMSP's token are reported unknown (chargingprofiles: "ChargingProfile can be
   * created by the owner of a Token on Sessions that belong to that token"; their existence is not
   * the caller's to learn). An ended session or an offline charger cannot take a profile: REJECTED.
   */
  private async check(caller: CommandCaller, sessionUid: string): Promise<Checked> {
    const session = await repo.findSessionForProfile(this.o.db, caller.ownParty.id, sessionUid);
    if (!session || session.partnerFk !== caller.partner.id) return { ok: false, response: this.respond('UNKNOWN_SESSION') };
    if (session.stopAt || !session.isChargerConnected) return { ok: false, response: this.respond('REJECTED') };
    if (this.busy.has(session.id)) return { ok: false, response: this.respond('TOO_OFTEN') };
    return { ok: true, session };
  }

  /** Sends the call in the background (the session is busy until the charger answers) and posts the result. */
  private relay<C, R extends { result: string }>(caller: CommandCaller, session: repo.ProfileSession, url: string, job: Pick<AsyncJob<C, R>, 'what' | 'call' | 'toResult' | 'persist'>): void {
    this.busy.add(session.id);
    this.o.results.dispatch<C, R>({
      ...job,
      call: () => job.call().finally(() => this.busy.delete(session.id)),
      // ChargingProfileResultType has no TIMEOUT / FAILED: a charger that does not answer did not accept.
      onFailure: () => ({ result: 'REJECTED' }) as R,
      target: {
        partnerFk: caller.partner.id, module: 'chargingprofiles', url, objectKey: `chargingprofile:${session.uid}`,
        toParty: caller.fromParty, fromParty: { countryCode: caller.ownParty.countryCode, partyId: caller.ownParty.partyId },
      },
    });
  }
}
