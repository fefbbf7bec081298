import type { Knex } from 'knex';

// The OCPP 1.6 local authorization list (§3.5) cpms last had accepted by each charger: its version and
// entries, so the next change is sent as a Differential update; and the last attempt's outcome.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('local_auth_lists', (t) => {
    t.string('charge_point_id', 48).primary().references('charge_points.id').onDelete('CASCADE');
    t.integer('version'); // null: nothing accepted yet
    t.jsonb('entries').notNullable();
    t.string('last_status', 20); // the SendLocalList.conf status, or NotConnected / Error
    t.timestamp('last_attempt_at', { useTz: true });
    t.timestamp('synced_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('local_auth_lists');
}
