import type { Knex } from 'knex';

// Fleet management (issue 9): configuration templates per charger model (vendor/model match, keys applied
// with ChangeConfiguration, drift against charger_configuration), firmware campaigns (UpdateFirmware to a
// set of chargers within a time window, progress per charger from FirmwareStatusNotification) and
// diagnostics requests (GetDiagnostics, status from DiagnosticsStatusNotification).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('configuration_templates', (t) => {
    t.increments('id');
    t.string('name', 100).notNullable().unique();
    t.string('vendor', 20); // null: any vendor; matched case-insensitively against BootNotification chargePointVendor
    t.string('model', 20); // null: any model
    t.jsonb('keys').notNullable(); // { "<OCPP key>": "<value>" }
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
  });
  await knex.schema.createTable('firmware_campaigns', (t) => {
    t.increments('id');
    t.string('name', 100).notNullable();
    t.text('location').notNullable(); // OCPP 1.6 UpdateFirmware.location (URI)
    t.timestamp('window_start', { useTz: true }).notNullable();
    t.timestamp('window_end', { useTz: true }).notNullable();
    t.integer('retries');
    t.integer('retry_interval');
    t.string('status', 12).notNullable(); // SCHEDULED | RUNNING | FINISHED | CANCELLED
    t.string('created_by', 100).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
  });
  await knex.schema.createTable('firmware_campaign_chargers', (t) => {
    t.integer('campaign_fk').notNullable().references('firmware_campaigns.id').onDelete('CASCADE');
    t.string('charge_point_id', 48).notNullable().references('charge_points.id').onDelete('CASCADE');
    // PENDING (not sent yet) | SENT | NOT_SENT (window over) | REQUEST_FAILED | CANCELLED | a FirmwareStatus
    t.string('status', 20).notNullable();
    t.text('last_error');
    t.timestamp('sent_at', { useTz: true });
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.primary(['campaign_fk', 'charge_point_id']);
    t.index(['charge_point_id', 'status']);
  });
  await knex.schema.createTable('diagnostics_requests', (t) => {
    t.increments('id');
    t.string('charge_point_id', 48).notNullable().references('charge_points.id').onDelete('CASCADE');
    t.text('location').notNullable();
    t.timestamp('start_time', { useTz: true });
    t.timestamp('stop_time', { useTz: true });
    // REQUESTED | NO_DIAGNOSTICS (no file) | Offline | Failed (not sent) | a DiagnosticsStatus (Uploading, Uploaded, UploadFailed)
    t.string('status', 20).notNullable();
    t.string('file_name', 255);
    t.text('last_error');
    t.string('created_by', 100).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.index(['charge_point_id', 'id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('diagnostics_requests');
  await knex.schema.dropTableIfExists('firmware_campaign_chargers');
  await knex.schema.dropTableIfExists('firmware_campaigns');
  await knex.schema.dropTableIfExists('configuration_templates');
}
