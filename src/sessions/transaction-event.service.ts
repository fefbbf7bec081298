import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import type { TransactionEventRequest } from '../ocpp/v201/types.ts';
import { InvalidInput } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import type { IdTagInfo } from '../tokens/token.types.ts';
import * as repo from './ocpp201-transaction.repo.ts';
import { getSession } from './session.repo.ts';
import type { SessionService } from './session.service.ts';
import { meterValues16, registerWh, stopReason16 } from './ocpp201.mapper.ts';
import { checkOrder, checkValues } from './ocpp201-event-checks.ts';

/** The station's transactionId of a session (RequestStopTransaction), or undefined for a 1.6 or unknown one. */
export function transactionIdOf(db: Db, chargePointId: string, sessionId: number): Promise<string | undefined> {
  return repo.findTransactionIdOfSession(db, chargePointId, sessionId);
}

/**
 * OCPP 2.0.1 E01-E15 TransactionEvent onto the protocol-neutral SessionService (the same starts, meter values
 * and stops as 1.6, so sessions, CDRs and OCPI are unchanged). The station's string transactionId maps onto
 * the session; the session starts with the first event that carries an idToken (E02: a cable-first start
 * authorizes later). Replays are idempotent because start, meter values and stop are (same key, same sample).
 */
export class TransactionEventService {
  constructor(private readonly o: { db: Knex; sessions: SessionService; logger: Logger }) {}

  async handle(chargePointId: string, p: TransactionEventRequest): Promise<{ idTagInfo?: IdTagInfo }> {
    const txId = p.transactionInfo.transactionId;
    checkValues(p);
    const known = await repo.findTransaction(this.o.db, chargePointId, txId);
    checkOrder(txId, p, known, known?.sessionFk ? await getSession(this.o.db, known.sessionFk) : undefined);
    // OCPP 2.0.1 E01 FR.17: seqNo increments by one per event of the station; a jump means lost messages.
    if (known && p.seqNo > known.lastSeqNo + 1) this.o.logger.warn('TransactionEvent seqNo gap', { chargePointId, transactionId: txId, after: known.lastSeqNo, got: p.seqNo, offline: p.offline ?? false });
    let sessionId = known?.sessionFk ?? undefined;
    let idTagInfo: IdTagInfo | undefined;
    if (sessionId === undefined && p.idToken) {
      const started = await this.o.sessions.start(chargePointId, {
        connectorId: connectorOf(p),
        idTag: p.idToken.idToken,
        meterStart: registerWh(p.meterValue) ?? 0,
        timestamp: p.timestamp,
        ...(p.reservationId !== undefined ? { reservationId: p.reservationId } : {}),
      });
      sessionId = started.transactionId;
      idTagInfo = started.idTagInfo;
    }
    if (sessionId !== undefined) {
      const session = await getSession(this.o.db, sessionId);
      const values = meterValues16(p.meterValue);
      if (p.eventType === 'Ended') {
        const meterStop = registerWh(p.meterValue) ?? session.meterStartWh + session.energyWh;
        const stop = { transactionId: sessionId, meterStop, timestamp: p.timestamp, reason: stopReason16(p.transactionInfo.stoppedReason), ...(values.length ? { transactionData: values } : {}) };
        await this.o.sessions.stop(chargePointId, stop);
      } else if (values.length) {
        await this.o.sessions.recordMeterValues(chargePointId, { connectorId: session.connectorNumber, transactionId: sessionId, meterValue: values });
      }
    }
    // Last: an event the session service refused leaves the transaction's seqNo as it was.
    await repo.upsertTransaction(this.o.db, chargePointId, txId, { sessionFk: sessionId ?? null, lastSeqNo: p.seqNo });
    return idTagInfo ? { idTagInfo } : {};
  }
}

/** The cpms connector of the event's EVSE (each connector its own EVSE, see chargers/ocpp201.mapper.ts). */
function connectorOf(p: TransactionEventRequest): number {
  // OCPP 2.0.1 E01 FR.16: evse is required in the first event of a transaction on it.
  if (!p.evse) throw new InvalidInput('evse: required in the first TransactionEvent that carries an idToken');
  if ((p.evse.connectorId ?? 1) !== 1) throw new InvalidInput('evse.connectorId: only one connector per EVSE is supported (connectorId 1)');
  return p.evse.id;
}
