import type { Knex } from 'knex';

// Many jurisdictions (issue 9): each of the operator's own CPO parties carries its currency, its VAT rate (percent;
// null: no VAT applies, e.g. a US party), whether its tariffs are quoted to it incl. VAT, and the time zone
// its statements are cut in. The country is the party's OCPI country_code. Null currency / time zone: the
// configured billing.defaultCurrency / UTC, as before.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('parties', (t) => {
    t.string('currency', 3);
    t.decimal('vat_rate', 7, 4);
    t.boolean('prices_include_vat').notNullable().defaultTo(false);
    t.string('time_zone', 64);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('parties', (t) => {
    t.dropColumn('time_zone');
    t.dropColumn('prices_include_vat');
    t.dropColumn('vat_rate');
    t.dropColumn('currency');
  });
}
