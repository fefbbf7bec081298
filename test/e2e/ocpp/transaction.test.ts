// OCPP 1.6 §4 charger-initiated messages over a real socket, persisted in a real database.
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { aBootedCharger } from '../../fixtures/booted-charger.ts';
import { connectCharger } from '../../helpers/charger.ts';
import { aBootNotification, aRegisteredCharger, aStartTransaction, aStatusNotification, aStopTransaction, aToken, anEnergyReading, anIdTag, CHARGER_PASSWORD } from '../../fixtures/chargers.ts';

describe('e2e OCPP 1.6 transactions', () => {
  const t = useTestApp();

  /** A registered, connected and booted charger with a valid token. */
  async function bootedCharger() {
    const { id, client } = await aBootedCharger(t);
    return { id, idTag: await aToken(t.app.services), client };
  }

  it('OCPP16 §4.2 BootNotification: should accept a registered charger with the heartbeat interval and store its identity data', async () => {
    // Arrange
    const id = await aRegisteredCharger(t.app.services);
    const client = await connectCharger(t, id, { password: CHARGER_PASSWORD });

    // Act
    const res = (await client.call('BootNotification', aBootNotification({ chargePointVendor: 'Alfen', chargePointModel: 'Eve', chargePointSerialNumber: 'SN-1', firmwareVersion: '5.2' }))) as any;
    await client.close();

    // Assert
    expect(res.status).to.equal('Accepted');
    expect(res.interval).to.equal(t.config.ocpp.heartbeatIntervalSec);
    const row = await t.db('charge_points').where({ id }).first();
    expect({ vendor: row.vendor, model: row.model, serial: row.serial_number, fw: row.firmware_version, protocol: row.protocol }).to.deep.equal({ vendor: 'Alfen', model: 'Eve', serial: 'SN-1', fw: '5.2', protocol: 'ocpp1.6' });
    expect(row.last_boot_at).to.be.instanceOf(Date);
  });

  it('OCPP16 §4.6 Heartbeat: should answer the current time and record the heartbeat', async () => {
    const { id, client } = await bootedCharger();

    const res = (await client.call('Heartbeat', {})) as { currentTime: string };
    await client.close();
    await t.app.services.lastSeen.flush(); // kept in memory, written in bulk (issue 8)

    expect(Number.isNaN(Date.parse(res.currentTime))).to.equal(false);
    const row = await t.db('charge_points').where({ id }).first();
    expect(row.last_heartbeat_at.toISOString()).to.equal(new Date(res.currentTime).toISOString());
  });

  it('OCPP16 §4 transaction: should record boot → authorize → start → meter values → stop with energy, samples, status history and the auto-registered connector', async () => {
    // Arrange
    const { id, idTag, client } = await bootedCharger();
    const t0 = Date.parse('2026-01-10T10:00:00Z');
    const at = (min: number) => new Date(t0 + min * 60_000).toISOString();

    // Act
    await client.call('StatusNotification', aStatusNotification({ status: 'Available', timestamp: at(0) }));
    const auth = (await client.call('Authorize', { idTag })) as any;
    await client.call('StatusNotification', aStatusNotification({ status: 'Preparing', timestamp: at(1) }));
    const start = (await client.call('StartTransaction', aStartTransaction(idTag, { meterStart: 12_000, timestamp: at(1) }))) as any;
    await client.call('StatusNotification', aStatusNotification({ status: 'Charging', timestamp: at(2) }));
    await client.call('MeterValues', {
      connectorId: 1,
      transactionId: start.transactionId,
      meterValue: [
        {
          timestamp: at(15),
          sampledValue: [
            { value: '12.750', measurand: 'Energy.Active.Import.Register', unit: 'kWh', context: 'Sample.Periodic' },
            { value: '7400', measurand: 'Power.Active.Import', unit: 'W' },
            { value: '230.1', measurand: 'Voltage', phase: 'L1-N', unit: 'V' },
            { value: '16.2', measurand: 'Current.Import', phase: 'L1', unit: 'A' },
            { value: '54', measurand: 'SoC', unit: 'Percent', location: 'EV' },
          ],
        },
      ],
    });
    const sessionAfterMeter = await t.db('sessions').where({ id: start.transactionId }).first();
    const stop = (await client.call('StopTransaction', aStopTransaction(start.transactionId, {
      idTag,
      meterStop: 14_321,
      timestamp: at(30),
      reason: 'EVDisconnected',
      transactionData: [{ timestamp: at(30), sampledValue: [{ value: '14321', measurand: 'Energy.Active.Import.Register', unit: 'Wh', context: 'Transaction.End' }] }],
    }))) as any;
    await client.call('StatusNotification', aStatusNotification({ status: 'Finishing', timestamp: at(31) }));
    await client.close();

    // Assert
    expect(auth.idTagInfo.status).to.equal('Accepted');
    expect(start.idTagInfo.status).to.equal('Accepted');
    expect(stop.idTagInfo.status).to.equal('Accepted');
    expect(sessionAfterMeter.energy_wh).to.equal('750'); // 12.750 kWh − 12 000 Wh
    const s = await t.db('sessions').where({ id: start.transactionId }).first();
    expect({ cp: s.charge_point_id, connector: s.connector_number, idTag: s.id_tag, status: s.status, start: s.meter_start_wh, stop: s.meter_stop_wh, energy: s.energy_wh, reason: s.stop_reason })
      .to.deep.equal({ cp: id, connector: 1, idTag, status: 'COMPLETED', start: '12000', stop: '14321', energy: '2321', reason: 'EVDisconnected' });
    expect(s.stop_at.toISOString()).to.equal(at(30));
    const samples = await t.db('meter_values').where({ session_fk: s.id }).orderBy('id');
    expect(samples.map((r) => [r.measurand, r.phase, r.unit, r.numeric_value])).to.deep.equal([
      ['Energy.Active.Import.Register', null, 'kWh', '12.750'],
      ['Power.Active.Import', null, 'W', '7400'],
      ['Voltage', 'L1-N', 'V', '230.1'],
      ['Current.Import', 'L1', 'A', '16.2'],
      ['SoC', null, 'Percent', '54'],
      ['Energy.Active.Import.Register', null, 'Wh', '14321'],
    ]);
    const history = await t.db('status_history').where({ charge_point_id: id }).orderBy('id');
    expect(history.map((h) => h.status)).to.deep.equal(['Available', 'Preparing', 'Charging', 'Finishing']);
    const connectors = await t.db('connectors').where({ charge_point_id: id });
    expect(connectors.map((c) => [c.connector_number, c.ocpp_status])).to.deep.equal([[1, 'Finishing']]);
    expect(s.connector_fk).to.equal(connectors[0].id);
  });

  it('OCPP16 §4.1 Authorize: should refuse an unknown idTag as Invalid', async () => {
    const { client } = await bootedCharger();

    const res = (await client.call('Authorize', { idTag: anIdTag() })) as any;
    await client.close();

    expect(res.idTagInfo).to.deep.equal({ status: 'Invalid' });
  });

  it('OCPP16 §4.1 Authorize: should answer Blocked for a token an operator invalidated', async () => {
    const { client } = await bootedCharger();
    const idTag = await aToken(t.app.services);
    await t.db('id_tokens').where({ uid: idTag }).update({ valid: false });

    const res = (await client.call('Authorize', { idTag })) as any;
    await client.close();

    expect(res.idTagInfo.status).to.equal('Blocked');
  });

  it('OCPP16 §4.8 StartTransaction: should record an unknown idTag as an INVALID session and answer Invalid with a transactionId', async () => {
    const { client } = await bootedCharger();

    const res = (await client.call('StartTransaction', aStartTransaction(anIdTag()))) as any;
    await client.close();

    expect(res.idTagInfo.status).to.equal('Invalid');
    const s = await t.db('sessions').where({ id: res.transactionId }).first();
    expect(s.status).to.equal('INVALID');
  });

  it('OCPP16 §4.8 StartTransaction: should return the same transactionId for a repeated identical request', async () => {
    const { idTag, client } = await bootedCharger();
    const req = aStartTransaction(idTag, { connectorId: 2, meterStart: 500 });

    const first = (await client.call('StartTransaction', req)) as any;
    const second = (await client.call('StartTransaction', req)) as any;
    await client.close();

    expect(second.transactionId).to.equal(first.transactionId);
    expect(await t.db('sessions').where({ id_tag: idTag })).to.have.length(1);
  });

  it('OCPP16 §4.7 MeterValues: should keep the latest register reading when per-phase and out-of-order readings arrive', async () => {
    // Arrange
    const { idTag, client } = await bootedCharger();
    const start = (await client.call('StartTransaction', aStartTransaction(idTag, { meterStart: 0 }))) as any;

    // Act
    await client.call('MeterValues', {
      connectorId: 1,
      transactionId: start.transactionId,
      meterValue: [
        { timestamp: '2026-01-10T10:10:00Z', sampledValue: [{ value: '3000', unit: 'Wh' }, { value: '999999', measurand: 'Energy.Active.Import.Register', phase: 'L1', unit: 'Wh' }] },
      ],
    });
    await client.call('MeterValues', anEnergyReading(start.transactionId, '2000', { timestamp: '2026-01-10T10:05:00Z' }));
    await client.close();

    // Assert: the default measurand is the energy register; the per-phase and older readings do not drive the total
    const s = await t.db('sessions').where({ id: start.transactionId }).first();
    expect(s.energy_wh).to.equal('3000');
    expect(await t.db('meter_values').where({ session_fk: s.id })).to.have.length(3);
  });

  it('OCPP16 §4.7 MeterValues: should register a connector first reported by MeterValues (connectorId > 0, not 0)', async () => {
    const { id, client } = await bootedCharger();

    await client.call('MeterValues', anEnergyReading(undefined, '1500', { connectorId: 3 }));
    await client.call('MeterValues', anEnergyReading(undefined, '1600', { connectorId: 0 }));
    await client.close();

    const connectors = await t.db('connectors').where({ charge_point_id: id });
    expect(connectors.map((c) => c.connector_number)).to.deep.equal([3]);
    expect(await t.db('meter_values').where({ charge_point_id: id })).to.have.length(2);
  });

  it('OCPP16 §4.10 StopTransaction: should acknowledge a stop for an unknown transaction without failing', async () => {
    const { client } = await bootedCharger();

    const res = await client.call('StopTransaction', aStopTransaction(987_654));
    await client.close();

    expect(res).to.deep.equal({});
  });

  it('OCPP16 §4.3/§4.4/§4.5: should persist DataTransfer, DiagnosticsStatusNotification and FirmwareStatusNotification', async () => {
    const { id, client } = await bootedCharger();

    const dt = (await client.call('DataTransfer', { vendorId: 'com.example', messageId: 'hello', data: '{"a":1}' })) as any;
    await client.call('DiagnosticsStatusNotification', { status: 'Uploaded' });
    await client.call('FirmwareStatusNotification', { status: 'Installed' });
    await client.close();

    expect(dt.status).to.equal('UnknownVendorId');
    const events = await t.db('charge_point_events').where({ charge_point_id: id }).whereNot({ type: 'Connected' }).whereNot({ type: 'Disconnected' }).orderBy('id');
    expect(events.map((e) => e.type)).to.deep.equal(['DataTransfer', 'DiagnosticsStatusNotification', 'FirmwareStatusNotification']);
    expect(events[0].payload).to.deep.equal({ vendorId: 'com.example', messageId: 'hello', data: '{"a":1}' });
    const row = await t.db('charge_points').where({ id }).first();
    expect([row.diagnostics_status, row.firmware_status]).to.deep.equal(['Uploaded', 'Installed']);
  });
});
