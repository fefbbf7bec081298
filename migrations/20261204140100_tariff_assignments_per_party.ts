import type { Knex } from 'knex';

// Tariff assignment rules name an OCPI party (country_code + party_id), not a partner connection: all the
// eMSPs behind one hub shared a tariff negotiated with one of them. Existing rules for a partner become
// rules for that partner's own party.
const OLD_UNIQUE = 'tariff_assignments_unique';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tariff_assignments', (t) => {
    t.string('emsp_country_code', 2);
    t.string('emsp_party_id', 3);
  });
  await knex.raw(`update tariff_assignments a set emsp_country_code = upper(p.country_code), emsp_party_id = upper(p.party_id)
    from ocpi_partners p where p.id = a.partner_fk`);
  await knex.raw(`drop index if exists ${OLD_UNIQUE}`);
  await knex.schema.alterTable('tariff_assignments', (t) => {
    t.dropColumn('partner_fk');
  });
  await knex.raw('alter table tariff_assignments add constraint tariff_assignments_party_whole check ((emsp_country_code is null) = (emsp_party_id is null))');
  await knex.raw(
    `create unique index ${OLD_UNIQUE} on tariff_assignments (tariff_id, coalesce(connector_fk, 0), coalesce(evse_fk, 0), ` +
      "coalesce(location_id, ''), coalesce(emsp_country_code, ''), coalesce(emsp_party_id, ''), coalesce(group_id, ''))",
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tariff_assignments', (t) => {
    t.integer('partner_fk').references('ocpi_partners.id').onDelete('CASCADE');
  });
  await knex.raw(`update tariff_assignments a set partner_fk = p.id from ocpi_partners p
    where p.status = 'REGISTERED' and upper(p.country_code) = a.emsp_country_code and upper(p.party_id) = a.emsp_party_id`);
  // A rule for a party without a connection of its own (behind a hub) has no partner to fall back to.
  await knex('tariff_assignments').whereNotNull('emsp_country_code').whereNull('partner_fk').delete();
  await knex.raw(`drop index if exists ${OLD_UNIQUE}`);
  await knex.raw('alter table tariff_assignments drop constraint if exists tariff_assignments_party_whole');
  await knex.schema.alterTable('tariff_assignments', (t) => {
    t.dropColumn('emsp_country_code');
    t.dropColumn('emsp_party_id');
  });
  await knex.raw(
    `create unique index ${OLD_UNIQUE} on tariff_assignments (tariff_id, coalesce(connector_fk, 0), ` +
      "coalesce(evse_fk, 0), coalesce(location_id, ''), coalesce(partner_fk, 0), coalesce(group_id, ''))",
  );
}
