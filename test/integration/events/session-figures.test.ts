// The live figures of sessions (every session.updated event of a MeterValues batch): each session's latest
// power. Issue 8: the lookup ANDed the analytics index of all power readings and read every one of them per
// session (a batch of 300 sessions took 0.6–1 s of database CPU at 25,000 readings, growing with the table);
// the partial index meter_values_session_power answers it from its last entry.
import { expect } from 'chai';
import type { App } from '../../../src/app.ts';
import { listSessionFigures } from '../../../src/events/event.repo.ts';
import type { TestDb } from '../../helpers/db.ts';
import { useAppOnTestDb } from '../../helpers/app.ts';
import { planNodes } from '../../helpers/plans.ts';
import { aRegisteredCharger, aStartTransaction, aToken } from '../../fixtures/chargers.ts';

const T0 = Date.parse('2026-03-01T10:00:00Z');

describe('integration events: live session figures', () => {
  let t: TestDb;
  let app: App;

  useAppOnTestDb((db, a) => ((t = db), (app = a)));

  async function aSessionWithPower(watts: number[]): Promise<number> {
    const s = app.services;
    const cp = await aRegisteredCharger(s);
    const { transactionId } = await s.sessions.start(cp, aStartTransaction(await aToken(s), { timestamp: new Date(T0).toISOString() }));
    const rows = watts.map((w, i) => ({ charge_point_id: cp, connector_number: 1, session_fk: transactionId, timestamp: new Date(T0 + (i + 1) * 60_000), measurand: 'Power.Active.Import', unit: 'W', location: 'Outlet', context: 'Sample.Periodic', format: 'Raw', value: String(w), numeric_value: w }));
    await t.db('meter_values').insert(rows);
    return transactionId;
  }

  it('should give each session its latest power reading', async () => {
    const a = await aSessionWithPower([7000, 11000, 3500]);
    const b = await aSessionWithPower([22000]);

    const figures = await listSessionFigures(t.db, [a, b]);

    expect(new Map(figures.map((f) => [f.sessionId, f.powerW]))).to.deep.equal(new Map([[a, 3500], [b, 22000]]));
  });

  it('should read the latest power from the per-session power index, never from the network-wide one', async () => {
    // Arrange: many readings of other sessions, as the planner meets them in a live network
    const other = await aSessionWithPower(Array.from({ length: 3000 }, (_, i) => 1000 + i));
    const mine = await aSessionWithPower([5000, 6000]);
    await t.db.raw('analyze meter_values');

    // Act: the statement of listSessionFigures, explained
    let sql = '';
    let bindings: readonly unknown[] = [];
    const capture = (q: { sql: string; bindings: readonly unknown[] }) => void (q.sql.includes('LAST_POWER') || q.sql.includes('Power.Active.Import') ? ((sql = q.sql), (bindings = q.bindings)) : undefined);
    t.db.on('query', capture);
    await listSessionFigures(t.db, [mine, other]);
    t.db.off('query', capture);
    const plan = (await t.db.raw(`explain (format json) ${sql.replace(/\$\d+/g, '?')}`, bindings as any[])).rows[0]['QUERY PLAN'][0].Plan;

    // Assert
    const indexes = planNodes(plan).map((n) => n['Index Name']).filter(Boolean);
    expect(indexes).to.include('meter_values_session_power');
    expect(indexes).not.to.include('meter_values_power_at');
  });
});
