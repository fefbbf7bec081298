import type { Knex } from 'knex';

// OCPP 1.6 security whitepaper §"Secure firmware update" (issue 13): a campaign with a signing certificate
// and a signature sends SignedUpdateFirmware; its chargers' statuses (SignedFirmwareStatusNotification,
// e.g. InstallVerificationFailed: 25 characters) no longer fit in 20.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('firmware_campaigns', (t) => {
    t.text('signing_certificate');
    t.string('signature', 800);
  });
  await knex.raw('ALTER TABLE firmware_campaign_chargers ALTER COLUMN status TYPE varchar(32)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('firmware_campaigns', (t) => {
    t.dropColumn('signing_certificate');
    t.dropColumn('signature');
  });
}
