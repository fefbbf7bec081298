// OCPP 1.6 §4.9 StatusNotification (connector status, error codes → faults, EVSE status) and offline
// detection by missed heartbeats, driven by a fixed clock and the offline-detection job run on demand.
import { expect } from 'chai';
import { fixedClock } from '../../../src/shared/clock.ts';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { aBootedChargerAtEvse } from '../../fixtures/booted-charger.ts';
import { connectCharger } from '../../helpers/charger.ts';
import { nextEvent } from '../../helpers/wait.ts';
import { aBootNotification, aStatusNotification, CHARGER_PASSWORD } from '../../fixtures/chargers.ts';

describe('e2e OCPP status, faults and offline detection', () => {
  const T0 = new Date('2030-05-01T12:00:00Z');
  const clock = fixedClock(T0);
  const t = useTestApp({ clock });
  beforeEach(() => clock.set(T0));

  const openFaults = (id: string) => t.db('faults').where({ charge_point_id: id }).whereNull('cleared_at').orderBy('id');
  const evseStatus = async (uid: string) => (await t.db('evses').where({ uid }).first()).status;

  it('OCPP16 §4.9 StatusNotification: should map connector status to the EVSE status (Available, Charging, Faulted)', async () => {
    const { evseUid, client } = await aBootedChargerAtEvse(t);
    const seen: string[] = [];

    await client.call('StatusNotification', aStatusNotification({ status: 'Available' }));
    seen.push(await evseStatus(evseUid));
    await client.call('StatusNotification', aStatusNotification({ status: 'Charging', timestamp: new Date(Date.now() + 1000).toISOString() }));
    seen.push(await evseStatus(evseUid));
    await client.call('StatusNotification', aStatusNotification({ status: 'Faulted', errorCode: 'GroundFailure', timestamp: new Date(Date.now() + 2000).toISOString() }));
    seen.push(await evseStatus(evseUid));
    await client.close();

    expect(seen).to.deep.equal(['AVAILABLE', 'CHARGING', 'OUTOFORDER']);
  });

  it('OCPP16 §4.9 StatusNotification: should open a fault for an error code and clear it on NoError', async () => {
    // Arrange
    const { id, client } = await aBootedChargerAtEvse(t);

    // Act
    await client.call('StatusNotification', aStatusNotification({ status: 'Faulted', errorCode: 'HighTemperature', info: 'too hot', vendorErrorCode: 'E42', timestamp: '2030-05-01T12:01:00Z' }));
    await client.call('StatusNotification', aStatusNotification({ status: 'Faulted', errorCode: 'HighTemperature', timestamp: '2030-05-01T12:02:00Z' }));
    const whileFaulted = await openFaults(id);
    await client.call('StatusNotification', aStatusNotification({ status: 'Available', errorCode: 'NoError', timestamp: '2030-05-01T12:05:00Z' }));
    await client.close();

    // Assert: one fault for the repeated report, cleared at the report's time
    expect(whileFaulted.map((f) => [f.kind, f.connector_number, f.error_code, f.info, f.vendor_error_code])).to.deep.equal([['ERROR_CODE', 1, 'HighTemperature', 'too hot', 'E42']]);
    const all = await t.db('faults').where({ charge_point_id: id });
    expect(all.map((f) => f.cleared_at?.toISOString())).to.deep.equal(['2030-05-01T12:05:00.000Z']);
  });

  for (const connectorId of [1, 0]) {
    it(`OCPP16 §4.9 StatusNotification: should let only the newest report open or clear a fault (connector ${connectorId}, replayed older reports)`, async () => {
      // Arrange: the newest reports say "fine" on one charger and "faulted" on another
      const fine = await aBootedChargerAtEvse(t);
      const faulted = await aBootedChargerAtEvse(t);
      const at = (minute: number) => `2030-05-01T12:0${minute}:00Z`;
      await fine.client.call('StatusNotification', aStatusNotification({ connectorId, status: 'Available', errorCode: 'NoError', timestamp: at(5) }));
      await faulted.client.call('StatusNotification', aStatusNotification({ connectorId, status: 'Faulted', errorCode: 'GroundFailure', timestamp: at(5) }));

      // Act: an offline queue replays older, opposite reports
      await fine.client.call('StatusNotification', aStatusNotification({ connectorId, status: 'Faulted', errorCode: 'HighTemperature', timestamp: at(3) }));
      await faulted.client.call('StatusNotification', aStatusNotification({ connectorId, status: 'Available', errorCode: 'NoError', timestamp: at(3) }));
      await Promise.all([fine.client.close(), faulted.client.close()]);

      // Assert
      expect(await openFaults(fine.id)).to.deep.equal([]);
      expect((await openFaults(faulted.id)).map((f) => [f.connector_number, f.error_code])).to.deep.equal([[connectorId, 'GroundFailure']]);
      const [history] = await t.db('status_history').whereIn('charge_point_id', [fine.id, faulted.id]).count({ n: '*' });
      expect(Number(history.n)).to.equal(4);
    });
  }

  it('OCPP16 §4.9 StatusNotification: should treat connectorId 0 as the whole charge point', async () => {
    const { id, client } = await aBootedChargerAtEvse(t);

    await client.call('StatusNotification', aStatusNotification({ connectorId: 0, status: 'Faulted', errorCode: 'PowerMeterFailure' }));
    await client.close();

    expect(await t.db('connectors').where({ charge_point_id: id })).to.deep.equal([]);
    expect((await openFaults(id)).map((f) => [f.connector_number, f.error_code])).to.deep.equal([[0, 'PowerMeterFailure']]);
    expect((await t.db('status_history').where({ charge_point_id: id })).map((h) => h.connector_number)).to.deep.equal([0]);
  });

  it('OCPP16 §4.9 StatusNotification: should date a report without timestamp by the server clock', async () => {
    const { id, client } = await aBootedChargerAtEvse(t);
    const { timestamp: _omitted, ...withoutTimestamp } = aStatusNotification({ status: 'Unavailable' });

    await client.call('StatusNotification', withoutTimestamp);
    await client.close();

    const h = await t.db('status_history').where({ charge_point_id: id }).first();
    expect(h.timestamp.toISOString()).to.equal(T0.toISOString());
  });

  it('OCPP16 §4.6: should mark a charger offline after the configured multiple of missed heartbeats, open an OFFLINE fault and clear it on reconnect', async () => {
    // Arrange
    const { id, evseUid, client } = await aBootedChargerAtEvse(t);
    await client.call('StatusNotification', aStatusNotification({ status: 'Available' }));
    const limitMs = t.config.ocpp.heartbeatIntervalSec * t.config.ocpp.offlineAfterMissedHeartbeats * 1000;

    // Act
    clock.advance(limitMs - 1000);
    const early = await t.app.scheduler.runNow('offline-detection');
    const wasOnline = (await t.db('charge_points').where({ id }).first()).is_online;
    clock.advance(2000);
    const offline = nextEvent(t.app.events, 'charger.offline', (e) => e.chargePointId === id);
    const late = await t.app.scheduler.runNow('offline-detection');
    await offline;
    const row = await t.db('charge_points').where({ id }).first();
    const faultsWhileOffline = await openFaults(id);
    const evseWhileOffline = await evseStatus(evseUid);
    await client.close();
    const reconnected = nextEvent(t.app.events, 'charger.connected', (e) => e.chargePointId === id);
    const again = await connectCharger(t, id, { password: CHARGER_PASSWORD });
    await reconnected;
    await again.close();

    // Assert
    expect(early.status).to.equal('ran');
    expect(wasOnline).to.equal(true);
    expect(late.status === 'ran' && late.run.counts?.markedOffline).to.be.at.least(1);
    expect(row.is_online).to.equal(false);
    expect(faultsWhileOffline.map((f) => [f.kind, f.connector_number, f.opened_at.toISOString()])).to.deep.equal([['OFFLINE', 0, clock.now().toISOString()]]);
    expect(evseWhileOffline).to.equal('UNKNOWN');
    expect(await openFaults(id)).to.deep.equal([]);
    expect(await evseStatus(evseUid)).to.equal('AVAILABLE');
  });

  it('OCPP16 §4.6: should bring a charger marked offline back online when it is heard from again on the same socket', async () => {
    // Arrange: the socket stayed open but the charger went silent (e.g. a stalled mobile link)
    const { id, evseUid, client } = await aBootedChargerAtEvse(t);
    await client.call('StatusNotification', aStatusNotification({ status: 'Available' }));
    clock.advance(t.config.ocpp.heartbeatIntervalSec * t.config.ocpp.offlineAfterMissedHeartbeats * 1000 + 1000);
    await t.app.scheduler.runNow('offline-detection');

    // Act
    await client.call('Heartbeat', {});
    await client.close();

    // Assert
    expect((await t.db('charge_points').where({ id }).first()).is_online).to.equal(true);
    expect(await openFaults(id)).to.deep.equal([]);
    expect(await evseStatus(evseUid)).to.equal('AVAILABLE');
  });

  it('OCPP16 §4.2: should bring a charger marked offline back online when it sends a BootNotification on the same socket', async () => {
    // Arrange: silent long enough to be marked offline, then it reboots without the socket dropping
    const { id, evseUid, client } = await aBootedChargerAtEvse(t);
    await client.call('StatusNotification', aStatusNotification({ status: 'Available' }));
    clock.advance(t.config.ocpp.heartbeatIntervalSec * t.config.ocpp.offlineAfterMissedHeartbeats * 1000 + 1000);
    await t.app.scheduler.runNow('offline-detection');
    const evseWhileOffline = await evseStatus(evseUid);

    // Act
    await client.call('BootNotification', aBootNotification());
    await client.close();

    // Assert
    expect(evseWhileOffline).to.equal('UNKNOWN');
    expect((await t.db('charge_points').where({ id }).first()).is_online).to.equal(true);
    expect(await openFaults(id)).to.deep.equal([]);
    expect(await evseStatus(evseUid)).to.equal('AVAILABLE');
  });

  it('should record the job run with its counts', async () => {
    const outcome = await t.app.scheduler.runNow('offline-detection');

    expect(outcome.status).to.equal('ran');
    const runs = await t.db('job_runs').where({ job: 'offline-detection' }).orderBy('id', 'desc').limit(1);
    expect([runs[0].status, runs[0].trigger]).to.deep.equal(['succeeded', 'manual']);
  });
});
