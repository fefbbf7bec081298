import type { Knex } from 'knex';

// Many jurisdictions (issue 9): a statement covers the CDRs of one own party (each CPO party settles in its
// currency and its time zone) for one partner and period. Earlier statements covered every party; they are
// the default party's (the only one cpms could operate as before own parties had settings).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('statements', (t) => {
    t.integer('party_fk').references('parties.id');
  });
  await knex.raw('update statements set party_fk = (select id from parties where is_default limit 1)');
  await knex.raw('drop index if exists statements_unique');
  await knex.raw('create unique index statements_unique on statements (coalesce(party_fk, 0), coalesce(partner_fk, 0), granularity, period_start)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists statements_unique');
  await knex.schema.alterTable('statements', (t) => {
    t.dropColumn('party_fk');
  });
  await knex.raw('create unique index statements_unique on statements (coalesce(partner_fk, 0), granularity, period_start)');
}
