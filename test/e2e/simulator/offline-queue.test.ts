// OCPP 1.6 §4.10: a simulated charger whose connection the server drops keeps its transaction messages and
// replays them in order once it is back; nothing it metered is lost.
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { eventually } from '../../helpers/wait.ts';
import { allIdTags, registerFleet } from '../../../src/simulator/index.ts';
import type { MeterSample, Transaction } from '../../../src/simulator/model/types.ts';
import { aFleet, FLEET_PASSWORD } from '../../fixtures/simulator.ts';

describe('e2e simulator: offline queue replayed after the server drops the socket', () => {
  const t = useTestApp();

  it('OCPP16 §4.10: should replay every meter value and the stop in order after the reconnect', async () => {
    // Arrange: a charging session; record every sample the charger meters
    const fleet = aFleet(t, { reconnectMinSec: 0.05, reconnectMaxSec: 0.1 });
    await registerFleet(fleet, { apiUrl: `${t.httpUrl}/api/v1`, apiKey: t.adminKey });
    const charger = fleet.chargers[0];
    const metered: number[] = [];
    const original = charger.station.meterValues.bind(charger.station);
    charger.station.meterValues = (connectorId: number, tx: Transaction | undefined, s: MeterSample) => {
      metered.push(s.at);
      original(connectorId, tx, s);
    };
    fleet.start();
    await fleet.whenOnline();
    await charger.startSession(1, allIdTags(fleet.options)[0], { spec: { maxCurrentA: 16, phases: 3, batteryWh: 60_000 }, socPct: 30 });
    const session = await eventually(async () => (await t.db('sessions').where({ charge_point_id: charger.id }).first()) ?? false, 'the session');
    await eventually(async () => (await t.db('meter_values').where({ session_fk: session.id })).length > 0, 'meter values online');

    // Act: the server drops the socket and refuses the charger for a while (its password changed)
    await t.api('PUT', `/api/v1/chargers/${charger.id}/password`, { password: 'another-password-9' });
    t.app.connections.get(charger.id)!.terminate();
    await eventually(async () => charger.station.queued >= 5, 'five transaction messages queued while offline', 10_000);
    await charger.stopSession(1);
    await t.api('PUT', `/api/v1/chargers/${charger.id}/password`, { password: FLEET_PASSWORD });
    const stopped = await eventually(async () => (await t.db('sessions').where({ id: session.id, status: 'COMPLETED' }).first()) ?? false, 'the replayed stop', 15_000);
    const summary = await fleet.stop();

    // Assert: every metered sample reached the database, in the order metered (a call lost with the socket may come twice)
    const rows = await t.db('meter_values').where({ session_fk: session.id, measurand: 'Energy.Active.Import.Register', context: 'Sample.Periodic' }).orderBy('id');
    const times = rows.map((r) => r.timestamp.getTime());
    expect([...new Set(times)]).to.deep.equal(metered);
    expect(times).to.deep.equal([...times].sort((a, b) => a - b));
    const last = rows.at(-1)!;
    expect(Number(stopped.meter_stop_wh)).to.be.at.least(Number(last.numeric_value));
    expect(stopped.stop_reason).to.equal('Local');
    expect(summary.reconnects).to.be.at.least(1);
    expect(summary.replayed).to.be.at.least(5);
    expect(summary.sessionsStopped).to.equal(1);
  });
});
