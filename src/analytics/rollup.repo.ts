import type { Db } from '../db/knex.ts';

// The daily roll-up of the time-based reports per EVSE and local day (evse_day_rollups) and its bookkeeping:
// analytics_rollup_state.rolled_until (the end of the latest day rolled: late data before it marks days dirty,
// see migration 20261205030000) and analytics_dirty.

export interface EvseDayRow {
  chargePointId: string;
  connectorId: number;
  /** Local date, YYYY-MM-DD. */
  day: string;
  timeZone: string;
  chargingSec: number;
  occupiedSec: number;
  maintenanceSec: number;
  downSec: number;
}

const EVSES = `select c.charge_point_id, c.connector_number, l.time_zone, (?::timestamptz at time zone l.time_zone)::date as today
  from connectors c join evses e on e.id = c.evse_fk and not e.is_removed join locations l on l.id = e.location_id
  where c.connector_number is not null`;

/** The latest start of the local day `now` falls in, over the zones of the locations with EVSEs (undefined: none). */
export async function findLatestDayStart(db: Db, now: Date): Promise<Date | undefined> {
  const { rows } = await db.raw(`select max(today::timestamp at time zone time_zone) as at from (${EVSES}) ev`, [now]);
  return rows[0]?.at ? new Date(rows[0].at) : undefined;
}

export async function getRolledUntil(db: Db): Promise<Date> {
  const { rows } = await db.raw('select rolled_until from analytics_rollup_state where id = 1');
  return rows[0].rolled_until instanceof Date ? rows[0].rolled_until : new Date(rows[0].rolled_until);
}

/**
 * Moves rolled_until to `until`. Share-locks the tables whose writes the triggers watch first: writes in
 * flight (which saw the old value and marked nothing dirty) commit before, so the roll-up's reads see them.
 * The lock is held for one update (it happens once per local day); it fails after 2 s of waiting (the job's
 * next run tries again) so that ingest never queues behind it for long.
 */
export async function advanceRolledUntil(trx: Db, until: Date): Promise<void> {
  // Writers queue behind a waiting lock: never wait long for one (a long write in flight), try again next run.
  await trx.raw("set local lock_timeout = '2s'");
  await trx.raw('lock table status_history, faults, maintenance_windows, sessions, meter_values, cdrs in share mode');
  await trx.raw('update analytics_rollup_state set rolled_until = greatest(rolled_until, ?) where id = 1', [until]);
}

/** Takes the dirty marks and deletes the stored days (and months) they make stale (those ending after the mark); the count of marks. */
export async function deleteDirtyDays(db: Db): Promise<number> {
  const { rows } = await db.raw(`with d as (delete from analytics_dirty returning charge_point_id, since),
    m as (select charge_point_id, min(since) as since from d group by 1),
    x as (delete from evse_day_rollups r using m where r.charge_point_id = m.charge_point_id and r.ends_at > m.since returning 1),
    y as (delete from evse_month_rollups r using m where r.charge_point_id = m.charge_point_id and r.ends_at > m.since returning 1)
    select (select count(*) from d)::int as marks`);
  return Number(rows[0].marks);
}

/** Per time zone, the first and last local day (≥ today − lookbackDays, < today) some EVSE has no stored day of. */
export async function listMissingDays(db: Db, now: Date, lookbackDays: number): Promise<Array<{ timeZone: string; first: string; last: string }>> {
  // Counted per EVSE first (one pass over the stored days): only an EVSE with fewer days than the window is
  // probed day by day, so a run with nothing to do costs no index probe per EVSE and day.
  const { rows } = await db.raw(`with ev as materialized (${EVSES}),
    stored as (
      select r.charge_point_id, r.connector_number, count(*) as n from evse_day_rollups r
      join ev on ev.charge_point_id = r.charge_point_id and ev.connector_number = r.connector_number and ev.time_zone = r.time_zone
      where r.day >= ev.today - ?::int and r.day < ev.today group by 1, 2
    ),
    incomplete as (select ev.* from ev left join stored s using (charge_point_id, connector_number) where coalesce(s.n, 0) < ?::int)
    select i.time_zone, to_char(min(i.today - g.n), 'YYYY-MM-DD') as first, to_char(max(i.today - g.n), 'YYYY-MM-DD') as last
    from incomplete i cross join generate_series(1, ?::int) g(n)
    where not exists (select 1 from evse_day_rollups r where r.charge_point_id = i.charge_point_id and r.connector_number = i.connector_number
      and r.day = i.today - g.n and r.time_zone = i.time_zone)
    group by 1 order by 1`, [now, lookbackDays, lookbackDays, lookbackDays]);
  return rows.map((r: Record<string, unknown>) => ({ timeZone: r.time_zone as string, first: r.first as string, last: r.last as string }));
}

/** Local days `first`..`last` of zone `timeZone` as periods of at most `days` days each (UTC instants). */
export async function listDayChunks(db: Db, o: { timeZone: string; first: string; last: string; days: number }): Promise<Array<{ from: Date; to: Date }>> {
  const { rows } = await db.raw(`select s::timestamp at time zone ?::text as "from", least(s + (?::int * interval '1 day'), ?::date + 1)::timestamp at time zone ?::text as "to"
    from generate_series(?::date, ?::date, ?::int * interval '1 day') s order by s`, [o.timeZone, o.days, o.last, o.timeZone, o.first, o.last, o.days]);
  return rows.map((r: Record<string, unknown>) => ({ from: new Date(r.from as string), to: new Date(r.to as string) }));
}

/** Stores days (replacing the same EVSE's same day). */
export async function upsertEvseDays(db: Db, days: readonly EvseDayRow[]): Promise<void> {
  for (let i = 0; i < days.length; i += 500) {
    await db('evse_day_rollups').insert(days.slice(i, i + 500).map((d) => ({
      charge_point_id: d.chargePointId, connector_number: d.connectorId, day: d.day, time_zone: d.timeZone,
      starts_at: db.raw('?::date::timestamp at time zone ?::text', [d.day, d.timeZone]), ends_at: db.raw('(?::date + 1)::timestamp at time zone ?::text', [d.day, d.timeZone]),
      charging_sec: String(d.chargingSec), occupied_sec: String(d.occupiedSec), maintenance_sec: String(d.maintenanceSec), down_sec: String(d.downSec),
    }))).onConflict(['charge_point_id', 'connector_number', 'day']).merge();
  }
}

/**
 * Stores the months of zone `timeZone` from the one holding local day `first` to the one holding `last` whose
 * every day is stored in that zone (replacing a month stored in another zone); the count of months stored.
 */
export async function storeFullMonths(db: Db, o: { timeZone: string; first: string; last: string }): Promise<number> {
  const { rows } = await db.raw(`insert into evse_month_rollups (charge_point_id, connector_number, month, time_zone, starts_at, ends_at,
      charging_sec, occupied_sec, maintenance_sec, down_sec)
    select r.charge_point_id, r.connector_number, date_trunc('month', r.day::timestamp)::date, r.time_zone, min(r.starts_at), max(r.ends_at),
      sum(r.charging_sec), sum(r.occupied_sec), sum(r.maintenance_sec), sum(r.down_sec)
    from evse_day_rollups r
    where r.time_zone = ?::text and r.day >= date_trunc('month', ?::date::timestamp)::date and r.day < (date_trunc('month', ?::date::timestamp) + interval '1 month')::date
    group by r.charge_point_id, r.connector_number, date_trunc('month', r.day::timestamp), r.time_zone
    having count(*) = extract(day from date_trunc('month', r.day::timestamp) + interval '1 month' - interval '1 day')
    on conflict (charge_point_id, connector_number, month) do update set time_zone = excluded.time_zone, starts_at = excluded.starts_at,
      ends_at = excluded.ends_at, charging_sec = excluded.charging_sec, occupied_sec = excluded.occupied_sec,
      maintenance_sec = excluded.maintenance_sec, down_sec = excluded.down_sec
    returning 1`, [o.timeZone, o.first, o.last]);
  return rows.length;
}
