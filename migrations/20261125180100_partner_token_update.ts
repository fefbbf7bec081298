import type { Knex } from 'knex';

// A credentials update we initiate (OCPI 2.2.1 credentials §7.1.4, PUT §7.2.3): the new token we offer a
// partner must be accepted while the partner processes our PUT (it fetches our versions with it), beside
// the current one, which stays valid until the partner has answered. Stored as SHA-256 only, like the
// other tokens; token_next_at marks when the update began, so that one abandoned by a crash can be
// taken over instead of blocking every later update.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('ocpi_partners', (t) => {
    t.string('token_next_hash', 64).unique();
    t.timestamp('token_next_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('ocpi_partners', (t) => {
    t.dropUnique(['token_next_hash']);
    t.dropColumn('token_next_hash');
    t.dropColumn('token_next_at');
  });
}
