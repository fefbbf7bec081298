// A simulated charger answers the server's commands as a real one does: commands sent through the admin API
// of the real app, effects checked in what the server recorded (sessions, meter values, statuses).
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { eventually } from '../../helpers/wait.ts';
import { allIdTags, registerFleet, type Fleet, type FleetOptions } from '../../../src/simulator/index.ts';
import { aFleet } from '../../fixtures/simulator.ts';

const EV_32A = { spec: { maxCurrentA: 32, phases: 3, batteryWh: 60_000 }, socPct: 20 };

describe('e2e simulator: server commands', () => {
  const t = useTestApp();

  /** One registered, connected and accepted charger. */
  async function anOnlineFleet(o: Partial<FleetOptions> = {}): Promise<{ fleet: Fleet; id: string; tag: string }> {
    const fleet = aFleet(t, o);
    await registerFleet(fleet, { apiUrl: `${t.httpUrl}/api/v1`, apiKey: t.adminKey });
    fleet.start();
    await fleet.whenOnline();
    return { fleet, id: fleet.chargers[0].id, tag: allIdTags(fleet.options)[0] };
  }

  const command = async (id: string, action: string, body: object) => {
    const res = await t.api('POST', `/api/v1/chargers/${id}/commands/${action}`, body);
    if (res.status !== 200) throw new Error(`${action}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.response;
  };
  const activeSession = (id: string) => eventually(async () => (await t.db('sessions').where({ charge_point_id: id, status: 'ACTIVE' }).first()) ?? false, `an active session at ${id}`, 15_000);
  /** Meter values of `measurand` of a session recorded with a timestamp from `from` on. */
  const samplesFrom = (sessionId: number, measurand: string, from: Date) => t.db('meter_values').where({ session_fk: sessionId, measurand }).where('timestamp', '>=', from).orderBy('id');

  it('OCPP16 §5.16: should lower its power and current to a SetChargingProfile limit (A, then W) sent through the admin API', async () => {
    // Arrange: an EV charging at 32 A on three phases
    const { fleet, id, tag } = await anOnlineFleet();
    await fleet.chargers[0].startSession(1, tag, EV_32A);
    const session = await activeSession(id);
    await eventually(async () => (await samplesFrom(session.id, 'Current.Import', new Date(0))).some((m) => Number(m.numeric_value) === 32) || false, 'a 32 A reading');

    // Act: a TxProfile of 10 A, then a ChargePointMaxProfile of 4,140 W (6 A on three phases)
    const txProfile = { chargingProfileId: 1, transactionId: session.id, stackLevel: 0, chargingProfilePurpose: 'TxProfile', chargingProfileKind: 'Relative', chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 10 }] } };
    const setTx = await command(id, 'SetChargingProfile', { connectorId: 1, csChargingProfiles: txProfile });
    const afterTx = new Date();
    const limitedCurrents = await eventually(async () => {
      const rows = await samplesFrom(session.id, 'Current.Import', afterTx);
      return rows.length >= 3 && rows;
    }, 'readings after the 10 A profile');
    const cpMax = { chargingProfileId: 2, stackLevel: 0, chargingProfilePurpose: 'ChargePointMaxProfile', chargingProfileKind: 'Absolute', chargingSchedule: { chargingRateUnit: 'W', startSchedule: new Date(Date.now() - 60_000).toISOString(), chargingSchedulePeriod: [{ startPeriod: 0, limit: 4140 }] } };
    const setMax = await command(id, 'SetChargingProfile', { connectorId: 0, csChargingProfiles: cpMax });
    const afterMax = new Date();
    const limitedPower = await eventually(async () => {
      const rows = await samplesFrom(session.id, 'Power.Active.Import', afterMax);
      return rows.length >= 2 && rows;
    }, 'readings after the 4,140 W profile');
    const composite = await command(id, 'GetCompositeSchedule', { connectorId: 1, duration: 600, chargingRateUnit: 'A' });
    await fleet.stop();

    // Assert
    expect([setTx.status, setMax.status]).to.deep.equal(['Accepted', 'Accepted']);
    expect(limitedCurrents.map((m) => Number(m.numeric_value))).to.satisfy((xs: number[]) => xs.every((x) => x === 10 || x === 0), 'L1..L3 at 10 A (or 0 for the unused phases)');
    expect(limitedCurrents.filter((m) => m.phase === 'L1').length).to.be.greaterThan(0);
    expect(limitedPower.map((m) => Number(m.numeric_value))).to.satisfy((xs: number[]) => xs.every((x) => x <= 4140 && x > 0), 'power within 4,140 W');
    expect(composite.chargingSchedule.chargingSchedulePeriod).to.deep.equal([{ startPeriod: 0, limit: 6 }]);
  });

  it('OCPP16 §5.11/§5.12: should start on RemoteStartTransaction (an EV plugs in), charge, and stop on RemoteStopTransaction', async () => {
    // Arrange
    const { fleet, id, tag } = await anOnlineFleet();

    // Act
    const start = await command(id, 'RemoteStartTransaction', { idTag: tag, connectorId: 1 });
    const session = await activeSession(id);
    await eventually(async () => (await samplesFrom(session.id, 'Energy.Active.Import.Register', new Date(0))).length >= 2 || false, 'meter values of the remote session');
    const stop = await command(id, 'RemoteStopTransaction', { transactionId: session.id });
    const stopped = await eventually(async () => (await t.db('sessions').where({ id: session.id, status: 'COMPLETED' }).first()) ?? false, 'the session to be stopped');
    await eventually(async () => (await t.db('connectors').where({ charge_point_id: id, connector_number: 1 }).first())?.ocpp_status === 'Available', 'the connector to be Available again');
    const wrongStop = await command(id, 'RemoteStopTransaction', { transactionId: session.id });
    await fleet.stop();

    // Assert
    expect([start.status, stop.status, wrongStop.status]).to.deep.equal(['Accepted', 'Accepted', 'Rejected']);
    expect([stopped.id_tag, stopped.stop_reason]).to.deep.equal([tag, 'Remote']);
    const statuses = (await t.db('status_history').where({ charge_point_id: id, connector_number: 1 }).orderBy('id')).map((h) => h.status);
    expect(statuses).to.deep.equal(['Available', 'Preparing', 'Charging', 'Finishing', 'Available']);
  });

  for (const type of ['Soft', 'Hard'] as const) {
    it(`OCPP16 §5.14: should stop its transaction on a ${type} Reset (reason ${type}Reset), reconnect and boot again`, async () => {
      // Arrange
      const { fleet, id, tag } = await anOnlineFleet();
      await fleet.chargers[0].startSession(1, tag, EV_32A);
      const session = await activeSession(id);

      // Act
      const reset = await command(id, 'Reset', { type });
      await eventually(async () => fleet.stats.summary(0).sent.BootNotification === 2 && fleet.chargers[0].station.isOnline, 'a second boot');
      const stopped = await eventually(async () => (await t.db('sessions').where({ id: session.id, status: 'COMPLETED' }).first()) ?? false, 'the session to be stopped');
      const summary = await fleet.stop();

      // Assert
      expect([reset.status, stopped.stop_reason]).to.deep.equal(['Accepted', `${type}Reset`]);
      expect(summary.resultsByAction.BootNotification).to.deep.equal({ ok: 2 });
      expect(summary.errors, summary.errorSamples.join('\n')).to.equal(0);
    });
  }

  it('should answer the other commands as a charger does', async () => {
    // Arrange
    const { fleet, id, tag } = await anOnlineFleet({ connectors: 2 });
    const inAMinute = new Date(Date.now() + 60_000).toISOString();

    // Act
    const config = await command(id, 'GetConfiguration', {});
    const answers = {
      changeHeartbeat: await command(id, 'ChangeConfiguration', { key: 'HeartbeatInterval', value: '120' }),
      changeReadOnly: await command(id, 'ChangeConfiguration', { key: 'NumberOfConnectors', value: '4' }),
      changeUnknown: await command(id, 'ChangeConfiguration', { key: 'NoSuchKey', value: '1' }),
      reserve: await command(id, 'ReserveNow', { connectorId: 2, expiryDate: inAMinute, idTag: tag, reservationId: 77 }),
      cancel: await command(id, 'CancelReservation', { reservationId: 77 }),
      cancelAgain: await command(id, 'CancelReservation', { reservationId: 77 }),
      unavailable: await command(id, 'ChangeAvailability', { connectorId: 2, type: 'Inoperative' }),
      unlock: await command(id, 'UnlockConnector', { connectorId: 1 }),
      trigger: await command(id, 'TriggerMessage', { requestedMessage: 'StatusNotification', connectorId: 1 }),
      localList: await command(id, 'SendLocalList', { listVersion: 3, updateType: 'Full', localAuthorizationList: [{ idTag: tag, idTagInfo: { status: 'Accepted' } }] }),
      listVersion: await command(id, 'GetLocalListVersion', {}),
      clearCache: await command(id, 'ClearCache', {}),
      clearProfile: await command(id, 'ClearChargingProfile', { id: 999 }),
      dataTransfer: await command(id, 'DataTransfer', { vendorId: 'com.example' }),
      diagnostics: await command(id, 'GetDiagnostics', { location: 'ftp://example.com/logs/' }),
      firmware: await command(id, 'UpdateFirmware', { location: 'https://example.com/fw.bin', retrieveDate: new Date().toISOString() }),
    };
    await eventually(async () => (await t.db('connectors').where({ charge_point_id: id, connector_number: 2 }).first())?.ocpp_status === 'Unavailable', 'connector 2 Unavailable');
    const events = await eventually(async () => {
      const res = await t.api('GET', `/api/v1/chargers/${id}/events`);
      const text = JSON.stringify(res.body.data);
      return text.includes('Installed') && text.includes('Uploaded') && res.body.data;
    }, 'the firmware and diagnostics notifications');
    const summary = await fleet.stop();

    // Assert
    const keys = new Map<string, { value?: string; readonly: boolean }>(config.configurationKey.map((k: { key: string }) => [k.key, k]));
    expect(keys.get('NumberOfConnectors')).to.deep.equal({ key: 'NumberOfConnectors', readonly: true, value: '2' });
    expect(keys.get('HeartbeatInterval')?.value).to.equal('300'); // the interval the server gave at boot
    expect(keys.get('MeterValueSampleInterval')?.readonly).to.equal(false);
    expect(keys.get('AuthorizationKey')).to.deep.equal({ key: 'AuthorizationKey', readonly: false }); // write-only
    expect(Object.fromEntries(Object.entries(answers).map(([k, v]) => [k, v.status ?? v.listVersion ?? v.fileName?.slice(0, 12) ?? JSON.stringify(v)]))).to.deep.equal({
      changeHeartbeat: 'Accepted',
      changeReadOnly: 'Rejected',
      changeUnknown: 'NotSupported',
      reserve: 'Accepted',
      cancel: 'Accepted',
      cancelAgain: 'Rejected',
      unavailable: 'Accepted',
      unlock: 'Unlocked',
      trigger: 'Accepted',
      localList: 'Accepted',
      listVersion: 3,
      clearCache: 'Accepted',
      clearProfile: 'Unknown',
      dataTransfer: 'UnknownVendorId',
      diagnostics: 'diagnostics-',
      firmware: '{}',
    });
    expect(events.length).to.be.greaterThan(0);
    expect(summary.commands.GetConfiguration).to.equal(1);
    expect(summary.errors, summary.errorSamples.join('\n')).to.equal(0);
  });
});
