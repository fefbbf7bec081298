// The analytics benchmark's data, generated in SQL (generate_series) on the database given: a year (2025) of a
// network of 1,000 chargers with 2 connectors each (one EVSE each) at 50 locations in 5 time zones, ~1 M
// sessions (5 % without energy), 4 StatusNotifications per session, a 1 h fault per charger every ~9 days and
// a 2 h offline period every 30 days, a maintenance window per charger per quarter, a CDR per session with
// energy (EUR, every fifth GBP), a credit CDR per 100, one Power.Active.Import reading per session.
import type { Knex } from 'knex';

export const YEAR_START = '2025-01-01T00:00:00Z';
export const CHARGERS = 1000;
const SESSIONS = 1_000_000;

const NETWORK = [
  `insert into locations (id, party_fk, address, city, country, latitude, longitude, time_zone)
   select 'LOC-' || n, :party, 'Street ' || n, 'Town', 'NLD', '52.0', '4.0',
     (array['Europe/Amsterdam', 'Europe/London', 'America/New_York', 'Asia/Tokyo', 'Australia/Sydney'])[n % 5 + 1]
   from generate_series(1, 50) n`,
  `insert into charge_points (id, location_id) select 'CP-' || n, 'LOC-' || (n % 50 + 1) from generate_series(1, ${CHARGERS}) n`,
  `insert into evses (location_id, uid, charge_point_id, status)
   select cp.location_id, 'E-' || cp.id || '-' || c, cp.id, 'AVAILABLE' from charge_points cp, generate_series(1, 2) c`,
  `insert into connectors (charge_point_id, connector_number, evse_fk, ocpi_id)
   select e.charge_point_id, right(e.uid, 1)::int, e.id, right(e.uid, 1) from evses e`,
  `insert into id_tokens (country_code, party_id, uid, contract_id, issuer) values ('DE', 'ABC', 'BENCH', 'DE-ABC-BENCH', 'ABC')`,
];

// Session i: charger i % 1000, connector alternating every 1,000 sessions, starts 525.6 min apart per charger.
const SESSIONS_SQL = `
  insert into sessions (uid, party_fk, charge_point_id, connector_number, location_id, id_tag, token_fk, meter_start_wh, meter_stop_wh,
    energy_wh, start_at, stop_at, status, last_updated)
  select 'S' || i, :party, 'CP-' || (i % ${CHARGERS} + 1), (i / ${CHARGERS}) % 2 + 1, 'LOC-' || ((i % ${CHARGERS} + 1) % 50 + 1), 'TAG',
    case when i % 3 = 0 then (select id from id_tokens where uid = 'BENCH') end, 0, x.e, x.e, x.st, x.st + x.dur, 'COMPLETED', x.st
  from generate_series(0, ${SESSIONS - 1}) i,
    lateral (select timestamptz '${YEAR_START}' + (i / ${CHARGERS}) * interval '525.6 minutes' + ((i % ${CHARGERS}) * 13 % 500) * interval '1 minute' as st,
      (30 + (i * 7) % 90) * interval '1 minute' as dur, case when i % 20 = 0 then 0 else 5000 + (i * 37) % 35000 end as e) x`;

const HISTORY = [
  `insert into status_history (charge_point_id, connector_number, status, error_code, timestamp)
   select s.charge_point_id, s.connector_number, v.status, 'NoError', v.at from sessions s
   cross join lateral (values ('Preparing', s.start_at - interval '2 minutes'), ('Charging', s.start_at), ('Finishing', s.stop_at),
     ('Available', s.stop_at + interval '5 minutes')) v(status, at)`,
  `insert into status_history (charge_point_id, connector_number, status, error_code, timestamp)
   select cp.id, 1, v.status, v.code, timestamptz '${YEAR_START}' + d * interval '9 days' + interval '3 hours' + v.off
   from charge_points cp, generate_series(0, 40) d, (values ('Faulted', 'GroundFailure', interval '0'), ('Available', 'NoError', interval '1 hour')) v(status, code, off)`,
  `insert into faults (charge_point_id, connector_number, kind, error_code, opened_at, cleared_at)
   select cp.id, 1, 'ERROR_CODE', 'GroundFailure', t, t + interval '1 hour' from charge_points cp, generate_series(0, 40) d,
     lateral (select timestamptz '${YEAR_START}' + d * interval '9 days' + interval '3 hours' as t) x
   union all
   select cp.id, 0, 'OFFLINE', 'Offline', t, t + interval '2 hours' from charge_points cp, generate_series(0, 11) d,
     lateral (select timestamptz '${YEAR_START}' + d * interval '30 days' + interval '20 hours' as t) x`,
  `insert into maintenance_windows (charge_point_id, starts_at, ends_at, status, created_by, created_at)
   select cp.id, t, t + interval '4 hours', 'ENDED', 'bench', t from charge_points cp, generate_series(0, 3) q,
     lateral (select timestamptz '${YEAR_START}' + q * interval '91 days' + interval '10 days 6 hours' as t) x`,
];

const BILLING = [
  `insert into cdrs (cdr_id, party_fk, session_fk, currency, total_cost_excl_vat, total_cost_incl_vat, kwh, total_time_hours, total_parking_hours, body, credit, created_at)
   select s.uid, :party, s.id, case when s.id % 5 = 0 then 'GBP' else 'EUR' end, round(s.energy_wh * 0.00035, 2), round(s.energy_wh * 0.0004235, 2),
     s.energy_wh / 1000.0, 1, 0, jsonb_build_object('cdr_location', jsonb_build_object('id', s.location_id),
     'cdr_token', jsonb_build_object('country_code', case when s.token_fk is null then 'NL' else 'DE' end, 'party_id', case when s.token_fk is null then 'CPM' else 'ABC' end)),
     false, s.stop_at + interval '1 minute'
   from sessions s where s.energy_wh > 0`,
  `insert into cdrs (cdr_id, party_fk, currency, total_cost_excl_vat, total_cost_incl_vat, kwh, total_time_hours, total_parking_hours, body, credit, credit_reference_id, created_at)
   select c.cdr_id || '-C', c.party_fk, c.currency, -c.total_cost_excl_vat, -c.total_cost_incl_vat, c.kwh, 1, 0, c.body, true, c.cdr_id, c.created_at + interval '2 days'
   from cdrs c where c.id % 100 = 0`,
  `insert into meter_values (charge_point_id, connector_number, session_fk, timestamp, measurand, unit, value, numeric_value)
   select s.charge_point_id, s.connector_number, s.id, s.start_at + interval '5 minutes', 'Power.Active.Import', 'W', '11000', 7400 + (s.id % 40) * 100
   from sessions s`,
];

/** Fills `db` (migrated, with the operator party `party`); returns the seconds each step took. */
export async function generateYear(db: Knex, party: number, log: (line: string) => void): Promise<void> {
  for (const sql of [...NETWORK, SESSIONS_SQL, ...HISTORY, ...BILLING]) {
    const started = Date.now();
    await db.raw(sql, { party });
    log(`  ${sql.trim().split(/\s+/).slice(0, 3).join(' ')}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  await db.raw('analyze');
}
