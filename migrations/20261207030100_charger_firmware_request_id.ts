import type { Knex } from 'knex';

// OCPP 2.0.1 L01/L02: the requestId of the firmware update a charger's firmware_status belongs to (the last
// UpdateFirmware sent, or the one its last FirmwareStatusNotification named), so a status can be tied back to
// the request, also outside a campaign.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('charge_points', (t) => {
    t.integer('firmware_request_id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('charge_points', (t) => {
    t.dropColumn('firmware_request_id');
  });
}
