import type { Knex } from 'knex';

// Analytics (issue 9): the peak power of a period is the highest Power.Active.Import reading taken in it.
// A partial index by time holding what that needs reads a month of readings without touching the table.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`create index if not exists meter_values_power_at on meter_values (timestamp)
    include (charge_point_id, session_fk, unit, numeric_value) where measurand = 'Power.Active.Import'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists meter_values_power_at');
}
