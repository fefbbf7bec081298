import type { Knex } from 'knex';

// Analytics (issue 9) read a period of sessions, status history and faults across all chargers: each is
// indexed by its time so that a month of a year's data is not a scan of the year.
export async function up(knex: Knex): Promise<void> {
  await knex.raw('create index if not exists sessions_start_at on sessions (start_at)');
  await knex.raw('create index if not exists status_history_timestamp on status_history (timestamp)');
  await knex.raw('create index if not exists status_history_connector_timestamp on status_history (charge_point_id, connector_number, timestamp)');
  await knex.raw('create index if not exists faults_opened_at on faults (opened_at)');
}

export async function down(knex: Knex): Promise<void> {
  for (const index of ['faults_opened_at', 'status_history_connector_timestamp', 'status_history_timestamp', 'sessions_start_at']) {
    await knex.raw(`drop index if exists ${index}`);
  }
}
