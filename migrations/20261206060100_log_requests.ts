import type { Knex } from 'knex';

// OCPP 1.6 security whitepaper GetLog (issue 13): each request (its id is the GetLog requestId), the
// charger's answer and LogStatusNotification progress, and the log file uploaded to cpms's own URL with a
// one-time token (only its SHA-256 stored).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('log_requests', (t) => {
    t.increments('id');
    t.string('charge_point_id', 48).notNullable().references('charge_points.id').onDelete('CASCADE');
    t.string('log_type', 20).notNullable();
    t.timestamp('oldest_timestamp', { useTz: true });
    t.timestamp('latest_timestamp', { useTz: true });
    // CREATED (not answered yet) | Offline | Failed | the GetLog.conf status | the last LogStatusNotification status
    t.string('status', 30).notNullable();
    t.string('file_name', 255);
    t.text('last_error');
    t.string('upload_token_hash', 64).notNullable();
    t.binary('content');
    t.integer('size_bytes');
    t.timestamp('uploaded_at', { useTz: true });
    t.string('created_by', 255).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.index(['charge_point_id', 'id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('log_requests');
}
