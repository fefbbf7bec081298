// The analytics roll-up (evse_day_rollups, kept by the analytics-rollup job) against the live computation over
// generated data: the reports summed from stored days and live remainders must equal the reports computed
// from the history alone, across local midnights of two zones and both zones' DST changes, and after late data;
// per EVSE and per bucket (which must also equal the per-EVSE rows summed).
import { expect } from 'chai';
import type { Knex } from 'knex';
import { parseAnalyticsQuery } from '../../../src/analytics/analytics-query.ts';
import { AnalyticsService } from '../../../src/analytics/analytics.service.ts';
import type { AnalyticsRow } from '../../../src/analytics/analytics.types.ts';
import { AnalyticsRollupService } from '../../../src/analytics/rollup.service.ts';
import { getDefaultParty } from '../../../src/parties/party.repo.ts';
import { fixedClock } from '../../../src/shared/clock.ts';
import { useTestDb } from '../../helpers/use-test-app.ts';
import { aRandomAnalyticsNetwork } from '../../fixtures/analytics-random.ts';

const clock = fixedClock(new Date('2026-04-03T12:34:56.789Z'));
const QUERIES = [
  { from: '2026-03-01T00:00:00Z', to: '2026-04-05T00:00:00Z', groupBy: 'day' }, // ends after now
  { from: '2026-03-02T05:17:00.123Z', to: '2026-04-03T20:00:00Z', groupBy: 'week' },
  { from: '2026-02-28T23:00:00Z', to: '2026-04-30T22:00:00Z', groupBy: 'month' },
  { from: '2026-03-07T05:00:00Z', to: '2026-03-10T04:00:00Z', groupBy: 'day', locationId: 'LOC-NY' }, // 2026-03-08: 23 h
  { from: '2026-03-27T23:00:00Z', to: '2026-03-31T22:00:00Z', groupBy: 'day', chargePointId: 'CP-R2' }, // 2026-03-29: 23 h
  // local dates: each zone's own calendar (whole stored days and months, today live)
  { from: '2026-03-01', to: '2026-04-01', groupBy: 'day' },
  { from: '2026-03-01', to: '2026-04-05', groupBy: 'week' },
  { from: '2026-02-01', to: '2026-05-01', groupBy: 'month' },
];

class Rollback extends Error {}

async function reports(db: Knex): Promise<AnalyticsRow[][]> {
  const svc = new AnalyticsService({ db, clock });
  const out: AnalyticsRow[][] = [];
  for (const q of QUERIES) {
    for (const per of ['evse', 'bucket']) {
      for (const metric of ['utilization', 'availability'] as const) out.push(await svc.report(metric, parseAnalyticsQuery({ ...q, per })));
    }
  }
  return out;
}

/** The reports computed from the history alone: every stored day and month deleted in a transaction rolled back after. */
async function liveReports(db: Knex): Promise<AnalyticsRow[][]> {
  let out: AnalyticsRow[][] = [];
  await db.transaction(async (trx) => {
    await trx('evse_day_rollups').del();
    await trx('evse_month_rollups').del();
    out = await reports(trx);
    throw new Rollback();
  }).catch((err: unknown) => {
    if (!(err instanceof Rollback)) throw err;
  });
  return out;
}

describe('analytics: daily roll-up per EVSE', () => {
  const t = useTestDb();
  let job: AnalyticsRollupService;

  before(async () => {
    await aRandomAnalyticsNetwork(t.db, (await getDefaultParty(t.db)).id);
    job = new AnalyticsRollupService({ db: t.db, clock, lookbackDays: 45 });
  });

  it('should give the same utilization and availability from stored days as computed live, across local midnights and DST changes', async () => {
    // Arrange
    const live = await reports(t.db);
    expect(live.every((rows) => rows.length > 0)).to.equal(true);

    // Act
    const first = await job.run();
    const again = await job.run();

    // Assert: 6 EVSEs × 45 days, each stored once, and March (the one month all stored) per EVSE; a second run has nothing left to do
    expect(first.days).to.equal(6 * 45);
    expect(first.months).to.equal(6);
    expect(again).to.deep.equal({ dirtyMarks: 0, days: 0, months: 0, activityDays: 0 });
    expect((await t.db.raw("select distinct to_char(month, 'YYYY-MM') as m from evse_month_rollups")).rows).to.deep.equal([{ m: '2026-03' }]);
    expect(Number((await t.db('evse_day_rollups').count({ n: '*' }))[0].n)).to.equal(6 * 45);
    expect(await reports(t.db)).to.deep.equal(live);
  });

  it('should sum per bucket what the per-EVSE rows give, EVSE by EVSE', async () => {
    // Arrange: reports() gives per EVSE then per bucket, utilization then availability, for each query
    await job.run();
    const out = await reports(t.db);

    for (let i = 0; i < out.length; i += 4) {
      for (const k of [0, 1]) {
        // Act
        const perEvse = out[i + k] as unknown as Array<Record<string, number | string>>;
        const perBucket = out[i + 2 + k] as unknown as Array<Record<string, number | string>>;
        const fields = k === 0 ? ['periodSec', 'chargingSec', 'occupiedSec'] : ['periodSec', 'maintenanceSec', 'downSec'];

        // Assert
        expect(perBucket.map((r) => r.bucket)).to.deep.equal([...new Set(perEvse.map((r) => r.bucket))]);
        for (const b of perBucket) {
          const rows = perEvse.filter((r) => r.bucket === b.bucket);
          expect(b.evses).to.equal(rows.length);
          for (const f of fields) expect(b[f]).to.be.closeTo(rows.reduce((sum, r) => sum + Number(r[f]), 0), 1e-6);
        }
      }
    }
  });

  it('should compute days (and months) made stale by late data live until the job stores them again', async () => {
    // Arrange: stored days exist; a late StatusNotification, fault and cancelled window dated in them
    await job.run();
    await t.db('status_history').insert([
      { charge_point_id: 'CP-R1', connector_number: 1, status: 'Faulted', error_code: 'GroundFailure', timestamp: new Date('2026-03-15T10:11:12.013Z') },
      { charge_point_id: 'CP-R1', connector_number: 1, status: 'Charging', error_code: 'NoError', timestamp: new Date('2026-03-16T01:00:00Z') },
    ]);
    await t.db('faults').insert({ charge_point_id: 'CP-R3', connector_number: 0, kind: 'OFFLINE', error_code: 'Offline', opened_at: new Date('2026-03-20T03:00:00Z'), cleared_at: new Date('2026-03-20T07:00:00Z') });
    await t.db('maintenance_windows').where({ charge_point_id: 'CP-R1', status: 'ENDED' }).update({ status: 'CANCELLED' });

    // Act
    const beforeJob = await reports(t.db);
    const run = await job.run();
    const afterJob = await reports(t.db);

    // Assert
    const live = await liveReports(t.db);
    expect(beforeJob).to.deep.equal(live);
    expect(run.dirtyMarks).to.equal(3);
    expect(run.days).to.be.greaterThan(0);
    expect(run.months).to.be.greaterThan(0);
    expect(Number((await t.db('evse_month_rollups').count({ n: '*' }))[0].n)).to.equal(6);
    expect(afterJob).to.deep.equal(live);
    expect(Number((await t.db('analytics_dirty').count({ n: '*' }))[0].n)).to.equal(0);
  });

  it('should not sum days stored in a time zone the location has left', async () => {
    // Arrange
    await job.run();
    await t.db('locations').where({ id: 'LOC-NY' }).update({ time_zone: 'America/Chicago' });

    // Act
    const beforeJob = await reports(t.db);
    const run = await job.run();

    // Assert: New York's days are not Chicago's; the job cuts them again in the new zone
    const live = await liveReports(t.db);
    expect(beforeJob).to.deep.equal(live);
    expect(run.days).to.be.greaterThan(0);
    expect(await reports(t.db)).to.deep.equal(live);
  });
});
