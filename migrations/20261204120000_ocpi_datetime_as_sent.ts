import type { Knex } from 'knex';

// OCPI 2.2.1 types §16.2: a DateTime is string(25) and "Fractional seconds MAY be used". The last_updated a
// partner sends is kept twice: as the instant (timestamptz, microseconds: every digit string(25) can carry,
// for "is it newer" comparisons and date filters) and as the string sent, which is what we give back, so a
// partner reads exactly the last_updated it wrote. Null for rows from before (and for the operator's own
// tokens): rendered from the instant then.
export async function up(knex: Knex): Promise<void> {
  for (const table of ['id_tokens', 'hub_client_info']) {
    await knex.schema.alterTable(table, (t) => {
      t.string('last_updated_as_sent', 25);
    });
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['id_tokens', 'hub_client_info']) {
    await knex.schema.alterTable(table, (t) => {
      t.dropColumn('last_updated_as_sent');
    });
  }
}
