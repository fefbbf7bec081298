import type { Knex } from 'knex';

// Load management (issue 10): a load group's energy price curve (time-of-use table in the site's time zone,
// absolute periods, base price), inherited by the groups below it; the allocator moves flexible energy into
// its cheap hours. null: none (the nearest ancestor's, else a flat price).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('load_groups', (t) => {
    t.jsonb('price_curve'); // the PUT body as validated (src/loadmgmt/price-curve-input.ts)
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('load_groups', (t) => {
    t.dropColumn('price_curve');
  });
}
