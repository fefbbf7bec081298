import type { Knex } from 'knex';

// A tariff of a party that quotes prices incl. VAT keeps the elements as the operator entered them (issue 9 follow-up):
// the admin API shows and takes that form, so reading a tariff and saving it back never converts its prices twice.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tariffs', (t) => {
    t.jsonb('entered_elements').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tariffs', (t) => {
    t.dropColumn('entered_elements');
  });
}
