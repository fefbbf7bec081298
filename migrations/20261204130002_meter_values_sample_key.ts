import type { Knex } from 'knex';

// OCPP 1.6 §4.7 MeterValues (and StopTransaction transactionData) replayed by a charger must not store a
// sample twice (issue 7: one energy sample in 200 sessions was). A sample is identified by its charger,
// connector, timestamp, measurand, phase, location, unit and context, and by its format: a signed meter
// sends the Raw reading and its SignedData with that same key otherwise (OCPP 1.6 §7.32 ValueFormat).
// NULLS NOT DISTINCT (PostgreSQL 15+, PGlite): a missing phase or unit is the same missing value.
const KEY = 'charge_point_id, connector_number, timestamp, measurand, phase, location, unit, context, format';

export async function up(knex: Knex): Promise<void> {
  // Duplicates stored so far: the one linked to a session is kept, else the first.
  await knex.raw(`delete from meter_values m using (
      select id, row_number() over (partition by ${KEY} order by (session_fk is null), id) as n from meter_values
    ) d where m.id = d.id and d.n > 1`);
  await knex.raw(`create unique index meter_values_sample_key on meter_values (${KEY}) nulls not distinct`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists meter_values_sample_key');
}
