import type { Knex } from 'knex';

// Tariffs as OCPI 2.2.1 tariffs §11.3.1 defines them, and the operator's rules that assign them to
// connectors / EVSEs / locations, optionally only for one eMSP partner and/or one token group.
// Money is numeric without a fixed scale (exact as entered); element prices stay exact inside jsonb.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('tariffs', (t) => {
    // §11.3.1: id "uniquely identifies the tariff within the CPO's platform (and suboperator platforms)"
    t.string('id', 36).primary();
    t.integer('party_fk').notNullable().references('parties.id');
    t.string('currency', 3).notNullable();
    t.string('type', 20);
    t.jsonb('tariff_alt_text');
    t.string('tariff_alt_url', 255);
    t.specificType('min_price_excl_vat', 'numeric');
    t.specificType('min_price_incl_vat', 'numeric');
    t.specificType('max_price_excl_vat', 'numeric');
    t.specificType('max_price_incl_vat', 'numeric');
    t.jsonb('elements').notNullable();
    t.jsonb('energy_mix');
    t.timestamp('start_date_time', { useTz: true });
    t.timestamp('end_date_time', { useTz: true });
    t.timestamp('last_updated', { useTz: true }).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['party_fk', 'last_updated']);
  });

  await knex.schema.createTable('tariff_assignments', (t) => {
    t.increments('id');
    // No cascade: a tariff that is still assigned cannot be deleted (tariffs §11.2.2 DELETE note).
    t.string('tariff_id', 36).notNullable().references('tariffs.id');
    t.integer('connector_fk').references('connectors.id').onDelete('CASCADE');
    t.integer('evse_fk').references('evses.id').onDelete('CASCADE');
    t.string('location_id', 36).references('locations.id').onDelete('CASCADE');
    t.integer('partner_fk').references('ocpi_partners.id').onDelete('CASCADE');
    t.string('group_id', 36);
    t.integer('priority').notNullable().defaultTo(0);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['tariff_id']);
  });
  await knex.raw(
    'alter table tariff_assignments add constraint tariff_assignments_one_scope check (' +
      '(connector_fk is not null)::int + (evse_fk is not null)::int + (location_id is not null)::int = 1)',
  );
  await knex.raw(
    'create unique index tariff_assignments_unique on tariff_assignments (tariff_id, coalesce(connector_fk, 0), ' +
      "coalesce(evse_fk, 0), coalesce(location_id, ''), coalesce(partner_fk, 0), coalesce(group_id, ''))",
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('tariff_assignments');
  await knex.schema.dropTableIfExists('tariffs');
}
