import type { Knex } from 'knex';

// Maintenance windows (issue 9): a charger (connector_id null) or one connector (= its EVSE) out of service
// from starts_at to ends_at. The `maintenance-windows` job sends ChangeAvailability Inoperative at the start
// and Operative at the end; meanwhile the EVSEs show INOPERATIVE to eMSPs. Kept after they end: uptime
// (analytics) excludes them.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('maintenance_windows', (t) => {
    t.increments('id');
    t.string('charge_point_id', 48).notNullable().references('charge_points.id').onDelete('CASCADE');
    t.integer('connector_id'); // null: the whole charger (OCPP ChangeAvailability connectorId 0)
    t.timestamp('starts_at', { useTz: true }).notNullable();
    t.timestamp('ends_at', { useTz: true }).notNullable();
    t.string('reason', 255);
    t.string('status', 12).notNullable(); // SCHEDULED | ACTIVE | ENDED | CANCELLED
    t.timestamp('started_at', { useTz: true });
    t.timestamp('ended_at', { useTz: true });
    t.string('start_command_status', 20); // the charger's ChangeAvailability answer, or Offline / Failed
    t.string('end_command_status', 20);
    t.string('created_by', 100).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['charge_point_id', 'starts_at']);
    t.index(['status', 'starts_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('maintenance_windows');
}
