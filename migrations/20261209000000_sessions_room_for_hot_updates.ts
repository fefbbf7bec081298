import type { Knex } from 'knex';

// Ingest (issue 8): a running session's row is updated with every MeterValues batch that names it. An update
// that changes no indexed column can stay on the row's page without a new entry in each of the table's nine
// indexes (a HOT update), when the page has room: pages keep a fifth of their space for it. Applies to the
// pages written from now on.
export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table sessions set (fillfactor = 80)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table sessions reset (fillfactor)');
}
