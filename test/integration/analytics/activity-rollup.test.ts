// The sessions and revenue roll-up (activity_day_units, kept by the analytics-rollup job) against the live
// computation over generated data: stored days plus live remainders must equal the reports computed from the
// sessions, readings and CDRs alone, in two zones and a party zone of +05:30, across both DST changes, with
// filters, today computed live, after late data and after a zone change.
import { expect } from 'chai';
import type { Knex } from 'knex';
import { parseAnalyticsQuery } from '../../../src/analytics/analytics-query.ts';
import { AnalyticsService } from '../../../src/analytics/analytics.service.ts';
import type { AnalyticsRow } from '../../../src/analytics/analytics.types.ts';
import { AnalyticsRollupService } from '../../../src/analytics/rollup.service.ts';
import { getDefaultParty } from '../../../src/parties/party.repo.ts';
import { fixedClock } from '../../../src/shared/clock.ts';
import { useTestDb } from '../../helpers/use-test-app.ts';
import { aRandomActivity, aRandomAnalyticsNetwork } from '../../fixtures/analytics-random.ts';

const clock = fixedClock(new Date('2026-04-03T12:34:56.789Z'));
const QUERIES = [
  { from: '2026-03-01T00:00:00Z', to: '2026-04-05T00:00:00Z', groupBy: 'day' }, // ends after now: today live
  { from: '2026-03-02T05:17:00.123Z', to: '2026-04-03T20:00:00Z', groupBy: 'week' },
  { from: '2026-02-28T23:00:00Z', to: '2026-04-30T22:00:00Z', groupBy: 'month' },
  { from: '2026-03-07T05:00:00Z', to: '2026-03-10T04:00:00Z', groupBy: 'day', locationId: 'LOC-NY' }, // 2026-03-08: 23 h
  { from: '2026-03-27T23:00:00Z', to: '2026-03-31T22:00:00Z', groupBy: 'day', chargePointId: 'CP-R2' }, // 2026-03-29: 23 h
  { from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z', groupBy: 'week', partyId: 'NL-CPM' }, // live only
];

class Rollback extends Error {}

async function reports(db: Knex): Promise<AnalyticsRow[][]> {
  const svc = new AnalyticsService({ db, clock });
  const out: AnalyticsRow[][] = [];
  for (const q of QUERIES) {
    for (const metric of ['sessions', 'revenue'] as const) out.push(await svc.report(metric, parseAnalyticsQuery(q)));
  }
  return out;
}

/** The reports computed from the stored sessions, readings and CDRs alone: every stored day deleted in a transaction rolled back after. */
async function liveReports(db: Knex): Promise<AnalyticsRow[][]> {
  let out: AnalyticsRow[][] = [];
  await db.transaction(async (trx) => {
    await trx('activity_day_units').del();
    out = await reports(trx);
    throw new Rollback();
  }).catch((err: unknown) => {
    if (!(err instanceof Rollback)) throw err;
  });
  return out;
}

const count = async (db: Knex, table: string) => Number((await db(table).count({ n: '*' }))[0]!.n);

describe('analytics: daily roll-up of sessions, peak power and revenue', () => {
  const t = useTestDb();
  let job: AnalyticsRollupService;

  before(async () => {
    const party = await getDefaultParty(t.db);
    await t.db('parties').where({ id: party.id }).update({ time_zone: 'Asia/Kolkata' });
    await aRandomAnalyticsNetwork(t.db, party.id);
    await aRandomActivity(t.db, party.id);
    job = new AnalyticsRollupService({ db: t.db, clock, lookbackDays: 45 });
  });

  it('should give the same sessions and revenue from stored days as computed live, per zone, with filters and today live', async () => {
    // Arrange
    const live = await reports(t.db);
    expect(live.slice(0, -2).every((rows) => rows.length > 0)).to.equal(true); // no session of the random activity has a token

    // Act
    const first = await job.run();
    const again = await job.run();

    // Assert: 45 days in each of the 4 zones (Amsterdam, New York, the party's Kolkata, UTC), stored once
    expect(first.activityDays).to.equal(4 * 45);
    expect(again.activityDays).to.equal(0);
    expect(await count(t.db, 'session_day_rollups')).to.be.greaterThan(50);
    expect(await count(t.db, 'revenue_day_rollups')).to.be.greaterThan(30);
    expect(await count(t.db, 'power_day_rollups')).to.be.greaterThan(50);
    expect(await reports(t.db)).to.deep.equal(live);
  });

  it('should compute days made stale by late data live until the job stores them again', async () => {
    // Arrange: a late session, a session stopped late, a late reading and a CDR dated in stored days
    await job.run();
    const party = await getDefaultParty(t.db);
    await t.db('sessions').insert({ uid: 'LATE1', party_fk: party.id, charge_point_id: 'CP-R1', connector_number: 1, location_id: 'LOC-AMS', id_tag: 'TAG', meter_start_wh: 999, energy_wh: 1234, start_at: new Date('2026-03-15T10:11:12.013Z'), stop_at: new Date('2026-03-15T11:00:00Z'), status: 'COMPLETED', last_updated: new Date('2026-03-15T11:00:00Z') });
    await t.db('sessions').where({ uid: 'RS7' }).update({ energy_wh: 77_777 });
    await t.db('meter_values').insert({ charge_point_id: 'CP-R3', connector_number: 1, timestamp: new Date('2026-03-20T03:00:00Z'), measurand: 'Power.Active.Import', unit: 'kW', value: '99', numeric_value: 99 });
    await t.db('cdrs').insert({ cdr_id: 'LATE-CDR', party_fk: party.id, currency: 'EUR', total_cost_excl_vat: '9.99', total_cost_incl_vat: '12.09', kwh: 20, total_time_hours: 1, total_parking_hours: 0, credit: false, body: JSON.stringify({ cdr_location: { id: 'LOC-NY' } }), created_at: new Date('2026-03-09T04:30:00Z') });
    expect(await count(t.db, 'analytics_activity_dirty')).to.equal(4);

    // Act
    const beforeJob = await reports(t.db);
    const run = await job.run();
    const afterJob = await reports(t.db);

    // Assert
    const live = await liveReports(t.db);
    for (let i = 0; i < live.length; i++) expect([i, beforeJob[i]]).to.deep.equal([i, live[i]]);
    expect(run.activityDays).to.be.greaterThan(0);
    expect(afterJob).to.deep.equal(live);
    expect(await count(t.db, 'analytics_activity_dirty')).to.equal(0);
  });

  it('should mark nothing for a session changed in a column the reports do not read, or for current data', async () => {
    // Arrange
    await job.run();

    // Act
    await t.db('sessions').where({ uid: 'RS8' }).update({ idle_probe_at: new Date('2026-04-03T12:00:00Z') });
    await t.db('meter_values').insert({ charge_point_id: 'CP-R1', connector_number: 1, timestamp: new Date('2026-04-03T12:30:00Z'), measurand: 'Power.Active.Import', unit: 'W', value: '1', numeric_value: 1 });

    // Assert
    expect(await count(t.db, 'analytics_activity_dirty')).to.equal(0);
  });

  it('should store every day again when a location changes zone', async () => {
    // Arrange
    await job.run();
    await t.db('locations').where({ id: 'LOC-NY' }).update({ time_zone: 'America/Chicago' });

    // Act
    const beforeJob = await reports(t.db);
    const run = await job.run();

    // Assert
    const live = await liveReports(t.db);
    expect(beforeJob).to.deep.equal(live);
    expect(run.activityDays).to.be.greaterThan(4 * 45 - 1);
    expect(await reports(t.db)).to.deep.equal(live);
  });
});
