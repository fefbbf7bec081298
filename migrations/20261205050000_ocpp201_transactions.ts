import type { Knex } from 'knex';

// OCPP 2.0.1 (issue 12): a transactionId is a station-chosen string (E01: up to 36 characters), where 1.6 used
// the session id cpms gave. Each 2.0.1 transaction maps onto one session; last_seq_no detects gaps in seqNo.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('ocpp201_transactions', (t) => {
    t.string('charge_point_id', 48).notNullable().references('charge_points.id').onDelete('CASCADE');
    t.string('transaction_id', 36).notNullable();
    t.integer('session_fk').references('sessions.id').onDelete('SET NULL');
    t.integer('last_seq_no').notNullable();
    t.primary(['charge_point_id', 'transaction_id']);
    t.index(['session_fk']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('ocpp201_transactions');
}
