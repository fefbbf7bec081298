import type { Knex } from 'knex';

// OCPP 2.0.1 F01 (issue 12): the remoteStartId cpms put in a RequestStartTransaction, and the idToken it named;
// the station echoes the id in the TransactionEvent of that transaction, which ties the session to the request.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('ocpp201_remote_starts', (t) => {
    t.string('charge_point_id', 48).notNullable().references('charge_points.id').onDelete('CASCADE');
    t.integer('remote_start_id').notNullable();
    t.string('id_tag', 36).notNullable();
    t.timestamp('requested_at', { useTz: true }).notNullable();
    t.primary(['charge_point_id', 'remote_start_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('ocpp201_remote_starts');
}
