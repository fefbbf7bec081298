import type { Db } from '../db/knex.ts';
import type { Clock } from '../shared/clock.ts';
import type { AnalyticsQuery } from './analytics.types.ts';
import { listAvailability, listUtilization } from './evse-time.repo.ts';
import { deleteDirtyActivityDays, findLatestActivityDayStart, listMissingActivityDays, storeActivityDays } from './activity-rollup.repo.ts';
import { analyticsSettings } from './query-settings.repo.ts';
import {
  advanceRolledUntil, deleteDirtyDays, findLatestDayStart, getRolledUntil, listDayChunks, listMissingDays, storeFullMonths, upsertEvseDays, type EvseDayRow,
} from './rollup.repo.ts';

/** Days computed per statement: a month of a zone's EVSEs at a time keeps each transaction short. */
const CHUNK_DAYS = 31;

/**
 * The analytics-rollup job (issue 9): stores the utilization and availability seconds of every EVSE for each
 * whole local day that has ended, computed by the same live queries the reports use, so stored and live days
 * are equal, and then the sum of each local month whose days are all stored (evse_month_rollups). Idempotent: a
 * run stores the days missing (new days, days made dirty by late data, days of an EVSE whose location changed
 * zone), their complete months, and nothing else.
 */
export class AnalyticsRollupService {
  constructor(private readonly o: { db: Db; clock: Clock; lookbackDays: number }) {}

  async run(): Promise<{ dirtyMarks: number; days: number; months: number; activityDays: number }> {
    const now = this.o.clock.now();
    await this.advance(now);
    const activityDays = await this.rollActivity(now);
    const dirtyMarks = await this.o.db.transaction((trx) => deleteDirtyDays(trx));
    let days = 0;
    let months = 0;
    const missing = await this.o.db.transaction(async (trx) => {
      await analyticsSettings(trx);
      return listMissingDays(trx, now, this.o.lookbackDays);
    });
    for (const zone of missing) {
      for (const chunk of await listDayChunks(this.o.db, { ...zone, days: CHUNK_DAYS })) {
        days += await this.rollChunk(zone.timeZone, chunk);
      }
      // the months the days stored fall in, each once all its days are stored (a year by month reads these)
      months += await this.o.db.transaction((trx) => storeFullMonths(trx, zone));
    }
    return { dirtyMarks, days, months, activityDays };
  }

  // The sessions, peak power and revenue days (activity_day_units) of every zone: stale ones deleted, missing
  // ones that ended by rolled_until stored, a month of a zone per transaction.
  private async rollActivity(now: Date): Promise<number> {
    await this.o.db.transaction((trx) => deleteDirtyActivityDays(trx));
    const until = await getRolledUntil(this.o.db);
    const missing = await listMissingActivityDays(this.o.db, { now, lookbackDays: this.o.lookbackDays, until });
    let stored = 0;
    for (const [timeZone, days] of missing) {
      for (let i = 0; i < days.length; i += CHUNK_DAYS) {
        const chunk = days.slice(i, i + CHUNK_DAYS);
        await this.o.db.transaction(async (trx) => {
          await analyticsSettings(trx);
          await storeActivityDays(trx, timeZone, chunk);
        });
        stored += chunk.length;
      }
    }
    return stored;
  }

  // Before rolling a day, late writes dated in it must mark it dirty: rolled_until moves first, in its own
  // transaction, and only when a zone's day ended since (the share lock waits for writes in flight).
  private async advance(now: Date): Promise<void> {
    const evse = await findLatestDayStart(this.o.db, now);
    const activity = await findLatestActivityDayStart(this.o.db, now);
    const latest = evse && evse.getTime() > activity.getTime() ? evse : activity;
    if (latest.getTime() <= (await getRolledUntil(this.o.db)).getTime()) return;
    await this.o.db.transaction((trx) => advanceRolledUntil(trx, latest));
  }

  private async rollChunk(timeZone: string, period: { from: Date; to: Date }): Promise<number> {
    return this.o.db.transaction(async (trx) => {
      await analyticsSettings(trx);
      const q: AnalyticsQuery = { ...period, groupBy: 'day', limit: 10 };
      const opts = { rollups: false, timeZone };
      const utilization = await listUtilization(trx, q, opts);
      const availability = new Map((await listAvailability(trx, q, opts)).map((a) => [`${a.chargePointId}|${a.connectorId}|${a.bucket}`, a]));
      const rows: EvseDayRow[] = utilization.map((u) => {
        const a = availability.get(`${u.chargePointId}|${u.connectorId}|${u.bucket}`);
        return {
          chargePointId: u.chargePointId, connectorId: u.connectorId, day: u.bucket, timeZone,
          chargingSec: u.chargingSec, occupiedSec: u.occupiedSec, maintenanceSec: a?.maintenanceSec ?? 0, downSec: a?.downSec ?? 0,
        };
      });
      await upsertEvseDays(trx, rows);
      return rows.length;
    });
  }
}
