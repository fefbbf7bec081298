import type { Knex } from 'knex';

// The readings log (issue 8, ingest): a foreign key costs a lookup of the parent row on every inserted
// reading, a quarter of a MeterValues batch's insert. meter_values is written only by the MeterValues group
// commit, whose charger comes from the authenticated socket and whose session from a lookup in the same
// transaction; chargers and sessions are never deleted (a charger is decommissioned, a session billed).
export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table meter_values drop constraint if exists meter_values_charge_point_id_foreign');
  await knex.raw('alter table meter_values drop constraint if exists meter_values_session_fk_foreign');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table meter_values add constraint meter_values_charge_point_id_foreign foreign key (charge_point_id) references charge_points (id) on delete cascade');
  await knex.raw('alter table meter_values add constraint meter_values_session_fk_foreign foreign key (session_fk) references sessions (id) on delete cascade');
}
