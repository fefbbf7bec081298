import type { Knex } from 'knex';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import type { CommandSender } from '../ocpp/commands.ts';
import type { Party } from '../parties/party.repo.ts';
import { hasPartnerParty, type Partner, type PartyRef } from '../partners/partner.types.ts';
import { storeCommandToken } from '../tokens/ocpi-token.service.ts';
import type { OcpiToken } from '../tokens/token.types.ts';
import { newUuid } from '../shared/ids.ts';
import { reservationResultKey, type AsyncResults } from './async-result.ts';
import * as repo from './command.repo.ts';
import * as reservations from './reservation.repo.ts';
import type { CancelReservation, CommandResponse, CommandResponseType, CommandResult, CommandType, ReserveNow, StartSession, StopSession, UnlockConnector } from './command.types.ts';
import { commandResultOf, commandResultOfFailure, englishText, resolveTarget, type CommandAction, type CommandConfStatus } from './ocpp16.mapper.ts';

/** Who asks: the calling partner, the eMSP party behind it (OCPI-from-*), and our party addressed. */
export interface CommandCaller {
  partner: Partner;
  ownParty: Party;
  fromParty?: PartyRef;
}

/** The synchronous answer; `ocpiStatus` 2003 when the location is unknown (commands §13.1, Unknown Location). */
export interface CommandAnswer {
  response: CommandResponse;
  ocpiStatus: 1000 | 2003;
}

export type Located = { ok: true; chargePointId: string; connectorNumber: number | undefined } | { ok: false; answer: CommandAnswer };

/** One command to relay to a charger. */
interface Relay<A extends CommandAction> {
  command: CommandType;
  url: string;
  action: A;
  chargePointId: string;
  payload: object;
  /** Outbox ordering key of the result; default: one of its own. */
  objectKey?: string;
  /** Records the charger's answer (undefined when it gave none) with the queued result. */
  persist?: (trx: Knex.Transaction, result: CommandResult, conf: { status: CommandConfStatus[A] } | undefined) => Promise<void>;
}

export interface CommandServiceOptions {
  db: Knex;
  clock: Clock;
  logger: Logger;
  sender: CommandSender;
  results: AsyncResults;
  /** How long the charger may take to answer (seconds); also the CommandResponse `timeout`. */
  timeoutSec: number;
}

// commands §13.3.5: no real-time authorization of a START_SESSION token at that charger for 15 minutes.
const REMOTE_START_VALIDITY_MS = 15 * 60 * 1000;
// OCPP 1.6 §7.24 IdToken: CiString20.
const MAX_ID_TAG = 20;

/** OCPI 2.2.1 commands receiver (CPO): checks a command, answers at once, and relays it to the charger. */
export class CommandService {
  constructor(protected readonly o: CommandServiceOptions) {}

  answer(result: CommandResponseType, reason?: string, ocpiStatus: 1000 | 2003 = 1000): CommandAnswer {
    const response: CommandResponse = { result, timeout: this.o.timeoutSec };
    if (reason) response.message = englishText(reason);
    return { response, ocpiStatus };
  }

  /** START_SESSION → RemoteStartTransaction with idTag = token.uid. ACCEPTED when the charger accepts it. */
  async startSession(caller: CommandCaller, b: StartSession): Promise<CommandAnswer> {
    const target = await this.locate(caller, b.location_id, b.evse_uid, b.connector_id);
    if (!target.ok) return target.answer;
    const refusal = this.tokenRefusal(caller, b.token);
    if (refusal) return this.answer('REJECTED', refusal);
    const now = this.o.clock.now();
    const stored = await this.o.db.transaction(async (trx) => {
      const token = await this.storeToken(trx, caller.partner, b.token);
      if (!token) return false;
      await repo.insertRemoteStart(trx, {
        partnerFk: caller.partner.id, tokenFk: token.id, chargePointId: target.chargePointId, connectorNumber: target.connectorNumber ?? null,
        idTag: b.token.uid, authorizationReference: b.authorization_reference ?? null, createdAt: now, expiresAt: new Date(now.getTime() + REMOTE_START_VALIDITY_MS),
      });
      return true;
    });
    if (!stored) return this.answer('REJECTED', 'token belongs to another eMSP');
    const payload = target.connectorNumber === undefined ? { idTag: b.token.uid } : { idTag: b.token.uid, connectorId: target.connectorNumber };
    this.relay(caller, { command: 'START_SESSION', url: b.response_url, action: 'RemoteStartTransaction', chargePointId: target.chargePointId, payload });
    return this.answer('ACCEPTED');
  }

  /** STOP_SESSION → RemoteStopTransaction; only the eMSP owning the session's token may stop it. */
  async stopSession(caller: CommandCaller, b: StopSession): Promise<CommandAnswer> {
    const session = await repo.findSessionForCommand(this.o.db, caller.ownParty.id, b.session_id);
    // Another eMSP's session is reported as unknown: its existence is not theirs to learn.
    if (!session || session.partnerFk !== caller.partner.id) return this.answer('UNKNOWN_SESSION', `unknown session ${b.session_id}`);
    if (session.stopAt) return this.answer('REJECTED', 'session has already ended');
    if (!(await repo.isChargerConnected(this.o.db, session.chargePointId))) return this.answer('REJECTED', 'charge point is offline');
    this.relay(caller, { command: 'STOP_SESSION', url: b.response_url, action: 'RemoteStopTransaction', chargePointId: session.chargePointId, payload: { transactionId: session.id } });
    return this.answer('ACCEPTED');
  }

  /** UNLOCK_CONNECTOR → UnlockConnector on the connector's OCPP connectorId. */
  async unlockConnector(caller: CommandCaller, b: UnlockConnector): Promise<CommandAnswer> {
    const target = await this.locate(caller, b.location_id, b.evse_uid, b.connector_id);
    if (!target.ok) return target.answer;
    this.relay(caller, { command: 'UNLOCK_CONNECTOR', url: b.response_url, action: 'UnlockConnector', chargePointId: target.chargePointId, payload: { connectorId: target.connectorNumber! } });
    return this.answer('ACCEPTED');
  }

  /**
   * RESERVE_NOW → ReserveNow. The eMSP's reservation_id never reaches the charger (§13.3.4): the
   * reservation row's id is the OCPP reservationId, reused when the eMSP replaces its reservation.
   */
  async reserveNow(caller: CommandCaller, b: ReserveNow): Promise<CommandAnswer> {
    const expiresAt = new Date(b.expiry_date.endsWith('Z') ? b.expiry_date : `${b.expiry_date}Z`);
    if (expiresAt.getTime() <= this.o.clock.now().getTime()) return this.answer('REJECTED', 'expiry_date is in the past');
    const target = await this.locate(caller, b.location_id, b.evse_uid);
    if (!target.ok) return target.answer;
    const refusal = this.tokenRefusal(caller, b.token);
    if (refusal) return this.answer('REJECTED', refusal);
    const reservation = await this.o.db.transaction(async (trx) => {
      const token = await this.storeToken(trx, caller.partner, b.token);
      if (!token) return undefined;
      return reservations.upsertReservation(trx, {
        partnerFk: caller.partner.id, ocpiReservationId: b.reservation_id, locationId: b.location_id, evseUid: b.evse_uid ?? null,
        // OCPP 1.6 §5.13: connectorId 0 reserves the charge point as a whole.
        chargePointId: target.chargePointId, connectorNumber: target.connectorNumber ?? 0, idTag: b.token.uid, tokenFk: token.id,
        authorizationReference: b.authorization_reference ?? null, expiresAt, responseUrl: b.response_url,
        partyFk: caller.ownParty.id, emspParty: caller.fromParty ?? null,
      });
    });
    if (!reservation) return this.answer('REJECTED', 'token belongs to another eMSP');
    const payload = { connectorId: reservation.connectorNumber, expiryDate: expiresAt.toISOString(), idTag: reservation.idTag, reservationId: reservation.id };
    this.relay(caller, {
      command: 'RESERVE_NOW', url: b.response_url, action: 'ReserveNow', chargePointId: reservation.chargePointId, payload, objectKey: reservationResultKey(reservation.id),
      persist: (trx, _result, conf) => reservations.updateReservationStatus(trx, reservation.id, conf?.status ?? 'Failed'),
    });
    return this.answer('ACCEPTED');
  }

  /** CANCEL_RESERVATION → CancelReservation of the partner's reservation with that reservation_id. */
  async cancelReservation(caller: CommandCaller, b: CancelReservation): Promise<CommandAnswer> {
    const reservation = await reservations.findReservationOfPartner(this.o.db, caller.partner.id, b.reservation_id);
    if (!reservation) return this.answer('REJECTED', `unknown reservation ${b.reservation_id}`);
    if (!(await repo.isChargerConnected(this.o.db, reservation.chargePointId))) return this.answer('REJECTED', 'charge point is offline');
    this.relay(caller, {
      command: 'CANCEL_RESERVATION', url: b.response_url, action: 'CancelReservation', chargePointId: reservation.chargePointId,
      payload: { reservationId: reservation.id }, objectKey: reservationResultKey(reservation.id),
      persist: async (trx, result) => {
        if (result.result === 'ACCEPTED') await reservations.updateReservationStatus(trx, reservation.id, 'Cancelled');
      },
    });
    return this.answer('ACCEPTED');
  }

  /** Resolves location / EVSE / connector of our addressed party to an online charger, or the refusal. */
  protected async locate(caller: CommandCaller, locationId: string, evseUid?: string, connectorId?: string): Promise<Located> {
    const evses = await repo.findLocationEvses(this.o.db, caller.ownParty.id, locationId);
    if (!evses) return { ok: false, answer: this.answer('REJECTED', `unknown location ${locationId}`, 2003) };
    const target = resolveTarget({ evses, evseUid, connectorId });
    if (!target.ok) return { ok: false, answer: this.answer('REJECTED', target.reason) };
    if (!(await repo.isChargerConnected(this.o.db, target.chargePointId))) return { ok: false, answer: this.answer('REJECTED', 'charge point is offline') };
    return target;
  }

  /**
   * commands §13.3.4/§13.3.5: an eMSP uses only its own tokens (a hub speaks for several eMSPs). The
   * token's validity is the eMSP's business and is not checked; it must fit in an OCPP 1.6 idTag.
   */
  protected tokenRefusal(caller: CommandCaller, token: OcpiToken): string | undefined {
    const party = { countryCode: token.country_code, partyId: token.party_id };
    if (caller.partner.role !== 'HUB' && !hasPartnerParty(caller.partner, party)) return `token of ${token.country_code}/${token.party_id} is not issued by the requesting eMSP`;
    if (token.uid.length > MAX_ID_TAG) return `token uid longer than ${MAX_ID_TAG} characters cannot be an OCPP 1.6 idTag`;
    return undefined;
  }

  /**
   * Keeps the token so that the charger's StartTransaction / reservation use is authorized and the
   * Session and CDR carry it (§13.3.5). A token the eMSP pushed through the tokens module stays as it is;
   * undefined when the token is stored for another partner.
   */
  protected async storeToken(trx: Knex.Transaction, partner: Partner, token: OcpiToken): Promise<{ id: number } | undefined> {
    return storeCommandToken(trx, partner, token);
  }

  /** Sends the OCPP call in the background and POSTs the CommandResult to the eMSP's response_url. */
  protected relay<A extends CommandAction>(caller: CommandCaller, r: Relay<A>): void {
    type Conf = { status: CommandConfStatus[A] };
    this.o.results.dispatch<Conf, CommandResult>({
      what: `${r.command} on ${r.chargePointId}`,
      target: {
        partnerFk: caller.partner.id, module: 'commands', url: r.url, objectKey: r.objectKey ?? `command:${newUuid()}`,
        toParty: caller.fromParty, fromParty: { countryCode: caller.ownParty.countryCode, partyId: caller.ownParty.partyId },
      },
      call: async () => (await this.o.sender.send(r.chargePointId, r.action, r.payload as never, this.o.timeoutSec * 1000)) as Conf,
      toResult: (conf) => commandResultOf(r.action, conf.status),
      onFailure: commandResultOfFailure,
      persist: r.persist,
    });
  }
}
