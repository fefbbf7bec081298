import type { Knex } from 'knex';

// OCPP 2.0.1 N09/N10 (issue 12): customer information requests (the id is the CustomerInformation requestId)
// and the NotifyCustomerInformation parts a station sends back, one row per seqNo.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('customer_information_requests', (t) => {
    t.increments('id');
    t.string('charge_point_id', 48).notNullable().references('charge_points.id').onDelete('CASCADE');
    t.boolean('report').notNullable();
    t.boolean('clear').notNullable();
    // The customer named: {idToken} | {customerIdentifier} | {customerCertificate}, as sent.
    t.jsonb('customer').notNullable();
    // CREATED (being sent) | NotSent (1.6 or not connected) | Failed | the station's answer (Accepted, Rejected, Invalid)
    t.string('status', 20).notNullable();
    t.text('last_error');
    t.string('created_by', 255).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.index(['charge_point_id', 'id']);
  });
  await knex.schema.createTable('customer_information_parts', (t) => {
    t.integer('request_id').notNullable().references('customer_information_requests.id').onDelete('CASCADE');
    t.integer('seq_no').notNullable();
    t.text('data').notNullable();
    t.boolean('tbc').notNullable();
    t.timestamp('generated_at', { useTz: true }).notNullable();
    t.timestamp('received_at', { useTz: true }).notNullable();
    t.primary(['request_id', 'seq_no']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('customer_information_parts');
  await knex.schema.dropTableIfExists('customer_information_requests');
}
