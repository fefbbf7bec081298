import type { Db } from '../db/knex.ts';
import type { AnalyticsQuery, RevenueRow } from './analytics.types.ts';
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

/** Revenue per local bucket and currency, excl. and incl. VAT, credits netted. */
export async function listRevenue(db: Db, q: AnalyticsQuery): Promise<RevenueRow[]> {
  const scope = scopeConditions(q, REVENUE_SCOPE);
  const { rows } = await db.raw(`
    select to_char(date_trunc(?, c.created_at at time zone coalesce(l.time_zone, pt.time_zone, 'UTC')), 'YYYY-MM-DD') as bucket, c.currency,
      count(*) filter (where not c.credit)::int as cdrs, count(*) filter (where c.credit)::int as credits,
      sum(case when c.credit then -c.kwh else c.kwh end)::text as kwh,
      sum(c.total_cost_excl_vat)::text as excl, sum(c.total_cost_incl_vat)::text as incl
    from cdrs c left join locations l on l.id = c.body->'cdr_location'->>'id' left join parties pt on pt.id = c.party_fk
    where c.created_at >= ? and c.created_at < ?${scope.sql}
    group by 1, 2 order by 1, 2`, [q.groupBy, q.from, q.to, ...scope.bindings]);
  return rows.map((r: Record<string, unknown>) => ({
    bucket: r.bucket as string, currency: r.currency as string, cdrs: Number(r.cdrs), credits: Number(r.credits),
    energyKwh: Number(r.kwh), revenueExclVat: decimal(r.excl as string), revenueInclVat: decimal(r.incl as string),
  }));
}

/** A numeric sum as text without trailing zeros ("12.500000" → "12.5"). */
function decimal(v: string): string {
  return v.includes('.') ? v.replace(/0+$/, '').replace(/\.$/, '') : v;
}
