import type { Knex } from 'knex';

// Scheduled password rotation (issue 13): when a charger's password last changed by rotation (null: never,
// its row's created_at counts), so that the job rotates those older than ocpp.auth.passwordRotationDays.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('charge_points', (t) => {
    t.timestamp('password_changed_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('charge_points', (t) => {
    t.dropColumn('password_changed_at');
  });
}
