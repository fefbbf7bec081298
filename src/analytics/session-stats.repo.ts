import type { Db } from '../db/knex.ts';
import type { AnalyticsQuery, FailuresRow, SessionsRow } from './analytics.types.ts';
import { ACTIVITY_UNITS } from './activity-rollup.repo.ts';
import { inDriverGroup, scopeConditions } from './scope.ts';

// Sessions are counted in the bucket of their start, in the time zone of their location (for a session at no
// location: its own party's time zone, else UTC). A start "delivered energy" when its energy_wh is above zero.
const SESSION_SCOPE = { location: 's.location_id', chargePoint: 's.charge_point_id', party: 'exists (select 1 from id_tokens t where t.id = s.token_fk and t.country_code = ? and t.party_id = ?)', group: inDriverGroup('s.id') };

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const round = (v: number | null, digits: number): number | null => (v === null ? null : Number(v.toFixed(digits)));

// Peak power is the highest Power.Active.Import reading (OCPP 1.6 §7.31, in W or kW: §7.45) taken in the
// bucket at the chargers in scope: read through a partial index by time, not session by session.
const PEAK_SCOPE = { location: 'cp.location_id', chargePoint: 'mv.charge_point_id', party: 'exists (select 1 from sessions s join id_tokens t on t.id = s.token_fk where s.id = mv.session_fk and t.country_code = ? and t.party_id = ?)', group: inDriverGroup('mv.session_fk') };

// Stored days (activity_day_units, see activity-rollup.repo.ts) are summed per bucket; the rest of the period
// (per zone: its partial first and last days, today, days not stored yet or made stale) is read live, scanning
// only those ranges. A filter on the eMSP party or a driver group reads everything live (the days are not kept
// per token). Every figure is kept as a sum (numeric) until the end, so stored and live days add up exactly.
const STORED_SCOPE = { location: 'r.location_id', chargePoint: 'r.charge_point_id' };

/** The stored rows' scope: a charger's rows for a charger filter, else the per-location rows (charger null). */
function storedScope(q: AnalyticsQuery): { sql: string; bindings: Array<string | number | Date> } {
  const part = scopeConditions({ ...q, party: undefined, groupId: undefined }, STORED_SCOPE);
  return q.chargePointId === undefined ? { ...part, sql: `${part.sql} and r.charge_point_id is null` } : part;
}

/** Sessions per local bucket: count, kWh, averages of the ended ones, success rate and peak power. */
export async function listSessionStats(db: Db, q: AnalyticsQuery): Promise<SessionsRow[]> {
  const scope = scopeConditions(q, SESSION_SCOPE);
  const peakScope = scopeConditions(q, PEAK_SCOPE);
  const useUnits = q.party === undefined && q.groupId === undefined;
  const stored = storedScope(q);
  const storedPeak = storedScope(q);
  const { rows } = await db.raw(`
    with p as (select ?::timestamptz as f, ?::timestamptz as t, ?::text as g, ?::boolean as use_units),${ACTIVITY_UNITS},
    live_s as (
      select x.* from scan cross join lateral (
        select s.start_at, s.stop_at, s.energy_wh, coalesce(l.time_zone, pt.time_zone, 'UTC') as tz
        from sessions s left join locations l on l.id = s.location_id left join parties pt on pt.id = s.party_fk
        where s.start_at >= lower(scan.r) and s.start_at < upper(scan.r)${scope.sql} offset 0) x
      join live_mr m on m.tz = x.tz and m.mr @> x.start_at
    ),
    st as (
      select b, sum(n) as n, sum(wh) as wh, sum(ended) as ended, sum(ended_sec) as ended_sec, sum(ended_wh) as ended_wh, sum(delivered) as delivered from (
        select date_trunc(p.g, x.start_at at time zone x.tz) as b, count(*) as n, coalesce(sum(x.energy_wh), 0) as wh,
          count(*) filter (where x.stop_at is not null) as ended, coalesce(sum(extract(epoch from x.stop_at - x.start_at)) filter (where x.stop_at is not null), 0) as ended_sec,
          coalesce(sum(x.energy_wh) filter (where x.stop_at is not null), 0) as ended_wh, count(*) filter (where x.energy_wh > 0) as delivered
        from live_s x, p group by 1
        union all
        select date_trunc(p.g, r.day::timestamp), sum(r.sessions), sum(r.energy_wh), sum(r.ended), sum(r.ended_sec), sum(r.ended_wh), sum(r.delivered)
        from units u join session_day_rollups r using (time_zone, day), p where true${stored.sql} group by 1
      ) y group by b
    ),
    peak as (
      select b, max(w) as peak_w from (
        select date_trunc(p.g, x.timestamp at time zone x.tz) as b, max(x.w) as w from p, scan cross join lateral (
          select mv.timestamp, coalesce(l.time_zone, 'UTC') as tz, case when mv.unit = 'kW' then mv.numeric_value * 1000 else mv.numeric_value end as w
          from meter_values mv join charge_points cp on cp.id = mv.charge_point_id left join locations l on l.id = cp.location_id
          where mv.measurand = 'Power.Active.Import' and mv.timestamp >= lower(scan.r) and mv.timestamp < upper(scan.r)${peakScope.sql} offset 0) x
        join live_mr m on m.tz = x.tz and m.mr @> x.timestamp
        group by 1
        union all
        select date_trunc(p.g, r.day::timestamp), max(r.peak_w) from units u join power_day_rollups r using (time_zone, day), p where true${storedPeak.sql} group by 1
      ) y group by b
    )
    select to_char(st.b, 'YYYY-MM-DD') as bucket, st.n::int as sessions, st.wh::float8 as energy_wh,
      (st.ended_sec / nullif(st.ended, 0))::float8 as avg_duration_sec, (st.ended_wh / nullif(st.ended, 0))::float8 as avg_energy_wh,
      st.delivered::float8 / st.n as success_rate, peak.peak_w::float8 as peak_w
    from st left join peak using (b) order by st.b`,
  [q.from, q.to, q.groupBy, useUnits, ...scope.bindings, ...stored.bindings, ...peakScope.bindings, ...storedPeak.bindings]);
  return rows.map((r: Record<string, unknown>) => ({
    bucket: r.bucket as string,
    sessions: Number(r.sessions),
    energyKwh: Number(r.energy_wh) / 1000,
    avgDurationMin: round(num(r.avg_duration_sec) === null ? null : Number(r.avg_duration_sec) / 60, 2),
    avgEnergyKwh: round(num(r.avg_energy_wh) === null ? null : Number(r.avg_energy_wh) / 1000, 3),
    successRate: round(num(r.success_rate), 4),
    peakPowerKw: round(num(r.peak_w) === null ? null : Number(r.peak_w) / 1000, 3),
  }));
}

/**
 * The chargers with the most failures in the period: faults opened (status errors and offline periods) and
 * failed starts (ended sessions that delivered no energy), worst first.
 */
export async function listTopFailures(db: Db, q: AnalyticsQuery): Promise<FailuresRow[]> {
  const scope = scopeConditions({ ...q, party: undefined, groupId: undefined }, { location: 'cp.location_id', chargePoint: 'cp.id' });
  const { rows } = await db.raw(`
    select cp.id, cp.location_id, coalesce(f.faults, 0)::int as faults, coalesce(f.offline, 0)::int as offline,
      coalesce(st.failed, 0)::int as failed, coalesce(st.total, 0)::int as total
    from charge_points cp
    left join (select charge_point_id, count(*) filter (where kind <> 'OFFLINE') as faults, count(*) filter (where kind = 'OFFLINE') as offline
      from faults where opened_at >= ? and opened_at < ? group by charge_point_id) f on f.charge_point_id = cp.id
    left join (select charge_point_id, count(*) filter (where stop_at is not null and energy_wh = 0) as failed, count(*) as total
      from sessions where start_at >= ? and start_at < ? group by charge_point_id) st on st.charge_point_id = cp.id
    where (f.faults > 0 or f.offline > 0 or st.failed > 0)${scope.sql}
    order by coalesce(f.faults, 0) + coalesce(f.offline, 0) + coalesce(st.failed, 0) desc, cp.id
    limit ?`, [q.from, q.to, q.from, q.to, ...scope.bindings, q.limit]);
  return rows.map((r: Record<string, unknown>) => ({
    chargePointId: r.id as string, locationId: (r.location_id as string | null) ?? null,
    faults: Number(r.faults), offlineEvents: Number(r.offline), failedStarts: Number(r.failed), sessions: Number(r.total),
  }));
}
