import type { Knex } from 'knex';
import type { DomainEvents } from '../shared/events.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import type { CommandSender } from '../ocpp/commands.ts';
import type { AsyncJob, AsyncResults } from '../commands/async-result.ts';
import type { CommandCaller } from '../commands/command.service.ts';
import type { ClearChargingProfileRequest, ClearChargingProfileResponse, GetCompositeScheduleResponse, SetChargingProfileResponse } from '../ocpp/v16/types.ts';
import { enqueuePush, findPartner } from '../partners/partner.service.ts';
import { findEndpoint } from '../partners/partner.types.ts';
import * as repo from './chargingprofile.repo.ts';
import type { ActiveChargingProfileResult, ChargingProfileResponse, ChargingProfileResponseType, ChargingProfileResult, ProfileChangeScope, SetChargingProfile } from './chargingprofile.types.ts';
import { changedProfileScope, maxRateOf, toActiveChargingProfileResult, toChargingProfileResult, toClearProfileResult, toOcppTxProfile, type AnsweredCommand } from './ocpp16.mapper.ts';

export interface ChargingProfileServiceOptions {
  db: Knex;
  clock: Clock;
  logger: Logger;
  sender: CommandSender;
  results: AsyncResults;
  /** How long the charger may take to answer (seconds); also the ChargingProfileResponse `timeout`. */
  timeoutSec: number;
  /** told of each stored or removed profile (load management counts it as the session's upper bound) */
  events?: DomainEvents;
}

// Stack level of the TxProfiles set for eMSPs: above a CPO's level-0 defaults (OCPP 1.6 §3.13.2: higher wins).
export const OCPI_TX_STACK_LEVEL = 1;

// OCPI 2.2.1 chargingprofiles, Sender interface PUT: "a useful relevant duration ... As a guide: between
// 5 and 60 minutes"; a Sender wanting more asks with GET.
export const ACTIVE_PROFILE_PUSH_DURATION_SEC = 1800;

type CompositeJob = Pick<AsyncJob<GetCompositeScheduleResponse, ActiveChargingProfileResult>, 'what' | 'call' | 'toResult'>;

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
    this.o.events?.emit('chargingprofile.changed', { sessionId: session.id });
    const payload = { connectorId: session.connectorNumber, csChargingProfiles: { ...converted.value, chargingProfileId: stored.id } };
    this.relay<SetChargingProfileResponse, ChargingProfileResult>(caller, session, body.response_url, {
      what: `SetChargingProfile for session ${session.uid}`,
      call: () => this.o.sender.send(session.chargePointId, 'SetChargingProfile', payload, this.o.timeoutSec * 1000),
      toResult: (conf) => toChargingProfileResult(conf.status),
      // Sender interface PUT: from now on the eMSP hears of changes to the session's ActiveChargingProfile.
      persist: async (trx, result) => {
        if (result.result === 'ACCEPTED') await repo.insertProfileSender(trx, session.id, caller.partner.id);
      },
    });
    return this.respond('ACCEPTED');
  }

  /** GET: the charger's composite schedule for the next `duration` seconds, as an ActiveChargingProfile. */
  async getActive(caller: CommandCaller, sessionUid: string, duration: number, responseUrl: string): Promise<ChargingProfileResponse> {
    const checked = await this.check(caller, sessionUid);
    if (!checked.ok) return checked.response;
    const { session } = checked;
    this.relay(caller, session, responseUrl, await this.compositeSchedule(session, duration));
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
        if (result.result !== 'ACCEPTED') return;
        await repo.deleteSessionProfile(trx, session.id);
        // once committed, so that a load management run reads the bound gone; a rollback changed nothing
        trx.executionPromise.then(
          () => this.o.events?.emit('chargingprofile.changed', { sessionId: session.id }),
          () => undefined,
        );
      },
    });
    return this.respond('ACCEPTED');
  }

  /**
   * An operator's command the charger answered (admin API). When it set or cleared a charging profile,
   * the Senders of the running sessions it may affect get their ActiveChargingProfile (in the background).
   */
  onOperatorCommand(chargePointId: string, cmd: AnsweredCommand): void {
    const scope = changedProfileScope(cmd);
    if (!scope) return;
    this.o.results.track(`ActiveChargingProfile pushes after ${cmd.action} at ${chargePointId}`, async () => {
      await this.pushActiveProfiles({ chargePointId, ...scope });
    });
  }

  /**
   * OCPI 2.2.1 chargingprofiles, Sender interface PUT: the Receiver SHALL call it when it knows the
   * ActiveChargingProfile of a running session changed, and only for a Sender that has successfully set a
   * profile on that session. Asks the charger for the composite schedule of each such session in `scope`
   * and queues `PUT {Sender's chargingprofiles endpoint}/{session_id}`; returns how many were queued.
   */
  async pushActiveProfiles(scope: ProfileChangeScope): Promise<number> {
    let queued = 0;
    for (const session of await repo.listSenderSessions(this.o.db, scope)) {
      if (await this.pushActiveProfile(session)) queued += 1;
    }
    return queued;
  }

  private async pushActiveProfile(session: repo.SenderSession): Promise<boolean> {
    const partner = await findPartner(this.o.db, session.senderFk);
    if (!partner || partner.status !== 'REGISTERED' || !findEndpoint(partner, 'chargingprofiles', 'SENDER')) return false;
    const job = await this.compositeSchedule(session, ACTIVE_PROFILE_PUSH_DURATION_SEC);
    let result: ActiveChargingProfileResult;
    try {
      result = job.toResult(await job.call());
    } catch (err) {
      this.o.logger.warn(`${job.what}: no usable answer, no ActiveChargingProfile pushed`, { err: err instanceof Error ? err.message : String(err) });
      return false;
    }
    if (!result.profile) {
      this.o.logger.info(`${job.what}: rejected by the charger, no ActiveChargingProfile pushed`, { session: session.uid });
      return false;
    }
    await enqueuePush(this.o.db, {
      partnerFk: partner.id, module: 'chargingprofiles', role: 'SENDER', method: 'PUT',
      path: `/${encodeURIComponent(session.uid)}`,
      body: result.profile,
      // The key of the session's results too: a result and a later update reach the Sender in order.
      objectKey: `chargingprofile:${session.uid}`,
      toParty: session.tokenParty,
      fromParty: session.ownParty,
    });
    return true;
  }

  /** GetCompositeSchedule of the session's connector, in the unit of the eMSP's profile if it set one. */
  private async compositeSchedule(session: repo.ProfileSession, duration: number): Promise<CompositeJob> {
    const stored = await repo.findSessionProfile(this.o.db, session.id);
    const maxRate = maxRateOf(session.rating, stored?.profile.charging_rate_unit);
    const payload = { connectorId: session.connectorNumber, duration, chargingRateUnit: maxRate.unit };
    return {
      what: `GetCompositeSchedule for session ${session.uid}`,
      call: () => this.o.sender.send(session.chargePointId, 'GetCompositeSchedule', payload, this.o.timeoutSec * 1000),
      toResult: (conf) => toActiveChargingProfileResult(conf, { now: this.o.clock.now(), duration, maxRate }),
    };
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
