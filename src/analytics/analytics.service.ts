import type { Db } from '../db/knex.ts';
import type { Clock } from '../shared/clock.ts';
import { mergeBucketRows, observedPeriod, share, uptime } from './analytics-query.ts';
import type {
  AnalyticsQuery, AnalyticsRow, AvailabilityRow, BucketAvailabilityRow, BucketUtilizationRow, EvseTimeRow, Metric, UtilizationRow,
} from './analytics.types.ts';
import { InvalidInput } from '../shared/errors.ts';
import { listAvailability, listAvailabilityByBucket, listUtilization, listUtilizationByBucket, listZonePeriods } from './evse-time.repo.ts';
import { analyticsSettings } from './query-settings.repo.ts';
import { listRevenue } from './revenue.repo.ts';
import { listSessionStats, listTopFailures } from './session-stats.repo.ts';

/**
 * Analytics (issue 9): each report is one SQL query over the stored sessions, CDRs, status history, faults
 * and maintenance windows. The time-based reports stop at the clock's now: the future is not observed, and
 * sum the whole days the analytics-rollup job stored (AnalyticsRollupService), computing the rest live.
 */
export class AnalyticsService {
  constructor(private readonly o: { db: Db; clock: Clock }) {}

  /** The rows of report `metric`; one read-only transaction each, without JIT (see analyticsSettings). */
  async report(metric: Metric, q: AnalyticsQuery): Promise<AnalyticsRow[]> {
    if (q.dates && metric !== 'utilization' && metric !== 'availability') {
      throw new InvalidInput('from: local dates (YYYY-MM-DD) apply to utilization and availability; give date-times for this report');
    }
    return this.o.db.transaction(async (trx) => {
      await analyticsSettings(trx);
      switch (metric) {
        case 'sessions': return listSessionStats(trx, q);
        case 'revenue': return listRevenue(trx, q);
        case 'failures': return listTopFailures(trx, q);
        case 'utilization': return this.utilization(trx, q);
        case 'availability': return this.availability(trx, q);
      }
    }, { readOnly: true });
  }

  /** `metric`'s rows for local dates: each time zone's EVSEs over that zone's instants, merged per bucket (or per EVSE). */
  private async byZone<T extends { bucket: string }>(db: Db, q: AnalyticsQuery & { dates: { from: string; to: string } },
    run: (zq: AnalyticsQuery, timeZone: string) => Promise<T[]>): Promise<T[]> {
    const now = this.o.clock.now();
    const parts: T[][] = [];
    for (const zone of await listZonePeriods(db, q)) {
      const period = observedPeriod({ ...q, from: zone.from, to: zone.to }, now);
      if (period) parts.push(await run({ ...q, ...period }, zone.timeZone));
    }
    if (q.per !== 'evse') return mergeBucketRows(parts);
    const key = (r: T) => { const e = r as unknown as EvseTimeRow; return [e.bucket, e.locationId, e.evseUid] as const; };
    return parts.flat().sort((a, b) => {
      const [x, y] = [key(a), key(b)];
      for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
      return 0;
    });
  }

  private async utilizationSeconds(db: Db, q: AnalyticsQuery): Promise<Array<Omit<UtilizationRow | BucketUtilizationRow, 'chargingShare' | 'occupiedShare'>>> {
    const { dates } = q;
    if (dates) {
      return this.byZone<Omit<UtilizationRow | BucketUtilizationRow, 'chargingShare' | 'occupiedShare'>>(db, { ...q, dates }, (zq, timeZone) =>
        (q.per === 'evse' ? listUtilization(db, zq, { rollups: true, timeZone }) : listUtilizationByBucket(db, zq, timeZone)));
    }
    const period = observedPeriod(q, this.o.clock.now());
    if (!period) return [];
    return q.per === 'evse' ? listUtilization(db, { ...q, ...period }, { rollups: true }) : listUtilizationByBucket(db, { ...q, ...period });
  }

  private async availabilitySeconds(db: Db, q: AnalyticsQuery): Promise<Array<Omit<AvailabilityRow | BucketAvailabilityRow, 'uptime'>>> {
    const { dates } = q;
    if (dates) {
      return this.byZone<Omit<AvailabilityRow | BucketAvailabilityRow, 'uptime'>>(db, { ...q, dates }, (zq, timeZone) =>
        (q.per === 'evse' ? listAvailability(db, zq, { rollups: true, timeZone }) : listAvailabilityByBucket(db, zq, timeZone)));
    }
    const period = observedPeriod(q, this.o.clock.now());
    if (!period) return [];
    return q.per === 'evse' ? listAvailability(db, { ...q, ...period }, { rollups: true }) : listAvailabilityByBucket(db, { ...q, ...period });
  }

  private async utilization(db: Db, q: AnalyticsQuery): Promise<AnalyticsRow[]> {
    const rows = await this.utilizationSeconds(db, q);
    return rows.map((r) => ({ ...r, chargingShare: share(r.chargingSec, r.periodSec), occupiedShare: share(r.occupiedSec, r.periodSec) }) as AnalyticsRow);
  }

  private async availability(db: Db, q: AnalyticsQuery): Promise<AnalyticsRow[]> {
    const rows = await this.availabilitySeconds(db, q);
    return rows.map((r) => ({ ...r, uptime: uptime(r.periodSec, r.downSec) }) as AnalyticsRow);
  }
}
