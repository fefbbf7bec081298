// Pure checks of an OCPP 2.0.1 TransactionEvent before anything of it is stored (no I/O): values the schema
// allows but no event can mean, and events out of order. Each failure is an InvalidInput, answered
// PropertyConstraintViolation.
import type { TransactionEventRequest } from '../ocpp/v201/types.ts';
import { InvalidInput } from '../shared/errors.ts';
import { checkInteger, INT4, parseTimestamp } from '../shared/ranges.ts';

/** Values the schema allows but no event can mean, refused before anything of the event is read or stored. */
export function checkValues(p: TransactionEventRequest): void {
  checkInteger(p.seqNo, 'seqNo', { min: 0, max: INT4.max });
  parseTimestamp(p.timestamp, 'timestamp');
  p.meterValue?.forEach((mv, i) => parseTimestamp(mv.timestamp, `meterValue.${i}.timestamp`));
  // The database refuses a NUL character: found here, before a first part of the event is stored.
  if (hasNul(p)) throw new InvalidInput('a string of the event contains a NUL character');
}

function hasNul(v: unknown): boolean {
  if (typeof v === 'string') return v.includes('\u0000');
  return typeof v === 'object' && v !== null && Object.values(v).some(hasNul);
}

/**
 * Out-of-order events are refused before anything is stored (PropertyConstraintViolation): an Updated or
 * Ended event of a transaction no Started event opened, a seqNo below the last one seen, a second Started, an
 * event after the station's Ended
 * (E01 FR.17: seqNo grows by one per event; the same seqNo again is a replay, answered as the first time).
 */
export function checkOrder(txId: string, p: TransactionEventRequest, known: { lastSeqNo: number } | undefined, session: { stopAt: Date | null; closeReason: string | null } | undefined): void {
  if (!known) {
    if (p.eventType !== 'Started') throw new InvalidInput(`transactionInfo.transactionId: unknown transaction '${txId}': ${p.eventType} before Started`);
    return;
  }
  if (p.seqNo < known.lastSeqNo) throw new InvalidInput(`seqNo: ${p.seqNo} is below the last seqNo ${known.lastSeqNo} of transaction '${txId}' (out of order)`);
  if (p.eventType === 'Started' && p.seqNo !== known.lastSeqNo) throw new InvalidInput(`eventType: transaction '${txId}' has already started`);
  // Ended by the station's own Ended event (not closed by cpms, whose close the station's Ended may still follow).
  if (session?.stopAt && session.closeReason === null && p.seqNo !== known.lastSeqNo) throw new InvalidInput(`eventType: transaction '${txId}' has already ended`);
}
