import type { Knex } from 'knex';

// Stuck sessions (issue 15): why cpms closed a session itself (null = the charger's own StopTransaction):
// SUPERSEDED, CONNECTOR_IDLE, OPERATOR_FORCED, NO_ENERGY, NO_PROGRESS, TOO_LONG, STALE; with who closed it
// and why in the operator's words (OPERATOR_FORCED). `energy_changed_at`: when the session's energy last
// changed (the NO_PROGRESS rule); `idle_probe_at`: when cpms last asked the charger to confirm a session
// whose connector reported Available/Unavailable/Faulted (TriggerMessage MeterValues).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sessions', (t) => {
    t.string('close_reason', 20);
    t.string('closed_by', 64);
    t.text('close_note');
    t.timestamp('energy_changed_at', { useTz: true });
    t.timestamp('idle_probe_at', { useTz: true });
  });
  await knex.raw(`create index sessions_active_on_connector on sessions (charge_point_id, connector_number) where status = 'ACTIVE'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists sessions_active_on_connector');
  await knex.schema.alterTable('sessions', (t) => {
    t.dropColumn('idle_probe_at');
    t.dropColumn('energy_changed_at');
    t.dropColumn('close_note');
    t.dropColumn('closed_by');
    t.dropColumn('close_reason');
  });
}
