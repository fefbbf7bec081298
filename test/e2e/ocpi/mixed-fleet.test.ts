// Issue 12: a 1.6 and a 2.0.1 charger connected at once run the same transaction; the eMSP (OCPI 2.2.1
// sessions §9.2.1 GET) sees both sessions the same way.
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { validateOcpi } from '../../../src/ocpi/validate.ts';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { connectCharger } from '../../helpers/charger.ts';
import { aBootNotification, aLocation, aRegisteredCharger, aStartTransaction, aStatusNotification, aStopTransaction, anEvseUid, CHARGER_PASSWORD } from '../../fixtures/chargers.ts';
import { aBootNotification201, aStatusNotification201, aTransactionEvent, anEnergyReading201, OCPP201 } from '../../fixtures/ocpp201.ts';
import { tokenHeader, aRegisteredEmsp } from '../../fixtures/partners.ts';
import { aRoamingToken } from '../../fixtures/ocpi-rows.ts';

describe('e2e OCPI view of a mixed OCPP 1.6 / 2.0.1 fleet', () => {
  const t = useTestApp({ nock: true });
  const t0 = Date.parse('2026-01-12T10:00:00Z');
  const at = (min: number) => new Date(t0 + min * 60_000).toISOString();

  async function aChargerAtEvse(): Promise<{ id: string; locationId: string; evseUid: string }> {
    const locationId = await aLocation(t.app.services);
    const evseUid = anEvseUid();
    return { id: await aRegisteredCharger(t.app.services, { locationId, evseUid }), locationId, evseUid };
  }

  it('should show the eMSP the same session (status, kWh, times, connector, token, EVSE status) from a 1.6 and a 2.0.1 charger', async () => {
    // Arrange: one eMSP token, two chargers, both connected at once
    const emsp = await aRegisteredEmsp(t.db, { modules: ['sessions'] });
    const token = await aRoamingToken(t.db, emsp.partner);
    const [old, neu] = [await aChargerAtEvse(), await aChargerAtEvse()];
    const c16 = await connectCharger(t, old.id, { password: CHARGER_PASSWORD, protocols: ['ocpp1.6'] });
    const c201 = await connectCharger(t, neu.id, { password: CHARGER_PASSWORD, protocols: OCPP201 });

    // Act: the same transaction in each protocol
    await c16.call('BootNotification', aBootNotification());
    await c201.call('BootNotification', aBootNotification201());
    await c16.call('StatusNotification', aStatusNotification({ status: 'Charging', timestamp: at(0) }));
    await c201.call('StatusNotification', aStatusNotification201({ connectorStatus: 'Occupied', timestamp: at(0) }));
    const { transactionId } = (await c16.call('StartTransaction', aStartTransaction(token.uid, { meterStart: 10_000, timestamp: at(0) }))) as { transactionId: number };
    await c16.call('StopTransaction', aStopTransaction(transactionId, { meterStop: 11_500, timestamp: at(10) }));
    const txId = randomUUID();
    await c201.call('TransactionEvent', aTransactionEvent(txId, { timestamp: at(0), idToken: { idToken: token.uid, type: 'eMAID' }, meterValue: anEnergyReading201(10_000, at(0), 'Transaction.Begin') }));
    await c201.call('TransactionEvent', aTransactionEvent(txId, { eventType: 'Ended', triggerReason: 'StopAuthorized', seqNo: 1, timestamp: at(10), evse: undefined, transactionInfo: { transactionId: txId, stoppedReason: 'Local' }, meterValue: anEnergyReading201(11_500, at(10), 'Transaction.End') }));
    const evseStatuses = [];
    for (const c of [old, neu]) evseStatuses.push((await t.db('evses').where({ uid: c.evseUid }).first()).status);
    await c16.close();
    await c201.close();
    const res = await fetch(`${t.httpUrl}/ocpi/2.2.1/sessions`, { headers: { authorization: tokenHeader(emsp.token) } });
    const sessions = ((await res.json()) as { data: any[] }).data;

    // Assert
    expect(evseStatuses).to.deep.equal(['CHARGING', 'CHARGING']);
    const bySite = [old, neu].map((c) => sessions.find((s) => s.evse_uid === c.evseUid));
    for (const s of bySite) expect(validateOcpi('Session', s, { strict: true })).to.deep.equal({ ok: true });
    const seen = bySite.map((s) => ({ status: s.status, kwh: s.kwh, start: s.start_date_time, end: s.end_date_time, connector: s.connector_id, uid: s.cdr_token.uid, auth: s.auth_method }));
    expect(seen[1]).to.deep.equal(seen[0]);
    expect(seen[0]).to.include({ status: 'COMPLETED', kwh: 1.5, start: at(0), connector: '1', uid: token.uid });
  });
});
