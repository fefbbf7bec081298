import type { Knex } from 'knex';

// Load management (issue 10): a load group's limit in kW besides its limit in A (a grid contract in kW), and
// the phase-to-neutral voltage that converts one into the other (null: loadManagement.voltage). Schedule
// periods may give kW too (in the schedule's JSON). The tighter limit holds.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('load_groups', (t) => {
    t.decimal('max_power_kw', 10, 2);
    t.decimal('voltage', 6, 1);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('load_groups', (t) => {
    t.dropColumn('voltage');
    t.dropColumn('max_power_kw');
  });
}
