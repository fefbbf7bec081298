import type { Db } from '../db/knex.ts';
import type { Clock } from '../shared/clock.ts';
import { observedPeriod, share, uptime } from './analytics-query.ts';
import type { AnalyticsQuery, AnalyticsRow, Metric } from './analytics.types.ts';
import { listAvailability, listAvailabilityByBucket, listUtilization, listUtilizationByBucket } from './evse-time.repo.ts';
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

  private async utilization(db: Db, q: AnalyticsQuery): Promise<AnalyticsRow[]> {
    const period = observedPeriod(q, this.o.clock.now());
    if (!period) return [];
    const rows = q.per === 'evse' ? await listUtilization(db, { ...q, ...period }, { rollups: true }) : await listUtilizationByBucket(db, { ...q, ...period });
    return rows.map((r) => ({ ...r, chargingShare: share(r.chargingSec, r.periodSec), occupiedShare: share(r.occupiedSec, r.periodSec) }));
  }

  private async availability(db: Db, q: AnalyticsQuery): Promise<AnalyticsRow[]> {
    const period = observedPeriod(q, this.o.clock.now());
    if (!period) return [];
    const rows = q.per === 'evse' ? await listAvailability(db, { ...q, ...period }, { rollups: true }) : await listAvailabilityByBucket(db, { ...q, ...period });
    return rows.map((r) => ({ ...r, uptime: uptime(r.periodSec, r.downSec) }));
  }
}
