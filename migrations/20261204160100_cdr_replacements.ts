import type { Knex } from 'knex';

// A late StopTransaction with newer data for a session cpms closed itself (issue 15): its first CDR is
// credited (OCPI 2.2.1 cdrs §10.2.1.1) and a replacement CDR issued, which names the CDR it replaces.
// A session then has one CDR in force: the one no other CDR replaces (so at most one per session and one
// replacement per CDR).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('cdrs', (t) => {
    t.integer('replaces_cdr_fk').references('cdrs.id');
  });
  await knex.raw('drop index cdrs_session_unique');
  await knex.raw('create unique index cdrs_session_unique on cdrs (session_fk) where not credit and replaces_cdr_fk is null');
  await knex.raw('create unique index cdrs_replaces_unique on cdrs (replaces_cdr_fk) where replaces_cdr_fk is not null');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists cdrs_replaces_unique');
  await knex.raw('drop index cdrs_session_unique');
  await knex.raw('create unique index cdrs_session_unique on cdrs (session_fk) where not credit');
  await knex.schema.alterTable('cdrs', (t) => {
    t.dropColumn('replaces_cdr_fk');
  });
}
