// The fleet simulator against the real app: chargers registered through the admin API boot, run sessions
// that the server records (sessions, meter values, CDRs), and stop them at the end of the run.
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { eventually } from '../../helpers/wait.ts';
import { registerFleet } from '../../../src/simulator/index.ts';
import { aFleet, aLocationViaApi } from '../../fixtures/simulator.ts';

describe('e2e simulator: a fleet against the real app', () => {
  const t = useTestApp();

  it('should boot, run random sessions recorded with their meter values and CDRs, and stop them at the end', async () => {
    // Arrange
    const locationId = await aLocationViaApi(t);
    const fleet = aFleet(t, { chargers: 3, connectors: 2, seed: 7, sessions: { probability: 1, durationSec: 0.4, idleSec: 0.05 } });
    const registered = await registerFleet(fleet, { apiUrl: `${t.httpUrl}/api/v1`, apiKey: t.adminKey, locationId });
    const ids = fleet.chargers.map((c) => c.id);

    // Act: run until every charger has completed two sessions, then stop
    fleet.start();
    await eventually(async () => {
      const rows = await t.db('sessions').whereIn('charge_point_id', ids).where({ status: 'COMPLETED' }).groupBy('charge_point_id').select('charge_point_id').count('* as n');
      return rows.length === ids.length && rows.every((r) => Number(r.n) >= 2);
    }, 'two completed sessions per charger', 20_000);
    const summary = await fleet.stop();

    // Assert
    expect(registered).to.deep.equal({ chargers: { created: 3, existing: 0 }, tokens: { created: 6, existing: 0 } });
    const sessions = await t.db('sessions').whereIn('charge_point_id', ids);
    expect(sessions.filter((s) => s.status !== 'COMPLETED'), 'no session left running after stop').to.deep.equal([]);
    const cdrs = await t.db('cdrs').whereIn('session_fk', sessions.map((s) => s.id));
    expect(cdrs).to.have.length(sessions.length);
    const measurands = await t.db('meter_values').whereIn('session_fk', sessions.map((s) => s.id)).distinct('measurand', 'phase').orderBy(['measurand', 'phase']);
    expect(measurands.map((m) => `${m.measurand}${m.phase ? `/${m.phase}` : ''}`)).to.include.members(['Energy.Active.Import.Register', 'Power.Active.Import', 'Current.Import/L1', 'SoC']);
    expect(summary.accepted).to.equal(3);
    expect(summary.sessionsStarted).to.equal(sessions.length);
    expect(summary.sessionsStopped).to.equal(sessions.length);
    expect(Object.keys(summary.results), JSON.stringify(summary.errorSamples)).to.deep.equal(['ok']);
    expect(summary.errors).to.equal(0);
    expect(summary.sent.StartTransaction).to.equal(sessions.length);
    expect(summary.latency.count).to.be.greaterThan(0);
  });

  it('should flood MeterValues in a closed loop for benchmarks, answering every call and timing each one', async () => {
    // Arrange
    const fleet = aFleet(t, { chargers: 2, flood: true });
    await registerFleet(fleet, { apiUrl: `${t.httpUrl}/api/v1`, apiKey: t.adminKey });
    const ids = fleet.chargers.map((c) => c.id);

    // Act
    fleet.start();
    await eventually(async () => (fleet.stats.summary(0).resultsByAction.MeterValues?.ok ?? 0) >= 50, '50 answered MeterValues', 20_000);
    const summary = await fleet.stop();

    // Assert: every call sent was answered before the next (closed loop), none got lost
    const mv = summary.resultsByAction.MeterValues;
    expect(mv).to.deep.equal({ ok: summary.sent.MeterValues });
    expect(summary.latencyByAction.MeterValues.count).to.equal(summary.sent.MeterValues);
    expect(summary.sessionsStarted).to.equal(0);
    const stored = await t.db('meter_values').whereIn('charge_point_id', ids).where({ measurand: 'Energy.Active.Import.Register' }).count('* as n').first();
    expect(Number(stored!.n)).to.equal(summary.sent.MeterValues);
  });
});
