import type { Knex } from 'knex';

// A session's latest Power.Active.Import (the live figures of every session.updated event, the live map):
// found with the (session_fk, timestamp) index and a filter, the planner preferred to AND it with the
// analytics index meter_values_power_at, reading every power reading of the network on each lookup
// (issue 8: 2 ms a session at 25,000 readings, growing with the table; a MeterValues batch of 300 sessions
// took 0.6–1 s of database CPU). This partial index answers the lookup from its last entry.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`create index if not exists meter_values_session_power on meter_values (session_fk, timestamp) where measurand = 'Power.Active.Import'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists meter_values_session_power');
}
