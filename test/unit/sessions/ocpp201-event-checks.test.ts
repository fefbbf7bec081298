// OCPP 2.0.1 E01 FR.17 and issue 12: out-of-order or odd TransactionEvents are refused before anything is stored.
import { expect } from 'chai';
import type { TransactionEventRequest } from '../../../src/ocpp/v201/types.ts';
import { checkOrder, checkValues } from '../../../src/sessions/ocpp201-event-checks.ts';

const anEvent = (o: Partial<TransactionEventRequest> = {}): TransactionEventRequest => ({
  eventType: 'Updated', timestamp: '2026-12-01T10:00:00Z', triggerReason: 'MeterValuePeriodic', seqNo: 3, transactionInfo: { transactionId: 'T1' }, ...o,
});
const refusal = (f: () => void): string | undefined => {
  try {
    f();
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
};

describe('unit sessions/ocpp201-event-checks', () => {
  describe('checkOrder', () => {
    const running = { stopAt: null, closeReason: null };
    const ended = { stopAt: new Date('2026-12-01T10:10:00Z'), closeReason: null };
    const cases: Array<{ name: string; event: Partial<TransactionEventRequest>; known?: { lastSeqNo: number }; session?: typeof running | { stopAt: Date; closeReason: string | null }; refused: RegExp | undefined }> = [
      { name: 'a Started of a new transaction', event: { eventType: 'Started', seqNo: 0 }, refused: undefined },
      { name: 'an Updated of an unknown transaction', event: { eventType: 'Updated' }, refused: /unknown transaction 'T1': Updated before Started/ },
      { name: 'an Ended of an unknown transaction', event: { eventType: 'Ended' }, refused: /Ended before Started/ },
      { name: 'the next Updated', event: { seqNo: 3 }, known: { lastSeqNo: 2 }, session: running, refused: undefined },
      { name: 'an Updated after a gap', event: { seqNo: 9 }, known: { lastSeqNo: 2 }, session: running, refused: undefined },
      { name: 'a seqNo going back', event: { seqNo: 1 }, known: { lastSeqNo: 2 }, session: running, refused: /seqNo: 1 is below the last seqNo 2/ },
      { name: 'a replayed Started (same seqNo)', event: { eventType: 'Started', seqNo: 0 }, known: { lastSeqNo: 0 }, session: running, refused: undefined },
      { name: 'a second Started', event: { eventType: 'Started', seqNo: 3 }, known: { lastSeqNo: 2 }, session: running, refused: /has already started/ },
      { name: 'an Updated after the station ended it', event: { seqNo: 4 }, known: { lastSeqNo: 3 }, session: ended, refused: /has already ended/ },
      { name: 'a replayed Ended', event: { eventType: 'Ended', seqNo: 3 }, known: { lastSeqNo: 3 }, session: ended, refused: undefined },
      { name: 'the station\'s Ended after cpms closed the session', event: { eventType: 'Ended', seqNo: 4 }, known: { lastSeqNo: 3 }, session: { stopAt: new Date(), closeReason: 'STUCK' }, refused: undefined },
    ];
    for (const c of cases) {
      it(`should ${c.refused ? 'refuse' : 'take'} ${c.name}`, () => {
        const message = refusal(() => checkOrder('T1', anEvent(c.event), c.known, c.session));

        if (c.refused) expect(message).to.match(c.refused);
        else expect(message).to.equal(undefined);
      });
    }
  });

  describe('checkValues', () => {
    const cases: Array<{ name: string; event: Partial<TransactionEventRequest>; refused: RegExp | undefined }> = [
      { name: 'an ordinary event', event: {}, refused: undefined },
      { name: 'a negative seqNo', event: { seqNo: -1 }, refused: /seqNo: must be an integer from 0 to 2147483647/ },
      { name: 'a seqNo beyond int4', event: { seqNo: 2 ** 31 }, refused: /seqNo/ },
      { name: 'a timestamp before 1900', event: { timestamp: '1899-12-31T23:59:59Z' }, refused: /^timestamp: must be between/ },
      { name: 'a meter value timestamp in year 0', event: { meterValue: [{ timestamp: '0000-01-01T00:00:00Z', sampledValue: [{ value: 1 }] }] }, refused: /^meterValue\.0\.timestamp/ },
      { name: 'a NUL character deep in the event', event: { idToken: { idToken: 'A', type: 'ISO14443', additionalInfo: [{ additionalIdToken: 'x\u0000', type: 't' }] } }, refused: /NUL character/ },
      { name: 'a backslash-u text that is no NUL', event: { idToken: { idToken: 'A\\u0000', type: 'ISO14443' } }, refused: undefined },
    ];
    for (const c of cases) {
      it(`should ${c.refused ? 'refuse' : 'take'} ${c.name}`, () => {
        const message = refusal(() => checkValues(anEvent(c.event)));

        if (c.refused) expect(message).to.match(c.refused);
        else expect(message).to.equal(undefined);
      });
    }
  });
});
