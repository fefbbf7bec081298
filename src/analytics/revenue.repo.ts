import type { Db } from '../db/knex.ts';
import type { AnalyticsQuery, RevenueRow } from './analytics.types.ts';
import { ACTIVITY_UNITS } from './activity-rollup.repo.ts';
import { inDriverGroup, scopeConditions } from './scope.ts';

// Revenue from the CDRs, per currency (never summed across currencies), in the bucket of the CDR's creation
// in its location's time zone. A credit CDR (OCPI 2.2.1 cdrs §10.2.1.1) has a negative total_cost and
// positive volumes: amounts net by summing, kWh by subtracting its volume. The location is the CDR's own
// cdr_location (required in OCPI 2.2.1 cdrs §10.4.2); the charger, which a CDR does not name, is its
// session's (a credit CDR's: its original's), looked up only when asked for: a join per CDR costs 5×.
const CDR_CHARGER = `(select s.charge_point_id from sessions s where s.id = coalesce(c.session_fk,
  (select o.session_fk from cdrs o where c.credit and o.party_fk = c.party_fk and o.cdr_id = c.credit_reference_id)))`;
const REVENUE_SCOPE = {
  location: "c.body->'cdr_location'->>'id'",
  chargePoint: CDR_CHARGER,
  party: "c.body->'cdr_token'->>'country_code' = ? and c.body->'cdr_token'->>'party_id' = ?",
  // A credit CDR counts for the group of its original's session.
  group: inDriverGroup(`coalesce(c.session_fk, (select o.session_fk from cdrs o where c.credit and o.party_fk = c.party_fk and o.cdr_id = c.credit_reference_id))`),
};

/**
 * Revenue per local bucket and currency, excl. and incl. VAT, credits netted. Stored days (activity_day_units)
 * are summed per bucket and the rest read live (see listSessionStats); a filter on the charger, the eMSP party or
 * a driver group reads everything live (the days are kept per location and currency only).
 */
export async function listRevenue(db: Db, q: AnalyticsQuery): Promise<RevenueRow[]> {
  const scope = scopeConditions(q, REVENUE_SCOPE);
  const useUnits = q.party === undefined && q.groupId === undefined && q.chargePointId === undefined;
  const stored = scopeConditions({ ...q, party: undefined, groupId: undefined, chargePointId: undefined }, { location: 'r.location_id', chargePoint: '' });
  const { rows } = await db.raw(`
    with p as (select ?::timestamptz as f, ?::timestamptz as t, ?::text as g, ?::boolean as use_units),${ACTIVITY_UNITS},
    live_c as (
      select x.* from scan cross join lateral (
        select c.created_at, c.currency, c.credit, c.kwh, c.total_cost_excl_vat, c.total_cost_incl_vat, coalesce(l.time_zone, pt.time_zone, 'UTC') as tz
        from cdrs c left join locations l on l.id = c.body->'cdr_location'->>'id' left join parties pt on pt.id = c.party_fk
        where c.created_at >= lower(scan.r) and c.created_at < upper(scan.r)${scope.sql} offset 0) x
      join live_mr m on m.tz = x.tz and m.mr @> x.created_at
    )
    select to_char(b, 'YYYY-MM-DD') as bucket, currency, sum(cdrs)::int as cdrs, sum(credits)::int as credits,
      sum(kwh)::text as kwh, sum(excl)::text as excl, sum(incl)::text as incl
    from (
      select date_trunc(p.g, x.created_at at time zone x.tz) as b, x.currency,
        count(*) filter (where not x.credit) as cdrs, count(*) filter (where x.credit) as credits,
        sum(case when x.credit then -x.kwh else x.kwh end) as kwh, sum(x.total_cost_excl_vat) as excl, sum(x.total_cost_incl_vat) as incl
      from live_c x, p group by 1, 2
      union all
      select date_trunc(p.g, r.day::timestamp), r.currency, sum(r.cdrs), sum(r.credits), sum(r.kwh), sum(r.excl), sum(r.incl)
      from units u join revenue_day_rollups r using (time_zone, day), p where true${stored.sql} group by 1, 2
    ) y
    group by b, currency order by b, currency`, [q.from, q.to, q.groupBy, useUnits, ...scope.bindings, ...stored.bindings]);
  return rows.map((r: Record<string, unknown>) => ({
    bucket: r.bucket as string, currency: r.currency as string, cdrs: Number(r.cdrs), credits: Number(r.credits),
    energyKwh: Number(r.kwh), revenueExclVat: decimal(r.excl as string), revenueInclVat: decimal(r.incl as string),
  }));
}

/** A numeric sum as text without trailing zeros ("12.500000" → "12.5"). */
function decimal(v: string): string {
  return v.includes('.') ? v.replace(/0+$/, '').replace(/\.$/, '') : v;
}
