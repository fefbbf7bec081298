import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import type { MeterValueType, TransactionEventRequest } from '../ocpp/v201/types.ts';
import { InvalidInput } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import type { IdTagInfo } from '../tokens/token.types.ts';
import * as repo from './ocpp201-transaction.repo.ts';
import { getSession } from './session.repo.ts';
import type { SessionService } from './session.service.ts';
import { meterValues16, registerWh, stopReason16 } from './ocpp201.mapper.ts';
import { checkOrder, checkValues } from './ocpp201-event-checks.ts';
import { chargingStatus16 } from '../chargers/ocpp201.mapper.ts';
import { connectorNumberOf, MAX_EVSE_ID } from '../chargers/evse-address.ts';

/** Remembers the idToken of a RequestStartTransaction sent with `remoteStartId` (F01), for its TransactionEvent. */
export function rememberRemoteStart(db: Db, chargePointId: string, r: { remoteStartId: number; idTag: string }): Promise<void> {
  return repo.upsertRemoteStart(db, chargePointId, r);
}

/** The station's transactionId of a session (RequestStopTransaction), or undefined for a 1.6 or unknown one. */
export function transactionIdOf(db: Db, chargePointId: string, sessionId: number): Promise<string | undefined> {
  return repo.findTransactionIdOfSession(db, chargePointId, sessionId);
}

/**
 * OCPP 2.0.1 E01-E15 TransactionEvent onto the protocol-neutral SessionService (the same starts, meter values
 * and stops as 1.6, so sessions, CDRs and OCPI are unchanged). The station's string transactionId maps onto
 * the session; the session starts with the first event that carries an idToken (E02: a cable-first start
 * authorizes later) or echoes the remoteStartId of a RequestStartTransaction cpms sent (F01). Replays are idempotent because start, meter values and stop are (same key, same sample).
 */
export interface TransactionEventPorts {
  /** Authorizes a token shown during a running transaction (E05/E06: stop authorization). */
  authorize(idTag: string, ctx: { chargePointId: string }): Promise<{ info: IdTagInfo }>;
  /** Refines an occupied connector's status from the event's chargingState (chargers domain). */
  refineOccupiedStatus(chargePointId: string, r: { connectorNumber: number; status: string; timestamp: Date }): Promise<void>;
  /** The priced total of a stopped session incl. VAT (billing's CDR), for the Ended event's totalCost (I02/I03). */
  finalCost(sessionId: number): Promise<{ inclVat: number } | undefined>;
}

export class TransactionEventService {
  constructor(private readonly o: { db: Knex; sessions: SessionService; logger: Logger } & TransactionEventPorts) {}

  /**
   * OCPP 2.0.1 J01 MeterValues (values outside a transaction's events): EVSE n's, or the station's main meter for
   * EVSE 0, stored as 1.6 stores a MeterValues of connector n without a transactionId. A sample whose unit 1.6
   * does not know is dropped, as in TransactionEvent.
   */
  async recordMeterValues(chargePointId: string, evseId: number, meterValue: MeterValueType[]): Promise<void> {
    const values = meterValues16(meterValue);
    if (values.length) await this.o.sessions.recordMeterValues(chargePointId, { connectorId: evseId, meterValue: values });
  }

  async handle(chargePointId: string, p: TransactionEventRequest): Promise<{ idTagInfo?: IdTagInfo; totalCost?: number }> {
    const txId = p.transactionInfo.transactionId;
    checkValues(p);
    const known = await repo.findTransaction(this.o.db, chargePointId, txId);
    checkOrder(txId, p, known, known?.sessionFk ? await getSession(this.o.db, known.sessionFk) : undefined);
    // OCPP 2.0.1 E01 FR.17: seqNo increments by one per event of the station; a jump means lost messages.
    if (known && p.seqNo > known.lastSeqNo + 1) this.o.logger.warn('TransactionEvent seqNo gap', { chargePointId, transactionId: txId, after: known.lastSeqNo, got: p.seqNo, offline: p.offline ?? false });
    let sessionId = known?.sessionFk ?? undefined;
    let idTagInfo: IdTagInfo | undefined;
    // OCPP 2.0.1 F01: an event echoing the remoteStartId of our RequestStartTransaction is that request's
    // transaction: without an idToken of its own it starts with the idToken the request named.
    const idTag = sessionId === undefined ? (p.idToken?.idToken ?? (await this.remoteStartIdTag(chargePointId, p))) : undefined;
    if (sessionId === undefined && idTag !== undefined) {
      const started = await this.o.sessions.start(chargePointId, {
        connectorId: connectorOf(p),
        idTag,
        meterStart: registerWh(p.meterValue) ?? 0,
        timestamp: p.timestamp,
        ...(p.reservationId !== undefined ? { reservationId: p.reservationId } : {}),
      });
      sessionId = started.transactionId;
      idTagInfo = started.idTagInfo;
    }
    // Last on every path: an event the session service refused leaves the transaction's seqNo as it was.
    const record = () => repo.upsertTransaction(this.o.db, chargePointId, txId, { sessionFk: sessionId ?? null, lastSeqNo: p.seqNo });
    if (sessionId === undefined) {
      await record();
      return {};
    }
    const session = await getSession(this.o.db, sessionId);
    const values = meterValues16(p.meterValue);
    // OCPP 2.0.1 E05/E06: an idToken on a later event (a driver stopping, StopAuthorized) is checked and answered
    // as 1.6 checks StopTransaction's idTag; on Ended it is the session's stop token.
    const laterIdTag = idTagInfo === undefined ? p.idToken?.idToken : undefined;
    if (p.eventType === 'Ended') {
      const meterStop = registerWh(p.meterValue) ?? session.meterStartWh + session.energyWh;
      const stop = { transactionId: sessionId, meterStop, timestamp: p.timestamp, reason: stopReason16(p.transactionInfo.stoppedReason), ...(laterIdTag ? { idTag: laterIdTag } : {}), ...(values.length ? { transactionData: values } : {}) };
      const stopped = await this.o.sessions.stop(chargePointId, stop);
      await record();
      const info = stopped.idTagInfo ?? idTagInfo;
      const cost = await this.o.finalCost(sessionId);
      return { ...(info ? { idTagInfo: info } : {}), ...(cost ? { totalCost: cost.inclVat } : {}) };
    }
    const laterInfo = laterIdTag ? (await this.o.authorize(laterIdTag, { chargePointId })).info : undefined;
    if (values.length) await this.o.sessions.recordMeterValues(chargePointId, { connectorId: session.connectorNumber, transactionId: sessionId, meterValue: values });
    const status = p.transactionInfo.chargingState && chargingStatus16(p.transactionInfo.chargingState);
    if (status) await this.o.refineOccupiedStatus(chargePointId, { connectorNumber: session.connectorNumber, status, timestamp: new Date(p.timestamp) });
    await record();
    const info = laterInfo ?? idTagInfo;
    return info ? { idTagInfo: info } : {};
  }

  private async remoteStartIdTag(chargePointId: string, p: TransactionEventRequest): Promise<string | undefined> {
    const id = p.transactionInfo.remoteStartId;
    return id === undefined ? undefined : repo.findRemoteStartIdTag(this.o.db, chargePointId, id);
  }
}

/** The cpms connector of the event's EVSE connector (chargers/evse-address.ts; no connectorId: the EVSE's connector 1). */
function connectorOf(p: TransactionEventRequest): number {
  // OCPP 2.0.1 E01 FR.16: evse is required in the first event of a transaction on it.
  if (!p.evse) throw new InvalidInput('evse: required in the first TransactionEvent that carries an idToken');
  const connectorNumber = connectorNumberOf(p.evse.id, p.evse.connectorId);
  if (connectorNumber === undefined) throw new InvalidInput(`evse: id and connectorId must be from 1 to ${MAX_EVSE_ID}`);
  return connectorNumber;
}
