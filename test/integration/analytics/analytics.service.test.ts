// Analytics against hand-computed figures over a small generated network (test/fixtures/analytics.ts):
// local-time buckets in two time zones, a DST day of 23 h, credits netted, maintenance excluded from uptime.
import { expect } from 'chai';
import { parseAnalyticsQuery } from '../../../src/analytics/analytics-query.ts';
import { AnalyticsService } from '../../../src/analytics/analytics.service.ts';
import type { AvailabilityRow, BucketAvailabilityRow, BucketUtilizationRow, UtilizationRow } from '../../../src/analytics/analytics.types.ts';
import { getDefaultParty } from '../../../src/parties/party.repo.ts';
import { fixedClock } from '../../../src/shared/clock.ts';
import { useTestDb } from '../../helpers/use-test-app.ts';
import { anAnalyticsNetwork } from '../../fixtures/analytics.ts';

async function expectRejected(p: Promise<unknown>, message: string): Promise<void> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).to.be.instanceOf(Error);
  expect((err as Error).message).to.contain(message);
}

const query = (o: Record<string, string>) => parseAnalyticsQuery({ groupBy: 'day', ...o });
// Amsterdam local 2026-03-28 00:00 to 2026-03-30 00:00 (CET, then CEST from 2026-03-29 02:00)
const AMS_TWO_DAYS = { from: '2026-03-27T23:00:00Z', to: '2026-03-29T22:00:00Z' };

describe('analytics: reports over stored data', () => {
  const t = useTestDb();
  let analytics: AnalyticsService;

  before(async () => {
    await anAnalyticsNetwork(t.db, (await getDefaultParty(t.db)).id);
    analytics = new AnalyticsService({ db: t.db, clock: fixedClock(new Date('2026-04-01T00:00:00Z')) });
  });

  it('should count sessions in the local day of their start, with success rate and peak power', async () => {
    const rows = await analytics.report('sessions', query({ from: '2026-03-27T00:00:00Z', to: '2026-03-30T00:00:00Z' }));

    expect(rows).to.deep.equal([
      { bucket: '2026-03-27', sessions: 2, energyKwh: 5, avgDurationMin: 20, avgEnergyKwh: 2.5, successRate: 0.5, peakPowerKw: null },
      { bucket: '2026-03-28', sessions: 1, energyKwh: 10, avgDurationMin: 60, avgEnergyKwh: 10, successRate: 1, peakPowerKw: 11 },
    ]);
  });

  it('should keep only the sessions of the eMSP party given', async () => {
    const rows = await analytics.report('sessions', query({ from: '2026-03-27T00:00:00Z', to: '2026-03-30T00:00:00Z', partyId: 'DE-ABC' }));

    expect((rows as Array<{ bucket: string; sessions: number }>).map((r) => [r.bucket, r.sessions])).to.deep.equal([['2026-03-28', 1]]);
  });

  it("should keep only the sessions and revenue of a driver group's drivers, and nothing for a group without members", async () => {
    // Arrange: TOK1 (session s1, CDR c1) belongs to a driver of the fleet group
    const at = new Date('2026-03-01T00:00:00Z');
    const [driver] = await t.db('drivers').insert({ name: 'Fleet driver', created_at: at, updated_at: at }).returning('id');
    const [fleet, empty] = await t.db('driver_groups').insert([{ name: 'Fleet', created_at: at }, { name: 'Nobody', created_at: at }]).returning('id');
    await t.db('driver_group_members').insert({ group_fk: fleet.id, driver_fk: driver.id });
    await t.db('id_tokens').where({ uid: 'TOK1' }).update({ driver_fk: driver.id });
    const period = { from: '2026-03-27T00:00:00Z', to: '2026-03-30T00:00:00Z' };

    // Act
    const sessions = await analytics.report('sessions', query({ ...period, groupId: String(fleet.id) }));
    const revenue = await analytics.report('revenue', query({ ...period, groupId: String(fleet.id) }));
    const none = await analytics.report('sessions', query({ ...period, groupId: String(empty.id) }));

    // Assert
    expect((sessions as Array<{ bucket: string; sessions: number }>).map((r) => [r.bucket, r.sessions])).to.deep.equal([['2026-03-28', 1]]);
    expect((revenue as Array<{ currency: string; cdrs: number; revenueExclVat: string }>).map((r) => [r.currency, r.cdrs, r.revenueExclVat])).to.deep.equal([['EUR', 1, '3']]);
    expect(none).to.deep.equal([]);
    expect(() => query({ ...period, groupId: 'fleet' })).to.throw('groupId');
  });

  it('OCPI 2.2.1 cdrs §10.2.1.1: should total revenue per currency and local day with credits netted', async () => {
    const rows = await analytics.report('revenue', query({ from: '2026-03-27T00:00:00Z', to: '2026-03-30T00:00:00Z' }));

    expect(rows).to.deep.equal([
      { bucket: '2026-03-27', currency: 'USD', cdrs: 1, credits: 0, energyKwh: 0, revenueExclVat: '1.5', revenueInclVat: '1.6' },
      { bucket: '2026-03-28', currency: 'EUR', cdrs: 2, credits: 1, energyKwh: 10, revenueExclVat: '3', revenueInclVat: '3.63' },
    ]);
  });

  it('should find the charger of a CDR through its session, and of a credit CDR through its original', async () => {
    const ofA = await analytics.report('revenue', query({ from: '2026-03-27T00:00:00Z', to: '2026-03-30T00:00:00Z', chargePointId: 'CP-A' }));
    const ofB = await analytics.report('revenue', query({ from: '2026-03-27T00:00:00Z', to: '2026-03-30T00:00:00Z', chargePointId: 'CP-B' }));

    expect(ofA.map((r) => [(r as { currency: string }).currency, (r as { credits: number }).credits, (r as { revenueExclVat: string }).revenueExclVat])).to.deep.equal([['EUR', 1, '3']]);
    expect(ofB.map((r) => (r as { currency: string }).currency)).to.deep.equal(['USD']);
  });

  it('should give the share of time charging and occupied per EVSE, a DST day being 23 hours', async () => {
    const rows = await analytics.report('utilization', query({ ...AMS_TWO_DAYS, locationId: 'LOC-A', per: 'evse' })) as UtilizationRow[];

    expect(rows.map((r) => [r.bucket, r.evseUid, r.periodSec, r.chargingSec, r.occupiedSec, r.chargingShare, r.occupiedShare])).to.deep.equal([
      ['2026-03-28', 'EVSE-A1', 86_400, 7_200, 9_000, 0.0833, 0.1042],
      ['2026-03-29', 'EVSE-A1', 82_800, 0, 0, 0, 0],
    ]);
  });

  for (const per of ['evse', 'bucket']) {
    it(`AFIR: should count uptime without Faulted, Unavailable or offline time, maintenance excluded (per=${per})`, async () => {
      const rows = await analytics.report('availability', query({ ...AMS_TWO_DAYS, chargePointId: 'CP-A', per })) as AvailabilityRow[];

      // 29th: 23 h − 2 h maintenance; down = the 2 h of the fault after midnight + offline ∪ charger Faulted (1.5 h)
      expect(rows.map((r) => [r.bucket, r.periodSec, r.maintenanceSec, r.downSec, r.uptime])).to.deep.equal([
        ['2026-03-28', 86_400, 0, 3_600, 0.9583],
        ['2026-03-29', 75_600, 7_200, 12_600, 0.8333],
      ]);
    });
  }

  it('should sum utilization and availability per bucket over the EVSEs of both zones by default', async () => {
    const utilization = await analytics.report('utilization', query(AMS_TWO_DAYS)) as BucketUtilizationRow[];
    const availability = await analytics.report('availability', query(AMS_TWO_DAYS)) as BucketAvailabilityRow[];

    // 27th: New York's 5 h only; 28th: both whole days; 29th: Amsterdam's 23 h − 2 h maintenance + New York's 18 h
    expect(utilization).to.deep.equal([
      { bucket: '2026-03-27', evses: 1, periodSec: 18_000, chargingSec: 0, occupiedSec: 0, chargingShare: 0, occupiedShare: 0 },
      { bucket: '2026-03-28', evses: 2, periodSec: 172_800, chargingSec: 7_200, occupiedSec: 9_000, chargingShare: 0.0417, occupiedShare: 0.0521 },
      { bucket: '2026-03-29', evses: 2, periodSec: 147_600, chargingSec: 0, occupiedSec: 0, chargingShare: 0, occupiedShare: 0 },
    ]);
    expect(availability).to.deep.equal([
      { bucket: '2026-03-27', evses: 1, periodSec: 18_000, maintenanceSec: 0, downSec: 0, uptime: 1 },
      { bucket: '2026-03-28', evses: 2, periodSec: 172_800, maintenanceSec: 0, downSec: 3_600, uptime: 0.9792 },
      { bucket: '2026-03-29', evses: 2, periodSec: 140_400, maintenanceSec: 7_200, downSec: 12_600, uptime: 0.9103 },
    ]);
  });

  it('should cut the period at local midnights of each location and at now', async () => {
    const rows = await analytics.report('availability', query({ ...AMS_TWO_DAYS, locationId: 'LOC-B' })) as AvailabilityRow[];

    // New York (UTC-4): 19:00 to midnight on the 27th, all of the 28th, until 18:00 on the 29th
    expect(rows.map((r) => [r.bucket, r.periodSec, r.uptime])).to.deep.equal([['2026-03-27', 18_000, 1], ['2026-03-28', 86_400, 1], ['2026-03-29', 64_800, 1]]);
    const future = new AnalyticsService({ db: t.db, clock: fixedClock(new Date('2026-03-28T12:00:00Z')) });
    const cut = await future.report('availability', query({ ...AMS_TWO_DAYS, locationId: 'LOC-B' })) as AvailabilityRow[];
    expect(cut.map((r) => [r.bucket, r.periodSec])).to.deep.equal([['2026-03-27', 18_000], ['2026-03-28', 28_800]]);
  });

  it('should cut week and month buckets at local midnights, a month with the DST change being 1 hour short', async () => {
    const week = await analytics.report('utilization', query({ from: '2026-03-22T23:00:00Z', to: '2026-03-29T22:00:00Z', groupBy: 'week', locationId: 'LOC-A', per: 'evse' })) as UtilizationRow[];
    const month = await analytics.report('utilization', query({ from: '2026-02-28T23:00:00Z', to: '2026-03-31T22:00:00Z', groupBy: 'month', locationId: 'LOC-A' })) as UtilizationRow[];

    // ISO weeks start on Monday (2026-03-23); the week holding the DST change is 7 × 24 h − 1 h
    expect(week.map((r) => [r.bucket, r.periodSec, r.chargingSec])).to.deep.equal([['2026-03-23', 601_200, 7_200]]);
    expect(month.map((r) => [r.bucket, r.periodSec, r.chargingSec])).to.deep.equal([['2026-03-01', 31 * 86_400 - 3_600, 7_200]]);
  });

  it('should make the local day DST ends on 25 hours long', async () => {
    const later = new AnalyticsService({ db: t.db, clock: fixedClock(new Date('2026-11-01T00:00:00Z')) });

    // Amsterdam 2026-10-25 00:00 CEST to 2026-10-26 00:00 CET
    const rows = await later.report('availability', query({ from: '2026-10-24T22:00:00Z', to: '2026-10-25T23:00:00Z', locationId: 'LOC-A' })) as AvailabilityRow[];

    expect(rows.map((r) => [r.bucket, r.periodSec, r.uptime])).to.deep.equal([['2026-10-25', 90_000, 1]]);
  });

  describe('a period of local dates (from/to YYYY-MM-DD): those days in each location\'s own zone', () => {
    const DATES = { from: '2026-03-28', to: '2026-03-30' };

    it('should sum whole local days of both zones per bucket', async () => {
      const utilization = await analytics.report('utilization', query(DATES)) as BucketUtilizationRow[];
      const availability = await analytics.report('availability', query(DATES)) as BucketAvailabilityRow[];

      // 28th: both whole days; 29th: Amsterdam's 23 h (DST) + New York's 24 h, Amsterdam's 2 h maintenance excluded
      expect(utilization).to.deep.equal([
        { bucket: '2026-03-28', evses: 2, periodSec: 172_800, chargingSec: 7_200, occupiedSec: 9_000, chargingShare: 0.0417, occupiedShare: 0.0521 },
        { bucket: '2026-03-29', evses: 2, periodSec: 169_200, chargingSec: 0, occupiedSec: 0, chargingShare: 0, occupiedShare: 0 },
      ]);
      expect(availability).to.deep.equal([
        { bucket: '2026-03-28', evses: 2, periodSec: 172_800, maintenanceSec: 0, downSec: 3_600, uptime: 0.9792 },
        { bucket: '2026-03-29', evses: 2, periodSec: 162_000, maintenanceSec: 7_200, downSec: 12_600, uptime: 0.9222 },
      ]);
    });

    it('should give one row per EVSE and local day with per=evse, ordered by day, location and EVSE', async () => {
      const rows = await analytics.report('availability', query({ ...DATES, per: 'evse' })) as AvailabilityRow[];

      expect(rows.map((r) => [r.bucket, r.evseUid, r.periodSec, r.downSec])).to.deep.equal([
        ['2026-03-28', 'EVSE-A1', 86_400, 3_600], ['2026-03-28', 'EVSE-B1', 86_400, 0],
        ['2026-03-29', 'EVSE-A1', 75_600, 12_600], ['2026-03-29', 'EVSE-B1', 86_400, 0],
      ]);
    });

    for (const metric of ['utilization', 'availability'] as const) {
      for (const per of ['bucket', 'evse']) {
        it(`should answer ${metric} (per=${per}) as the instant period does when the zone's instants coincide`, async () => {
          const byDates = await analytics.report(metric, query({ ...DATES, locationId: 'LOC-A', per }));
          const byInstants = await analytics.report(metric, query({ ...AMS_TWO_DAYS, locationId: 'LOC-A', per }));

          expect(byDates).to.have.length(2);
          expect(byDates).to.deep.equal(byInstants);
        });
      }
    }

    it('should take a local calendar month, the DST change making it 1 hour short, and stop at now', async () => {
      const month = await analytics.report('utilization', query({ from: '2026-03-01', to: '2026-04-01', groupBy: 'month', locationId: 'LOC-A' })) as BucketUtilizationRow[];
      const early = new AnalyticsService({ db: t.db, clock: fixedClock(new Date('2026-03-28T12:00:00Z')) });
      const cut = await early.report('availability', query({ ...DATES, locationId: 'LOC-B' })) as BucketAvailabilityRow[];

      expect(month.map((r) => [r.bucket, r.periodSec, r.chargingSec])).to.deep.equal([['2026-03-01', 31 * 86_400 - 3_600, 7_200]]);
      // New York's 28th from its local midnight (04:00Z) to now (12:00Z)
      expect(cut.map((r) => [r.bucket, r.periodSec])).to.deep.equal([['2026-03-28', 28_800]]);
    });

    it('should refuse local dates for the reports other than utilization and availability', async () => {
      for (const metric of ['sessions', 'revenue', 'failures'] as const) {
        await expectRejected(analytics.report(metric, query(DATES)), 'from: local dates');
      }
    });
  });

  it('should rank the chargers by faults, offline periods and failed starts', async () => {
    const rows = await analytics.report('failures', query(AMS_TWO_DAYS));

    expect(rows).to.deep.equal([
      { chargePointId: 'CP-A', locationId: 'LOC-A', faults: 1, offlineEvents: 1, failedStarts: 0, sessions: 1 },
      { chargePointId: 'CP-B', locationId: 'LOC-B', faults: 0, offlineEvents: 0, failedStarts: 1, sessions: 1 },
    ]);
  });
});
