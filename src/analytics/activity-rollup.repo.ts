import type { Db } from '../db/knex.ts';

// The daily roll-ups of the sessions, peak power and revenue reports (migration 20261206010100): one unit per
// time zone and local day (activity_day_units), its rows per location and charger and per location alone (sessions,
// power) or per location and currency (revenue). A session's zone is its location's, else its party's, else UTC (as the live report);
// a reading's is its charger's location's; a CDR's its cdr_location's, else its party's.

/** Every zone a bucket can be cut in: the locations', the parties' and UTC. */
export const ACTIVITY_ZONES = `select time_zone as tz from locations where time_zone is not null
  union select time_zone from parties where time_zone is not null union select 'UTC'`;

/**
 * CTEs of a report over p (f, t, g, use_units): zones; units, the stored days inside the period not made stale
 * since (late data marked, the job not run yet); live_mr, per zone
 * the period minus its stored days; scan, the union of those live ranges (the only times read live).
 */
export const ACTIVITY_UNITS = `
  zones as (${ACTIVITY_ZONES}),
  units as (
    select u.time_zone, u.day, u.starts_at, u.ends_at from p, activity_day_units u
    where p.use_units and u.starts_at >= p.f and u.starts_at < p.t and u.ends_at <= p.t
      and not exists (select 1 from analytics_activity_dirty d where u.ends_at > d.since)
  ),
  live_mr as (
    select z.tz, tstzmultirange(tstzrange(p.f, p.t)) - coalesce((select range_agg(tstzrange(u.starts_at, u.ends_at)) from units u where u.time_zone = z.tz), '{}'::tstzmultirange) as mr
    from zones z, p
  ),
  scan as (select unnest(range_agg(lr)) as r from live_mr cross join lateral unnest(live_mr.mr) lr)`;
export interface ActivityDay { day: string; from: Date; to: Date }

/** The latest start of the local day `now` falls in, over every zone a bucket can be cut in. */
export async function findLatestActivityDayStart(db: Db, now: Date): Promise<Date> {
  const { rows } = await db.raw(`select max((?::timestamptz at time zone z.tz)::date::timestamp at time zone z.tz) as at from (${ACTIVITY_ZONES}) z`, [now]);
  return new Date(rows[0].at);
}

/** Takes the late-data marks and deletes the stored days (of every zone) ending after the earliest; the count of marks. */
export async function deleteDirtyActivityDays(db: Db): Promise<number> {
  const { rows } = await db.raw(`with d as (delete from analytics_activity_dirty returning since),
    x as (delete from activity_day_units u where u.ends_at > (select min(since) from d) returning 1)
    select (select count(*) from d)::int as marks`);
  return Number(rows[0].marks);
}

/**
 * Per zone, the local days from today − lookbackDays to yesterday that have no unit yet and ended by `until`
 * (rolled_until: late data before it is marked dirty).
 */
export async function listMissingActivityDays(db: Db, o: { now: Date; lookbackDays: number; until: Date }): Promise<Map<string, ActivityDay[]>> {
  const { rows } = await db.raw(`select z.tz, to_char(d.day, 'YYYY-MM-DD') as day, d.day::timestamp at time zone z.tz as "from", (d.day + 1)::timestamp at time zone z.tz as "to"
    from (${ACTIVITY_ZONES}) z
    cross join lateral (select (?::timestamptz at time zone z.tz)::date - g as day from generate_series(1, ?::int) g) d
    where (d.day + 1)::timestamp at time zone z.tz <= ?::timestamptz
      and not exists (select 1 from activity_day_units u where u.time_zone = z.tz and u.day = d.day)
    order by 1, 2`, [o.now, o.lookbackDays, o.until]);
  const out = new Map<string, ActivityDay[]>();
  for (const r of rows as Array<Record<string, unknown>>) {
    const days = out.get(r.tz as string) ?? [];
    days.push({ day: r.day as string, from: new Date(r.from as string), to: new Date(r.to as string) });
    out.set(r.tz as string, days);
  }
  return out;
}

const DAYS = 'json_to_recordset(?::json) as d(day date, f timestamptz, t timestamptz)';

/**
 * Stores days `days` of zone `timeZone`: their units, then the sums of their sessions and peak readings per
 * location and charger and per location (charger null), and of their CDRs per location and currency.
 */
export async function storeActivityDays(db: Db, timeZone: string, days: readonly ActivityDay[]): Promise<void> {
  const json = JSON.stringify(days.map((d) => ({ day: d.day, f: d.from.toISOString(), t: d.to.toISOString() })));
  await db.raw(`insert into activity_day_units (time_zone, day, starts_at, ends_at) select ?::text, d.day, d.f, d.t from ${DAYS}`, [timeZone, json]);
  await db.raw(`insert into session_day_rollups (time_zone, day, location_id, charge_point_id, sessions, energy_wh, ended, ended_sec, ended_wh, delivered)
    select ?::text, d.day, s.location_id, s.charge_point_id, count(*), coalesce(sum(s.energy_wh), 0), count(*) filter (where s.stop_at is not null),
      coalesce(sum(extract(epoch from s.stop_at - s.start_at)) filter (where s.stop_at is not null), 0),
      coalesce(sum(s.energy_wh) filter (where s.stop_at is not null), 0), count(*) filter (where s.energy_wh > 0)
    from ${DAYS} join sessions s on s.start_at >= d.f and s.start_at < d.t
    left join locations l on l.id = s.location_id left join parties pt on pt.id = s.party_fk
    where coalesce(l.time_zone, pt.time_zone, 'UTC') = ?::text
    group by grouping sets ((d.day, s.location_id, s.charge_point_id), (d.day, s.location_id))`, [timeZone, json, timeZone]);
  await db.raw(`insert into power_day_rollups (time_zone, day, charge_point_id, location_id, peak_w)
    select ?::text, d.day, mv.charge_point_id, cp.location_id, max(case when mv.unit = 'kW' then mv.numeric_value * 1000 else mv.numeric_value end)
    from ${DAYS} join meter_values mv on mv.measurand = 'Power.Active.Import' and mv.timestamp >= d.f and mv.timestamp < d.t
    join charge_points cp on cp.id = mv.charge_point_id left join locations l on l.id = cp.location_id
    where coalesce(l.time_zone, 'UTC') = ?::text
    group by grouping sets ((d.day, mv.charge_point_id, cp.location_id), (d.day, cp.location_id))
    having max(mv.numeric_value) is not null`, [timeZone, json, timeZone]);
  await db.raw(`insert into revenue_day_rollups (time_zone, day, location_id, currency, cdrs, credits, kwh, excl, incl)
    select ?::text, d.day, c.body->'cdr_location'->>'id', c.currency, count(*) filter (where not c.credit), count(*) filter (where c.credit),
      sum(case when c.credit then -c.kwh else c.kwh end), sum(c.total_cost_excl_vat), sum(c.total_cost_incl_vat)
    from ${DAYS} join cdrs c on c.created_at >= d.f and c.created_at < d.t
    left join locations l on l.id = c.body->'cdr_location'->>'id' left join parties pt on pt.id = c.party_fk
    where coalesce(l.time_zone, pt.time_zone, 'UTC') = ?::text
    group by d.day, c.body->'cdr_location'->>'id', c.currency`, [timeZone, json, timeZone]);
}
