import type { Db } from '../db/knex.ts';
import type { AnalyticsQuery, AvailabilityRow, BucketAvailabilityRow, BucketUtilizationRow, UtilizationRow } from './analytics.types.ts';
import { scopeConditions } from './scope.ts';

// Time-based reports per EVSE (= connector: one EVSE per connector) and local bucket, from the status
// history: each StatusNotification holds until the next one of the same connector (the last one before a
// stretch is where the stretch starts). Every interval is cut at the local bucket edges of its location's
// time zone with generate_series over local times, so a bucket is 23 or 25 hours on a DST change day.
//
// Whole local days of the period that the analytics-rollup job stored (evse_day_rollups, cut in the EVSE's
// current time zone) are summed from there; the rest of the period (`live`: its partial first and last days,
// today, days not rolled yet or made dirty by late data, even before the job ran again) is computed from the
// history. Seconds stay numeric (exact) until the final sum, so the sum of stored and live days equals the live
// computation of the period (a stored day's seconds come back from float8 exactly: at most ~11 digits).

const EVSE_SCOPE = { location: 'e.location_id', chargePoint: 'c.charge_point_id' };

/** How the live part is read: `rollups: false` computes everything from the history (the job does). */
export interface EvseTimeOptions { rollups: boolean; timeZone?: string }

// p: the period, the bucket unit and its step; ev0: the EVSEs in scope; rolled: their stored whole months (for
// groupBy=month) and days in the period; ev: each EVSE with the multirange of the period left to compute live; kr: the live ranges per
// EVSE and status connector (its own and 0, OCPP 1.6 §4.9: the whole charger); h: status intervals within
// them; grid: every EVSE × bucket.
const BASE = (scopeSql: string) => `
  with p as (select ?::timestamptz as f, ?::timestamptz as t, ?::text as g, (?::text)::interval as step, ?::boolean as use_rollups),
  ev0 as (
    select c.charge_point_id, c.connector_number, e.uid, e.location_id, l.time_zone
    from connectors c join evses e on e.id = c.evse_fk and not e.is_removed join locations l on l.id = e.location_id
    where c.connector_number is not null${scopeSql}
  ),
  -- groupBy=month: stored months inside the period; then the stored days of the rest, probed per EVSE by time
  months as (
    select m.charge_point_id, m.connector_number, m.month as day, m.charging_sec, m.occupied_sec, m.maintenance_sec, m.down_sec, tstzrange(m.starts_at, m.ends_at) as dr
    from p, ev0 join evse_month_rollups m on m.charge_point_id = ev0.charge_point_id and m.connector_number = ev0.connector_number and m.time_zone = ev0.time_zone
    where p.use_rollups and p.g = 'month' and m.starts_at >= p.f and m.starts_at < p.t and m.ends_at <= p.t
      and not exists (select 1 from analytics_dirty d where d.charge_point_id = m.charge_point_id and m.ends_at > d.since)
  ),
  months_mr as (select charge_point_id, connector_number, range_agg(dr) as mr from months group by 1, 2),
  day_ranges as (
    select ev0.charge_point_id, ev0.connector_number, ev0.time_zone, lr
    from p, ev0 left join months_mr m using (charge_point_id, connector_number)
    cross join lateral unnest(tstzmultirange(tstzrange(p.f, p.t)) - coalesce(m.mr, '{}'::tstzmultirange)) lr
    where p.use_rollups
  ),
  rolled as (
    select * from months
    union all
    select r.charge_point_id, r.connector_number, r.day, r.charging_sec, r.occupied_sec, r.maintenance_sec, r.down_sec, tstzrange(r.starts_at, r.ends_at)
    from day_ranges dr cross join lateral (
      select r.* from evse_day_rollups r
      where r.charge_point_id = dr.charge_point_id and r.connector_number = dr.connector_number
        and r.starts_at >= lower(dr.lr) and r.starts_at < upper(dr.lr) and r.ends_at <= upper(dr.lr) and r.time_zone = dr.time_zone offset 0) r
    where not exists (select 1 from analytics_dirty d where d.charge_point_id = r.charge_point_id and r.ends_at > d.since)
  ),
  rolled_mr as (select charge_point_id, connector_number, range_agg(dr) as mr from rolled group by 1, 2),
  ev as (
    select ev0.*, tstzmultirange(tstzrange(p.f, p.t)) - coalesce(m.mr, '{}'::tstzmultirange) as live
    from ev0 cross join p left join rolled_mr m using (charge_point_id, connector_number)
  ),
  kr as (
    select k.charge_point_id, k.evse_conn, k.conn, lr from (
      select charge_point_id, connector_number as evse_conn, connector_number as conn, live from ev
      union all select charge_point_id, connector_number, 0, live from ev
    ) k cross join lateral unnest(k.live) lr
  ),
  h as (
    select x.charge_point_id, x.evse_conn, x.conn as connector_number, x.status,
      tstzrange(x.timestamp, coalesce(lead(x.timestamp) over (partition by x.charge_point_id, x.evse_conn, x.conn, x.lr order by x.timestamp, x.id), upper(x.lr))) * x.lr as r
    from (
      select h.id, kr.charge_point_id, kr.evse_conn, kr.conn, h.status, h.timestamp, kr.lr from kr cross join lateral (
        -- offset 0: an index range scan per live range (unnest's row estimate would make it a scan of the whole history)
        select h.id, h.status, h.timestamp from status_history h
        where h.charge_point_id = kr.charge_point_id and h.connector_number = kr.conn and h.timestamp >= lower(kr.lr) and h.timestamp < upper(kr.lr) offset 0) h
      union all
      select last.id, kr.charge_point_id, kr.evse_conn, kr.conn, last.status, last.timestamp, kr.lr from kr cross join lateral (
        select h.id, h.status, h.timestamp from status_history h
        where h.charge_point_id = kr.charge_point_id and h.connector_number = kr.conn and h.timestamp < lower(kr.lr)
        order by h.timestamp desc, h.id desc limit 1) last
    ) x
  ),
  grid as (
    select ev.*, b.loc as bucket,
      tstzrange(b.loc at time zone ev.time_zone, (b.loc + p.step) at time zone ev.time_zone) * tstzrange(p.f, p.t) as r
    from ev, p, generate_series(date_trunc(p.g, p.f at time zone ev.time_zone), p.t at time zone ev.time_zone, p.step) as b(loc)
  ),
  rolled_b as (
    select charge_point_id, connector_number, date_trunc(p.g, day::timestamp) as bucket, sum(charging_sec) as charging,
      sum(occupied_sec) as occupied, sum(maintenance_sec) as maint, sum(down_sec) as down
    from rolled, p group by 1, 2, 3
  )`;

/** A lateral split of range `range` into its pieces per local bucket of time zone `tz` (columns bucket, r). */
const split = (range: string, tz: string) => `cross join lateral (
    select loc as bucket,
      tstzrange(loc at time zone ${tz}, (loc + p.step) at time zone ${tz}) * (${range}) * tstzrange(p.f, p.t) as r
    from generate_series(date_trunc(p.g, greatest(lower(${range}), p.f) at time zone ${tz}), least(upper(${range}), p.t) at time zone ${tz}, p.step) as loc) x`;

/** Exact (numeric) seconds of multirange `mr`. */
const seconds = (mr: string) => `(select coalesce(sum(extract(epoch from upper(z) - lower(z))), 0) from unnest(${mr}) z)`;
const len = (r: string) => `coalesce(extract(epoch from upper(${r}) - lower(${r})), 0)`;

function bindings(q: AnalyticsQuery, o: EvseTimeOptions, scope: Array<string | number | Date>): Array<string | number | Date | boolean> {
  return [q.from, q.to, q.groupBy, `1 ${q.groupBy}`, o.rollups, ...scope];
}

/** The scope of `q`, and with `timeZone` only the EVSEs at locations in that zone (the job rolls per zone). */
function evseScope(q: AnalyticsQuery, o: EvseTimeOptions): { sql: string; bindings: Array<string | number | Date> } {
  const scope = scopeConditions(q, EVSE_SCOPE);
  if (o.timeZone === undefined) return scope;
  return { sql: `${scope.sql} and l.time_zone = ?`, bindings: [...scope.bindings, o.timeZone] };
}

type Raw = Record<string, unknown>;
const evseColumns = (r: Raw) => ({
  bucket: r.bucket as string, locationId: r.location_id as string, evseUid: r.uid as string,
  chargePointId: r.charge_point_id as string, connectorId: Number(r.connector_number), periodSec: Number(r.period_sec),
});

// OCPP 1.6 §7.7 ChargePointStatus: occupied = an EV is at the EVSE (from Preparing to Finishing).
const OCCUPIED = "('Preparing', 'Charging', 'SuspendedEV', 'SuspendedEVSE', 'Finishing')";

/** Seconds charging and occupied per EVSE and local bucket. */
export async function listUtilization(db: Db, q: AnalyticsQuery, o: EvseTimeOptions): Promise<Omit<UtilizationRow, 'chargingShare' | 'occupiedShare'>[]> {
  const scope = evseScope(q, o);
  const { rows } = await db.raw(`${BASE(scope.sql)},
  pieces as (
    select ev.charge_point_id, ev.connector_number, h.status, x.bucket, x.r
    from p, h join ev on ev.charge_point_id = h.charge_point_id and ev.connector_number = h.connector_number and h.evse_conn = h.connector_number ${split('h.r', 'ev.time_zone')}
    where h.status in ${OCCUPIED}
  ),
  agg as (
    select charge_point_id, connector_number, bucket,
      sum(${len('r')}) filter (where status = 'Charging') as charging, sum(${len('r')}) filter (where status in ${OCCUPIED}) as occupied
    from pieces group by 1, 2, 3
  )
  select to_char(g.bucket, 'YYYY-MM-DD') as bucket, g.location_id, g.uid, g.charge_point_id, g.connector_number, ${len('g.r')}::float8 as period_sec,
    (coalesce(a.charging, 0) + coalesce(rb.charging, 0))::float8 as charging, (coalesce(a.occupied, 0) + coalesce(rb.occupied, 0))::float8 as occupied
  from grid g left join agg a using (charge_point_id, connector_number, bucket) left join rolled_b rb using (charge_point_id, connector_number, bucket)
  where not isempty(g.r)
  order by g.bucket, g.location_id, g.uid`, bindings(q, o, scope.bindings));
  return rows.map((r: Raw) => ({ ...evseColumns(r), chargingSec: Number(r.charging), occupiedSec: Number(r.occupied) }));
}

// AFIR uptime: down = the connector or the whole charger Faulted/Unavailable, or the charger offline (an
// OFFLINE fault); maintenance windows (not cancelled; ended early at ended_at) leave the denominator. Both
// are kept to the EVSE's live ranges (its stored days are summed from rolled_b).
const DOWN_AND_MAINTENANCE = `,
  down_src as (
    select ev.charge_point_id, ev.connector_number, ev.time_zone, h.r from h
    join ev on ev.charge_point_id = h.charge_point_id and h.evse_conn = ev.connector_number
    where h.status in ('Faulted', 'Unavailable')
    union all
    select ev.charge_point_id, ev.connector_number, ev.time_zone, tstzrange(f.opened_at, greatest(f.opened_at, coalesce(f.cleared_at, p.t)))
    from faults f join ev on ev.charge_point_id = f.charge_point_id, p
    where f.kind = 'OFFLINE' and f.opened_at < p.t and (f.cleared_at is null or f.cleared_at > p.f)
  ),
  maint_src as (
    select ev.charge_point_id, ev.connector_number, ev.time_zone, tstzrange(w.starts_at, greatest(w.starts_at, coalesce(w.ended_at, w.ends_at))) as r
    from maintenance_windows w join ev on ev.charge_point_id = w.charge_point_id and (w.connector_id is null or w.connector_id = ev.connector_number), p
    where w.status <> 'CANCELLED' and w.starts_at < p.t and coalesce(w.ended_at, w.ends_at) > p.f
  ),
  down0 as (select d.charge_point_id, d.connector_number, x.bucket, range_agg(x.r) as mr from p, down_src d ${split('d.r', 'd.time_zone')} group by 1, 2, 3),
  maint0 as (select m.charge_point_id, m.connector_number, x.bucket, range_agg(x.r) as mr from p, maint_src m ${split('m.r', 'm.time_zone')} group by 1, 2, 3),
  down as (select d.charge_point_id, d.connector_number, d.bucket, d.mr * ev.live as mr from down0 d join ev using (charge_point_id, connector_number)),
  maint as (select m.charge_point_id, m.connector_number, m.bucket, m.mr * ev.live as mr from maint0 m join ev using (charge_point_id, connector_number))`;

/** Seconds observed (maintenance excluded), in maintenance and down per EVSE and local bucket. */
export async function listAvailability(db: Db, q: AnalyticsQuery, o: EvseTimeOptions): Promise<Omit<AvailabilityRow, 'uptime'>[]> {
  const scope = evseScope(q, o);
  const none = "'{}'::tstzmultirange";
  // A bucket without live down or maintenance time (most, once days are stored) skips the multirange arithmetic.
  const maintSec = `(case when m.mr is null then 0 else ${seconds('tstzmultirange(g.r) * m.mr')} end + coalesce(rb.maint, 0))`;
  const { rows } = await db.raw(`${BASE(scope.sql)}${DOWN_AND_MAINTENANCE}
  select to_char(g.bucket, 'YYYY-MM-DD') as bucket, g.location_id, g.uid, g.charge_point_id, g.connector_number,
    (${len('g.r')} - ${maintSec})::float8 as period_sec, ${maintSec}::float8 as maintenance_sec,
    (case when d.mr is null then 0 else ${seconds(`d.mr - coalesce(m.mr, ${none})`)} end + coalesce(rb.down, 0))::float8 as down_sec
  from grid g
  left join down d using (charge_point_id, connector_number, bucket)
  left join maint m using (charge_point_id, connector_number, bucket)
  left join rolled_b rb using (charge_point_id, connector_number, bucket)
  where not isempty(g.r)
  order by g.bucket, g.location_id, g.uid`, bindings(q, o, scope.bindings));
  return rows.map((r: Raw) => ({ ...evseColumns(r), maintenanceSec: Number(r.maintenance_sec), downSec: Number(r.down_sec) }));
}

// Per bucket (the default answer): the same seconds summed over the EVSEs in scope, without building a row per
// EVSE and bucket. The period is counted per time zone (EVSEs × the bucket's length in that zone), the stored
// days are summed per bucket, and only the live ranges go through the status history. Numeric until the end,
// so the answer is exact and equals the sum of the per-EVSE rows.
const BUCKETS = `,
  zgrid as (
    select z.n, b.loc as bucket, tstzrange(b.loc at time zone z.time_zone, (b.loc + p.step) at time zone z.time_zone) * tstzrange(p.f, p.t) as r
    from (select time_zone, count(*) as n from ev0 group by 1) z, p,
      generate_series(date_trunc(p.g, p.f at time zone z.time_zone), p.t at time zone z.time_zone, p.step) as b(loc)
  ),
  grid_b as (select bucket, sum(n)::int as evses, sum(n * ${len('r')}) as period from zgrid where not isempty(r) group by 1),
  rolled_bb as (
    select date_trunc(p.g, day::timestamp) as bucket, sum(charging_sec) as charging, sum(occupied_sec) as occupied,
      sum(maintenance_sec) as maint, sum(down_sec) as down
    from rolled, p group by 1
  )`;

/** Seconds charging and occupied per local bucket over the EVSEs in scope. */
export async function listUtilizationByBucket(db: Db, q: AnalyticsQuery, timeZone?: string): Promise<Omit<BucketUtilizationRow, 'chargingShare' | 'occupiedShare'>[]> {
  const scope = evseScope(q, { rollups: true, timeZone });
  const { rows } = await db.raw(`${BASE(scope.sql)}${BUCKETS},
  agg as (
    select x.bucket, sum(${len('x.r')}) filter (where h.status = 'Charging') as charging, sum(${len('x.r')}) as occupied
    from p, h join ev on ev.charge_point_id = h.charge_point_id and ev.connector_number = h.connector_number and h.evse_conn = h.connector_number ${split('h.r', 'ev.time_zone')}
    where h.status in ${OCCUPIED}
    group by 1
  )
  select to_char(g.bucket, 'YYYY-MM-DD') as bucket, g.evses, g.period::float8 as period_sec,
    (coalesce(a.charging, 0) + coalesce(rb.charging, 0))::float8 as charging, (coalesce(a.occupied, 0) + coalesce(rb.occupied, 0))::float8 as occupied
  from grid_b g left join agg a using (bucket) left join rolled_bb rb using (bucket)
  order by g.bucket`, bindings(q, { rollups: true }, scope.bindings));
  return rows.map((r: Raw) => ({
    bucket: r.bucket as string, evses: Number(r.evses), periodSec: Number(r.period_sec), chargingSec: Number(r.charging), occupiedSec: Number(r.occupied),
  }));
}

/** Seconds observed (maintenance excluded), in maintenance and down per local bucket over the EVSEs in scope. */
export async function listAvailabilityByBucket(db: Db, q: AnalyticsQuery, timeZone?: string): Promise<Omit<BucketAvailabilityRow, 'uptime'>[]> {
  const scope = evseScope(q, { rollups: true, timeZone });
  const none = "'{}'::tstzmultirange";
  const { rows } = await db.raw(`${BASE(scope.sql)}${DOWN_AND_MAINTENANCE}${BUCKETS},
  live_b as (
    select bucket, sum(case when m.mr is null then 0 else ${seconds('m.mr')} end) as maint,
      sum(case when d.mr is null then 0 else ${seconds(`d.mr - coalesce(m.mr, ${none})`)} end) as down
    from down d full join maint m using (charge_point_id, connector_number, bucket)
    group by 1
  ),
  tot as (
    select g.bucket, g.evses, g.period, coalesce(l.maint, 0) + coalesce(rb.maint, 0) as maint, coalesce(l.down, 0) + coalesce(rb.down, 0) as down
    from grid_b g left join live_b l using (bucket) left join rolled_bb rb using (bucket)
  )
  select to_char(bucket, 'YYYY-MM-DD') as bucket, evses, (period - maint)::float8 as period_sec, maint::float8 as maintenance_sec, down::float8 as down_sec
  from tot order by bucket`, bindings(q, { rollups: true }, scope.bindings));
  return rows.map((r: Raw) => ({
    bucket: r.bucket as string, evses: Number(r.evses), periodSec: Number(r.period_sec), maintenanceSec: Number(r.maintenance_sec), downSec: Number(r.down_sec),
  }));
}

/**
 * A local-date period (`q.dates`) as instants per time zone of the EVSEs in scope: from the start of local day
 * dates.from to the start of local day dates.to in that zone.
 */
export async function listZonePeriods(db: Db, q: AnalyticsQuery & { dates: { from: string; to: string } }): Promise<Array<{ timeZone: string; from: Date; to: Date }>> {
  const scope = scopeConditions(q, EVSE_SCOPE);
  const { rows } = await db.raw(`select z.time_zone, ?::date::timestamp at time zone z.time_zone as f, ?::date::timestamp at time zone z.time_zone as t
    from (select distinct l.time_zone
      from connectors c join evses e on e.id = c.evse_fk and not e.is_removed join locations l on l.id = e.location_id
      where c.connector_number is not null${scope.sql}) z
    order by 1`, [q.dates.from, q.dates.to, ...scope.bindings]);
  return rows.map((r: Raw) => ({ timeZone: r.time_zone as string, from: new Date(r.f as string), to: new Date(r.t as string) }));
}
