// Alerts (issue 9) from real OCPP 1.6 messages of scripted chargers: each rule opens one alert while its
// condition lasts (de-duplicated across job runs), closes it on recovery, and an operator acknowledges it.
import { expect } from 'chai';
import { fixedClock } from '../../../src/shared/clock.ts';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { connectCharger, type ChargerClient } from '../../helpers/charger.ts';
import { aBootedCharger, aBootedChargerAtEvse } from '../../fixtures/booted-charger.ts';
import { aBootNotification, anEnergyReading, anIdTag, aRegisteredCharger, aStartTransaction, aStatusNotification, aStopTransaction, aToken, CHARGER_PASSWORD } from '../../fixtures/chargers.ts';

const T0 = Date.parse('2026-07-01T08:00:00Z');

describe('e2e alerts: from scripted chargers to the admin API', () => {
  // The clock only moves forward: scenarios share it, each on its own charger.
  const clock = fixedClock(new Date(T0));
  const t = useTestApp({ clock, overrides: { 'alerts.noMeterValuesMin': 30, 'alerts.connectorStuckMin': 15, 'alerts.failedStartsCount': 3, 'alerts.failedStartsWindowMin': 60 } });
  const open: ChargerClient[] = [];
  afterEach(async () => {
    for (const c of open.splice(0)) await c.close({ force: true });
  });

  const now = () => clock.now().toISOString();
  const advanceMin = (min: number) => clock.advance(min * 60_000);
  const evaluate = () => t.app.scheduler.runNow('alert-rules');
  const alertsOf = async (chargePointId: string, kind: string) =>
    ((await t.api('GET', `/api/v1/alerts?chargePointId=${encodeURIComponent(chargePointId)}&kind=${kind}`)).body.data as any[]);
  const status = (c: ChargerClient, s: string, o: Record<string, unknown> = {}) => c.call('StatusNotification', aStatusNotification({ status: s as any, timestamp: now(), ...o }));
  async function aCharger(): Promise<{ id: string; client: ChargerClient }> {
    const site = await aBootedChargerAtEvse(t);
    open.push(site.client);
    return site;
  }

  it('OCPP16 §4.9 StatusNotification: should open one critical CONNECTOR_FAULT for a Faulted connector however often the rules run, and close it once the connector reports no error', async () => {
    // Arrange
    const { id, client } = await aCharger();
    await status(client, 'Faulted', { errorCode: 'GroundFailure', info: 'RCD tripped' });

    // Act
    await evaluate();
    await evaluate();
    const whileFaulted = await alertsOf(id, 'CONNECTOR_FAULT');
    await status(client, 'Available');
    await evaluate();
    const recovered = await alertsOf(id, 'CONNECTOR_FAULT');

    // Assert
    expect(whileFaulted).to.have.length(1);
    expect(whileFaulted[0]).to.include({ severity: 'critical', connectorId: 1, chargePointId: id, message: 'connector 1 reports GroundFailure (RCD tripped)', closedAt: null });
    expect(recovered).to.have.length(1);
    expect(recovered[0].closedAt).to.not.equal(null);
  });

  it('OCPP16 §4.9 StatusNotification: should open a warning for an error code on a connector still Available', async () => {
    const { id, client } = await aCharger();
    await status(client, 'Available', { errorCode: 'HighTemperature' });

    await evaluate();

    const [alert] = await alertsOf(id, 'CONNECTOR_FAULT');
    expect(alert).to.include({ severity: 'warning', message: 'connector 1 reports HighTemperature' });
  });

  it('should open CHARGER_OFFLINE once the offline detection found the charger silent past its heartbeat allowance, and close it when the charger speaks again', async () => {
    // Arrange: 300 s heartbeat × 3 missed
    const { id, client } = await aCharger();
    advanceMin(16);
    await t.app.scheduler.runNow('offline-detection');

    // Act
    await evaluate();
    const offline = await alertsOf(id, 'CHARGER_OFFLINE');
    await client.call('Heartbeat', {});
    await evaluate();
    const back = await alertsOf(id, 'CHARGER_OFFLINE');

    // Assert
    expect(offline.map((a) => [a.severity, a.closedAt])).to.deep.equal([['critical', null]]);
    expect(back[0].closedAt).to.not.equal(null);
  });

  it('OCPP16 §4.2.1 BootNotification: should open BOOT_REJECTED for a charger answered Rejected, and close it once the operator accepts it', async () => {
    // Arrange
    const id = await aRegisteredCharger(t.app.services, { status: 'Rejected' });
    const client = await connectCharger(t, id, { password: CHARGER_PASSWORD });
    open.push(client);
    const boot = (await client.call('BootNotification', aBootNotification())) as { status: string };

    // Act
    await evaluate();
    const rejected = await alertsOf(id, 'BOOT_REJECTED');
    await t.app.services.chargers.setRegistrationStatus(id, 'Accepted');
    await evaluate();
    const accepted = await alertsOf(id, 'BOOT_REJECTED');

    // Assert
    expect(boot.status).to.equal('Rejected');
    expect(rejected.map((a) => [a.severity, a.closedAt])).to.deep.equal([['warning', null]]);
    expect(accepted[0].closedAt).to.not.equal(null);
  });

  it('should open NO_METER_VALUES for a session silent for the configured time and close it when a MeterValues arrives', async () => {
    // Arrange
    const { id, client } = await aCharger();
    const { transactionId } = (await client.call('StartTransaction', aStartTransaction(await aToken(t.app.services), { timestamp: now() }))) as { transactionId: number };
    advanceMin(20);
    await evaluate();
    const early = await alertsOf(id, 'NO_METER_VALUES');
    advanceMin(11);

    // Act
    await evaluate();
    const silent = await alertsOf(id, 'NO_METER_VALUES');
    await client.call('MeterValues', anEnergyReading(transactionId, '1500', { timestamp: now() }));
    await evaluate();
    const heard = await alertsOf(id, 'NO_METER_VALUES');

    // Assert
    expect(early).to.deep.equal([]);
    expect(silent).to.have.length(1);
    expect(silent[0]).to.include({ sessionId: transactionId, connectorId: 1, closedAt: null });
    expect(heard[0].closedAt).to.not.equal(null);
    await client.call('StopTransaction', aStopTransaction(transactionId, { timestamp: now() }));
  });

  it('OCPP16 §7.7 ChargePointStatus: should open CONNECTOR_STUCK for a connector Preparing too long, and close it once it moves on', async () => {
    const { id, client } = await aCharger();
    await status(client, 'Preparing');
    advanceMin(16);

    await evaluate();
    const stuck = await alertsOf(id, 'CONNECTOR_STUCK');
    await status(client, 'Available');
    await evaluate();
    const moved = await alertsOf(id, 'CONNECTOR_STUCK');

    expect(stuck.map((a) => [a.message, a.closedAt])).to.deep.equal([['connector 1 in Preparing for 15 min or more', null]]);
    expect(moved[0].closedAt).to.not.equal(null);
  });

  it('OCPP16 §5.16 StartTransaction: should open REPEATED_FAILED_STARTS after three refused starts in a row on a connector, and close it after a start succeeds', async () => {
    // Arrange: three unknown idTags, refused (sessions INVALID)
    const { id, client } = await aCharger();
    for (let i = 0; i < 3; i++) {
      const refused = (await client.call('StartTransaction', aStartTransaction(anIdTag(), { timestamp: now() }))) as { transactionId: number; idTagInfo: { status: string } };
      expect(refused.idTagInfo.status).to.not.equal('Accepted');
      await client.call('StopTransaction', aStopTransaction(refused.transactionId, { timestamp: now() }));
      advanceMin(1);
    }

    // Act
    await evaluate();
    const failing = await alertsOf(id, 'REPEATED_FAILED_STARTS');
    const ok = (await client.call('StartTransaction', aStartTransaction(await aToken(t.app.services), { timestamp: now() }))) as { transactionId: number };
    await evaluate();
    const recovered = await alertsOf(id, 'REPEATED_FAILED_STARTS');

    // Assert
    expect(failing.map((a) => [a.connectorId, a.closedAt])).to.deep.equal([[1, null]]);
    expect(recovered[0].closedAt).to.not.equal(null);
    await client.call('StopTransaction', aStopTransaction(ok.transactionId, { timestamp: now() }));
  });

  it('should open a critical SESSION_WITHOUT_CDR for a session that ended without its CDR', async () => {
    // Arrange: a charger on no location: its session cannot be billed (cdrStatus FAILED)
    const { id, client } = await aBootedCharger(t);
    open.push(client);
    const { transactionId } = (await client.call('StartTransaction', aStartTransaction(await aToken(t.app.services), { timestamp: now() }))) as { transactionId: number };
    await client.call('StopTransaction', aStopTransaction(transactionId, { timestamp: now() }));

    // Act
    await evaluate();

    // Assert
    const [alert] = await alertsOf(id, 'SESSION_WITHOUT_CDR');
    expect(alert).to.include({ severity: 'critical', sessionId: transactionId, closedAt: null });
    expect(alert.message).to.match(/^session ended without a CDR: no location/);
  });

  it('should let an operator acknowledge an open alert once (409 the second time, 404 for an unknown alert), the alert staying open', async () => {
    // Arrange
    const { id, client } = await aCharger();
    await status(client, 'Faulted', { errorCode: 'OverCurrentFailure' });
    await evaluate();
    const [alert] = await alertsOf(id, 'CONNECTOR_FAULT');

    // Act
    const ack = await t.api('POST', `/api/v1/alerts/${alert.id}/ack`, { note: 'technician sent' });
    const again = await t.api('POST', `/api/v1/alerts/${alert.id}/ack`, {});
    const unknown = await t.api('POST', '/api/v1/alerts/999999/ack', {});
    const unacked = await t.api('GET', `/api/v1/alerts?chargePointId=${id}&acknowledged=false`);
    const badFilter = await t.api('GET', '/api/v1/alerts?severity=fatal');

    // Assert
    expect(ack.status).to.equal(200);
    expect(ack.body).to.include({ id: alert.id, ackNote: 'technician sent', closedAt: null, acknowledgedAt: now() });
    expect(ack.body.acknowledgedBy).to.match(/^apikey:\d+$/);
    expect([again.status, unknown.status, badFilter.status]).to.deep.equal([409, 404, 400]);
    expect(unacked.body.data).to.deep.equal([]);
  });
});
