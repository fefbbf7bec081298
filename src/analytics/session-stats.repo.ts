import type { Db } from '../db/knex.ts';
import type { AnalyticsQuery, FailuresRow, SessionsRow } from './analytics.types.ts';
import { inDriverGroup, scopeConditions } from './scope.ts';

// Sessions are counted in the bucket of their start, in the time zone of their location (for a session at no
// location: its own party's time zone, else UTC). A start "delivered energy" when its energy_wh is above zero.
const SESSION_SCOPE = { location: 's.location_id', chargePoint: 's.charge_point_id', party: 'exists (select 1 from id_tokens t where t.id = s.token_fk and t.country_code = ? and t.party_id = ?)', group: inDriverGroup('s.id') };

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const round = (v: number | null, digits: number): number | null => (v === null ? null : Number(v.toFixed(digits)));

// Peak power is the highest Power.Active.Import reading (OCPP 1.6 §7.31, in W or kW: §7.45) taken in the
// bucket at the chargers in scope: read through a partial index by time, not session by session.
const PEAK_SCOPE = { location: 'cp.location_id', chargePoint: 'mv.charge_point_id', party: 'exists (select 1 from sessions s join id_tokens t on t.id = s.token_fk where s.id = mv.session_fk and t.country_code = ? and t.party_id = ?)', group: inDriverGroup('mv.session_fk') };

/** Sessions per local bucket: count, kWh, averages of the ended ones, success rate and peak power. */
export async function listSessionStats(db: Db, q: AnalyticsQuery): Promise<SessionsRow[]> {
  const scope = scopeConditions(q, SESSION_SCOPE);
  const peakScope = scopeConditions(q, PEAK_SCOPE);
  const { rows } = await db.raw(`
    with st as (
      select to_char(date_trunc(?, s.start_at at time zone coalesce(l.time_zone, pt.time_zone, 'UTC')), 'YYYY-MM-DD') as bucket,
        count(*)::int as sessions, coalesce(sum(s.energy_wh), 0)::float8 as energy_wh,
        (avg(extract(epoch from s.stop_at - s.start_at)) filter (where s.stop_at is not null))::float8 as avg_duration_sec,
        (avg(s.energy_wh) filter (where s.stop_at is not null))::float8 as avg_energy_wh,
        (count(*) filter (where s.energy_wh > 0))::float8 / count(*) as success_rate
      from sessions s left join locations l on l.id = s.location_id left join parties pt on pt.id = s.party_fk
      where s.start_at >= ? and s.start_at < ?${scope.sql}
      group by 1
    ), peak as (
      select to_char(date_trunc(?, mv.timestamp at time zone coalesce(l.time_zone, 'UTC')), 'YYYY-MM-DD') as bucket,
        max(case when mv.unit = 'kW' then mv.numeric_value * 1000 else mv.numeric_value end)::float8 as peak_w
      from meter_values mv join charge_points cp on cp.id = mv.charge_point_id left join locations l on l.id = cp.location_id
      where mv.measurand = 'Power.Active.Import' and mv.timestamp >= ? and mv.timestamp < ?${peakScope.sql}
      group by 1
    )
    select st.*, peak.peak_w from st left join peak using (bucket) order by st.bucket`,
  [q.groupBy, q.from, q.to, ...scope.bindings, q.groupBy, q.from, q.to, ...peakScope.bindings]);
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
