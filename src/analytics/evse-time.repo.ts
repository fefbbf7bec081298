import type { Db } from '../db/knex.ts';
import type { AnalyticsQuery, AvailabilityRow, UtilizationRow } from './analytics.types.ts';
import { scopeConditions } from './scope.ts';

// Time-based reports per EVSE (= connector: one EVSE per connector) and local bucket, from the status
// history: each StatusNotification holds until the next one of the same connector (the last one before the
// period is where the period starts). Every interval is cut at the local bucket edges of its location's
// time zone with generate_series over local times, so a bucket is 23 or 25 hours on a DST change day.

const EVSE_SCOPE = { location: 'e.location_id', chargePoint: 'c.charge_point_id' };

// p: the period, the bucket unit and its step; ev: the EVSEs in scope; h: status intervals of their
// connectors and of connector 0 (OCPP 1.6 §4.9: the whole charger); grid: every EVSE × bucket.
const BASE = (scopeSql: string) => `
  with p as (select ?::timestamptz as f, ?::timestamptz as t, ?::text as g, (?::text)::interval as step),
  ev as (
    select c.charge_point_id, c.connector_number, e.uid, e.location_id, l.time_zone
    from connectors c join evses e on e.id = c.evse_fk and not e.is_removed join locations l on l.id = e.location_id
    where c.connector_number is not null${scopeSql}
  ),
  k as (select charge_point_id, connector_number from ev union select charge_point_id, 0 from ev),
  h as (
    select x.charge_point_id, x.connector_number, x.status,
      tstzrange(x.timestamp, coalesce(lead(x.timestamp) over (partition by x.charge_point_id, x.connector_number order by x.timestamp, x.id), p.t)) as r
    from (
      select h.id, h.charge_point_id, h.connector_number, h.status, h.timestamp from status_history h, p
      where h.timestamp >= p.f and h.timestamp < p.t and (h.charge_point_id, h.connector_number) in (select * from k)
      union all
      select last.* from k, p cross join lateral (
        select h.id, h.charge_point_id, h.connector_number, h.status, h.timestamp from status_history h
        where h.charge_point_id = k.charge_point_id and h.connector_number = k.connector_number and h.timestamp < p.f
        order by h.timestamp desc, h.id desc limit 1) last
    ) x, p
  ),
  grid as (
    select ev.*, b.loc as bucket,
      tstzrange(b.loc at time zone ev.time_zone, (b.loc + p.step) at time zone ev.time_zone) * tstzrange(p.f, p.t) as r
    from ev, p, generate_series(date_trunc(p.g, p.f at time zone ev.time_zone), p.t at time zone ev.time_zone, p.step) as b(loc)
  )`;

/** A lateral split of range `range` into its pieces per local bucket of time zone `tz` (columns bucket, r). */
const split = (range: string, tz: string) => `cross join lateral (
    select loc as bucket,
      tstzrange(loc at time zone ${tz}, (loc + p.step) at time zone ${tz}) * (${range}) * tstzrange(p.f, p.t) as r
    from generate_series(date_trunc(p.g, greatest(lower(${range}), p.f) at time zone ${tz}), least(upper(${range}), p.t) at time zone ${tz}, p.step) as loc) x`;

const seconds = (mr: string) => `(select coalesce(sum(extract(epoch from upper(z) - lower(z))), 0) from unnest(${mr}) z)::float8`;
const len = (r: string) => `coalesce(extract(epoch from upper(${r}) - lower(${r})), 0)`;

function bindings(q: AnalyticsQuery, scope: Array<string | number | Date>): Array<string | number | Date> {
  return [q.from, q.to, q.groupBy, `1 ${q.groupBy}`, ...scope];
}

type Raw = Record<string, unknown>;
const evseColumns = (r: Raw) => ({
  bucket: r.bucket as string, locationId: r.location_id as string, evseUid: r.uid as string,
  chargePointId: r.charge_point_id as string, connectorId: Number(r.connector_number), periodSec: Number(r.period_sec),
});

// OCPP 1.6 §7.7 ChargePointStatus: occupied = an EV is at the EVSE (from Preparing to Finishing).
const OCCUPIED = "('Preparing', 'Charging', 'SuspendedEV', 'SuspendedEVSE', 'Finishing')";

/** Seconds charging and occupied per EVSE and local bucket. */
export async function listUtilization(db: Db, q: AnalyticsQuery): Promise<Omit<UtilizationRow, 'chargingShare' | 'occupiedShare'>[]> {
  const scope = scopeConditions(q, EVSE_SCOPE);
  const { rows } = await db.raw(`${BASE(scope.sql)},
  pieces as (
    select ev.charge_point_id, ev.connector_number, h.status, x.bucket, x.r
    from p, h join ev on ev.charge_point_id = h.charge_point_id and ev.connector_number = h.connector_number ${split('h.r', 'ev.time_zone')}
    where h.status in ${OCCUPIED}
  ),
  agg as (
    select charge_point_id, connector_number, bucket,
      sum(${len('r')}) filter (where status = 'Charging') as charging, sum(${len('r')}) filter (where status in ${OCCUPIED}) as occupied
    from pieces group by 1, 2, 3
  )
  select to_char(g.bucket, 'YYYY-MM-DD') as bucket, g.location_id, g.uid, g.charge_point_id, g.connector_number, ${len('g.r')}::float8 as period_sec,
    coalesce(a.charging, 0)::float8 as charging, coalesce(a.occupied, 0)::float8 as occupied
  from grid g left join agg a using (charge_point_id, connector_number, bucket)
  where not isempty(g.r)
  order by g.bucket, g.location_id, g.uid`, bindings(q, scope.bindings));
  return rows.map((r: Raw) => ({ ...evseColumns(r), chargingSec: Number(r.charging), occupiedSec: Number(r.occupied) }));
}

// AFIR uptime: down = the connector or the whole charger Faulted/Unavailable, or the charger offline (an
// OFFLINE fault); maintenance windows (not cancelled; ended early at ended_at) leave the denominator.
const DOWN_AND_MAINTENANCE = `,
  down_src as (
    select ev.charge_point_id, ev.connector_number, ev.time_zone, h.r from h
    join ev on ev.charge_point_id = h.charge_point_id and h.connector_number in (0, ev.connector_number)
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
  down as (select d.charge_point_id, d.connector_number, x.bucket, range_agg(x.r) as mr from p, down_src d ${split('d.r', 'd.time_zone')} group by 1, 2, 3),
  maint as (select m.charge_point_id, m.connector_number, x.bucket, range_agg(x.r) as mr from p, maint_src m ${split('m.r', 'm.time_zone')} group by 1, 2, 3)`;

/** Seconds observed (maintenance excluded), in maintenance and down per EVSE and local bucket. */
export async function listAvailability(db: Db, q: AnalyticsQuery): Promise<Omit<AvailabilityRow, 'uptime'>[]> {
  const scope = scopeConditions(q, EVSE_SCOPE);
  const none = "'{}'::tstzmultirange";
  const { rows } = await db.raw(`${BASE(scope.sql)}${DOWN_AND_MAINTENANCE}
  select to_char(g.bucket, 'YYYY-MM-DD') as bucket, g.location_id, g.uid, g.charge_point_id, g.connector_number,
    ${seconds(`tstzmultirange(g.r) - coalesce(m.mr, ${none})`)} as period_sec,
    ${seconds(`tstzmultirange(g.r) * coalesce(m.mr, ${none})`)} as maintenance_sec,
    ${seconds(`coalesce(d.mr, ${none}) - coalesce(m.mr, ${none})`)} as down_sec
  from grid g
  left join down d using (charge_point_id, connector_number, bucket)
  left join maint m using (charge_point_id, connector_number, bucket)
  where not isempty(g.r)
  order by g.bucket, g.location_id, g.uid`, bindings(q, scope.bindings));
  return rows.map((r: Raw) => ({ ...evseColumns(r), maintenanceSec: Number(r.maintenance_sec), downSec: Number(r.down_sec) }));
}
