// OCPP 2.0.1 TransactionEvent (issue 12, functional block E) onto the same session service as 1.6.
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { TransactionEventRequest } from '../../../src/ocpp/v201/types.ts';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { connectRaw, rawCall } from '../../helpers/charger.ts';
import { aRegisteredCharger, aToken, CHARGER_PASSWORD } from '../../fixtures/chargers.ts';
import { aBootedCharger201, aBootNotification201, aTransactionEvent, anEnergyReading201 } from '../../fixtures/ocpp201.ts';

describe('e2e OCPP 2.0.1 transactions', () => {
  const t = useTestApp();
  const base = Date.parse('2026-12-01T10:00:00Z');
  const at = (min: number) => new Date(base + min * 60_000).toISOString();

  it('OCPP201 E01/E06: should record Started → Updated → Ended as one completed session with energy, samples and stop reason', async () => {
    // Arrange
    const { id, client } = await aBootedCharger201(t);
    const uid = await aToken(t.app.services);
    const txId = randomUUID();

    // Act
    const started = (await client.call('TransactionEvent', aTransactionEvent(txId, { timestamp: at(0), idToken: { idToken: uid, type: 'ISO14443' }, meterValue: anEnergyReading201(1000, at(0), 'Transaction.Begin') }))) as any;
    const phases: NonNullable<TransactionEventRequest['meterValue']> = [{ timestamp: at(10), sampledValue: [{ value: 4.5, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'kWh' } }, { value: 16, measurand: 'Current.Import', phase: 'L1', unitOfMeasure: { unit: 'A' } }] }];
    await client.call('TransactionEvent', aTransactionEvent(txId, { eventType: 'Updated', triggerReason: 'MeterValuePeriodic', seqNo: 1, timestamp: at(10), evse: undefined, meterValue: phases }));
    await client.call('TransactionEvent', aTransactionEvent(txId, { eventType: 'Ended', triggerReason: 'EVCommunicationLost', seqNo: 2, timestamp: at(20), evse: undefined, transactionInfo: { transactionId: txId, stoppedReason: 'EVDisconnected' }, meterValue: anEnergyReading201(9000, at(20), 'Transaction.End') }));
    await client.close();

    // Assert
    expect(started.idTokenInfo.status).to.equal('Accepted');
    const sessions = await t.db('sessions').where({ charge_point_id: id });
    expect(sessions.map((s) => [s.connector_number, s.id_tag, s.status, s.meter_start_wh, s.meter_stop_wh, s.energy_wh, s.stop_reason])).to.deep.equal([[1, uid, 'COMPLETED', '1000', '9000', '8000', 'EVDisconnected']]);
    const samples = await t.db('meter_values').where({ session_fk: sessions[0].id }).orderBy('id');
    expect(samples.map((r) => [r.measurand, r.phase, r.unit, Number(r.numeric_value)])).to.deep.include.members([['Energy.Active.Import.Register', null, 'kWh', 4.5], ['Current.Import', 'L1', 'A', 16]]);
  });

  it('OCPP201 E02: should start the session with the first event that carries an idToken (cable plugged in first)', async () => {
    const { id, client } = await aBootedCharger201(t);
    const uid = await aToken(t.app.services);
    const txId = randomUUID();

    const plugged = await client.call('TransactionEvent', aTransactionEvent(txId, { triggerReason: 'CablePluggedIn', timestamp: at(0) }));
    const before = await t.db('sessions').where({ charge_point_id: id });
    const authorized = (await client.call('TransactionEvent', aTransactionEvent(txId, { eventType: 'Updated', seqNo: 1, timestamp: at(1), idToken: { idToken: uid, type: 'ISO14443' } }))) as any;
    await client.close();

    expect([plugged, before.length, authorized.idTokenInfo.status]).to.deep.equal([{}, 0, 'Accepted']);
    expect((await t.db('sessions').where({ charge_point_id: id })).map((s) => s.status)).to.deep.equal(['ACTIVE']);
  });

  it('OCPP201 E01: should treat a replayed event (offline queue, same seqNo) as a duplicate and accept an event after a seqNo gap', async () => {
    const { id, client } = await aBootedCharger201(t);
    const uid = await aToken(t.app.services);
    const txId = randomUUID();
    const start = aTransactionEvent(txId, { timestamp: at(0), idToken: { idToken: uid, type: 'ISO14443' }, meterValue: anEnergyReading201(0, at(0)) });

    await client.call('TransactionEvent', start);
    await client.call('TransactionEvent', { ...start, offline: true });
    await client.call('TransactionEvent', aTransactionEvent(txId, { eventType: 'Updated', triggerReason: 'MeterValuePeriodic', seqNo: 7, timestamp: at(5), meterValue: anEnergyReading201(2500, at(5)) }));
    await client.close();

    const sessions = await t.db('sessions').where({ charge_point_id: id });
    expect(sessions.map((s) => [s.status, s.energy_wh])).to.deep.equal([['ACTIVE', '2500']]);
    expect((await t.db('ocpp201_transactions').where({ charge_point_id: id }).first()).last_seq_no).to.equal(7);
  });

  it('OCPP201 E01 FR.16: should refuse a first event with an idToken but no evse with a CALLERROR and start nothing', async () => {
    const id = await aRegisteredCharger(t.app.services);
    const sock = await connectRaw(t, id, { password: CHARGER_PASSWORD, protocol: 'ocpp2.0.1' });
    await rawCall(sock, 'BootNotification', aBootNotification201());
    const uid = await aToken(t.app.services);

    const reply = await rawCall(sock, 'TransactionEvent', aTransactionEvent(randomUUID(), { evse: undefined, idToken: { idToken: uid, type: 'ISO14443' } }), 'tx-1');
    const malformed = await rawCall(sock, 'TransactionEvent', { eventType: 'Started', timestamp: at(0), triggerReason: 'Authorized', seqNo: 0 }, 'tx-2');
    await sock.close();

    expect(reply.slice(0, 3)).to.deep.equal([4, 'tx-1', 'PropertyConstraintViolation']);
    expect(malformed.slice(0, 3)).to.deep.equal([4, 'tx-2', 'OccurrenceConstraintViolation']);
    expect(await t.db('sessions').where({ charge_point_id: id })).to.deep.equal([]);
  });

  it('OCPP201 J01: should store MeterValues outside a transaction event for an EVSE, and for the station as its main meter (EVSE 0), as 1.6 stores them', async () => {
    const id = await aRegisteredCharger(t.app.services);
    const sock = await connectRaw(t, id, { password: CHARGER_PASSWORD, protocol: 'ocpp2.0.1' });
    await rawCall(sock, 'BootNotification', aBootNotification201());

    const evse = await rawCall(sock, 'MeterValues', { evseId: 1, meterValue: [{ timestamp: at(0), sampledValue: [{ value: 230.5, measurand: 'Voltage', phase: 'L1-N', unitOfMeasure: { unit: 'V' } }] }] }, 'mv-1');
    const station = await rawCall(sock, 'MeterValues', { evseId: 0, meterValue: [{ timestamp: at(1), sampledValue: [{ value: 99, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'Wh', multiplier: 3 } }] }] }, 'mv-2');
    const malformed = await rawCall(sock, 'MeterValues', { evseId: 1, meterValue: [] }, 'mv-3');
    await sock.close();

    expect([evse, station]).to.deep.equal([[3, 'mv-1', {}], [3, 'mv-2', {}]]);
    expect(malformed.slice(0, 3)).to.deep.equal([4, 'mv-3', 'OccurrenceConstraintViolation']);
    const rows = await t.db('meter_values').where({ charge_point_id: id }).orderBy('id');
    expect(rows.map((r) => [r.connector_number, r.session_fk, r.measurand, r.phase, r.unit, Number(r.numeric_value)])).to.deep.equal([
      [1, null, 'Voltage', 'L1-N', 'V', 230.5],
      [0, null, 'Energy.Active.Import.Register', null, 'Wh', 99000],
    ]);
  });
});
