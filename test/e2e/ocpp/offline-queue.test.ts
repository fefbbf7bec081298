// OCPP 1.6 §4.8/§4.10 and OCPP-J: a charger that was offline replays its queued messages on reconnect,
// with old timestamps and possibly messages the server already saw. Nothing may be lost or go back in time.
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { connectCharger } from '../../helpers/charger.ts';
import { aBootNotification, aRegisteredCharger, aStartTransaction, aStatusNotification, aStopTransaction, aToken, anEnergyReading, CHARGER_PASSWORD } from '../../fixtures/chargers.ts';

describe('e2e OCPP offline queue replayed after reconnect', () => {
  const t = useTestApp();

  const base = Date.parse('2026-02-01T08:00:00Z');
  const at = (min: number) => new Date(base + min * 60_000).toISOString();

  it('OCPP16 §4.8/§4.10: should record a replayed queue in order, keep the same transactionId and ignore a repeated stop', async () => {
    // Arrange: online, the charger starts a transaction and reports Charging at minute 1
    const id = await aRegisteredCharger(t.app.services);
    const idTag = await aToken(t.app.services);
    const before = await connectCharger(t, id, { password: CHARGER_PASSWORD });
    await before.call('BootNotification', aBootNotification());
    const startReq = aStartTransaction(idTag, { meterStart: 5_000, timestamp: at(0) });
    const { transactionId } = (await before.call('StartTransaction', startReq)) as { transactionId: number };
    await before.call('StatusNotification', aStatusNotification({ status: 'Charging', timestamp: at(1) }));
    await before.close();

    // Act: offline for an hour; on reconnect the queue is sent as the charger stored it
    const after = await connectCharger(t, id, { password: CHARGER_PASSWORD });
    await after.call('BootNotification', aBootNotification());
    const replayedStart = (await after.call('StartTransaction', startReq)) as { transactionId: number };
    const replies = await Promise.all([
      after.call('StatusNotification', aStatusNotification({ status: 'Preparing', timestamp: at(0) })), // older than the stored Charging
      after.call('MeterValues', anEnergyReading(transactionId, '5.5', { unit: 'kWh', timestamp: at(10) })),
      after.call('MeterValues', anEnergyReading(transactionId, '6.25', { unit: 'kWh', timestamp: at(20) })),
      after.call('MeterValues', anEnergyReading(transactionId, '7000', { timestamp: at(30) })),
      after.call('StopTransaction', aStopTransaction(transactionId, { meterStop: 7_500, timestamp: at(40), reason: 'EVDisconnected' })),
      after.call('StopTransaction', aStopTransaction(transactionId, { meterStop: 9_999, timestamp: at(50), reason: 'Other' })),
    ]);
    await after.close();

    // Assert
    expect(replayedStart.transactionId).to.equal(transactionId);
    expect(replies).to.have.length(6);
    expect(await t.db('sessions').where({ charge_point_id: id })).to.have.length(1);
    const s = await t.db('sessions').where({ id: transactionId }).first();
    expect([s.status, s.meter_stop_wh, s.energy_wh, s.stop_reason, s.stop_at.toISOString()]).to.deep.equal(['COMPLETED', '7500', '2500', 'EVDisconnected', at(40)]);
    const samples = await t.db('meter_values').where({ session_fk: transactionId }).orderBy('id');
    expect(samples.map((m) => [m.timestamp.toISOString(), m.numeric_value])).to.deep.equal([
      [at(10), '5.5'],
      [at(20), '6.25'],
      [at(30), '7000'],
    ]);
    const connector = await t.db('connectors').where({ charge_point_id: id, connector_number: 1 }).first();
    expect([connector.ocpp_status, connector.status_at.toISOString()]).to.deep.equal(['Charging', at(1)]);
    const history = await t.db('status_history').where({ charge_point_id: id }).orderBy('id');
    expect(history.map((h) => h.status)).to.deep.equal(['Charging', 'Preparing']);
  });

  it('OCPP16 §4.7: should not lower the session energy when an older reading arrives after a newer one', async () => {
    const id = await aRegisteredCharger(t.app.services);
    const idTag = await aToken(t.app.services);
    const client = await connectCharger(t, id, { password: CHARGER_PASSWORD });
    const { transactionId } = (await client.call('StartTransaction', aStartTransaction(idTag, { meterStart: 0, timestamp: at(0) }))) as { transactionId: number };

    await client.call('MeterValues', anEnergyReading(transactionId, '3000', { timestamp: at(30) }));
    await client.call('MeterValues', anEnergyReading(transactionId, '1000', { timestamp: at(10) }));
    await client.close();

    expect((await t.db('sessions').where({ id: transactionId }).first()).energy_wh).to.equal('3000');
  });

  it('OCPP16 §4.10: should accept a replayed stop for a transaction started before the server restarted', async () => {
    // Arrange: a session the server recorded earlier (e.g. before a restart)
    const id = await aRegisteredCharger(t.app.services);
    const idTag = await aToken(t.app.services);
    const first = await connectCharger(t, id, { password: CHARGER_PASSWORD });
    const { transactionId } = (await first.call('StartTransaction', aStartTransaction(idTag, { meterStart: 100, timestamp: at(0) }))) as { transactionId: number };
    await first.close({ force: true });

    // Act
    const again = await connectCharger(t, id, { password: CHARGER_PASSWORD });
    const res = await again.call('StopTransaction', aStopTransaction(transactionId, { idTag, meterStop: 600, timestamp: at(5), transactionData: [{ timestamp: at(5), sampledValue: [{ value: '600', context: 'Transaction.End' }] }] }));
    await again.close();

    // Assert
    expect(res).to.deep.equal({ idTagInfo: { status: 'Accepted' } });
    const s = await t.db('sessions').where({ id: transactionId }).first();
    expect([s.status, s.energy_wh]).to.deep.equal(['COMPLETED', '500']);
    expect(s.stop_transaction_data).to.deep.equal([{ timestamp: at(5), sampledValue: [{ value: '600', context: 'Transaction.End' }] }]);
  });
});
